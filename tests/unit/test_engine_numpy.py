"""The numpy executor against the reference, within the stated tolerances.

Matrix products add in another order than creation order, so results differ by rounding:
activations within 1e-12 after loading, every weight, bias and output within 1e-9 after
200 training steps. Layers that are not plain dense ones run the generated Python.
"""

from __future__ import annotations

import numpy as np
import pytest
from test_engine_common import NETWORKS, data, largest_difference, numbers, train

from synjson import architect
from synjson.engine import CompiledNetwork, choose
from synjson.engine.numpy import NumpyExecutor, vectorised_layers, vectorised_share
from synjson.plan import compile_network

ACTIVATION_TOLERANCE = 1e-12
TRAINING_TOLERANCE = 1e-9


@pytest.mark.parametrize("name", sorted(NETWORKS))
def test_200_training_steps_agree_with_the_reference(name: str) -> None:
    reference, compiled = NETWORKS[name](), NETWORKS[name]()
    compiled.engine = "numpy"
    samples = data(reference, 200, seed=len(name))
    assert largest_difference(train(compiled, samples), train(reference, samples)) <= TRAINING_TOLERANCE
    assert compiled.compile("numpy").executor == "numpy"
    assert largest_difference(numbers(compiled), numbers(reference)) <= TRAINING_TOLERANCE
    errors = [(n.responsibility, n.projected_error, n.gated_error) for n, _ in compiled.neurons()]
    expected = [(n.responsibility, n.projected_error, n.gated_error) for n, _ in reference.neurons()]
    assert largest_difference([list(e) for e in errors], [list(e) for e in expected]) <= TRAINING_TOLERANCE
    aux = reference._scratch.aux
    assert abs(compiled._scratch.aux - aux) <= TRAINING_TOLERANCE * max(1, abs(aux))


@pytest.mark.parametrize("name", sorted(set(NETWORKS) - {"reproject_both_ways"}))  # cannot load (Q-DUP)
def test_activations_after_loading_agree_with_the_reference(name: str) -> None:
    text = NETWORKS[name]().to_json()
    cls = type(NETWORKS[name]())
    reference, compiled = cls.from_json(text), cls.from_json(text)
    compiled.engine = "numpy"
    inputs = [sample[0] for sample in data(reference, 20, seed=4)]
    got = [compiled.activate(x) for x in inputs]
    assert largest_difference(got, [reference.activate(x) for x in inputs]) <= ACTIVATION_TOLERANCE


def test_plain_layers_are_vectorised_and_the_rest_is_not() -> None:
    plan, _ = compile_network(NETWORKS["mixed"]())
    # input, wide (plain), cells (self-connected), gates (they gate), dead (plain), output (plain)
    assert vectorised_layers(plan) == [False, True, False, False, True, True]
    plan, _ = compile_network(NETWORKS["lstm_2_8_1"]())
    assert vectorised_layers(plan) == [False, False, False, False, False, False]
    plan, _ = compile_network(architect.Perceptron(40, 60, 3, seed=1))
    assert vectorised_share(plan) == 1.0
    assert choose(plan, "auto") == "numpy"
    assert choose(compile_network(NETWORKS["perceptron_2_3_1"]())[0], "auto") == "python"


def test_batch_of_independent_rows_equals_a_sequence() -> None:
    reference, compiled = architect.Perceptron(7, 9, 3, seed=2), architect.Perceptron(7, 9, 3, seed=2)
    samples = data(reference, 30, seed=5)
    train(reference, samples)
    train(compiled, samples)
    rows = np.random.default_rng(0).uniform(-1, 1, size=(5000, 7))
    expected = [reference.activate(row) for row in rows.tolist()]
    result = CompiledNetwork(compiled, "numpy").activate_batch(rows)
    assert result.shape == (5000, 3)
    assert largest_difference(result.tolist(), expected) <= ACTIVATION_TOLERANCE
    # the network ends where the sequence leaves it: state, old state, traces
    assert largest_difference(numbers(compiled), numbers(reference)) <= ACTIVATION_TOLERANCE
    more = largest_difference(train(compiled, samples[:3]), train(reference, samples[:3]))
    assert more <= TRAINING_TOLERANCE


def test_batch_on_a_recurrent_network_is_a_sequence() -> None:
    reference, compiled = NETWORKS["mixed"](), NETWORKS["mixed"]()
    rows = np.asarray([sample[0] for sample in data(reference, 50, seed=6)])
    expected = [reference.activate(row) for row in rows.tolist()]
    result = compiled.compile("numpy").activate_batch(rows)
    assert largest_difference(result.tolist(), expected) <= ACTIVATION_TOLERANCE


@pytest.mark.parametrize("rows", [np.zeros((3, 6)), np.zeros(7), np.zeros((2, 7, 1))])
def test_batch_shapes_are_checked(rows: np.ndarray) -> None:
    compiled = architect.Perceptron(7, 9, 3, seed=2).compile("numpy")
    with pytest.raises(ValueError, match=r"expected an array of shape \(n, 7\), got shape"):
        compiled.activate_batch(rows)


def test_traces_that_are_not_one_vector_survive_a_reload() -> None:
    """Traces edited by hand (not what a step leaves) are used as they are until the next activation."""
    reference, compiled = architect.Perceptron(4, 5, 2, seed=3), architect.Perceptron(4, 5, 2, seed=3)
    compiled.engine = "numpy"
    samples = data(reference, 5, seed=7)
    train(reference, samples)
    train(compiled, samples)
    compiled.sync()
    for net in (reference, compiled):
        for k, neuron in enumerate(net.hidden_layers[0].neurons):
            for position, connection in enumerate(neuron.inputs):
                neuron.eligibility[connection.id] = 0.01 * k + position
    for net in (reference, compiled):
        net.propagate(0.2, [0.5, 0.5])
    assert largest_difference(numbers(compiled), numbers(reference)) <= TRAINING_TOLERANCE
    assert largest_difference(train(compiled, samples), train(reference, samples)) <= TRAINING_TOLERANCE


def test_the_executor_runs_a_plan_alone() -> None:
    plan, _ = compile_network(architect.Perceptron(3, 4, 2, seed=4))
    executor = NumpyExecutor(plan)
    before = executor.activate([0.1, 0.2, 0.3])
    for _ in range(10):
        executor.activate([0.1, 0.2, 0.3])
        executor.propagate(0.5, [1.0, 0.0])
    after = executor.activate([0.1, 0.2, 0.3])
    assert after[0] > before[0] and after[1] < before[1]
    executor.store(plan)
    assert list(plan.activation[-2:]) == after


def test_train_steps_equals_the_loop() -> None:
    reference, compiled = NETWORKS["mixed"](), NETWORKS["mixed"]()
    samples = data(reference, 50, seed=13)
    expected = train(reference, samples * 2)
    inputs = np.asarray([s[0] for s in samples])
    targets = np.asarray([s[1] for s in samples])
    last = compiled.compile("numpy").train_steps(inputs, targets, 0.1, epochs=2)
    assert largest_difference(last, expected[-1]) <= TRAINING_TOLERANCE
    assert largest_difference(numbers(compiled), numbers(reference)) <= TRAINING_TOLERANCE
