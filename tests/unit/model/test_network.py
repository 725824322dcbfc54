"""Network: orders of activation and propagation, errors, clone and reset."""

import random

import pytest

import synjson
from synjson import Layer, Network, squash


def perceptron(*sizes, seed=0):
    rng = random.Random(seed)
    built = [Layer(size, rng=rng) for size in sizes]
    for a, b in zip(built, built[1:]):
        a.project(b)
    return Network(input=built[0], hidden=built[1:-1], output=built[-1])


def test_activate_equals_layer_by_layer_computation():
    net = perceptron(2, 3, 1)
    hidden = net.hidden_layers[0]
    out = net.activate([1.0, 0.0])
    expected_hidden = [
        squash.LOGISTIC.value(n.bias + 1.0 * n.inputs[0].weight + 0.0 * n.inputs[1].weight) for n in hidden.neurons
    ]
    o = net.output_layer.neurons[0]
    state = o.bias
    for connection, activation in zip(o.inputs, expected_hidden):
        state += activation * connection.weight
    assert out == [squash.LOGISTIC.value(state)]


def test_sizes_and_neurons_order():
    net = perceptron(2, 3, 4, 1)
    assert (net.inputs(), net.outputs()) == (2, 1)
    keys = [key for _, key in net.neurons()]
    assert keys == ["input"] * 2 + [0] * 3 + [1] * 4 + ["output"]
    assert repr(net) == "Network(2-3-4-1)"


def test_wrong_sizes_and_missing_rate_are_errors():
    net = perceptron(2, 3, 1)
    with pytest.raises(ValueError, match="expected 2 inputs, got 3"):
        net.activate([1, 2, 3])
    with pytest.raises(ValueError, match=r"inputs\[1\] is not a number: 'x'"):
        net.activate([1, "x"])
    with pytest.raises(synjson.StateError, match="needs a prior activate"):
        net.propagate(0.1, [1.0])
    net.activate([1, 0])
    with pytest.raises(ValueError, match="expected 1 targets, got 2"):
        net.propagate(0.1, [1.0, 0.0])
    with pytest.raises(ValueError, match="rate must be a number, got None"):
        net.propagate(None, [1.0])


def test_training_reduces_the_error_on_xor():
    net = perceptron(2, 3, 1, seed=2)
    samples = [([0, 0], [0]), ([0, 1], [1]), ([1, 0], [1]), ([1, 1], [0])]
    for _ in range(3000):
        for x, y in samples:
            net.activate(x)
            net.propagate(0.3, y)
    assert all(abs(net.activate(x)[0] - y[0]) < 0.1 for x, y in samples)


def test_clone_equals_the_original_and_is_independent():
    net = perceptron(2, 3, 1)
    net.activate([0.5, 0.25])
    twin = net.clone()
    assert twin.to_json() == net.to_json()
    assert twin.activate([0.1, 0.9]) == net.clone().activate([0.1, 0.9])
    twin.propagate(0.5, [1.0])
    assert twin.to_json() != net.to_json()


def test_reset_is_seeded_and_clear_keeps_weights():
    a, b = perceptron(2, 3, 1), perceptron(2, 3, 1, seed=9)
    a.reset(seed=4)
    b.reset(seed=4)
    assert a.to_json() == b.to_json()
    a.activate([1, 1])
    weights = [c["weight"] for c in a.to_json()["connections"]]
    a.clear()
    assert [c["weight"] for c in a.to_json()["connections"]] == weights


def test_first_non_finite():
    net = perceptron(2, 2, 1)
    assert net.first_non_finite() is None
    net.hidden_layers[0].neurons[1].bias = float("nan")
    assert net.first_non_finite() == (3, "bias")


def test_project_and_gate_networks():
    first, second = perceptron(2, 2), perceptron(2, 1)
    connection = first.project(second)
    assert connection.size == 4
    gates = perceptron(2, 2)
    gates.gate(connection, synjson.GateType.INPUT)
    assert all(c.gater in gates.output_layer.neurons for c in connection.list)


def test_activate_batch_equals_row_by_row_and_checks_the_shape():
    import numpy as np

    net, twin = perceptron(3, 5, 2, seed=1), perceptron(3, 5, 2, seed=1)
    rows = np.random.default_rng(0).random((7, 3))
    batch = net.activate_batch(rows)
    assert batch.shape == (7, 2)
    assert np.abs(batch - np.array([twin.activate(list(r)) for r in rows])).max() <= 1e-12
    assert net.activate([0.1, 0.2, 0.3]) == twin.activate([0.1, 0.2, 0.3])  # same state afterwards
    with pytest.raises(ValueError, match=r"expected an array of shape \(n, 3\), got shape \(2, 4\)"):
        net.activate_batch(np.zeros((2, 4)))


def test_activate_batch_on_a_recurrent_network_is_a_sequence():
    from synjson.train.architect import LSTM

    net, twin = LSTM(2, 3, 1, seed=1), LSTM(2, 3, 1, seed=1)
    rows = [[0.1, 0.2], [0.3, 0.4], [0.5, 0.6], [0.7, 0.8]]
    assert [list(r) for r in net.activate_batch(rows)] == [twin.activate(r) for r in rows]
