"""brain.js 1.6.1 ``NeuralNetwork`` JSON, both ways.

brain.js's ``toJSON()`` writes ``sizes``, ``layers`` (layer 0 lists the inputs; every
later layer maps each node to ``{bias, weights}``, the weights keyed by the previous
layer's nodes), ``activation``, ``inputLookup``/``outputLookup`` and ``trainOpts``.
A brain.js network is a Synaptic perceptron: one activation for every layer after the
input, each layer connected all to all to the next. ``sigmoid`` is LOGISTIC, ``tanh`` TANH,
``relu`` RELU. ``leaky-relu`` is refused both ways: brain.js 1.6.1 computes it as
``x < 0 ? 0 : 0.01 * x``, which no Synaptic squash computes. brain.js computes in float32;
the files hold the numbers as written (float64), so a round trip through the JSON is exact.
Named inputs and outputs (the lookups) become ``net.metadata["inputs"]``/``["outputs"]``.
See docs/formats.md.
"""

from __future__ import annotations

import itertools
from typing import Any

from ...document.limits import DEFAULT_LIMITS, Limits
from ...errors import FormatError
from ...model.layer import Layer
from ...model.network import Network
from ...model.neuron import Neuron
from ...model.squash import LOGISTIC, RELU, TANH
from ._common import Wiring, array, check_count, integer, is_array_index, js_keys, number, obj

__all__ = ["from_brainjs", "to_brainjs", "layered", "Layered", "ACTIVATIONS"]

#: brain.js activation name -> Synaptic squash.
ACTIVATIONS = {"sigmoid": LOGISTIC, "tanh": TANH, "relu": RELU}
_NAMES = {squash.name: name for name, squash in ACTIVATIONS.items()}
_LEAKY = "brain.js 1.6.1 computes leaky-relu as x < 0 ? 0 : 0.01 * x, which no Synaptic squash computes"


def from_brainjs(document: Any, *, limits: Limits | None = None) -> Network:
    """A Synaptic perceptron computing what brain.js 1.6.1's ``NeuralNetwork.fromJSON(document).run`` computes
    (``synjson.read`` sends a document in brain.js 2's layout to :func:`~.brainjs2.from_brainjs2` instead).

    Follows brain.js's reading: nodes and weights in JavaScript key order, weights by
    position. Anything brain.js would misread or a Synaptic network cannot compute raises FormatError.
    """
    limits = DEFAULT_LIMITS if limits is None else limits
    doc = obj(document, ())
    sizes, layers = sizes_and_layers(doc, limits)
    activation = doc.get("activation", "sigmoid")
    if activation == "leaky-relu":
        raise FormatError(f'activation "leaky-relu": {_LEAKY}', ("activation",))
    if not isinstance(activation, str) or activation not in ACTIVATIONS:
        raise FormatError(
            f"unknown activation {activation!r:.60}: brain.js 1.6.1 has sigmoid, tanh, relu", ("activation",)
        )

    nodes = [js_keys(obj(layer, ("layers", i)).keys()) for i, layer in enumerate(layers)]
    for i, keys in enumerate(nodes):
        if len(keys) != sizes[i]:
            raise FormatError(f"layer {i} has {len(keys)} nodes, sizes[{i}] is {sizes[i]}", ("layers", i))
    weights: list[list[list[float]]] = [[]]
    biases: list[list[float]] = [[]]
    for i in range(1, len(layers)):
        layer_weights, layer_biases = [], []
        for key in nodes[i]:
            node = obj(layers[i][key], ("layers", i, key))
            for field in ("bias", "weights"):
                if field not in node:
                    raise FormatError(f'missing required key "{field}"', ("layers", i, key))
            layer_biases.append(number(node["bias"], ("layers", i, key, "bias")))
            row = obj(node["weights"], ("layers", i, key, "weights"))
            if len(row) != sizes[i - 1]:
                raise FormatError(
                    f"expected {sizes[i - 1]} weights (one per node of layer {i - 1}), got {len(row)}",
                    ("layers", i, key, "weights"),
                )
            layer_weights.append([number(row[k], ("layers", i, key, "weights", k)) for k in js_keys(row)])
        weights.append(layer_weights)
        biases.append(layer_biases)

    squash = ACTIVATIONS[activation]
    built = [Layer.of([Neuron(bias=0.0) for _ in range(sizes[0])])]
    for i in range(1, len(sizes)):
        built.append(Layer.of([Neuron(bias=bias, squash=squash) for bias in biases[i]]))
        for k, source in enumerate(built[i - 1].neurons):  # target j then sums its inputs in k order, as brain.js
            for j, target in enumerate(built[i].neurons):
                source.attach(target, weights[i][j][k])
    net = Network(input=built[0], hidden=built[1:-1], output=built[-1])
    # brain.js uses a lookup when layer 0 has no node "0" or inputLookup is set (fromJSON); keys that
    # are just the indices (brain.js writes inputLookup: true after reading a file without) name nothing.
    for side, keys, flag in (("inputs", nodes[0], "inputLookup"), ("outputs", nodes[-1], "outputLookup")):
        layer = layers[0] if side == "inputs" else layers[-1]
        lookup = not _truthy(layer.get("0")) or _truthy(doc.get(flag))
        if lookup and keys != [str(k) for k in range(len(keys))]:
            net.metadata[side] = keys
    return net


