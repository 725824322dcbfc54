"""synjson.model.bulk: a network loaded in bulk is the network loaded object by object.

Its plan (computed from the wiring columns) equals the plan compiled from its objects, which are
made on first use with the ids, slots and list orders that ``Neuron.attach`` one by one gives.
"""

from __future__ import annotations

import copy
import pickle

import synjson
from synjson.model.plan import compile_plan

PLAN_TABLES = ("order", "squash", "selfconn", "in_ptr", "in_conn", "out_ptr", "out_conn", "gate_ptr", "gate_conn",
               "nb_ptr", "nb_neuron", "nb_old", "nb_xtrace", "nb_self", "inf_ptr", "inf_conn", "conn_from",
               "conn_to", "conn_gater")


def _shuffled_document() -> dict:
    """A perceptron whose file lists neurons out of layer order, with two self-connections."""
    net = synjson.architect.Perceptron(3, 5, 2, seed=11)
    hidden = net.hidden_layers[0].neurons
    hidden[1].project(hidden[1])
    net.output_layer.neurons[0].project(net.output_layer.neurons[0])
    doc = net.to_json()
    order = [7, 0, 8, 1, 2, 9, 3, 4, 5, 6]  # new position -> old index
    where = {old: new for new, old in enumerate(order)}
    doc["neurons"] = [doc["neurons"][old] for old in order]
    for connection in doc["connections"]:
        connection["from"], connection["to"] = where[connection["from"]], where[connection["to"]]
    return doc


def test_the_plan_from_columns_is_the_compiled_plan() -> None:
    for doc in (synjson.to_json(synjson.architect.Perceptron(4, 6, 3, seed=2)), _shuffled_document()):
        net = synjson.Network.from_json(doc)
        bulk = net.plan()
        assert "connections" not in net.store.__dict__  # nothing made yet
        compiled = compile_plan(net.layers(), net._scratch)
        for name in PLAN_TABLES:
            assert getattr(bulk, name) == getattr(compiled, name), name
        assert bulk.layers == compiled.layers and bulk.neurons == compiled.neurons


def test_objects_made_on_first_use_are_those_of_the_file() -> None:
    doc = _shuffled_document()
    net = synjson.Network.from_json(doc)
    listed = [neuron for neuron, _ in net.neurons()]
    ids = [neuron.id for neuron in net.store.neurons]
    assert ids == sorted(ids) and len(set(ids)) == len(ids)
    index = {neuron.id: i for i, neuron in enumerate(net.store.neurons)}
    seen = []
    for neuron in net.store.neurons:  # file order: the projections in the order the file lists them
        for connection in neuron.projected:
            seen.append((index[connection.from_neuron.id], index[connection.to_neuron.id], connection.weight))
            assert connection in connection.to_neuron.inputs
            assert connection.to_neuron._by_id[connection.id] is connection
    expected = [(c["from"], c["to"], c["weight"]) for c in doc["connections"] if c["from"] != c["to"]]
    assert sorted(seen) == sorted(expected)
    connection_ids = [c.id for c in net.store.connections]
    assert connection_ids == sorted(connection_ids) == list(net.store.connection_ids)
    assert [n.selfconnected() for n in net.store.neurons] == [
        any(c["from"] == c["to"] == i for c in doc["connections"]) for i in range(len(doc["neurons"]))]
    assert synjson.dumps(net) == synjson.dumps(synjson.Network.from_json(doc))
    assert len(listed) == len(doc["neurons"])


def test_a_bulk_network_runs_trains_and_saves_as_the_original() -> None:
    original = synjson.architect.Perceptron(5, 7, 2, seed=3)
    text = synjson.dumps(original)
    net = synjson.loads(text)
    assert synjson.dumps(net) == text
    # Both writers (the kernel's and document.text.connections_text) take the plan's columns: no objects made.
    assert "connections" not in net.store.__dict__
    for engine in ("auto", "python", "reference"):
        a, b = copy.deepcopy(original), synjson.loads(text)
        a.engine = b.engine = engine
        for step in range(3):
            x = [0.1 * step, 0.2, 0.3, 0.4, 0.5]
            assert a.activate(x) == b.activate(x)
            a.propagate(0.3, [0, 1])
            b.propagate(0.3, [0, 1])
        assert synjson.dumps(a) == synjson.dumps(b)


def test_pickle_and_editing_make_the_objects() -> None:
    net = synjson.loads(synjson.dumps(synjson.architect.Perceptron(2, 3, 1, seed=1)))
    copied = pickle.loads(pickle.dumps(net))
    assert copied.activate([1, 0]) == net.activate([1, 0])
    for each in (net, copied):  # a structural edit after a bulk load, and the same on the unpickled copy
        each.input_layer.neurons[0].project(each.output_layer.neurons[0], 0.25)
    assert net.output_layer.neurons[0].inputs[-1].from_neuron is net.input_layer.neurons[0]
    assert net.activate([1, 0]) == copied.activate([1, 0])
    assert synjson.dumps(net) == synjson.dumps(copied)
