"""synjson.model.plan: the index tables over a network's store."""

from __future__ import annotations

from synjson import Layer, Network, squash
from synjson.architect import Perceptron
from synjson.model.plan import CUSTOM, SQUASH_NAMES, compile_plan, squash_code


def test_positions_are_synaptic_order_and_tables_name_slots() -> None:
    net = Perceptron(2, 3, 1, seed=1)
    plan = net.plan()
    neurons = [neuron for neuron, _ in net.neurons()]
    assert list(plan.order) == [neuron._slot for neuron in neurons]
    assert plan.layers == [(0, 2), (2, 5), (5, 6)] and (plan.n_inputs, plan.n_outputs) == (2, 1)
    for p, neuron in enumerate(neurons):
        assert list(plan.inputs_of(p)) == [c._slot for c in neuron.inputs]  # creation (summation) order
        assert list(plan.projected_of(p)) == [c._slot for c in neuron.projected]
        assert plan.selfconn[p] == neuron.selfconnection._slot
    for connection in neurons[2].inputs:
        assert plan.conn_from[connection._slot] == connection.from_neuron._slot
        assert plan.conn_to[connection._slot] == neurons[2]._slot
        assert plan.conn_gater[connection._slot] == -1
    assert plan.weight is net.store.weight  # the store's own column: no copy


def test_gates_influences_and_neighbours() -> None:
    inputs, gates, cells, output = Layer(2), Layer(1), Layer(1), Layer(1)
    inputs.project(cells)
    gater = gates.neurons[0]
    for c in cells.neurons[0].inputs:
        gater.gate(c)
    inputs.project(gates)
    cells.project(output)
    gates.project(output)
    net = Network(input=inputs, hidden=[gates, cells], output=output)
    plan = net.plan()
    p = 2  # the gater's position
    assert list(plan.gated_of(p)) == [c._slot for c in cells.neurons[0].inputs]
    entries = list(plan.neighbours_of(p))
    assert [plan.nb_neuron[e] for e in entries] == [cells.neurons[0]._slot]
    assert list(plan.influences_of(entries[0])) == [c._slot for c in cells.neurons[0].inputs]
    assert plan.is_recurrent()  # gated: state carries from step to step
    assert not Perceptron(2, 3, 1, seed=1).plan().is_recurrent()


def test_squash_codes_and_custom_functions() -> None:
    assert [squash_code(getattr(squash, name)) for name in SQUASH_NAMES] == list(range(5))
    mine = squash.Squash("LOGISTIC", lambda x: (x, 1.0))  # a built-in's name, another function
    assert squash_code(mine) == CUSTOM
    net = Perceptron(2, 2, 1, seed=1)
    net.output_layer.set(squash=mine)
    plan = net.plan()
    assert plan.squash[4] == CUSTOM and plan.custom[4] is mine and plan.custom[0] is None


def test_a_plan_is_reused_until_the_structure_changes() -> None:
    net = Perceptron(2, 3, 1, seed=1)
    first = net.plan()
    assert net.plan() is first
    net.output_layer.neurons[0].inputs[0].weight = 0.5  # a value
    assert net.plan() is first
    net.input_layer.neurons[0].project(net.output_layer.neurons[0], 0.1)  # structure
    second = net.plan()
    assert second is not first and compile_plan(net.layers(), net._scratch).order == second.order
