"""brain.js 2.x ``NeuralNetwork`` JSON (2.0.0-beta.24), both ways.

brain.js 2's ``toJSON()`` writes ``type`` ("NeuralNetwork"; "NeuralNetworkGPU" for the GPU
class, same layout), ``sizes``, ``layers`` as ``{"weights": [[...]], "biases": [...]}`` (layer 0
empty; ``weights[j][k]`` is node j's weight from node k of the layer before), ``inputLookup`` and
``outputLookup`` (``{name: index}`` or null) with their lengths, ``options`` and ``trainOpts``,
which carries the activation. The network is the same Synaptic perceptron as 1.6.1's
(:mod:`.brainjs`); only the layout differs. ``fromJSON`` takes the activation from
``trainOpts`` (sigmoid when it has none), reads nothing from layer 0, and turns every weight into
a float32 (a number beyond float32's range becomes infinity there, so it is refused here).
``leaky-relu`` (2.x computes ``max(x, alpha * x)``) is refused: Synaptic has no such squash.
See docs/formats.md.
"""

from __future__ import annotations

import struct
from typing import Any

from ...document.limits import DEFAULT_LIMITS, Limits
from ...errors import FormatError
from ...model.layer import Layer
from ...model.network import Network
from ...model.neuron import Neuron
from ._common import array, integer, number, obj
from .brainjs import ACTIVATIONS, layered, sizes_and_layers

__all__ = ["from_brainjs2", "to_brainjs2", "is_brainjs2", "TYPES"]

#: The ``type`` values whose files ``NeuralNetwork.fromJSON`` reads (both write this layout).
TYPES = ("NeuralNetwork", "NeuralNetworkGPU")
#: What ``getTrainOptsJSON()`` writes for a network trained with brain.js 2's defaults; ``fromJSON``
#: validates every field, so a file without them would not load.
TRAIN_DEFAULTS: dict[str, Any] = {
    "iterations": 20000, "errorThresh": 0.005, "log": False, "logPeriod": 10, "leakyReluAlpha": 0.01,
    "learningRate": 0.3, "momentum": 0.1, "callbackPeriod": 10, "timeout": "Infinity",
    "beta1": 0.9, "beta2": 0.999, "epsilon": 1e-8,
}
_LEAKY = "brain.js 2 computes leaky-relu as max(x, alpha * x), and Synaptic has no such squash"


def is_brainjs2(doc: dict[str, Any]) -> bool:
    """Whether a brain.js document is in the 2.x layout: it has ``type``, or a layer whose
    ``weights`` or ``biases`` is an array (in 1.6.1's layout every layer value is an object)."""
    if "type" in doc:
        return True
    layers = doc.get("layers")
    return isinstance(layers, list) and any(
        isinstance(layer, dict) and any(isinstance(layer.get(key), list) for key in ("weights", "biases"))
        for layer in layers
    )


def from_brainjs2(doc: dict[str, Any], *, limits: Limits | None = None) -> Network:
    """A Synaptic perceptron computing what brain.js 2's ``new NeuralNetwork().fromJSON(doc).run`` computes.

    Anything brain.js would misread or a Synaptic network cannot compute raises FormatError.
    """
    limits = DEFAULT_LIMITS if limits is None else limits
    kind = doc.get("type", "NeuralNetwork")
    if kind not in TYPES:
        shown = repr(kind)[:60] if not isinstance(kind, str) else f'"{kind:.60}"'
        raise FormatError(f"type {shown}: synjson reads brain.js's NeuralNetwork and NeuralNetworkGPU only", ("type",))
    sizes, layers = sizes_and_layers(doc, limits)
    squash = ACTIVATIONS[_activation(doc)]

    built = [Layer.of([Neuron(bias=0.0) for _ in range(sizes[0])])]
    for i in range(1, len(sizes)):  # layers[0] holds nothing brain.js reads
        layer = obj(layers[i], ("layers", i))
        for key in ("weights", "biases"):
            if key not in layer:
                raise FormatError(f'missing required key "{key}"', ("layers", i))
        biases = _numbers(layer["biases"], sizes[i], f"biases (one per node of layer {i})", ("layers", i, "biases"))
        rows = array(layer["weights"], ("layers", i, "weights"))
        if len(rows) != sizes[i]:
            raise FormatError(f"expected {sizes[i]} weight rows (one per node of layer {i}), got {len(rows)}",
                              ("layers", i, "weights"))
        weights = [
            _numbers(row, sizes[i - 1], f"weights (one per node of layer {i - 1})", ("layers", i, "weights", j))
            for j, row in enumerate(rows)
        ]
        built.append(Layer.of([Neuron(bias=bias, squash=squash) for bias in biases]))
        for k, source in enumerate(built[i - 1].neurons):  # target j sums its inputs in k order, as brain.js
            for j, target in enumerate(built[i].neurons):
                source.attach(target, weights[j][k])
    net = Network(input=built[0], hidden=built[1:-1], output=built[-1])
    inputs = _lookup(doc, "inputLookup", sizes[0])
    if inputs is not None:
        length = doc.get("inputLookupLength")
        if length != sizes[0] or isinstance(length, bool):
            raise FormatError(f"expected {sizes[0]} (sizes[0]): brain.js runs an input of this length only",
                              ("inputLookupLength",))
        net.metadata["inputs"] = inputs
    outputs = _lookup(doc, "outputLookup", sizes[-1])
    if outputs is not None:
        net.metadata["outputs"] = outputs
    return net


