"""ONNX MLP graph -> Synaptic perceptron.

Reads the graphs ``torch.onnx.export(nn.Sequential(Flatten, Linear, Sigmoid/Tanh/ReLU/Identity, ...))``,
Keras through tf2onnx and skl2onnx's MLPRegressor and binary MLPClassifier write: one input, then per
layer ``Gemm`` (transB 0 or 1, alpha = beta = 1) or ``MatMul`` followed by an optional ``Add`` of the
bias, then an optional ``Sigmoid``, ``Tanh``, ``Relu`` or ``Identity``; weights in initializers or
``Constant`` nodes (or ``Identity`` nodes of them), float32 or float64. A linear layer without
activation is IDENTITY. ``Cast``, ``Reshape`` and ``Flatten`` that move no value anywhere pass their
input on (:mod:`.onnx_ops`); skl2onnx's classifier outputs after the ``Sigmoid`` are not read (the
network outputs the probability). Any other graph is refused naming the first operator (or
structure) that is not supported, and why. Only FormatError and LimitError leave this module.
"""

from __future__ import annotations

import json
import math
import struct
from typing import Any

from ...document.limits import DEFAULT_LIMITS, Limits, check_size
from ...errors import FormatError
from ...model.layer import Layer
from ...model.network import Network
from ...model.neuron import Neuron
from ...model.squash import IDENTITY, LOGISTIC, RELU, TANH, Squash
from ._common import check_count
from .onnx_ops import PASS_THROUGH, Dims, classifier_tail, pass_through, refusal

__all__ = ["from_onnx", "SUPPORTED"]

_SQUASH = {"Sigmoid": LOGISTIC, "Tanh": TANH, "Relu": RELU}
#: The operators an importable graph may hold.
SUPPORTED = ("Gemm", "MatMul", "Add", "Sigmoid", "Tanh", "Relu", "Constant", *PASS_THROUGH)
_FLOAT, _DOUBLE = 1, 11  # TensorProto.FLOAT, TensorProto.DOUBLE


class _Linear:
    """One layer read so far: weights[out][in], biases[out], and its squash once seen."""

    def __init__(self, weights: list[list[float]], biases: list[float], open_bias: bool) -> None:
        self.weights = weights
        self.biases = biases
        self.open_bias = open_bias  # a MatMul: an Add of the bias may follow
        self.squash: Squash | None = None


def from_onnx(data: bytes, *, limits: Limits | None = None) -> Network:
    """A Synaptic perceptron computing what the ONNX MLP graph in ``data`` computes."""
    limits = DEFAULT_LIMITS if limits is None else limits
    check_size(len(data), limits, "file is", "bytes")
    model = _parse(data)
    graph = model.graph
    check_count(len(graph.node), limits.max_neurons, "graph nodes", "max_neurons")
    check_count(len(graph.initializer), limits.max_neurons, "initializers", "max_neurons")
    constants = {tensor.name: tensor for tensor in graph.initializer}
    inputs = [value for value in graph.input if value.name not in constants]
    if len(inputs) != 1:
        raise FormatError(f"expected a graph with one input, got {len(inputs)}", ("graph", "input"))
    current = inputs[0].name
    dims = _input_dims(inputs[0])
    layers: list[_Linear] = []
    budget = [0, limits.max_connections]  # weights read so far, and the limit
    tail = classifier_tail(graph, constants)
    for i, node in enumerate(graph.node):
        if tail is not None and i in tail[1]:
            continue  # skl2onnx's label and [1 - p, p]: the network outputs p
        path = ("graph", "node", i)
        op = _text(node.op_type)
        domain = _text(node.domain)
        if domain not in ("", "ai.onnx") or op not in SUPPORTED:
            raise FormatError(refusal(op if domain in ("", "ai.onnx") else f"{domain:.60}.{op}"), path)
        if len(node.output) != 1:
            raise FormatError(f"{op} has {len(node.output)} outputs, expected 1", path)
        if op == "Constant":
            constants[node.output[0]] = _constant(node, path)
            continue
        if op == "Identity" and len(node.input) == 1 and node.input[0] in constants:
            constants[node.output[0]] = constants[node.input[0]]  # torch.onnx's alias of a weight
            continue
        data_inputs = [name for name in node.input if name and name not in constants]
        if data_inputs != [current]:
            raise FormatError(f"{op} does not take the previous layer's output alone: not a sequential MLP", path)
        if op in ("Gemm", "MatMul"):
            if len(dims) != 1:
                raise FormatError(f"{op} of a {len(dims) + 1}-dimensional value is not supported: synjson reads"
                                  " [batch, features] layers (a Flatten before it makes one)", path)
            layer = _linear(node, constants, dims[0], budget, path)
            if layers and layers[-1].squash is None:
                layers[-1].squash = IDENTITY
            layers.append(layer)
            dims = (len(layer.biases),)
        elif op in PASS_THROUGH:
            dims = pass_through(node, op, dims, constants, path)
        elif op == "Add":
            if not layers or not layers[-1].open_bias or len(node.input) != 2:
                raise FormatError("Add is not the bias of a MatMul: not a sequential MLP", path)
            layer = layers[-1]
            (name,) = [name for name in node.input if name in constants] or [""]
            layer.biases = _vector(constants[name], len(layer.biases), budget, (*path, "input"))
            layer.open_bias = False
        elif op in _SQUASH:
            if not layers or layers[-1].squash is not None:
                follows = "the graph input" if not layers else "an activation"
                raise FormatError(f"{op} follows {follows}: Synaptic squashes each neuron once", path)
            layers[-1].squash = _SQUASH[op]
            layers[-1].open_bias = False
        current = node.output[0]  # Identity, Cast, Reshape and Flatten pass the value on unchanged
    if not layers:
        raise FormatError("the graph has no Gemm or MatMul layer", ("graph",))
    outputs = [tail[0]] if tail is not None else [value.name for value in graph.output]
    if len(dims) != 1:
        raise FormatError(f"the graph's output has {len(dims) + 1} dimensions: synjson writes [batch, outputs]",
                          ("graph", "output"))
    if outputs != [current]:
        raise FormatError(f"expected the graph's one output to be the last layer's, got {outputs}"[:200],
                          ("graph", "output"))
    if layers[-1].squash is None:
        layers[-1].squash = IDENTITY
    return _network(layers, inputs[0], model)


