"""pickle, copy.copy and copy.deepcopy of networks, trainers and model objects (synjson.model.pickling).

A copy continues exactly as the original: the next 20 activate + propagate steps give ``==``
outputs and the two end in the same lossless checkpoint text; and the two stay independent.
"""

from __future__ import annotations

import copy
import os
import pickle
import random
import subprocess
import sys
import textwrap
from collections.abc import Callable
from typing import Any

import pytest

import synjson
from synjson import Trainer
from synjson.architect import LSTM, Hopfield, Liquid, Perceptron
from synjson.engine import available_engines
from synjson.model import squash as squash_module
from synjson.model.layer import GateType, Layer
from synjson.model.network import Network
from synjson.model.neuron import Neuron
from synjson.squash import TANH, Squash, register

PROTOCOLS = list(range(2, pickle.HIGHEST_PROTOCOL + 1))


def _softplus(x: float) -> tuple[float, float]:
    import math

    return math.log1p(math.exp(x)), 1 / (1 + math.exp(-x))


SOFTPLUS = register(Squash("TEST_SOFTPLUS", _softplus))


def hand_built() -> Network:
    """Layers wired by hand: a gater layer, self-connections, a custom squash and metadata."""
    rng = random.Random(5)
    inputs, gates, hidden, output = (Layer(size, rng=rng) for size in (2, 3, 3, 1))
    into_hidden = inputs.project(hidden)
    inputs.project(gates)
    hidden.project(hidden)
    gates.gate(into_hidden, GateType.INPUT)
    hidden.project(output)
    hidden.neurons[1].squash = SOFTPLUS
    gates.set(squash=TANH)
    net = Network(inputs, [gates, hidden], output, engine="python")
    net.metadata["name"] = "hand"
    net.extra["note"] = "kept"
    return net


BUILDERS: dict[str, Callable[[], Network]] = {
    "perceptron": lambda: Perceptron(2, 4, 3, 1, seed=1),
    "lstm": lambda: LSTM(2, 3, 1, seed=2),
    "lstm-options": lambda: LSTM(2, 3, 2, output_to_gates=True, hidden_to_hidden=True, seed=3),
    "liquid": lambda: Liquid(2, 8, 1, 20, 6, seed=1),  # a repeated pair and a doubly-gated connection
    "hopfield": lambda: Hopfield(4, seed=1),
    "hand-built": hand_built,
}


def _sample(rng: random.Random, width: int) -> list[float]:
    return [rng.random() for _ in range(width)]


def warmed(build: Callable[[], Network]) -> Network:
    """A network mid-sequence: traces, gains, errors and the scratch value are all set."""
    net = build()
    rng = random.Random(7)
    for _ in range(5):
        net.activate(_sample(rng, net.inputs()))
        net.propagate(0.2, _sample(rng, net.outputs()))
    return net


def assert_continue_alike(a: Network, b: Network, steps: int = 20) -> None:
    rng = random.Random(11)
    for step in range(steps):
        x = _sample(rng, a.inputs())
        assert a.activate(x) == b.activate(x), f"step {step}"
        target = _sample(rng, a.outputs())
        a.propagate(0.3, target)
        b.propagate(0.3, target)
    assert synjson.dumps(a, state=True) == synjson.dumps(b, state=True)


COPIES: dict[str, Callable[[Any], Any]] = {
    **{f"pickle-{p}": (lambda obj, p=p: pickle.loads(pickle.dumps(obj, protocol=p))) for p in PROTOCOLS},
    "copy": copy.copy,
    "deepcopy": copy.deepcopy,
}


@pytest.mark.parametrize("make", list(COPIES), ids=list(COPIES))
@pytest.mark.parametrize("kind", list(BUILDERS))
def test_a_copy_continues_exactly(kind: str, make: str) -> None:
    original = warmed(BUILDERS[kind])
    twin = COPIES[make](original)
    assert type(twin) is type(original) and twin is not original
    assert twin.engine == original.engine
    assert twin.metadata == original.metadata and twin.extra == original.extra
    assert twin._scratch.aux == original._scratch.aux
    assert synjson.dumps(twin, state=True) == synjson.dumps(original, state=True)
    assert_continue_alike(original, twin)


@pytest.mark.parametrize("engine", available_engines())
@pytest.mark.parametrize("kind", ["lstm", "liquid", "hand-built"])
def test_every_engine_continues_exactly(kind: str, engine: str) -> None:
    original = warmed(BUILDERS[kind])
    original.engine = engine
    twin = pickle.loads(pickle.dumps(original))
    assert twin.engine == engine
    assert_continue_alike(original, twin)


@pytest.mark.parametrize("kind", list(BUILDERS))
def test_copies_are_independent(kind: str) -> None:
    original = warmed(BUILDERS[kind])
    twin = copy.deepcopy(original)
    saved = synjson.dumps(twin, state=True)
    rng = random.Random(3)
    for _ in range(3):  # training the original leaves the copy as it was
        original.activate(_sample(rng, original.inputs()))
        original.propagate(0.5, _sample(rng, original.outputs()))
    original.output_layer.neurons[0].bias += 1.0
    original.metadata["edited"] = True
    assert synjson.dumps(twin, state=True) == saved
    assert "edited" not in twin.metadata
    twin.input_layer.neurons[0].projected[0].weight = 5.0  # and editing the copy leaves the original
    assert original.input_layer.neurons[0].projected[0].weight != 5.0


