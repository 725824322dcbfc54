"""Layer: projection and gate types, defaults and errors, as Synaptic's Layer."""

import random

import pytest

from synjson import ConnectionType, GateType, Layer, Neuron, squash


def layers(*sizes, seed=0):
    rng = random.Random(seed)
    return [Layer(size, rng=rng) for size in sizes]


def test_default_projection_is_all_to_all_between_layers():
    a, b = layers(2, 3)
    connection = a.project(b)
    assert connection.type is ConnectionType.ALL_TO_ALL and connection.size == 6
    assert [(c.from_neuron, c.to_neuron) for c in connection.list] == [(x, y) for x in a.neurons for y in b.neurons]
    assert a.connected(b) is ConnectionType.ALL_TO_ALL


def test_default_projection_onto_itself_is_one_to_one_self_connections():
    (a,) = layers(3)
    connection = a.project(a)
    assert connection.type is ConnectionType.ONE_TO_ONE
    assert all(n.selfconnected() for n in a.neurons) and a.selfconnected()
    assert [c.from_neuron for c in connection.list] == a.neurons


def test_all_to_else_skips_self_connections():
    (a,) = layers(3)
    connection = a.project(a, ConnectionType.ALL_TO_ELSE)
    assert connection.size == 6
    assert not any(n.selfconnected() for n in a.neurons)


def test_one_to_one_between_layers_and_projecting_again_returns_none():
    a, b = layers(3, 3)
    assert a.project(b, ConnectionType.ONE_TO_ONE).size == 3
    assert a.connected(b) is ConnectionType.ONE_TO_ONE
    assert a.project(b, ConnectionType.ONE_TO_ONE) is None


def test_one_to_one_needs_a_large_enough_target():
    a, b = layers(3, 2)
    with pytest.raises(ValueError, match=r"at least as large as the source \(3 > 2\)"):
        a.project(b, ConnectionType.ONE_TO_ONE)


def test_fixed_weights():
    a, b = layers(2, 2)
    assert {c.weight for c in a.project(b, weights=0.25).list} == {0.25}


def test_gate_input_output_and_one_to_one():
    a, b, gates_in, gates_out, gates_one = layers(2, 3, 3, 2, 6)
    connection = a.project(b)
    gates_in.gate(connection, GateType.INPUT)
    for gater, neuron in zip(gates_in.neurons, b.neurons):
        assert all(c.gater is gater for c in neuron.inputs)
    gates_out.gate(connection, GateType.OUTPUT)
    for gater, neuron in zip(gates_out.neurons, a.neurons):
        assert all(c.gater is gater for c in neuron.projected)
    gates_one.gate(connection, GateType.ONE_TO_ONE)
    assert [c.gater for c in connection.list] == gates_one.neurons
    assert len(connection.gated_from) == 3


@pytest.mark.parametrize(
    ("gate_type", "message"),
    [
        (GateType.INPUT, "CONNECTION.TO layer"),
        (GateType.OUTPUT, "CONNECTION.FROM layer"),
        (GateType.ONE_TO_ONE, "number of GATER UNITS"),
    ],
)
def test_gate_size_mismatch(gate_type, message):
    a, b, gates = layers(2, 3, 5)
    with pytest.raises(ValueError, match=message):
        gates.gate(a.project(b), gate_type)


def test_set_squash_and_bias_including_zero():
    (a,) = layers(3)
    a.set(squash=squash.TANH, bias=0.0)
    assert all(n.squash is squash.TANH and n.bias == 0.0 for n in a.neurons)


def test_activate_and_propagate_check_sizes():
    (a,) = layers(2)
    with pytest.raises(ValueError, match="expected 2 inputs, got 3"):
        a.activate([1, 2, 3])
    with pytest.raises(ValueError, match="expected 2 targets, got 1"):
        a.propagate(0.1, [1])


def test_of_and_add():
    neurons = [Neuron(bias=0.0), Neuron(bias=0.0)]
    layer = Layer.of(neurons)
    layer.add()
    assert len(layer) == layer.size == 3 and layer.neurons[:2] == neurons


def test_bad_size():
    with pytest.raises(ValueError, match="non-negative integer"):
        Layer(-1)
    with pytest.raises(TypeError, match="only project connections to layers and networks"):
        Layer(1).project("x")
