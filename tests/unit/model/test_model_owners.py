"""The model folder without knots (issue 21, item 4): who builds a loaded network, who owns the JSON's
connection order, and the public methods a checkpoint restores through.

* ``codec.describe`` returns what it read (a ``Description``) and never sees ``Network``;
  ``Network.from_description`` and each class's ``from_layers`` build the class (no ``__class__`` swap).
* ``plan.json_order`` is the one owner of the order Synaptic's JSON lists connections in;
  ``Plan.connection_order`` gives the slots, ``Network.connections`` the objects, and ``to_json``,
  the fast writer, checkpoints and the bridges follow them.
* ``Neuron.reorder_*`` and ``Neuron.gate(..., keep_gater=True)``: what a checkpoint changes, through the neuron.
"""

from __future__ import annotations

import random

import pytest

import synjson
from synjson.architect import LSTM, Liquid, Perceptron
from synjson.errors import FormatError, StructureError
from synjson.format.bridges._common import Wiring
from synjson.model import codec
from synjson.model.codec import Description, describe
from synjson.model.layer import Layer
from synjson.model.network import Network
from synjson.model.neuron import Neuron


def _lstm() -> LSTM:
    net = LSTM(2, 3, 1, seed=5)
    for step in range(3):
        net.activate([step * 0.5, 1.0 - step * 0.25])
        net.propagate(0.2, [0.5])
    return net


# -- describe / from_description -----------------------------------------------------------------


def test_describe_returns_the_layers_and_blocks_not_a_network() -> None:
    document = synjson.to_json(_lstm(), state=True)
    described = describe(document)
    assert type(described) is Description
    assert [len(layer.neurons) for layer in (described.input, *described.hidden, described.output)] == [2, 3, 3, 3, 3, 1]
    assert described.metadata["architecture"]["type"] == "LSTM"
    assert "state" not in described.metadata and described.checkpoint is True
    assert set(described.state) >= {"aux", "activated", "gain", "eligibility", "extended"}
    assert described.plan is None  # gated: the network compiles its plan from the objects
    assert not hasattr(codec, "Network")  # the codec names Network in annotations only


def test_an_ungated_file_is_described_with_the_bulk_loaders_plan() -> None:
    described = describe(Perceptron(3, 4, 2, seed=1).to_json())
    assert described.plan is not None and described.checkpoint is False and described.state is None
    net = Network.from_description(described)
    assert type(net) is Perceptron and net.plan() is net.plan()  # adopted, not compiled again


def test_network_gives_back_the_recorded_class_and_a_subclass_gets_itself() -> None:
    document = _lstm().to_json()
    assert type(Network.from_json(document)) is LSTM
    assert type(synjson.loads(synjson.dumps(_lstm()))) is LSTM
    assert type(Perceptron.from_json(document)) is Perceptron  # as before: the class asked for

    class Mine(Network):
        pass

    assert type(Mine.from_json(document)) is Mine
    plain = {key: value for key, value in document.items() if key != "synjson"}
    assert type(Network.from_json(plain)) is Network


def test_an_architect_class_is_built_around_loaded_layers_not_by_its_constructor() -> None:
    layers = [Layer(2), Layer(3), Layer(1)]
    layers[0].project(layers[1])
    layers[1].project(layers[2])
    net = LSTM.from_layers(layers[0], [layers[1]], layers[2])
    assert type(net) is LSTM and net.layers() == layers and net.metadata == {}
    assert net.activate([1.0, 0.0]) == Network(layers[0], [layers[1]], layers[2]).activate([1.0, 0.0])


def test_a_loaded_checkpoint_continues_as_the_original() -> None:
    original = _lstm()
    copy = synjson.loads(synjson.dumps(original, state=True))
    assert type(copy) is LSTM and copy.run_state() == original.run_state()
    for step in range(4):
        inputs = [0.1 * step, 0.3]
        assert copy.activate(inputs) == original.activate(inputs)
        copy.propagate(0.1, [0.25])
        original.propagate(0.1, [0.25])


