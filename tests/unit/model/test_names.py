"""Named inputs and outputs (a dict in, a dict out) and the refusal of NaN and infinity, on every engine."""

from __future__ import annotations

import math
import os
import subprocess
import sys
from types import MappingProxyType

import numpy as np
import pytest

from synjson import InputError, SynjsonError, architect
from synjson.engine import available_engines
from synjson.engine.core import Core as PureCore
from synjson.model.network import Network

ENGINES = available_engines()


def named_net(engine: str = "auto") -> Network:
    net = architect.Perceptron(2, 3, 2, seed=4)
    net.metadata["inputs"] = ["x", "y"]
    net.metadata["outputs"] = ["and", "or"]
    net.engine = engine
    return net


def numbers(net: Network) -> list[float]:
    store = net.store
    return [*store.state, *store.activation, *store.weight, *store.bias]


@pytest.mark.parametrize("engine", ENGINES)
def test_a_dict_in_gives_a_dict_out_with_the_list_numbers(engine: str) -> None:
    by_name, by_list = named_net(engine), named_net(engine)
    for x, y in ((0, 1), (1, 1), (1, 0)):
        got = by_name.activate({"y": y, "x": x})  # any key order
        want = by_list.activate([x, y])
        assert list(got) == ["and", "or"]  # the network's order
        assert list(got.values()) == want
        by_name.propagate(0.3, {"or": 1, "and": x & y})
        by_list.propagate(0.3, [x & y, 1])
    assert numbers(by_name) == numbers(by_list)


@pytest.mark.parametrize("engine", ENGINES)
def test_lists_tuples_and_arrays_give_lists(engine: str) -> None:
    net = named_net(engine)
    first = net.activate([1, 0])
    assert type(first) is list
    assert net.activate((1, 0)) == net.activate(np.array([1.0, 0.0])) == net.activate([1.0, 0.0])
    assert type(net.activate(np.array([1.0, 0.0]))) is list


def test_unnamed_models_take_the_names_the_page_shows() -> None:
    net = architect.Perceptron(2, 2, 1, seed=1)
    assert net.input_names() == ["input 1", "input 2"] and net.output_names() == ["output 1"]
    assert net.activate({"input 1": 0.5, "input 2": 1}) == {"output 1": net.activate([0.5, 1])[0]}
    net.metadata["inputs"] = ["a", ""]  # a name per position, as the page: an empty one is replaced
    assert net.input_names() == ["a", "input 2"]


def test_any_mapping_is_named() -> None:
    net, twin = named_net(), named_net()
    assert net.activate(MappingProxyType({"x": 1, "y": 0})) == dict(zip(["and", "or"], twin.activate([1, 0])))


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize(
    ("inputs", "message"),
    [
        ({"x": 1}, "inputs['y'] is missing (the network's inputs are 'x', 'y')"),
        ({"x": 1, "y": 0, "z": 2}, "inputs['z']: no such name (the network's inputs are 'x', 'y')"),
        ({"x": math.nan, "y": 0}, "inputs['x'] is not finite: nan"),
        ({"x": 0, "y": -math.inf}, "inputs['y'] is not finite: -inf"),
        ({"x": np.float32("inf"), "y": 0}, "inputs['x'] is not finite: inf"),
        ({"x": "one", "y": 0}, "inputs['x'] is not a number: 'one'"),
        ([0, math.nan], "inputs[1] is not finite: nan"),
        ((math.inf, 0), "inputs[0] is not finite: inf"),
        (np.array([0.0, np.nan]), "inputs[1] is not finite: nan"),
        ([np.float64("nan"), 0], "inputs[0] is not finite: nan"),
        (np.array([1, 2, 3]), "expected 2 inputs, got 3"),
        ([0, "a"], "inputs[1] is not a number: 'a'"),
    ],
)
def test_bad_inputs_are_refused_naming_the_key_or_position(engine: str, inputs: object, message: str) -> None:
    net = named_net(engine)
    net.activate([0, 1])
    before = numbers(net)
    with pytest.raises(InputError) as error:
        net.activate(inputs)
    assert str(error.value) == message
    assert isinstance(error.value, SynjsonError) and isinstance(error.value, ValueError)
    assert numbers(net) == before  # refused before anything ran


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize(
    ("targets", "message"),
    [
        ({"and": 1}, "targets['or'] is missing (the network's outputs are 'and', 'or')"),
        ({"and": 1, "or": 0, "xor": 1}, "targets['xor']: no such name (the network's outputs are 'and', 'or')"),
        ({"and": 1, "or": math.nan}, "targets['or'] is not finite: nan"),
        ([1, math.inf], "targets[1] is not finite: inf"),
        (np.array([np.nan, 0.0]), "targets[0] is not finite: nan"),
    ],
)
def test_bad_targets_are_refused(engine: str, targets: object, message: str) -> None:
    net = named_net(engine)
    net.activate([0, 1])
    before = numbers(net)
    with pytest.raises(InputError) as error:
        net.propagate(0.3, targets)
    assert str(error.value) == message
    assert numbers(net) == before


