"""Hypothesis strategies for random synjson networks, and helpers to compare them bit for bit.

Three families, all built through the public API with a seeded ``random.Random``:

* ``perceptrons()``: ``Layer``s of random width projected ALL_TO_ALL in a chain, random squashes.
* ``wired_networks()``: random ``Layer.project`` calls (every type, self-connections,
  recurrence back from later layers) and random ``Layer.gate`` calls (every gate type).
  Each ordered pair of layers is projected at most once and each layer connection
  gated at most once: re-projecting over a reverse connection makes a second
  connection between two neurons (Q-REPROJECT), which synjson refuses to load
  (Q-DUP), and a connection gated twice keeps one gater in JSON (Q-DOUBLEGATE),
  so such nets cannot round-trip.
* ``lstms()``: ``synjson.architect.LSTM`` with random sizes and options.
"""

from __future__ import annotations

import itertools
import math
import random
import struct
from typing import Any

from hypothesis import strategies as st

from synjson import Layer, Network, squash
from synjson.model.layer import ConnectionType, GateType
from synjson.train.architect import LSTM

SQUASHES = [squash.LOGISTIC, squash.TANH, squash.IDENTITY, squash.HLIM, squash.RELU]


@st.composite
def perceptrons(draw: st.DrawFn) -> Network:
    """A feed-forward chain of 0-3 hidden layers, each of 1-6 neurons, with random squashes."""
    sizes = [draw(st.integers(1, 4))]
    sizes += draw(st.lists(st.integers(1, 6), max_size=3))
    sizes.append(draw(st.integers(1, 4)))
    rng = random.Random(draw(st.integers(0, 2**32 - 1)))
    layers = [Layer(size, rng=rng) for size in sizes]
    for layer in layers[1:]:
        layer.set(squash=draw(st.sampled_from(SQUASHES)))
    for source, target in itertools.pairwise(layers):
        source.project(target)
    return Network(input=layers[0], hidden=layers[1:-1], output=layers[-1])


@st.composite
def wired_networks(draw: st.DrawFn) -> Network:
    """Random layers, projections (self-connections and recurrence included) and gates."""
    count = draw(st.integers(2, 5))  # input, 0-3 hidden, output
    sizes = [draw(st.integers(1, 3)) for _ in range(count)]
    rng = random.Random(draw(st.integers(0, 2**32 - 1)))
    layers = [Layer(size, rng=rng) for size in sizes]
    for layer in layers[1:]:
        layer.set(squash=draw(st.sampled_from(SQUASHES)))
    # Keep every neuron reachable: a chain first, then random extra projections.
    projected = set()
    connections = []
    for index in range(count - 1):
        connections.append(layers[index].project(layers[index + 1]))
        projected.add((index, index + 1))
    for _ in range(draw(st.integers(0, 6))):
        source = draw(st.integers(0, count - 1))
        target = draw(st.integers(1, count - 1))  # nothing projects into the input layer
        if (source, target) in projected:
            continue  # Q-REPROJECT: over a reverse connection, a second one between two neurons
        kind = draw(st.sampled_from([None, *ConnectionType]))
        if kind is ConnectionType.ONE_TO_ONE and sizes[target] < sizes[source]:
            kind = ConnectionType.ALL_TO_ALL
        connection = layers[source].project(layers[target], kind)
        projected.add((source, target))
        if connection is not None:
            connections.append(connection)
    gated = set()
    for _ in range(draw(st.integers(0, 6))):
        which = draw(st.integers(0, len(connections) - 1))
        kind = draw(st.sampled_from(list(GateType)))
        connection = connections[which]
        needed = {
            GateType.INPUT: connection.to_layer.size,
            GateType.OUTPUT: connection.from_layer.size,
            GateType.ONE_TO_ONE: connection.size,
        }[kind]
        gaters = [index for index in range(1, count) if sizes[index] == needed]  # input neurons never gate
        if which in gated or not gaters or connection.size == 0:
            continue  # Q-DOUBLEGATE, or no layer of the size Layer.gate needs
        layers[draw(st.sampled_from(gaters))].gate(connection, kind)
        gated.add(which)
    return Network(input=layers[0], hidden=layers[1:-1], output=layers[-1])


