"""Neurons outside a network's layers, on every engine (issue 22, item 1 and Why-1).

A network runs its own layers only. A neuron outside them is never activated or propagated by the
network: its activation, old state and responsibility are read as they are, connections from it
into the network learn, and a gate it holds keeps its gain (docs/engine.md, "Neurons outside the
network"; docs/quirks.md, Q-OUTSIDE). Synaptic's numbers for these structures are checked in
tests/conformance/test_structures.py; here every engine must equal the reference exactly.
"""

from __future__ import annotations

import random

import pytest

from synjson import Layer, Neuron
from synjson.architect import Perceptron
from synjson.engine import available_engines

numpy = pytest.importorskip("numpy")

ENGINES = available_engines()


def test_issue_example_runs_on_every_engine() -> None:
    """The issue's reproducer: the kernel refused with "plan.out_conn[8] is nobody's input"."""
    results = []
    for engine in ENGINES:
        net = Perceptron(2, 3, 1, seed=2)
        net.engine = engine
        hidden = net.neurons()[3][0]
        hidden.project(Neuron())
        first = net.activate([1, 0])
        net.propagate(0.3, [1])
        results.append((first, net.activate([1, 0]), list(net.store.weight)))
    assert results[0][0] == [0.47921474200479824]
    assert all(result == results[0] for result in results)


def _batch_net(engine: str) -> tuple[object, list[list[float]]]:
    net = Perceptron(2, 3, 1, seed=2)
    net.engine = engine
    outside = Neuron(bias=0.0)
    outside.project(net.hidden_layers[0].neurons[1], 0.5)
    outside.activate(0.7)
    rows = [[random.Random(k).random(), random.Random(k + 99).random()] for k in range(40)]
    return net, rows


@pytest.mark.parametrize("engine", ENGINES)
def test_batch_reads_an_outside_neuron(engine: str) -> None:
    """Why-1: activate_batch with an outside neuron feeding a hidden one equals activate row by row.

    The side-by-side batch read the outside neuron's activation from scratch memory it never filled
    (about 2e-3 off, varying from run to run); it now leaves such a network to the row-by-row path.
    """
    net, rows = _batch_net(engine)
    batch = net.activate_batch(numpy.array(rows)).tolist()
    again, _ = _batch_net(engine)
    assert batch == [again.activate(row) for row in rows]
    if engine == "native":
        assert net.program.rows_independent is False


def _structure(engine: str, kind: str) -> tuple[object, list[object]]:
    """A 2-3-2 perceptron with one kind of outside structure; the extra objects to watch."""
    rng = random.Random(7)
    net = Perceptron(2, 3, 2, seed=5)
    net.engine = engine
    hidden, output = net.hidden_layers[0].neurons, net.output_layer.neurons
    u, v = Neuron(rng=rng), Neuron(rng=rng)
    if kind == "into":  # u feeds a hidden and an output neuron
        u.project(hidden[0])
        u.project(output[1])
        u.activate(0.3)
    elif kind == "out of":  # hidden projects to v, whose responsibility is not 0
        hidden[2].project(v)
        v.activate()
        v.propagate(0.2, 0.9)
    elif kind == "gating inside":  # u gates a connection inside the network
        u.gate(hidden[1].projected[0])
        u.activate(0.6)
    elif kind == "gated by":  # a hidden neuron gates u -> v and u -> output
        c = u.project(v)
        hidden[0].gate(c)
        hidden[0].gate(u.project(output[0]))
        u.activate(0.4)
    elif kind == "layer":  # net.project(Layer(2)), then the layer activated by hand
        layer = Layer(2, rng=rng)
        net.project(layer)
        return net, layer.neurons
    elif kind == "network":  # net.project(other); both run
        other = Perceptron(2, 2, 1, seed=9)
        other.engine = engine
        net.project(other)
        return net, [other]
    return net, [u, v]


KINDS = ["into", "out of", "gating inside", "gated by", "layer", "network"]


def _run(engine: str, kind: str) -> list[object]:
    net, extra = _structure(engine, kind)
    rng = random.Random(11)
    seen = []
    for step in range(30):
        x = [rng.random(), rng.random()]
        seen.append(net.activate(x))
        net.propagate(0.3, [rng.random(), rng.random()])
        if kind == "layer" and step % 3 == 0:
            seen.append([neuron.activate() for neuron in extra])
        if kind == "network":
            seen.append(extra[0].activate(seen[-1]))
            extra[0].propagate(0.2, [0.5])
    store = net.store
    seen.append(list(store.weight[: len(store.connections)]))
    seen.append(list(store.bias[: len(store.neurons)]))
    seen.append(list(store.xtrace[: store.traces]))
    return seen


@pytest.mark.parametrize("kind", KINDS)
def test_outside_structures_equal_the_reference(kind: str) -> None:
    """30 steps of activate + propagate: outputs, weights, biases and traces == the reference's."""
    expected = _run("reference", kind)
    for engine in ENGINES:
        assert _run(engine, kind) == expected, engine


def test_outside_neuron_is_never_run_by_the_network() -> None:
    """The network reads an outside neuron's values but never writes them."""
    for engine in ENGINES:
        net, (_u, v) = _structure(engine, "out of")
        before = (v.activation, v.state, v.responsibility, v.bias)
        for _ in range(3):
            net.activate([0.1, 0.2])
            net.propagate(0.3, [0.0, 1.0])
        assert (v.activation, v.state, v.responsibility, v.bias) == before


def test_neuron_in_two_layers_of_one_network_is_a_structure_error() -> None:
    """Found by tests/property/test_structures_stateful.py: the message named the neuron by its global
    creation number (different from run to run) and the error was a raw ValueError."""
    from synjson import Network
    from synjson.errors import StructureError, SynjsonError

    for engine in ENGINES:
        input_layer, output_layer = Layer(3), Layer(3)
        input_layer.add(output_layer.neurons[1])
        net = Network(input_layer, [], output_layer)
        net.engine = engine
        with pytest.raises(StructureError) as caught:
            net.activate([0.1, 0.2, 0.3, 0.4])
        assert isinstance(caught.value, SynjsonError) and isinstance(caught.value, ValueError)
        assert str(caught.value) == (
            "neuron 1 of layer 1 is already in layer 0 of this network (layers count from the input layer): "
            "give each layer of a network its own neurons"
        )