def _text(value: str | bytes) -> str:
    """A protobuf string field: upb hands back bytes when the field is not valid UTF-8."""
    return value if isinstance(value, str) else value.decode("utf-8", "replace")


def _parse(data: bytes) -> Any:
    try:
        import onnx
    except ImportError:  # pragma: no cover - the onnx extra is missing
        raise FormatError("reading ONNX needs the onnx package: pip install 'synjson[onnx]'") from None
    model = onnx.ModelProto()
    try:
        model.ParseFromString(bytes(data))
    except Exception as error:  # protobuf's DecodeError, or its own limits: the bytes are not a model
        raise FormatError(f"not an ONNX model: {type(error).__name__}") from None
    if not model.HasField("graph"):
        raise FormatError("not an ONNX model: no graph")
    return model


def _input_dims(value: Any) -> Dims:
    """The input's dimensions after the batch: one (``[batch, features]``), or more for a Flatten to make one."""
    tensor = value.type.tensor_type
    where = ("graph", "input", _text(value.name)[:60])
    if not value.type.HasField("tensor_type") or tensor.elem_type not in (_FLOAT, _DOUBLE):
        raise FormatError("expected a float or double tensor input", where)
    if not tensor.HasField("shape"):
        return (None,)
    dims = tensor.shape.dim
    if not 2 <= len(dims) <= 8:
        raise FormatError(f"expected a [batch, features] input, got {len(dims)} dimensions", where)
    return tuple(int(d.dim_value) if d.HasField("dim_value") else None for d in dims[1:])


def _constant(node: Any, path: tuple[str | int, ...]) -> Any:
    for attribute in node.attribute:
        if _text(attribute.name) == "value" and attribute.HasField("t"):
            return attribute.t
    raise FormatError("Constant without a tensor value is not supported", path)


def _attributes(node: Any) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for attribute in node.attribute:
        kind = attribute.type  # AttributeProto.FLOAT is 1, INT is 2; no other kind is read
        values[_text(attribute.name)] = attribute.f if kind == 1 else attribute.i if kind == 2 else None
    return values


