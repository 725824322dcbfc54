"""The network catalogue every executor is checked on, and Network <-> compiled engine integration.

``NETWORKS`` maps a name to a function building a fresh, deterministic network; the
executor tests (test_engine_python.py, test_engine_numpy.py, test_plan.py) import it.
"""

from __future__ import annotations

import random
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "conformance"))

from builders import BUILDERS, case_rng

import synjson
from synjson import Layer, Network, architect, squash
from synjson.errors import StateError
from synjson.layer import ConnectionType, GateType


def _mixed(seed: int) -> Network:
    """Wide plain layers around gated and self-connected ones, a dead end and a loop back."""
    rng = random.Random(seed)
    inputs, wide, cells, gates, dead, output = (Layer(n, rng=rng) for n in (8, 24, 5, 5, 3, 4))
    wide.set(squash=squash.TANH)
    inputs.project(wide)
    inputs.project(dead)
    wide.project(cells)
    wide.project(gates)
    own = cells.project(cells)
    assert own is not None
    gates.gate(own, GateType.ONE_TO_ONE)
    cells.project(output)
    lc = wide.project(output)
    assert lc is not None
    gates.project(output, ConnectionType.ALL_TO_ELSE)
    output.project(wide)  # a connection back: `wide` reads last step's outputs
    return Network(input=inputs, hidden=[wide, cells, gates, dead], output=output)


def _diagonal(seed: int) -> Network:
    rng = random.Random(seed)
    inputs, a, b, output = (Layer(n, rng=rng) for n in (6, 6, 6, 2))
    inputs.project(a)
    a.project(b, ConnectionType.ONE_TO_ONE)
    b.project(output)
    a.set(squash=squash.RELU)
    b.set(squash=squash.IDENTITY)
    return Network(input=inputs, hidden=[a, b], output=output)


NETWORKS: dict[str, Callable[[], Network]] = {
    **{name: (lambda name=name, build=build: build(case_rng(name))) for name, build in BUILDERS.items()},
    "lstm_2_8_1": lambda: architect.LSTM(2, 8, 1, seed=7),
    "lstm_options": lambda: architect.LSTM(
        3, 4, 2, hidden_to_hidden=True, output_to_hidden=True, output_to_gates=True, seed=8
    ),
    "perceptron_wide": lambda: architect.Perceptron(30, 40, 5, seed=9),
    "mixed": lambda: _mixed(10),
    "diagonal": lambda: _diagonal(11),
}


def data(net: Network, steps: int, seed: int) -> list[tuple[list[float], list[float]]]:
    """Deterministic inputs in [-1, 1) and targets in [0, 1)."""
    rng = random.Random(seed)
    return [
        ([rng.uniform(-1, 1) for _ in range(net.inputs())], [rng.random() for _ in range(net.outputs())])
        for _ in range(steps)
    ]


Samples = list[tuple[list[float], list[float]]]


def train(net: Network, samples: Samples, rate: float = 0.1) -> list[list[float]]:
    """activate + propagate each sample in turn; the outputs seen."""
    outputs = []
    for inputs, targets in samples:
        outputs.append(net.activate(inputs))
        net.propagate(rate, targets)
    return outputs


def numbers(net: Network) -> list[float]:
    """Every value toJSON writes (states, activations, biases, weights), in document order."""
    document = net.to_json()
    values = []
    for neuron in document["neurons"]:
        values += [neuron["state"], neuron["old"], neuron["activation"], neuron["bias"]]
    values += [connection["weight"] for connection in document["connections"]]
    return values


def largest_difference(a: list[float] | list[list[float]], b: list[float] | list[list[float]]) -> float:
    flat_a = [x for row in a for x in (row if isinstance(row, list) else [row])]
    flat_b = [x for row in b for x in (row if isinstance(row, list) else [row])]
    assert len(flat_a) == len(flat_b)
    return max((abs(x - y) for x, y in zip(flat_a, flat_b)), default=0.0)


# -- Network integration (the python engine: exact, so results compare with ==) ---------


def test_default_engine_is_the_reference() -> None:
    net = NETWORKS["perceptron_2_3_1"]()
    assert net.engine == "reference"
    net.activate([0.5, 0.5])
    assert net._compiled is None


def test_unknown_engine_is_a_value_error() -> None:
    net = NETWORKS["perceptron_2_3_1"]()
    net.engine = "fortran"
    message = "engine must be one of 'reference', 'auto', 'python', 'numpy', got 'fortran'"
    with pytest.raises(ValueError, match=message):
        net.activate([0.5, 0.5])


