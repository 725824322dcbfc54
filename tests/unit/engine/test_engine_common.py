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

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "conformance"))

from builders import BUILDERS, case_rng

import synjson
from synjson import Layer, Network, architect, squash
from synjson.engine import available_engines, native_available
from synjson.errors import StateError
from synjson.model.layer import ConnectionType, GateType


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


# -- every engine against the reference ------------------------------------------------

ENGINE_NAMES = available_engines()


@pytest.mark.parametrize("engine", ENGINE_NAMES)
@pytest.mark.parametrize("name", sorted(NETWORKS))
def test_every_engine_is_the_reference_bit_for_bit(name: str, engine: str) -> None:
    reference, other = NETWORKS[name](), NETWORKS[name]()
    reference.engine, other.engine = "reference", engine
    samples = data(reference, 25, 1)
    assert train(other, samples) == train(reference, samples)
    assert numbers(other) == numbers(reference)
    assert other.to_json() == reference.to_json()


@pytest.mark.parametrize("engine", ENGINE_NAMES)
def test_neuron_objects_are_never_stale(engine: str) -> None:
    reference, other = NETWORKS["gate_input"](), NETWORKS["gate_input"]()
    reference.engine, other.engine = "reference", engine
    samples = data(reference, 20, 1)
    for sample in samples:
        train(reference, [sample])
        train(other, [sample])
        # read straight from the objects after every step: no sync exists
        assert [n.responsibility for n, _ in other.neurons()] == [n.responsibility for n, _ in reference.neurons()]
        assert [list(n.eligibility.values()) for n, _ in other.neurons()] == [
            list(n.eligibility.values()) for n, _ in reference.neurons()
        ]
        assert [[list(v.values()) for v in n.extended.values()] for n, _ in other.neurons()] == [
            [list(v.values()) for v in n.extended.values()] for n, _ in reference.neurons()
        ]
    assert other.clone().to_json() == reference.clone().to_json()


@pytest.mark.parametrize("engine", ENGINE_NAMES)
def test_edits_between_activations_take_effect(engine: str) -> None:
    reference, other = NETWORKS["self_connected"](), NETWORKS["self_connected"]()
    reference.engine, other.engine = "reference", engine
    samples = data(reference, 10, 2)
    train(reference, samples)
    train(other, samples)
    for net in (reference, other):
        net.hidden_layers[0].set(bias=0.25)
        net.output_layer.neurons[0].inputs[0].weight = -0.5
    assert train(other, samples) == train(reference, samples)
    assert numbers(other) == numbers(reference)


@pytest.mark.parametrize("engine", ENGINE_NAMES)
def test_structural_edits_after_training_take_effect(engine: str) -> None:
    reference, other = NETWORKS["perceptron_2_3_1"](), NETWORKS["perceptron_2_3_1"]()
    reference.engine, other.engine = "reference", engine
    samples = data(reference, 5, 4)
    train(reference, samples)
    train(other, samples)
    before = other.activate([0.25, 0.75])
    reference.activate([0.25, 0.75])
    for net in (reference, other):  # neuron-level edits: the store's version notices
        net.input_layer.neurons[0].project(net.output_layer.neurons[0], 0.3)
        net.hidden_layers[0].project(net.hidden_layers[0])
        net.hidden_layers[0].neurons[1].squash = squash.TANH
        net.hidden_layers[0].add(synjson.Neuron(bias=0.05)).project(net.output_layer.neurons[0], 0.7)
    after = other.activate([0.25, 0.75])
    assert after != before
    assert after == reference.activate([0.25, 0.75])
    assert train(other, samples) == train(reference, samples)
    assert numbers(other) == numbers(reference)


@pytest.mark.parametrize("engine", ENGINE_NAMES)
def test_gate_and_project_between_two_activations(engine: str) -> None:
    reference, other = NETWORKS["lstm_2_8_1"](), NETWORKS["lstm_2_8_1"]()
    reference.engine, other.engine = "reference", engine
    samples = data(reference, 6, 5)
    train(reference, samples)
    train(other, samples)
    for net in (reference, other):
        hidden = net.hidden_layers[-1]
        net.input_layer.neurons[0].project(hidden.neurons[1], 0.2)
        net.output_layer.neurons[0].gate(hidden.neurons[0].selfconnection)
    assert train(other, samples) == train(reference, samples)


@pytest.mark.parametrize("engine", ENGINE_NAMES)
def test_clear_and_reset(engine: str) -> None:
    reference, other = NETWORKS["lstm_2_8_1"](), NETWORKS["lstm_2_8_1"]()
    reference.engine, other.engine = "reference", engine
    samples = data(reference, 10, 5)
    train(reference, samples)
    train(other, samples)
    reference.clear()
    other.clear()
    assert train(other, samples) == train(reference, samples)
    reference.reset(seed=3)
    other.reset(seed=3)
    assert train(other, samples) == train(reference, samples)