def to_brainjs2(net: Network) -> dict[str, Any]:
    """brain.js 2 ``NeuralNetwork`` JSON, as its ``toJSON()`` writes it, for the networks
    :func:`~.brainjs.to_brainjs` takes (the same refusals); names become the lookups."""
    shape = layered(net)
    lookups: dict[str, Any] = {}
    for side, key in (("inputs", "input"), ("outputs", "output")):
        names = net.metadata.get(side)
        size = shape.sizes[0] if side == "inputs" else shape.sizes[-1]
        table = None
        if names is not None:
            names = [str(name) for name in names]
            if len(names) != size or len(set(names)) != len(names):
                raise FormatError(f"the {side} names must be {size} distinct names: brain.js looks each one up")
            table = {name: j for j, name in enumerate(names)}
        lookups[f"{key}Lookup"] = table
        lookups[f"{key}LookupLength"] = size if table is not None else 0
    return {
        "type": "NeuralNetwork",
        "sizes": shape.sizes,
        "layers": [{"weights": shape.weights[d], "biases": shape.biases[d]} for d in range(len(shape.sizes))],
        "inputLookup": lookups["inputLookup"],
        "inputLookupLength": lookups["inputLookupLength"],
        "outputLookup": lookups["outputLookup"],
        "outputLookupLength": lookups["outputLookupLength"],
        "options": {"inputSize": 0, "outputSize": 0, "binaryThresh": 0.5},
        "trainOpts": {"activation": shape.activation, **TRAIN_DEFAULTS},
    }


def _activation(doc: dict[str, Any]) -> str:
    """``trainOpts.activation``, "sigmoid" without one (brain.js 2 ignores a top-level ``activation``)."""
    if "trainOpts" not in doc:
        return "sigmoid"
    options = obj(doc["trainOpts"], ("trainOpts",))
    activation = options.get("activation", "sigmoid")
    path = ("trainOpts", "activation")
    if activation == "leaky-relu":
        raise FormatError(f'activation "leaky-relu": {_LEAKY}', path)
    if not isinstance(activation, str) or activation not in ACTIVATIONS:
        raise FormatError(f"unknown activation {activation!r:.60}: brain.js 2 has sigmoid, tanh, relu, leaky-relu",
                          path)
    return activation


def _numbers(value: Any, size: int, what: str, path: tuple[str | int, ...]) -> list[float]:
    """``size`` finite numbers that float32 can hold (brain.js stores them in a Float32Array)."""
    values = array(value, path)
    if len(values) != size:
        raise FormatError(f"expected {size} {what}, got {len(values)}", path)
    numbers = [number(item, (*path, k)) for k, item in enumerate(values)]
    for k, item in enumerate(numbers):
        try:
            struct.pack("<f", item)
        except OverflowError:
            raise FormatError(f"{item!r} is beyond float32's range: brain.js would read it as infinity",
                              (*path, k)) from None
    return numbers


def _lookup(doc: dict[str, Any], key: str, size: int) -> list[str] | None:
    """The names of a ``{name: index}`` lookup in index order; None when brain.js uses none."""
    table = doc.get(key)
    if table in (None, False, 0, ""):  # JavaScript falsy: no lookup
        return None
    table = obj(table, (key,))
    names: list[str | None] = [None] * size
    for name, index in table.items():
        j = integer(index, (key, name), 0, size)
        if names[j] is not None:
            raise FormatError(f'"{name:.60}" and "{names[j]:.60}" both name index {j}', (key, name))
        names[j] = name
    if None in names:
        raise FormatError(f"names {len(table)} of {size} indices: synjson names every one or none", (key,))
    return names  # type: ignore[return-value]  # no None left