def _linear(node: Any, constants: dict[str, Any], width: int | None, budget: list[int], path: Any) -> _Linear:
    attributes = _attributes(node)
    if _text(node.op_type) == "Gemm":
        for name, wanted in (("alpha", 1.0), ("beta", 1.0), ("transA", 0)):
            if attributes.get(name, wanted) != wanted:
                raise FormatError(f"Gemm with {name}={attributes.get(name)} is not supported", path)
        trans_b = attributes.get("transB", 0)
        if trans_b not in (0, 1):
            raise FormatError(f"Gemm with transB={trans_b} is not supported", path)
        if len(node.input) not in (2, 3) or node.input[0] in constants:
            raise FormatError("Gemm must take the previous layer's output, weights and an optional bias", path)
    else:
        trans_b = 0
        if len(node.input) != 2 or node.input[0] in constants:
            raise FormatError("MatMul must take the previous layer's output and the weights", path)
    tensor = constants.get(node.input[1])
    if tensor is None:
        raise FormatError(f"{_text(node.op_type)}'s weights are not a constant", path)
    dims, values = _tensor(tensor, budget, (*path, "input", 1))
    if len(dims) != 2:
        raise FormatError(f"expected 2-dimensional weights, got {len(dims)} dimensions", (*path, "input", 1))
    rows, columns = dims
    outputs, inputs = (rows, columns) if trans_b else (columns, rows)
    if width is not None and inputs != width:
        raise FormatError(f"weights take {inputs} inputs, the previous layer has {width}", (*path, "input", 1))
    if inputs == 0 or outputs == 0:
        raise FormatError("a layer of no neurons is not supported", (*path, "input", 1))
    if trans_b:
        weights = [values[j * inputs:(j + 1) * inputs] for j in range(outputs)]
    else:
        weights = [values[j::outputs] for j in range(outputs)]
    biases = [0.0] * outputs
    has_bias = _text(node.op_type) == "Gemm" and len(node.input) == 3 and node.input[2] != ""
    if has_bias:
        if node.input[2] not in constants:
            raise FormatError("Gemm's bias is not a constant", path)
        biases = _vector(constants[node.input[2]], outputs, budget, (*path, "input", 2))
    return _Linear(weights, biases, open_bias=_text(node.op_type) == "MatMul")


def _vector(tensor: Any, size: int, budget: list[int], path: Any) -> list[float]:
    dims, values = _tensor(tensor, budget, path)
    if dims not in ([size], [1, size]):
        raise FormatError(f"expected a bias of shape [{size}], got {dims}"[:120], path)
    return values


def _tensor(tensor: Any, budget: list[int], path: Any) -> tuple[list[int], list[float]]:
    """A float or double tensor's shape and values, checked by hand (no third-party decoding to go wrong)."""
    dims = [int(d) for d in tensor.dims]
    if any(d < 0 for d in dims) or len(dims) > 8:
        raise FormatError(f"tensor has impossible dimensions {dims}"[:120], path)
    count = math.prod(dims)
    budget[0] += count
    check_count(budget[0], budget[1], "tensor values", "max_connections")
    if tensor.data_location == 1 or len(tensor.external_data):
        raise FormatError("tensors stored outside the file are not supported", path)
    if tensor.data_type not in (_FLOAT, _DOUBLE):
        raise FormatError(f"expected float or double weights, got ONNX data type {tensor.data_type}", path)
    size, code = (4, "f") if tensor.data_type == _FLOAT else (8, "d")
    if tensor.raw_data:
        raw = tensor.raw_data
        if len(raw) != count * size:
            raise FormatError(f"tensor holds {len(raw)} bytes, its shape needs {count * size}", path)
        values = list(struct.unpack(f"<{count}{code}", raw))
    else:
        values = list(tensor.float_data if tensor.data_type == _FLOAT else tensor.double_data)
        if len(values) != count:
            raise FormatError(f"tensor holds {len(values)} values, its shape needs {count}", path)
    if not all(math.isfinite(value) for value in values):
        raise FormatError("tensor holds NaN or infinity", path)
    return dims, values


def _network(layers: list[_Linear], input_value: Any, model: Any) -> Network:
    built = [Layer.of([Neuron(bias=0.0) for _ in layers[0].weights[0]])]
    for layer in layers:
        built.append(Layer.of([Neuron(bias=bias, squash=layer.squash or IDENTITY) for bias in layer.biases]))
        for k, source in enumerate(built[-2].neurons):
            for j, target in enumerate(built[-1].neurons):
                source.attach(target, layer.weights[j][k])
    net = Network(input=built[0], hidden=built[1:-1], output=built[-1])
    for prop in model.metadata_props:  # names a synjson export carried
        side = _text(prop.key).removeprefix("synjson.")
        if side in ("inputs", "outputs"):
            try:
                names = json.loads(_text(prop.value))
            except ValueError:
                continue
            size = built[0].size if side == "inputs" else built[-1].size
            if isinstance(names, list) and len(names) == size and all(isinstance(n, str) for n in names):
                net.metadata[side] = names
    return net