def test_the_first_call_of_a_copy_may_be_propagate() -> None:
    """The copy keeps the "activated" flag: propagate right after unpickling works as on the original."""
    original = warmed(BUILDERS["lstm"])
    twin = pickle.loads(pickle.dumps(original))
    original.propagate(0.1, [0.5])
    twin.propagate(0.1, [0.5])
    assert synjson.dumps(twin, state=True) == synjson.dumps(original, state=True)
    fresh = pickle.loads(pickle.dumps(LSTM(2, 3, 1, seed=2)))
    with pytest.raises(synjson.StateError, match="propagate\\(\\) needs a prior activate\\(\\)"):
        fresh.propagate(0.1, [0.5])


def test_ids_are_fresh_and_keep_their_order() -> None:
    original = warmed(BUILDERS["liquid"])
    twin = pickle.loads(pickle.dumps(original))
    pairs = list(zip((n for n, _ in original.neurons()), (n for n, _ in twin.neurons())))
    ranks = sorted(range(len(pairs)), key=lambda i: pairs[i][0].id)
    assert ranks == sorted(range(len(pairs)), key=lambda i: pairs[i][1].id)
    ids = {neuron.id for _, neuron in pairs}
    assert not ids & {neuron.id for neuron, _ in pairs}
    assert Neuron().id > max(ids)


def test_copies_of_copies_do_not_grow_their_ids() -> None:
    """Each copy takes a fresh block as wide as the original's ids: a 40-generation lineage stays small."""
    net = Perceptron(2, 3, 1, seed=1)
    span = max(net.store.connection_ids) - min(net.store.connection_ids)
    start = Neuron().id
    for _ in range(40):
        net = copy.deepcopy(net)
    ids = net.store.connection_ids
    assert max(ids) - min(ids) == span
    assert Neuron().id - start < 40 * (len(net.store.neurons) + 2)


def test_a_network_carries_neurons_outside_its_layers() -> None:
    """Decided: a pickle carries every neuron connected to the network's own (docs/api.md)."""
    rng = random.Random(2)
    inputs, output = Layer(2, rng=rng), Layer(1, rng=rng)
    inputs.project(output)
    outside = Neuron(rng=rng)
    inputs.neurons[0].project(outside, 0.5)
    net = Network(inputs, [], output, engine="python")  # the kernel refuses such a net (nobody's input)
    twin = copy.deepcopy(net)
    carried = twin.input_layer.neurons[0].projected[-1].to_neuron
    assert carried is not outside
    assert (carried.bias, carried.id > outside.id) == (outside.bias, True)
    assert carried not in [n for n, _ in twin.neurons()]
    assert twin.activate([1.0, 0.0]) == net.activate([1.0, 0.0])


def test_networks_projected_onto_each_other_pickle_together() -> None:
    first, second = Perceptron(2, 3, 1, seed=1), Perceptron(1, 2, 1, seed=2)
    first.project(second)
    for net in (first, second):
        net.engine = "python"
    copied_first, copied_second = pickle.loads(pickle.dumps((first, second)))
    assert copied_first.output_layer.neurons[0].projected[0].to_neuron is copied_second.input_layer.neurons[0]
    alone = pickle.loads(pickle.dumps(first))  # alone, it carries the other's neurons, not the other Network
    assert alone.output_layer.neurons[0].projected[0].to_neuron.projected[0].weight == (
        second.input_layer.neurons[0].projected[0].weight
    )
    for a, b in ((first, copied_first), (second, copied_second)):
        assert a.activate([0.5] * a.inputs()) == b.activate([0.5] * b.inputs())


def test_model_objects_pickle_with_their_graph() -> None:
    net = warmed(BUILDERS["hand-built"])
    layer = net.hidden_layers[1]
    neuron = layer.neurons[1]
    connection = neuron.inputs[0]
    copied_layer, copied_neuron, copied_connection = pickle.loads(pickle.dumps((layer, neuron, connection)))
    assert copied_layer.neurons[1] is copied_neuron and copied_neuron.inputs[0] is copied_connection
    assert copied_neuron.squash is SOFTPLUS and copied_connection.gater is not None
    assert (copied_connection.weight, copied_connection.gain) == (connection.weight, connection.gain)
    assert [c.size for c in copied_layer.connected_to] == [c.size for c in layer.connected_to]
    for made in (copy.copy, copy.deepcopy):
        single = made(neuron)
        assert single is not neuron and (single.state, single.bias) == (neuron.state, neuron.bias)
        single.bias = 9.0
        assert neuron.bias != 9.0
    assert copy.copy(connection).weight == connection.weight
    assert copy.copy(layer).neurons[0] is not layer.neurons[0]


