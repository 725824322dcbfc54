"""synjson.model.store: the one owner of the numbers, and the objects that view it."""

from __future__ import annotations

from synjson import Layer, Network, Neuron
from synjson.model.store import NEURON_FIELDS, Store, column_values, shared


def test_slots_grow_by_replacement_and_keep_their_values() -> None:
    store = Store()
    neurons = [Neuron(bias=float(i), store=store) for i in range(100)]
    held = store.bias
    view = memoryview(held)  # an engine holding a buffer: growing must not resize it in place
    neurons.extend(Neuron(bias=float(i), store=store) for i in range(100, 300))
    assert store.bias is not held and len(held) < len(store.bias)
    assert [n.bias for n in neurons] == [float(i) for i in range(300)]
    view.release()


def test_every_structural_edit_moves_the_version() -> None:
    store = Store()
    a, b = Neuron(store=store), Neuron(store=store)
    seen = [store.version[0]]

    def moved() -> bool:
        seen.append(store.live().version[0])
        return seen[-1] != seen[-2]

    connection = a.project(b, 0.5)
    assert moved()
    c = Neuron(store=store)
    assert moved()
    c.gate(connection)
    assert moved()
    b.squash = b.squash  # a squash change, even to itself, recompiles
    assert moved()
    b.selfconnection.weight = 1.0  # a self-connection counts only while its weight is not 0
    assert moved()
    connection.weight = 0.25  # an ordinary weight is a value, not structure
    assert not moved()


def test_objects_read_and_write_through_the_store() -> None:
    store = Store()
    a, b = Neuron(bias=0.1, store=store), Neuron(bias=0.2, store=store)
    connection = a.project(b, 0.5)
    store.weight[connection._slot] = 0.75
    assert connection.weight == 0.75
    b.eligibility[connection.id] = 0.125
    assert store.eligibility[connection._slot] == 0.125
    for field in NEURON_FIELDS:
        setattr(b, field, 3.5)
        assert getattr(store, field)[b._slot] == 3.5


def test_column_values_read_what_the_objects_read_across_stores() -> None:
    first, second = Store(), Store()  # two unconnected groups: each neuron reads its own store
    neurons = [Neuron(bias=0.5 + i, store=first if i % 3 else second) for i in range(9)]
    for i, neuron in enumerate(neurons):
        neuron.derivative = -1.0 / (i + 1)
    connections = [neurons[i].project(neurons[i + 3], 0.25 * i) for i in range(6)] + [neurons[8].project(neurons[8])]
    for i, connection in enumerate(connections):
        connection.gain = 2.0 + i
    assert column_values(neurons, "bias") == [n.bias for n in neurons]
    assert column_values(list(reversed(neurons)), "derivative") == [n.derivative for n in reversed(neurons)]
    assert column_values(connections, "gain") == [c.gain for c in connections]
    assert column_values(connections, "weight") == [c.weight for c in connections]
    assert column_values([], "bias") == []


def test_connecting_two_stores_merges_them_with_every_value() -> None:
    left, right = Layer(3), Layer(2)
    gater = Neuron(bias=0.3)
    for neuron in right.neurons:
        neuron.state = 1.5
    connection = left.neurons[0].project(right.neurons[0], 0.25)
    gater.gate(connection)
    stores = {id(n._store.live()) for n in [*left.neurons, *right.neurons, gater]}
    assert len(stores) == 1
    assert [n.state for n in right.neurons] == [1.5, 1.5]
    assert connection.weight == 0.25 and gater.bias == 0.3


def test_extended_traces_follow_a_gater_that_gains_inputs() -> None:
    source, gater, target, other = (Neuron(bias=0.0) for _ in range(4))
    first = source.project(gater, 0.5)
    gated = other.project(target, 0.5)
    gater.gate(gated)
    traces = gater.extended[target.id]
    traces[first.id] = 0.75
    second = other.project(gater, 0.25)  # the gater gains an input: its trace block grows
    assert dict(traces) == {first.id: 0.75, second.id: 0.0}
    net = Network(input=Layer.of([source, other]), hidden=[Layer.of([gater])], output=Layer.of([target]))
    plan = net.plan()  # the block is laid out again in one run of slots, values kept
    entry = plan.nb_ptr[2]
    start = plan.nb_xtrace[entry]
    assert list(plan.xtrace[start : start + 2]) == [0.75, 0.0]


def test_snapshot_and_restore_put_every_value_back() -> None:
    net = Network(input=Layer(2), output=Layer(1))
    net.input_layer.project(net.output_layer)
    net.activate([0.5, 0.25])
    saved = net.store.snapshot()
    before = [(n.bias, n.state, n.activation) for n, _ in net.neurons()]
    net.propagate(0.5, [1.0])
    net.activate([1.0, 1.0])
    net.store.restore(saved)
    assert [(n.bias, n.state, n.activation) for n, _ in net.neurons()] == before


def test_shared_takes_each_store_once_and_keeps_the_largest() -> None:
    big, small = Store(), Store()
    [Neuron(store=big) for _ in range(5)]
    lone = Neuron(store=small)
    target = shared([small, big, big, small])
    assert target is big and lone._store is big and small.live() is big
    assert shared([]) is not None


def test_restoring_an_empty_column_under_an_engine_is_allowed() -> None:
    store = Store()
    Neuron(store=store)
    saved = store.snapshot()
    held = [memoryview(getattr(store, name)) for name in ("xtrace", "weight", "bias")]  # as an engine does
    store.bias[0] = 2.0
    store.restore(saved)  # in place, no resize: allowed while held (an empty column included)
    assert store.bias[0] == saved[0][0]
    for view in held:
        view.release()