def test_switching_engines_mid_run_keeps_one_state() -> None:
    reference, mixed = NETWORKS["project_and_gate"](), NETWORKS["project_and_gate"]()
    reference.engine = "reference"
    samples = data(reference, 30, 3)
    expected = train(reference, samples)
    seen = []
    for index, sample in enumerate(samples):
        mixed.engine = ENGINE_NAMES[index % len(ENGINE_NAMES)]
        seen += train(mixed, [sample])
    assert seen == expected
    assert numbers(mixed) == numbers(reference)


def test_default_engine_is_the_fastest_available() -> None:
    net = NETWORKS["perceptron_2_3_1"]()
    assert net.engine == "auto"
    net.activate([0.5, 0.5])
    assert getattr(net.program, "native", False) == native_available()


def test_unknown_engine_is_a_value_error() -> None:
    net = NETWORKS["perceptron_2_3_1"]()
    message = "engine must be one of 'auto', 'native', 'python', 'reference', got 'fortran'"
    with pytest.raises(ValueError, match=message):
        net.engine = "fortran"


@pytest.mark.parametrize("engine", ENGINE_NAMES)
def test_errors_match_the_reference(engine: str) -> None:
    net = NETWORKS["perceptron_2_3_1"]()
    net.engine = engine
    with pytest.raises(StateError, match="needs a prior activate"):
        net.propagate(0.1, [1.0])
    with pytest.raises(ValueError, match="expected 2 inputs, got 3"):
        net.activate([1, 2, 3])
    with pytest.raises(ValueError, match=r"inputs\[1\] is not a number: 'a'"):
        net.activate([1, "a"])
    net.activate([0, 1])
    with pytest.raises(ValueError, match="rate must be a number, got None"):
        net.propagate(None, [1.0])  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="expected 1 targets, got 2"):
        net.propagate(0.1, [1.0, 2.0])


@pytest.mark.parametrize("engine", ENGINE_NAMES)
def test_a_network_reaching_outside_its_layers(engine: str) -> None:
    build = NETWORKS["perceptron_2_3_1"]
    reference, other = build(), build()
    for net in (reference, other):
        outside = synjson.Neuron(bias=0.1)
        outside.project(net.hidden_layers[0].neurons[0], 0.5)
    reference.engine, other.engine = "reference", engine
    samples = data(reference, 10, 6)
    assert train(other, samples) == train(reference, samples)


@pytest.mark.parametrize("engine", ENGINE_NAMES)
def test_activate_batch_is_activate_row_by_row(engine: str) -> None:
    for name in ("perceptron_wide", "lstm_2_8_1", "gate_input"):
        reference, other = NETWORKS[name](), NETWORKS[name]()
        reference.engine, other.engine = "reference", engine
        rows = [inputs for inputs, _ in data(reference, 12, 8)]
        expected = [reference.activate(row) for row in rows]
        assert other.activate_batch(rows).tolist() == expected
        assert numbers(other) == numbers(reference)


@pytest.mark.parametrize("name", sorted(NETWORKS))
def test_the_python_program_in_loop_form_is_the_reference(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Big neurons compile to loops over tables (``engine.python.LOOP``): force them everywhere."""
    from synjson.engine import python as python_engine

    monkeypatch.setattr(python_engine, "LOOP", 0)
    reference, other = NETWORKS[name](), NETWORKS[name]()
    reference.engine, other.engine = "reference", "python"
    samples = data(reference, 25, 1)
    assert train(other, samples) == train(reference, samples)
    assert numbers(other) == numbers(reference)
    assert "for " in other.program.source


def test_without_the_kernel_a_plan_too_big_to_generate_runs_the_reference(monkeypatch: pytest.MonkeyPatch) -> None:
    """Generating Python for a huge plan costs more than it saves: "auto" runs the reference instead."""
    import synjson.engine
    from synjson.engine import python as python_engine

    monkeypatch.setattr(synjson.engine, "NATIVE", None)
    monkeypatch.setattr(python_engine, "MAX_LINES", 50)
    reference, other = NETWORKS["lstm_2_8_1"](), NETWORKS["lstm_2_8_1"]()
    reference.engine = "reference"
    samples = data(reference, 10, 3)
    assert train(other, samples) == train(reference, samples)
    assert type(other.program).__name__ == "_ReferenceProgram"
    monkeypatch.setattr(python_engine, "MAX_LINES", 10**9)
    other.engine = "auto"
    assert train(other, samples) == train(reference, samples)
    assert type(other.program).__name__ == "PythonProgram"