def test_restore_checkpoint_refuses_a_state_that_does_not_fit_and_changes_nothing() -> None:
    net = _lstm()
    state = synjson.to_json(net, state=True)["synjson"]["state"]
    fresh = Network.from_json(net.to_json())
    before = synjson.dumps(fresh, state=True)
    broken = dict(state, gain=state["gain"][:-1])
    with pytest.raises(FormatError) as caught:
        fresh.restore_checkpoint(broken)
    assert str(caught.value) == f"synjson.state.gain: expected {len(state['gain'])} values (one per connection), got {len(state['gain']) - 1}"
    assert synjson.dumps(fresh, state=True) == before
    fresh.restore_checkpoint(state)
    assert synjson.dumps(fresh, state=True) == synjson.dumps(net, state=True)


# -- the JSON's connection order -----------------------------------------------------------------


@pytest.mark.parametrize("make", [_lstm, lambda: Perceptron(2, 3, 1, seed=2), lambda: Liquid(3, 12, 2, 20, 6, seed=4)])
def test_every_reader_of_the_connection_order_follows_one_owner(make) -> None:  # type: ignore[no-untyped-def]
    net = make()
    connections = net.connections()
    plan = net.plan()
    assert [c._slot for c in connections] == list(plan.connection_order())
    index = {neuron.id: i for i, (neuron, _) in enumerate(net.neurons())}
    written = synjson.to_json(net)["connections"]
    assert [(c["from"], c["to"]) for c in written] == [
        (index[c.from_neuron.id], index[c.to_neuron.id]) for c in connections
    ]
    assert Wiring(net).connections == connections
    state = synjson.to_json(net, state=True)["synjson"]["state"]
    assert state["gain"] == [c.gain for c in connections]


def test_the_order_is_per_neuron_projections_then_its_self_connection() -> None:
    a, b = Neuron(bias=0.0), Neuron(bias=0.0)
    c = Neuron(bias=0.0)
    ab = a.project(b, 0.5)
    bb = b.project(b)
    bc = b.project(c, 0.25)
    ac = a.project(c, 0.75)
    net = Network(Layer.of([a]), [Layer.of([b])], Layer.of([c]))
    assert net.connections() == [ab, ac, bc, bb]


# -- what a checkpoint changes, through the neuron ----------------------------------------------


def test_reorder_inputs_changes_the_summation_order_and_refuses_another_set() -> None:
    sources = [Neuron(bias=0.0) for _ in range(3)]
    target = Neuron(bias=0.0)
    made = [source.project(target, weight) for source, weight in zip(sources, (1e16, 1.0, -1e16))]
    for source in sources:
        source.activate(1.0)
    target.activate()
    assert target.state == 0.0  # 1e16 + 1 rounds to 1e16, then - 1e16
    target.reorder_inputs([made[0], made[2], made[1]])
    assert target.inputs == [made[0], made[2], made[1]]
    target.activate()
    assert target.state == 1.0  # 1e16 - 1e16, then + 1
    with pytest.raises(StructureError, match=r"^a new order must list the same input connections, each once$"):
        target.reorder_inputs([made[0], made[0], made[1]])
    assert target.inputs == [made[0], made[2], made[1]]


def test_reorder_neighbours_and_influences() -> None:
    rng = random.Random(3)
    gater = Neuron(rng=rng)
    first, second = Neuron(rng=rng), Neuron(rng=rng)
    source = Neuron(rng=rng)
    one, two = source.project(first), source.project(second)
    other = gater.project(first)
    gater.gate(two)
    gater.gate(one)
    gater.gate(other)
    assert list(gater.extended) == [first.id, second.id]
    gater.reorder_neighbours([second.id, first.id])
    assert list(gater.extended) == [second.id, first.id]
    gater.reorder_influences(first.id, [other, one])
    assert gater.influences[first.id] == [other, one]
    with pytest.raises(StructureError, match=r"^a new order must list the same gated neighbours, each once$"):
        gater.reorder_neighbours([second.id])
    with pytest.raises(StructureError, match=r"^a new order must list the same gated connections, each once$"):
        gater.reorder_influences(first.id, [one, one])


def test_gate_keep_gater_gates_without_taking_the_connection_over() -> None:
    source, target, early, late = Neuron(bias=0.0), Neuron(bias=0.0), Neuron(bias=0.0), Neuron(bias=0.0)
    connection = source.project(target, 0.5)
    late.gate(connection)
    early.gate(connection, keep_gater=True)
    assert connection.gater is late
    assert connection in early.gated and connection in late.gated
    assert target.id in early.extended and early.influences[target.id] == [connection]