def to_brainjs(net: Network) -> dict[str, Any]:
    """brain.js 1.6.1 ``NeuralNetwork`` JSON for a layered, all-to-all network with one brain.js activation.

    Refuses, naming the neuron or connection (numbered as in the Synaptic JSON), a gate, a
    self-connection, a connection that skips or goes back a layer, a missing connection, and
    a squash brain.js lacks or that differs between neurons.
    """
    shape = layered(net)
    layers = net.layers()
    inputs = _keys(net.metadata.get("inputs"), layers[0].size, "input")
    outputs = _keys(net.metadata.get("outputs"), layers[-1].size, "output")
    names = [inputs, *([str(j) for j in range(layer.size)] for layer in layers[1:-1]), outputs]
    out_layers: list[dict[str, Any]] = [{key: {} for key in inputs}]
    for d in range(1, len(layers)):
        out_layers.append({
            names[d][j]: {"bias": bias, "weights": dict(zip(names[d - 1], row))}
            for j, (bias, row) in enumerate(zip(shape.biases[d], shape.weights[d]))
        })
    return {
        "sizes": shape.sizes,
        "layers": out_layers,
        "outputLookup": "outputs" in net.metadata,
        "inputLookup": "inputs" in net.metadata,
        "activation": shape.activation,
    }


class Layered:
    """A network brain.js can hold: ``sizes``, one ``activation`` name, and per layer after the
    input ``biases[d][j]`` and ``weights[d][j][k]`` (node j of layer d from node k of layer d - 1)."""

    def __init__(self, sizes: list[int], activation: str, biases: list[list[float]],
                 weights: list[list[list[float]]]) -> None:
        self.sizes = sizes
        self.activation = activation
        self.biases = biases
        self.weights = weights