def test_long_name_lists_are_cut_in_messages() -> None:
    net = architect.Perceptron(10, 2, 1, seed=1)
    with pytest.raises(InputError) as error:
        net.activate({"input 1": 0})
    assert str(error.value) == (
        "inputs['input 2'] is missing (the network's inputs are 'input 1', 'input 2', 'input 3', 'input 4', "
        "'input 5', 'input 6', 'input 7', 'input 8', ... (10 names))"
    )


def test_names_shared_by_two_outputs_cannot_key_a_dict() -> None:
    net = named_net()
    net.metadata["outputs"] = ["same", "same"]
    with pytest.raises(InputError, match=r"^the network's outputs names are not unique \('same' twice\): pass a list$"):
        net.activate({"x": 0, "y": 1})
    assert len(net.activate([0, 1])) == 2  # a list still works


@pytest.mark.parametrize("engine", ENGINES)
def test_activate_batch_refuses_nan_and_infinity(engine: str) -> None:
    net = named_net(engine)
    with pytest.raises(InputError, match=r"^rows\[1\]\[0\] is not finite: nan$"):
        net.activate_batch(np.array([[0.0, 1.0], [np.nan, 0.0]]))
    with pytest.raises(InputError, match=r"^rows\[0\]\[1\] is not finite: inf$"):
        net.activate_batch([[0, math.inf], [1, 1]])
    assert net.activate_batch(np.array([[0.0, 1.0]])).tolist() == [named_net(engine).activate([0, 1])]


def test_the_pure_core_names_the_same_way() -> None:
    """Without the kernel (Pyodide, SYNJSON_PURE=1) Network's base is engine/core.py's Core."""

    class Recorder:
        def activate(self, inputs: object) -> list[float]:
            return [0.25]

        def propagate(self, rate: float, targets: object) -> None:
            seen.append(targets)

    seen: list[object] = []

    class Net(PureCore):
        def _refresh(self) -> None:
            from array import array

            self._install(Recorder(), array("q", [1]))

        def _activate_named(self, inputs: object) -> str:
            return f"named {dict(inputs)}"  # type: ignore[call-overload]

        def _propagate_named(self, rate: float, targets: object) -> None:
            seen.append(("named", rate, dict(targets)))  # type: ignore[call-overload]

    net = Net()
    assert net.activate({"a": 1}) == "named {'a': 1}"
    assert net.activate((1, 2)) == [0.25]
    net.propagate(0.5, {"b": 2})
    net.propagate(0.5, [1])
    assert seen == [("named", 0.5, {"b": 2}), [1]]


def test_a_network_without_the_kernel_takes_names_and_refuses_nan() -> None:
    script = (
        "import math, synjson\n"
        "from synjson.engine.core import Core\n"
        "net = synjson.architect.Perceptron(2, 3, 1, seed=4)\n"
        "assert isinstance(net, Core)\n"
        "net.metadata['inputs'] = ['x', 'y']\n"
        "print(net.activate({'x': 1, 'y': 0}) == {'output 1': net.activate([1, 0])[0]})\n"
        "try:\n    net.activate({'x': math.nan, 'y': 0})\n"
        "except synjson.InputError as error:\n    print(error)\n"
    )
    env = {**os.environ, "SYNJSON_PURE": "1"}
    done = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=120)
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout == "True\ninputs['x'] is not finite: nan\n"
