"""Network.run_state / set_run_state / edited_since_compiled: the run's state through public methods (issue 21, item 4).

No module but the network's own (model/network.py, and engine/core.py it builds on) writes a
network's ``_activated`` or ``_scratch``, or reads its ``_plan``: the Trainer and checkpoints use these methods.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import synjson
from synjson.architect import Perceptron
from synjson.errors import StateError

PACKAGE = Path(__file__).resolve().parents[3] / "synjson"
OWNERS = {"model/network.py", "engine/core.py"}
PRIVATE = {"_activated", "_scratch", "_plan"}


def private_uses(tree: ast.AST) -> list[tuple[int, str]]:
    """``(line, attribute)`` for each ``x._activated``/``x._scratch``/``x._plan`` where ``x`` is not ``self``."""
    return sorted(
        (node.lineno, node.attr)
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute) and node.attr in PRIVATE
        and not (isinstance(node.value, ast.Name) and node.value.id in ("self", "cls"))
    )


def test_no_other_module_touches_a_networks_run_state() -> None:
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        where = path.relative_to(PACKAGE).as_posix()
        if where in OWNERS:
            continue
        uses = private_uses(ast.parse(path.read_text(encoding="utf-8")))
        if uses:
            found[where] = uses
    assert found == {}


def test_the_scan_sees_a_write() -> None:
    assert private_uses(ast.parse("net._activated = True\nself._plan = None\nx = net._scratch.aux\n")) == [
        (1, "_activated"),
        (3, "_scratch"),
    ]


def test_run_state_follows_activate_and_set_run_state() -> None:
    net = Perceptron(2, 3, 1, seed=3)
    assert net.run_state() == (False, 0.0)
    with pytest.raises(StateError, match=r"propagate\(\) needs a prior activate\(\)"):
        net.propagate(0.3, [1.0])
    net.activate([1.0, 0.0])
    assert net.run_state()[0] is True
    net.set_run_state(activated=False, aux=0.25)
    assert net.run_state() == (False, 0.25)
    with pytest.raises(StateError, match=r"propagate\(\) needs a prior activate\(\)"):
        net.propagate(0.3, [1.0])
    net.set_run_state(activated=True)
    assert net.run_state() == (True, 0.25)  # aux is left as it was when not given
    net.propagate(0.3, [1.0])


def test_a_checkpoint_restores_the_run_state() -> None:
    net = Perceptron(2, 3, 1, seed=3)
    net.activate([1.0, 0.0])
    net.set_run_state(activated=True, aux=0.125)
    back = synjson.loads(synjson.dumps(net, state=True))
    assert back.run_state() == (True, 0.125)


def test_edited_since_compiled() -> None:
    net = Perceptron(2, 3, 1, seed=3)
    assert net.edited_since_compiled() is False  # nothing compiled yet
    net.activate([1.0, 0.0])
    assert net.edited_since_compiled() is False
    net.project(synjson.Layer(1))
    assert net.edited_since_compiled() is True
    net.activate([1.0, 0.0])
    assert net.edited_since_compiled() is False
