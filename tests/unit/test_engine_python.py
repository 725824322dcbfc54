"""The pure-Python executor against the reference: the same operations in the same order, bit for bit.

The brief's tolerances (1e-12 after loading, 1e-9 after 200 steps) are met with room to spare:
every comparison here is exact.
"""

from __future__ import annotations

import random

import pytest
from test_engine_common import NETWORKS, data, numbers, train

from synjson.engine import CompiledNetwork
from synjson.engine.python import PythonExecutor
from synjson.plan import compile_network


@pytest.mark.parametrize("name", sorted(NETWORKS))
def test_200_training_steps_equal_the_reference(name: str) -> None:
    reference, compiled = NETWORKS[name](), NETWORKS[name]()
    compiled.engine = "python"
    samples = data(reference, 200, seed=len(name))
    assert train(compiled, samples) == train(reference, samples)
    assert compiled.compile("python").executor == "python"
    assert numbers(compiled) == numbers(reference)
    # traces, gains, errors and the scratch variable too
    for (a, _), (b, _) in zip(compiled.neurons(), reference.neurons()):
        assert (a.responsibility, a.projected_error, a.gated_error, a.derivative) == (
            b.responsibility, b.projected_error, b.gated_error, b.derivative)
        assert list(a.eligibility.values()) == list(b.eligibility.values())
        extended = [list(x.values()) for x in a.extended.values()]
        assert extended == [list(x.values()) for x in b.extended.values()]
        assert [c.gain for c in a.gated] == [c.gain for c in b.gated]
    assert compiled._scratch.aux == reference._scratch.aux


@pytest.mark.parametrize("name", ["lstm_2_8_1", "gated_self_connection", "architect_liquid_2_8_2"])
def test_activation_after_loading_equals_the_reference(name: str) -> None:
    text = NETWORKS[name]().to_json()
    reference = type(NETWORKS[name]()).from_json(text)
    compiled = type(NETWORKS[name]()).from_json(text)
    compiled.engine = "python"
    inputs = [sample[0] for sample in data(reference, 50, seed=3)]
    assert [compiled.activate(x) for x in inputs] == [reference.activate(x) for x in inputs]


def test_the_executor_runs_without_a_network() -> None:
    plan, _ = compile_network(NETWORKS["perceptron_2_3_1"]())
    executor = PythonExecutor(plan)
    first = executor.activate([0.0, 1.0])
    executor.propagate(0.3, [1.0])
    assert executor.activate([0.0, 1.0]) != first
    executor.store(plan)
    assert list(plan.activation[-1:]) == executor.state["A"][-1:]


def test_batch_is_a_sequence_of_steps() -> None:
    reference, compiled = NETWORKS["lstm_2_8_1"](), NETWORKS["lstm_2_8_1"]()
    rows = [sample[0] for sample in data(reference, 40, seed=9)]
    expected = [reference.activate(row) for row in rows]
    result = CompiledNetwork(compiled, "python").activate_batch(rows)
    assert result.tolist() == expected
    assert numbers(compiled) == numbers(reference)


def test_batch_shapes_are_checked() -> None:
    compiled = NETWORKS["perceptron_2_3_1"]().compile("python")
    with pytest.raises(ValueError, match=r"expected an array of shape \(n, 2\), got a row 1 of length 3"):
        compiled.activate_batch([[0, 1], [0, 1, 2]])
    with pytest.raises(ValueError, match=r"expected an array of shape \(n, 2\), got int"):
        compiled.activate_batch(5)
    assert compiled.activate_batch([]).shape == (0, 1)


def test_generated_code_holds_indices_only() -> None:
    """No text from a model reaches compile(): a hostile squash name or extra key changes nothing."""
    net = NETWORKS["perceptron_2_3_1"]()
    net.extra = {"__import__('os')": "'; raise SystemExit; '"}
    net.metadata = {"tool": "\n__import__('os').system('false')"}
    compiled = net.compile("python")
    assert compiled.executor == "python"
    assert len(compiled.activate([1.0, 0.0])) == 1


def test_random_networks_equal_the_reference() -> None:
    """Random wiring, gates and self-connections (Liquid-like) over many seeds."""
    from synjson import Layer, Network, squash

    for seed in range(12):
        nets = []
        for _ in range(2):
            rng = random.Random(seed)
            layers = [Layer(rng.randint(1, 4), rng=rng) for _ in range(4)]
            neurons = [n for layer in layers[1:3] for n in layer.neurons]
            for layer in layers[1:]:
                layer.set(squash=rng.choice([squash.LOGISTIC, squash.TANH, squash.RELU, squash.IDENTITY]))
            for a, b in zip(layers, layers[1:]):
                a.project(b)
            made = [rng.choice(neurons).project(rng.choice(neurons)) for _ in range(6)]
            for _ in range(4):
                rng.choice(neurons + layers[3].neurons).gate(rng.choice(made))
            nets.append(Network(input=layers[0], hidden=layers[1:3], output=layers[3]))
        reference, compiled = nets
        compiled.engine = "python"
        samples = data(reference, 30, seed)
        assert repr(train(compiled, samples, 0.05)) == repr(train(reference, samples, 0.05)), seed
        assert repr(numbers(compiled)) == repr(numbers(reference)), seed


