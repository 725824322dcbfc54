"""Plan: the flat arrays and index tables a network compiles to."""

from __future__ import annotations

from array import array

import pytest
from test_engine_common import NETWORKS, data, train

from synjson import Layer, Network, Neuron, architect
from synjson.layer import ConnectionType
from synjson.plan import DENSE, DIAGONAL, SELF, SPARSE, Unsupported, compile_network, signature


def test_a_perceptron_is_dense_blocks_in_creation_order() -> None:
    net = architect.Perceptron(2, 3, 1, seed=1)
    plan, binding = compile_network(net)
    assert plan.layers == [(0, 2), (2, 5), (5, 6)]
    assert plan.layer_keys == ["input", 0, "output"]
    assert [(b.kind, b.target, b.source, b.start, b.stop, b.rows, b.cols) for b in plan.blocks] == [
        (DENSE, 1, 0, 0, 6, 3, 2),
        (DENSE, 2, 1, 6, 9, 1, 3),
    ]
    # dense blocks are row-major: target by source
    assert list(plan.target[:6]) == [2, 2, 3, 3, 4, 4]
    assert list(plan.source[:6]) == [0, 1, 0, 1, 0, 1]
    assert [list(plan.inputs_of(j)) for j in range(6)] == [[], [], [0, 1], [2, 3], [4, 5], [6, 7, 8]]
    assert list(plan.projected_of(0)) == [0, 2, 4]
    assert list(plan.selfconn) == [-1] * 6 and list(plan.gater) == [-1] * 9
    assert [c.weight for c in binding.connections] == list(plan.weight)
    assert isinstance(plan.weight, array) and plan.weight.typecode == "d"
    assert not plan.is_recurrent()


def test_one_to_one_is_diagonal_and_all_to_else_sparse() -> None:
    plan, _ = compile_network(NETWORKS["one_to_one_all_to_else"]())
    kinds = {(b.target, b.source): b.kind for b in plan.blocks}
    assert kinds == {(1, 0): DENSE, (2, 1): DIAGONAL, (2, 2): SPARSE, (3, 2): DENSE}
    assert plan.is_recurrent()


def test_lstm_tables() -> None:
    net = architect.LSTM(1, 2, 1, seed=3)
    plan, _binding = compile_network(net)
    input_gate, forget_gate, cell, output_gate = (range(*plan.layers[n]) for n in range(1, 5))
    for j in cell:  # self-connected, gated by the forget gate
        own = plan.selfconn[j]
        assert own >= 0 and plan.source[own] == plan.target[own] == j and plan.weight[own] == 1.0
        assert plan.gater[own] in forget_gate
    assert all(plan.selfconn[j] < 0 for j in input_gate)
    assert any(b.kind == SELF for b in plan.blocks)
    for j in forget_gate:  # one neighbour: its memory cell, whose self-connection it gates
        (entry,) = plan.neighbours_of(j)
        assert plan.nb_neuron[entry] in cell and plan.nb_old[entry] == 1
        assert list(plan.influences_of(entry)) == [plan.selfconn[plan.nb_neuron[entry]]]
    for j in output_gate:  # gates the cell -> output connection
        (entry,) = plan.neighbours_of(j)
        assert plan.nb_neuron[entry] == plan.layers[-1][0] and plan.nb_old[entry] == 0
    assert len(plan.xtrace) == sum(
        len(plan.inputs_of(j)) * len(plan.neighbours_of(j)) for j in range(plan.size)
    )
    assert plan.is_recurrent()


def _values(n: Neuron) -> tuple[object, ...]:
    return n.state, n.bias, dict(n.eligibility), {k: dict(v) for k, v in n.extended.items()}


def test_binding_round_trip() -> None:
    net = NETWORKS["gated_self_connection"]()
    train(net, data(net, 10, 1))
    plan, binding = compile_network(net)
    before = [_values(n) for n in binding.neurons]
    for name in ("state", "bias", "eligibility", "xtrace", "weight"):
        values = getattr(plan, name)
        for index in range(len(values)):
            values[index] = values[index] * 2 + 1
    binding.write(plan)
    binding.read(plan)
    binding.write(plan)
    after = [_values(n) for n in binding.neurons]
    assert after != before
    plan2, _ = compile_network(net)
    assert list(plan2.xtrace) == list(plan.xtrace) and list(plan2.weight) == list(plan.weight)


def test_structures_a_plan_cannot_hold() -> None:
    net = NETWORKS["perceptron_2_3_1"]()
    Neuron(bias=0.0).project(net.output_layer.neurons[0])
    with pytest.raises(Unsupported, match="source is a neuron outside this network"):
        compile_network(net)
    layer = Layer(2)
    twice = Network(input=layer, hidden=[layer], output=Layer(1))
    with pytest.raises(Unsupported, match="belongs to the network twice"):
        compile_network(twice)


def test_signature_changes_with_structure_only() -> None:
    net = NETWORKS["perceptron_2_3_1"]()
    first = signature(net)
    net.activate([0.0, 1.0])
    net.propagate(0.3, [1.0])
    assert signature(net) == first
    net.hidden_layers[0].project(net.hidden_layers[0], ConnectionType.ONE_TO_ONE)
    assert signature(net) != first


def test_structure_version_moves_on_project_gate_and_attach() -> None:
    a, b = Neuron(), Neuron()
    version = Neuron.structure_version
    connection = a.project(b)
    assert Neuron.structure_version > version
    version = Neuron.structure_version
    Neuron().gate(connection)
    assert Neuron.structure_version > version
    version = Neuron.structure_version
    a.attach(Neuron(), 0.5)
    assert Neuron.structure_version > version
