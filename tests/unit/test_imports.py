"""Imports run one way: no cycles among synjson's modules, no module imports the package face.

Every ``import`` counts, at module level or inside a function; only the annotations-only block
``if TYPE_CHECKING:`` is left out (it never runs). The folders form layers, and an import may only
go to the same folder or to a folder below (docs/architecture.md).
"""

from __future__ import annotations

import ast
import functools
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "synjson"

#: Lower layers first; a module may import its own layer and the layers listed before it.
LAYERS = ["errors", "version", "document", "engine", "model", "train", "format", "exporters", "cli"]
#: Facades that re-export public names at their historical paths, and the entry point.
TOP = {"__init__", "__main__", "architect", "squash"}


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(path: Path) -> set[str]:
    """The synjson modules ``path`` imports (relative imports resolved; ``from . import x`` resolved to modules)."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for block in ast.walk(tree):  # drop `if TYPE_CHECKING:` bodies: annotations only, never executed
        if isinstance(block, ast.If) and isinstance(block.test, ast.Name) and block.test.id == "TYPE_CHECKING":
            block.body = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names if alias.name.startswith("synjson"))
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                target = ".".join([*base, *([node.module] if node.module else [])])
            elif node.module and node.module.startswith("synjson"):
                target = node.module
            else:
                continue
            for alias in node.names:
                candidate = f"{target}.{alias.name}"
                found.add(candidate if _exists(candidate) else target)
    return found


def _exists(name: str) -> bool:
    """Whether ``name`` is a module: a .py file, a package, or a C extension (its .c source)."""
    relative = Path(*name.split(".")[1:])
    return any((PACKAGE / relative).with_suffix(suffix).is_file() for suffix in (".py", ".c")) or (
        PACKAGE / relative / "__init__.py"
    ).is_file()


MODULES = {module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


@functools.cache
def graph() -> dict[str, set[str]]:
    """Each module's synjson imports (parsed when a test first asks: not at collection, in every worker)."""
    return {name: {target for target in imports(path) if target in MODULES and target != name} for name, path in MODULES.items()}


def test_no_import_cycles() -> None:
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> None:
        state[node] = 1
        stack.append(node)
        for target in sorted(graph()[node]):
            if state.get(target) == 1:
                cycle = [*stack[stack.index(target) :], target]
                pytest.fail("import cycle: " + " -> ".join(cycle))
            if target not in state:
                visit(target)
        stack.pop()
        state[node] = 2

    for node in sorted(graph()):
        if node not in state:
            visit(node)


def test_nothing_inside_imports_the_package_face() -> None:
    offenders = sorted(name for name, targets in graph().items() if "synjson" in targets and name != "synjson.__main__")
    assert offenders == []


def _layer(name: str) -> str | None:
    parts = name.split(".")
    if len(parts) == 1:
        return None
    return parts[1] if parts[1] not in TOP else None


@pytest.mark.parametrize("name", sorted(MODULES))
def test_imports_point_down_the_layers(name: str) -> None:
    layer = _layer(name)
    if layer is None:
        return
    allowed = set(LAYERS[: LAYERS.index(layer) + 1])
    wrong = sorted(target for target in graph()[name] if _layer(target) is not None and _layer(target) not in allowed)
    assert wrong == [], f"{name} ({layer}) imports a higher layer: {wrong}"


def test_every_folder_says_what_it_owns_and_may_import() -> None:
    for folder in ("document", "engine", "model", "train", "format", "exporters", "cli"):
        doc = ast.get_docstring(ast.parse((PACKAGE / folder / "__init__.py").read_text(encoding="utf-8")))
        assert doc and "Owns" in doc and "May import" in doc, folder


def test_no_module_is_over_600_lines() -> None:
    long = {name: len(path.read_text(encoding="utf-8").splitlines()) for name, path in MODULES.items()}
    assert {name: lines for name, lines in long.items() if lines > 600} == {}