def test_to_json_clone_and_neurons_see_the_engine_values() -> None:
    reference, compiled = NETWORKS["gate_input"](), NETWORKS["gate_input"]()
    compiled.engine = "python"
    samples = data(reference, 20, 1)
    train(reference, samples)
    train(compiled, samples)
    assert compiled.to_json() == reference.to_json()
    assert compiled.clone().to_json() == reference.clone().to_json()
    errors = [n.responsibility for n, _ in compiled.neurons()]
    assert errors == [n.responsibility for n, _ in reference.neurons()]
    # and the run continues from the same place after the objects were read
    assert train(compiled, samples) == train(reference, samples)


def test_edits_after_sync_are_picked_up() -> None:
    reference, compiled = NETWORKS["self_connected"](), NETWORKS["self_connected"]()
    compiled.engine = "python"
    samples = data(reference, 10, 2)
    train(reference, samples)
    train(compiled, samples)
    compiled.sync()
    for net in (reference, compiled):
        net.hidden_layers[0].set(bias=0.25)
        net.output_layer.neurons[0].inputs[0].weight = -0.5
    assert train(compiled, samples) == train(reference, samples)
    assert numbers(compiled) == numbers(reference)


def test_switching_engines_mid_run_keeps_one_state() -> None:
    reference, mixed = NETWORKS["project_and_gate"](), NETWORKS["project_and_gate"]()
    samples = data(reference, 30, 3)
    expected = train(reference, samples)
    seen = []
    for index, sample in enumerate(samples):
        mixed.engine = ("python", "reference", "auto")[index % 3]
        seen += train(mixed, [sample])
    assert seen == expected
    assert numbers(mixed) == numbers(reference)


def test_structural_change_recompiles() -> None:
    reference, compiled = NETWORKS["perceptron_2_3_1"](), NETWORKS["perceptron_2_3_1"]()
    compiled.engine = "python"
    samples = data(reference, 5, 4)
    train(reference, samples)
    train(compiled, samples)
    first = compiled._compiled.plan
    for net in (reference, compiled):  # neither sync nor a Network method: the version counter notices
        net.input_layer.neurons[0].project(net.output_layer.neurons[0], 0.3)
        net.hidden_layers[0].project(net.hidden_layers[0])
    assert train(compiled, samples) == train(reference, samples)
    assert compiled._compiled.plan is not first
    assert numbers(compiled) == numbers(reference)


def test_clear_and_reset_go_through_the_objects() -> None:
    reference, compiled = NETWORKS["lstm_2_8_1"](), NETWORKS["lstm_2_8_1"]()
    compiled.engine = "python"
    samples = data(reference, 10, 5)
    train(reference, samples)
    train(compiled, samples)
    reference.clear()
    compiled.clear()
    assert train(compiled, samples) == train(reference, samples)
    reference.reset(seed=3)
    compiled.reset(seed=3)
    assert train(compiled, samples) == train(reference, samples)


def test_errors_match_the_reference() -> None:
    net = NETWORKS["perceptron_2_3_1"]()
    net.engine = "python"
    with pytest.raises(StateError, match="needs a prior activate"):
        net.propagate(0.1, [1.0])
    with pytest.raises(ValueError, match="expected 2 inputs, got 3"):
        net.activate([1, 2, 3])
    net.activate([0, 1])
    with pytest.raises(ValueError, match="rate must be a number, got None"):
        net.propagate(None, [1.0])  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="expected 1 targets, got 2"):
        net.propagate(0.1, [1.0, 2.0])


def test_a_network_reaching_outside_falls_back_to_the_reference() -> None:
    build = NETWORKS["perceptron_2_3_1"]
    reference, compiled = build(), build()
    for net in (reference, compiled):
        outside = synjson.Neuron(bias=0.1)
        outside.project(net.hidden_layers[0].neurons[0], 0.5)
    compiled.engine = "python"
    samples = data(reference, 10, 6)
    assert train(compiled, samples) == train(reference, samples)
    assert compiled.compile("python").executor == "reference"


def test_compile_is_cached_per_engine() -> None:
    net = NETWORKS["perceptron_2_3_1"]()
    assert net.compile("python") is net.compile("python")
    assert net.compile("python").executor == "python"
    assert net.compile("reference").executor == "reference"


def test_train_steps_on_the_reference_fallback() -> None:
    reference, compiled = NETWORKS["gate_output"](), NETWORKS["gate_output"]()
    samples = data(reference, 20, 7)
    expected = train(reference, samples)
    last = compiled.compile("reference").train_steps([s[0] for s in samples], [s[1] for s in samples], 0.1)
    assert last == expected[-1]
    assert numbers(compiled) == numbers(reference)