def test_a_trainer_and_its_results_pickle() -> None:
    data = [([0.0, 0.0], [0.0]), ([0.0, 1.0], [1.0]), ([1.0, 0.0], [1.0]), ([1.0, 1.0], [0.0])]
    trainer = Trainer(Perceptron(2, 3, 1, seed=4), engine="python")
    twin = pickle.loads(pickle.dumps(trainer))
    assert twin.engine == "python" and twin.network is not trainer.network
    first = trainer.train(data, iterations=50, rate=0.3, shuffle=False)
    second = twin.train(data, iterations=50, rate=0.3, shuffle=False)
    assert (first.error, first.iterations, first.history) == (second.error, second.iterations, second.history)
    assert pickle.loads(pickle.dumps(first)) == first
    assert copy.deepcopy(first) == first
    shallow = copy.copy(trainer)
    assert shallow.network is trainer.network  # a Trainer is a handle: its shallow copy shares the network
    assert copy.deepcopy(trainer).network is not trainer.network


def test_squashes_are_the_same_objects_after_a_copy() -> None:
    """Failing first: deepcopy made new Squash objects, and to_json wrote "squash": null for them."""
    assert copy.deepcopy(synjson.squash.LOGISTIC) is synjson.squash.LOGISTIC
    assert pickle.loads(pickle.dumps(TANH)) is TANH
    net = Perceptron(2, 2, 1, seed=1)
    assert copy.deepcopy(net).to_json()["neurons"][0]["squash"] == "LOGISTIC"


def test_a_custom_squash_travels_by_its_registered_name(monkeypatch: pytest.MonkeyPatch) -> None:
    data = pickle.dumps(hand_built())
    assert pickle.loads(data).hidden_layers[1].neurons[1].squash is SOFTPLUS
    monkeypatch.delitem(squash_module._REGISTERED, "TEST_SOFTPLUS")  # as in a process that never registered it
    with pytest.raises(synjson.SynjsonError) as caught:
        pickle.loads(data)
    assert str(caught.value) == (
        "the custom squash 'TEST_SOFTPLUS' is not registered in this process: call "
        "synjson.squash.register(Squash('TEST_SOFTPLUS', fn)) before unpickling"
    )


def test_an_unregistered_custom_squash_refuses_to_pickle() -> None:
    net = Perceptron(2, 2, 1, seed=1)
    net.output_layer.neurons[0].squash = Squash("UNREGISTERED", _softplus)
    with pytest.raises(synjson.SynjsonError) as caught:
        pickle.dumps(net)
    assert str(caught.value) == (
        "cannot pickle the custom squash 'UNREGISTERED': register it first with synjson.squash.register(...) "
        "here and where it is unpickled (a pickle carries its name only)"
    )
    assert copy.deepcopy(net).output_layer.neurons[0].squash is net.output_layer.neurons[0].squash


def test_register_refuses_builtin_names_and_non_squashes() -> None:
    with pytest.raises(ValueError, match="'TANH' is the name of a built-in squash: choose another name"):
        register(Squash("TANH", _softplus))
    with pytest.raises(TypeError, match=r"register\(\) takes a synjson.squash.Squash, got function"):
        register(_softplus)  # type: ignore[arg-type]
    assert register(TANH) is TANH


def test_numbers_travel_as_array_bytes() -> None:
    """A 64-128-10 Perceptron pickles in at most 1.2x the bytes of its numbers (no JSON text)."""
    net = Perceptron(64, 128, 10, seed=1)
    net.activate([0.5] * 64)
    store = net.store
    numbers = 8 * (8 * len(store.neurons) + 3 * len(store.connections) + store.traces)
    data = pickle.dumps(net, protocol=5)
    assert len(data) <= 1.2 * numbers, (len(data), numbers)
    assert b"weight" not in data and b'"neurons"' not in data
    assert pickle.dumps(net, protocol=5) == data  # the second time reuses the wiring: same bytes


PURE_SCRIPT = textwrap.dedent(
    """
    import copy, pickle, random
    import synjson
    from synjson.architect import LSTM
    from synjson.engine import native_available
    assert not native_available()
    net = LSTM(2, 3, 1, seed=2)
    rng = random.Random(1)
    for _ in range(5):
        net.activate([rng.random(), rng.random()]); net.propagate(0.2, [rng.random()])
    for make in (copy.deepcopy, lambda n: pickle.loads(pickle.dumps(n)), copy.copy):
        twin = make(net)
        assert twin.to_json()["neurons"][0]["squash"] == "LOGISTIC"
        for _ in range(20):
            x = [rng.random(), rng.random()]
            assert net.activate(x) == twin.activate(x)
            net.propagate(0.3, [0.5]); twin.propagate(0.3, [0.5])
        assert synjson.dumps(net, state=True) == synjson.dumps(twin, state=True)
    print("ok")
    """
)


def test_pure_python_copies_continue_exactly() -> None:
    """With SYNJSON_PURE=1 (no kernel): the pure Core pickles and copies the same way."""
    env = {**os.environ, "SYNJSON_PURE": "1"}
    done = subprocess.run([sys.executable, "-c", PURE_SCRIPT], env=env, capture_output=True, text=True, timeout=120)
    assert (done.returncode, done.stdout.strip(), done.stderr) == (0, "ok", "")
