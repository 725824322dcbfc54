"""No module writes another object's private attributes (issue 21, item 4: the model folder without knots).

An object's ``_name`` attributes are its own: another module (or another class) that needs one
changed calls a public method or a classmethod constructor of the owning class. The scan walks
every module of the package with ``ast`` and reports each write to ``x._name`` where ``x`` is not
``self`` or ``cls``:

* ``x._name = ...``, ``x._name += ...``, ``del x._name`` (tuple targets included; ``x.__class__``
  too: a class swap is a write of a private attribute);
* ``setattr(x, "_name", ...)`` / ``delattr`` and ``object.__setattr__(x, "_name", ...)``;
* a write into a private container: ``x._name[k] = ...``, ``x._name.append(...)`` and the other
  mutating methods;
* a write through ``x.__dict__`` (``x.__dict__[k] = ...``, ``x.__dict__.update(...)``).

One exception, as in Python itself: inside a class whose own methods set ``self._name``, writing
``other._name`` on another instance of the same class (a classmethod constructor filling a new
instance, ``Store.absorb`` forwarding the store it emptied) is that class's own business.
A second one, also Python's own: a descriptor's ``__get__``/``__set__``/``__delete__`` keeps its value in
``instance.__dict__`` (the instance it was called for); that is the descriptor's field, not another's.
A ``setattr`` whose name is not a literal cannot be judged here and is not reported.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "synjson"

#: ``module: {attribute, ...}`` writes allowed although another object's, with the reason. Empty.
ALLOWED: dict[str, set[str]] = {}

_MUTATORS = frozenset(
    {
        "append",
        "extend",
        "insert",
        "remove",
        "pop",
        "popitem",
        "clear",
        "update",
        "setdefault",
        "add",
        "discard",
        "sort",
        "reverse",
        "__setitem__",
        "__delitem__",
    }
)


def _own(node: ast.expr) -> bool:
    return isinstance(node, ast.Name) and node.id in ("self", "cls")


def _private(name: str) -> bool:
    return name.startswith("_")


def _targets(node: ast.expr) -> list[ast.expr]:
    if isinstance(node, (ast.Tuple, ast.List)):
        return [leaf for item in node.elts for leaf in _targets(item)]
    if isinstance(node, ast.Starred):
        return _targets(node.value)
    return [node]


def _self_attributes(cls: ast.ClassDef) -> set[str]:
    """The private attributes a class's own code sets on ``self`` (its instances' own fields)."""
    found = set()
    for node in ast.walk(cls):
        if isinstance(node, (ast.Assign, ast.AugAssign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in (leaf for item in targets for leaf in _targets(item)):
                if isinstance(target, ast.Attribute) and _own(target.value) and _private(target.attr):
                    found.add(target.attr)
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store) and _private(node.id):
            found.add(node.id)  # a class-level default (``_activated = False``)
    return found


def _written(node: ast.AST) -> list[tuple[ast.expr, str]]:
    """``(object, attribute)`` for each private attribute ``node`` writes (of any object)."""
    found: list[tuple[ast.expr, str]] = []

    def attribute(target: ast.expr) -> None:
        if isinstance(target, ast.Attribute) and _private(target.attr):
            found.append((target.value, target.attr))
        elif isinstance(target, ast.Subscript):
            container = target.value
            if isinstance(container, ast.Attribute) and _private(container.attr):
                found.append((container.value, container.attr))

    if isinstance(node, ast.Assign):
        for target in (leaf for item in node.targets for leaf in _targets(item)):
            attribute(target)
    elif isinstance(node, (ast.AugAssign, ast.AnnAssign)):
        attribute(node.target)
    elif isinstance(node, ast.Delete):
        for target in (leaf for item in node.targets for leaf in _targets(item)):
            attribute(target)
    elif isinstance(node, ast.Call):
        function = node.func
        named = (isinstance(function, ast.Name) and function.id in ("setattr", "delattr")) or (
            isinstance(function, ast.Attribute) and function.attr == "__setattr__"
        )
        args = node.args if named else []
        if len(args) >= 2 and isinstance(args[1], ast.Constant):
            name = args[1].value
            if isinstance(name, str) and _private(name):
                found.append((args[0], name))
        if isinstance(function, ast.Attribute) and function.attr in _MUTATORS:
            container = function.value
            if isinstance(container, ast.Attribute) and _private(container.attr):
                found.append((container.value, container.attr))
    return found


def private_writes(tree: ast.AST) -> list[tuple[int, str]]:
    """``(line, "object.attribute")`` for each write of another object's private attribute in ``tree``."""
    found: list[tuple[int, str]] = []

    def visit(node: ast.AST, own: set[str], instance: str | None) -> None:
        if isinstance(node, ast.ClassDef):
            own = _self_attributes(node)
        if isinstance(node, ast.FunctionDef):
            described = node.name in ("__get__", "__set__", "__delete__") and len(node.args.args) >= 2
            instance = node.args.args[1].arg if described else None
        for target, name in _written(node):
            if _own(target) or (name in own and name != "__dict__"):
                continue
            if name == "__dict__" and isinstance(target, ast.Name) and target.id == instance:
                continue
            found.append((node.lineno, f"{ast.unparse(target)}.{name}"))
        for child in ast.iter_child_nodes(node):
            visit(child, own, instance)

    visit(tree, set(), None)
    return sorted(set(found))


def test_no_module_writes_another_objects_private_attributes() -> None:
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        where = path.relative_to(PACKAGE).as_posix()
        writes = [
            (line, what)
            for line, what in private_writes(ast.parse(path.read_text(encoding="utf-8")))
            if what.rpartition(".")[2] not in ALLOWED.get(where, set())
        ]
        if writes:
            found[where] = writes
    assert found == {}


def test_the_scan_sees_every_kind_of_write() -> None:
    source = """
net._activated = True
self._plan = None
net.__class__ = Other
a, b._slot = 1, 2
c._n += 1
del d._x
setattr(e, "_store", s)
setattr(e, "store", s)
setattr(e, name, s)
object.__setattr__(f, "_y", 1)
g._by_id[3] = h
g._by_id.update(k=1)
x = g._by_id[3]
i.__dict__.update(_store=s)
i.__dict__["selfconnection"] = c
"""
    assert private_writes(ast.parse(source)) == [
        (2, "net._activated"),
        (4, "net.__class__"),
        (5, "b._slot"),
        (6, "c._n"),
        (7, "d._x"),
        (8, "e._store"),
        (11, "f._y"),
        (12, "g._by_id"),
        (13, "g._by_id"),
        (15, "i.__dict__"),
        (16, "i.__dict__"),
    ]


def test_a_class_may_write_its_own_fields_on_another_instance() -> None:
    source = """
class Store:
    def __init__(self):
        self._forward = None

    def absorb(self, other, neuron):
        other._forward = self
        neuron._slot = 3

class Connection:
    _cache = None

    @classmethod
    def placed(cls, store):
        made = cls.__new__(cls)
        made._cache = store
        made.__dict__.update(x=1)
        return made
"""
    assert private_writes(ast.parse(source)) == [(8, "neuron._slot"), (17, "made.__dict__")]


def test_a_descriptor_keeps_its_value_in_the_instance_it_was_called_for() -> None:
    source = """
class Numbers:
    def __get__(self, instance, owner=None):
        instance.__dict__["_x"] = 1
        other.__dict__["_x"] = 1

    def __set__(self, instance, value):
        instance.__dict__["_x"] = value

def elsewhere(instance):
    instance.__dict__["_x"] = 1
"""
    assert private_writes(ast.parse(source)) == [(5, "other.__dict__"), (11, "instance.__dict__")]