def layered(net: Network) -> Layered:
    """The brain.js shape of ``net`` (both layouts); FormatError naming what brain.js cannot hold.

    Refuses, naming the neuron or connection (numbered as in the Synaptic JSON), a gate, a
    self-connection, a connection that skips or goes back a layer, a missing connection, and
    a squash brain.js lacks or that differs between neurons.
    """
    wiring = Wiring(net)
    layers = net.layers()
    depth = {id(neuron): d for d, layer in enumerate(layers) for neuron in layer.neurons}
    for connection in wiring.connections:
        where = wiring.name(connection)
        if connection.from_neuron is connection.to_neuron:
            raise FormatError(f"{where} is a self-connection: brain.js has no recurrence")
        if connection.gater is not None:
            raise FormatError(f"{where} is gated: brain.js has no gates")
        source, target = depth[id(connection.from_neuron)], depth[id(connection.to_neuron)]
        if target != source + 1:
            raise FormatError(
                f"{where} goes from layer {_layer(layers, source)} to layer {_layer(layers, target)}:"
                " brain.js connects each layer to the next only"
            )
    squash = None
    first = None
    for d in range(1, len(layers)):
        for neuron in layers[d].neurons:
            here = wiring.at(neuron)
            if neuron.squash.name not in _NAMES:
                raise FormatError(
                    f"neuron {here} has squash {neuron.squash.name}: brain.js has sigmoid, tanh and relu only"
                )
            if squash is None:
                squash, first = neuron.squash, here
            elif neuron.squash is not squash:
                raise FormatError(
                    f"neuron {here} has squash {neuron.squash.name}, neuron {first} {squash.name}:"
                    " brain.js uses one activation for every layer"
                )
    biases: list[list[float]] = [[]]
    weights: list[list[list[float]]] = [[]]
    for d in range(1, len(layers)):
        previous = {id(neuron): k for k, neuron in enumerate(layers[d - 1].neurons)}
        biases.append([neuron.bias for neuron in layers[d].neurons])
        weights.append([])
        for neuron in layers[d].neurons:
            row: list[float | None] = [None] * layers[d - 1].size
            for connection in neuron.inputs:
                row[previous[id(connection.from_neuron)]] = connection.weight
            for k, weight in enumerate(row):
                if weight is None:
                    raise FormatError(
                        f"neuron {wiring.at(neuron)} has no connection from neuron"
                        f" {wiring.at(layers[d - 1].neurons[k])}: brain.js connects layers all to all"
                    )
            weights[d].append(row)  # type: ignore[arg-type]  # no None left
    activation = _NAMES[squash.name] if squash is not None else "sigmoid"
    return Layered([layer.size for layer in layers], activation, biases, weights)


def _truthy(value: Any) -> bool:
    """JavaScript's truthiness of a JSON value."""
    return value not in (None, False, 0, "") or isinstance(value, (dict, list))


def _layer(layers: list[Any], depth: int) -> str:
    if depth == 0:
        return "input"
    return "output" if depth == len(layers) - 1 else f"hidden {depth - 1}"


def _keys(names: Any, size: int, side: str) -> list[str]:
    """The lookup keys: the metadata names, which JavaScript must keep in this order, else indices."""
    if names is None:
        return [str(j) for j in range(size)]
    names = [str(name) for name in names]
    if len(set(names)) != len(names):
        raise FormatError(f"the {side} names repeat a name: brain.js lookups need distinct keys")
    if js_keys(names) != names:
        moved = next(name for name in names if is_array_index(name))
        raise FormatError(
            f'{side} name "{moved}" is an array index: JavaScript would reorder the brain.js lookup keys'
        )
    return names


def sizes_and_layers(doc: dict[str, Any], limits: Limits) -> tuple[list[int], list[Any]]:
    """A brain.js file's ``sizes`` (positive integers, at least input and output) and its ``layers``
    (one per size), both layouts alike, within ``limits``; FormatError naming the key otherwise."""
    for key in ("sizes", "layers"):
        if key not in doc:
            raise FormatError(f'missing required key "{key}"')
    sizes_in = array(doc["sizes"], ("sizes",))
    layers = array(doc["layers"], ("layers",))
    if len(sizes_in) < 2:
        raise FormatError(f"expected at least 2 sizes (input and output), got {len(sizes_in)}", ("sizes",))
    check_count(len(sizes_in), limits.max_neurons, "layers", "max_neurons")
    sizes = [integer(size, ("sizes", i), 1) for i, size in enumerate(sizes_in)]
    if len(layers) != len(sizes):
        raise FormatError(f"expected {len(sizes)} layers (one per size), got {len(layers)}", ("layers",))
    check_count(sum(sizes), limits.max_neurons, "neurons", "max_neurons")
    connections = sum(a * b for a, b in itertools.pairwise(sizes))
    check_count(connections, limits.max_connections, "connections", "max_connections")
    return sizes, layers
