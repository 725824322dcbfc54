"""Every public callable has a signature inspect reads (C methods by their text signatures), and the
kernel's type stubs (synjson/engine/_kernel.pyi) match the kernel."""

from __future__ import annotations

import ast
import inspect
import pydoc
import tomllib
import types
import typing
from pathlib import Path
from typing import Any

import pytest

import synjson
from synjson import Layer, Network, Neuron, Trainer, architect
from synjson.engine import NATIVE
from synjson.engine.core import Core as PureCore
from synjson.engine.python import PythonProgram
from synjson.model.network import _ReferenceProgram

ROOT = Path(__file__).resolve().parents[2]
STUB = ROOT / "synjson" / "engine" / "_kernel.pyi"
needs_kernel = pytest.mark.skipif(NATIVE is None, reason="the C kernel is not built here")


def _is_alias(value: Any) -> bool:
    """A type alias such as ``Cost = Callable[...]``: a value, not something to call."""
    return typing.get_origin(value) is not None or isinstance(value, types.UnionType)


def public_callables() -> list[tuple[str, Any]]:
    """Everything in ``synjson.__all__`` (the public names of its modules too) and the public
    methods of Network, Neuron, Layer, Trainer, the architect classes and the engine programs."""
    found: list[tuple[str, Any]] = []
    for name in synjson.__all__:
        value = getattr(synjson, name)
        if isinstance(value, types.ModuleType):
            for inner in getattr(value, "__all__", [n for n in vars(value) if not n.startswith("_")]):
                item = getattr(value, inner)
                if callable(item) and not _is_alias(item):
                    found.append((f"{name}.{inner}", item))
        elif callable(value):
            found.append((name, value))
    classes: list[type] = [Network, Neuron, Layer, Trainer, PythonProgram, _ReferenceProgram, PureCore]
    classes += [getattr(architect, name) for name in architect.__all__ if isinstance(getattr(architect, name), type)]
    if NATIVE is not None:
        classes += [NATIVE.Program, NATIVE.Core]
    for cls in classes:
        for name in dir(cls):
            attribute = getattr(cls, name)
            if not name.startswith("_") and callable(attribute):
                found.append((f"{cls.__qualname__}.{name}", attribute))
    net = architect.Perceptron(2, 3, 1, seed=1)
    found += [(f"net.{name}", getattr(net, name)) for name in ("activate", "propagate", "activate_batch")]
    return found


CALLABLES = public_callables()


def test_the_walk_covers_the_c_methods() -> None:
    names = {name for name, _ in CALLABLES}
    assert {"Network.activate", "Network.propagate", "Trainer.train", "net.activate", "Neuron.project"} <= names
    if NATIVE is not None:
        assert {"Program.activate", "Program.activate_batch", "Program.train", "Core.propagate"} <= names
    assert len(CALLABLES) > 150


@pytest.mark.parametrize(("name", "value"), CALLABLES, ids=[name for name, _ in CALLABLES])
def test_every_public_callable_has_a_signature(name: str, value: Any) -> None:
    inspect.signature(value)


def test_activate_and_propagate_name_their_parameters() -> None:
    net = architect.Perceptron(2, 3, 1, seed=1)
    for method, names in ((net.activate, ["inputs"]), (net.propagate, ["rate", "targets"])):
        parameters = inspect.signature(method).parameters.values()
        assert [(p.name, p.kind) for p in parameters] == [(name, inspect.Parameter.POSITIONAL_ONLY) for name in names]
    for core in (Network, PureCore):  # the kernel's Core (when built) and the pure one agree
        assert list(inspect.signature(core.activate).parameters) == ["self", "inputs"]
        assert list(inspect.signature(core.propagate).parameters) == ["self", "rate", "targets"]
    text = pydoc.render_doc(net.activate, renderer=pydoc.plaintext)
    assert "activate(inputs" in text and "dict keyed by the output names" in text


@needs_kernel
def test_the_kernel_methods_show_their_parameters_in_help() -> None:
    program = NATIVE.Program
    assert str(inspect.signature(program)) == "(plan)"
    assert str(inspect.signature(program.activate_batch)) == "(self, rows, n_rows, out, threads=None, /)"
    train = inspect.signature(program.train)
    assert list(train.parameters)[:8] == ["self", "rows", "targets", "n_rows", "iterations", "error", "cost", "rate"]
    assert train.parameters["guard"].default is True and train.parameters["orders"].kind is inspect.Parameter.KEYWORD_ONLY
    assert "activate_batch(self, rows, n_rows, out, threads=None, /)" in pydoc.render_doc(program, renderer=pydoc.plaintext)


def _stub() -> ast.Module:
    return ast.parse(STUB.read_text(encoding="utf-8"))


def _parameters(function: ast.FunctionDef) -> list[tuple[str, str]]:
    """(name, kind) of each parameter, as inspect.Parameter.kind names them."""
    args = function.args
    listed = [(a.arg, "POSITIONAL_ONLY") for a in args.posonlyargs]
    listed += [(a.arg, "POSITIONAL_OR_KEYWORD") for a in args.args]
    listed += [(a.arg, "KEYWORD_ONLY") for a in args.kwonlyargs]
    return listed


@needs_kernel
def test_the_stubs_match_the_kernel() -> None:
    tree = _stub()
    top = {node.name: node for node in tree.body if isinstance(node, (ast.ClassDef, ast.FunctionDef))}
    runtime = {name for name in vars(NATIVE) if not name.startswith("__")}
    assert set(top) | {"ABI"} == runtime
    for name, node in top.items():
        value = getattr(NATIVE, name)
        methods = [node] if isinstance(node, ast.FunctionDef) else [
            item for item in node.body
            if isinstance(item, ast.FunctionDef) and not any(
                isinstance(d, ast.Name) and d.id == "property" for d in item.decorator_list
            ) and item.name != "__init__"
        ]
        for method in methods:
            target = value if isinstance(node, ast.FunctionDef) else getattr(value, method.name)
            signature = inspect.signature(target)
            want = [(p.name, p.kind.name) for p in signature.parameters.values()]
            assert _parameters(method) == want, f"{name}.{method.name}"
    for name in ("Program", "Core"):
        stubbed = {item.name for item in top[name].body if isinstance(item, ast.FunctionDef)} - {"__init__"}
        stubbed |= {item.target.id for item in top[name].body if isinstance(item, ast.AnnAssign)}  # type: ignore[union-attr]
        actual = {n for n in vars(getattr(NATIVE, name)) if not n.startswith("__")}
        assert stubbed == actual, name


def test_the_wheel_ships_the_stubs() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = config["tool"]["setuptools"]["package-data"]["synjson"]
    assert any(STUB.relative_to(ROOT / "synjson").match(pattern) for pattern in patterns)
    assert (ROOT / "synjson" / "py.typed").is_file()