@st.composite
def lstms(draw: st.DrawFn) -> Network:
    """An LSTM of 1-3 inputs, 1-2 memory blocks of 1-3 cells, 1-2 outputs, random options."""
    sizes = [draw(st.integers(1, 3))]
    sizes += draw(st.lists(st.integers(1, 3), min_size=1, max_size=2))
    sizes.append(draw(st.integers(1, 2)))
    options = draw(
        st.fixed_dictionaries(
            {
                "peepholes": st.sampled_from(list(ConnectionType)),
                "hidden_to_hidden": st.booleans(),
                "output_to_hidden": st.booleans(),
                "output_to_gates": st.booleans(),
                "input_to_output": st.booleans(),
            }
        )
    )
    return LSTM(*sizes, seed=draw(st.integers(0, 2**32 - 1)), **options)


def any_network() -> st.SearchStrategy[Network]:
    """Any of the three families."""
    return st.one_of(perceptrons(), wired_networks(), lstms())


FINITE = st.floats(allow_nan=False, allow_infinity=False)  # subnormals, huge, -0.0 included


@st.composite
def networks_with_any_floats(draw: st.DrawFn) -> Network:
    """A network whose biases, states, activations and weights are arbitrary finite doubles."""
    net = draw(any_network())
    for neuron, _ in net.neurons():
        neuron.bias, neuron.state, neuron.old, neuron.activation = (draw(FINITE) for _ in range(4))
        for connection in neuron.projected:  # self-connections always load with weight 1 (Q-SELF1)
            connection.weight = draw(FINITE)
    return net


# -- comparing ------------------------------------------------------------------------


def bits(value: float) -> bytes:
    """The 8 bytes of a double: equal bits, not merely equal values (NaN, -0.0)."""
    return struct.pack("<d", value)


def float_paths(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[tuple[Any, ...], Any]]:
    """Every leaf of a JSON-like value with its path; floats and ints kept apart by type."""
    if isinstance(value, dict):
        return [leaf for key, item in value.items() for leaf in float_paths(item, (*path, key))]
    if isinstance(value, list):
        return [leaf for index, item in enumerate(value) for leaf in float_paths(item, (*path, index))]
    return [(path, value)]


def assert_same_document(left: Any, right: Any, *, negative_zero_as_zero: bool = False) -> None:
    """Equal structure, and every float equal bit for bit (``-0.0 == 0.0`` is not enough)."""
    left_leaves, right_leaves = float_paths(left), float_paths(right)
    assert [path for path, _ in left_leaves] == [path for path, _ in right_leaves]
    for (path, a), (_, b) in zip(left_leaves, right_leaves):
        if isinstance(a, float) or isinstance(b, float):
            a, b = float(a), float(b)
            if negative_zero_as_zero:
                a, b = a + 0.0, b + 0.0  # -0.0 + 0.0 is 0.0
            assert bits(a) == bits(b), f"{path}: {a!r} != {b!r}"
        else:
            assert type(a) is type(b) and a == b, f"{path}: {a!r} != {b!r}"


def assert_same_floats(left: list[float], right: list[float]) -> None:
    """Two lists of floats equal bit for bit."""
    assert [bits(x) for x in left] == [bits(y) for y in right], f"{left} != {right}"


def run(net: Network, steps: list[tuple[list[float], list[float] | None]], rate: float = 0.3) -> list[float]:
    """Activate (and propagate where a target is given) through ``steps``; all outputs, flattened."""
    outputs: list[float] = []
    for inputs, targets in steps:
        outputs.extend(net.activate(inputs))
        if targets is not None:
            net.propagate(rate, targets)
    return outputs


def steps_for(
    net: Network, seed: int, count: int = 4, train: bool = True
) -> list[tuple[list[float], list[float] | None]]:
    """A reproducible sequence of inputs in [-1, 1) and (when ``train``) targets in [0, 1)."""
    rng = random.Random(seed)
    return [
        (
            [rng.random() * 2 - 1 for _ in range(net.inputs())],
            [rng.random() for _ in range(net.outputs())] if train else None,
        )
        for _ in range(count)
    ]


def finite(values: list[float]) -> bool:
    return all(math.isfinite(value) for value in values)