FUSED = ["lstm_options", "project_and_gate", "squash_chain", "mixed", "gated_self_connection", "output_gater"]


@pytest.mark.parametrize("accelerate", [True, False], ids=["accelerated-if-numba", "plain"])
@pytest.mark.parametrize("name", FUSED)
def test_train_steps_equals_the_loop(name: str, accelerate: bool) -> None:
    reference, compiled = NETWORKS[name](), NETWORKS[name]()
    samples = data(reference, 60, seed=11)
    expected = train(reference, samples * 3)
    inputs, targets = [s[0] for s in samples], [s[1] for s in samples]
    last = compiled.compile("python").train_steps(inputs, targets, 0.1, epochs=3, accelerate=accelerate)
    assert repr(last) == repr(expected[-1])
    assert repr(numbers(compiled)) == repr(numbers(reference))
    assert compiled._scratch.aux == reference._scratch.aux
    # and the network goes on from there, step by step
    compiled.engine = "python"
    assert train(compiled, samples[:5]) == train(reference, samples[:5])


def test_the_accelerator_is_optional(monkeypatch: pytest.MonkeyPatch) -> None:
    from synjson.engine import accel

    monkeypatch.setattr(accel, "available", lambda: False)
    monkeypatch.setattr(accel, "_compiled", {})
    assert accel.kernel() is None
    reference, compiled = NETWORKS["lstm_layers"](), NETWORKS["lstm_layers"]()
    samples = data(reference, 40, seed=12)
    expected = train(reference, samples)
    last = compiled.compile("python").train_steps([s[0] for s in samples], [s[1] for s in samples], 0.1)
    assert compiled._compiled._executor._kernel is False
    assert last == expected[-1]
    assert numbers(compiled) == numbers(reference)


def test_train_steps_checks_its_arguments() -> None:
    compiled = NETWORKS["perceptron_2_3_1"]().compile("python")
    with pytest.raises(ValueError, match="2 input rows but 1 target rows"):
        compiled.train_steps([[0, 1], [1, 0]], [[1]], 0.1)
    with pytest.raises(ValueError, match="epochs must be a non-negative integer, got -1"):
        compiled.train_steps([[0, 1]], [[1]], 0.1, epochs=-1)
    with pytest.raises(ValueError, match=r"expected an array of shape \(n, 1\)"):
        compiled.train_steps([[0, 1]], [[1, 2]], 0.1)
    assert compiled.train_steps([], [], 0.1) == []


@pytest.mark.parametrize("name", ["perceptron_2_3_1", "lstm_2_8_1", "gated_self_connection", "mixed"])
def test_snapshot_restore_and_train_epoch(name: str) -> None:
    """restore() puts back every value snapshot() took (aux too); train_epoch is the per-call loop."""
    reference, compiled_net = NETWORKS[name](), NETWORKS[name]()
    samples = data(reference, 12, seed=5)
    inputs, targets = [s[0] for s in samples], [s[1] for s in samples]
    compiled = compiled_net.compile("python")
    assert compiled.train_epoch(inputs, targets, 0.1) == train(reference, samples)
    saved = compiled.snapshot()
    compiled.train_epoch(inputs, targets, 0.3)
    compiled_net.sync()  # the objects change too: restore must win over them
    compiled.restore(saved)
    assert compiled.all_finite()
    compiled_net.sync()
    assert repr(numbers(compiled_net)) == repr(numbers(reference))
    assert compiled_net._scratch.aux == reference._scratch.aux
    assert compiled.train_epoch(inputs, targets, 0.1) == train(reference, samples)
    assert compiled.activate_rows(inputs[:3]) == [reference.activate(x) for x in inputs[:3]]


def test_a_snapshot_belongs_to_its_structure() -> None:
    from synjson.errors import StateError

    net = NETWORKS["perceptron_2_3_1"]()
    compiled = net.compile("python")
    saved = compiled.snapshot()
    net.project(net.input_layer)  # a new structure: the executor is rebuilt
    net.activate([0.0, 1.0])
    with pytest.raises(StateError, match="another compiled network or structure"):
        compiled.restore(saved)
