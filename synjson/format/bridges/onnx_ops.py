"""The ONNX operators around an MLP that change nothing, the reasons others are refused, and skl2onnx's
binary-classifier outputs.

Converters add operators that leave every value where it is: skl2onnx starts with ``Cast`` to the
input's own type and ends a regressor with ``Reshape([-1, 1])``; torch.onnx writes ``Flatten`` for
``nn.Flatten`` and ``Identity`` nodes. :func:`pass_through` checks one such node and gives the value's
new shape (features per row); one that would move values between rows or change them is refused,
naming why. :func:`refusal` says why any other operator cannot be read. :func:`classifier_tail`
finds what skl2onnx adds after a binary ``MLPClassifier``'s ``Sigmoid`` (the label and the pair
``[1 - p, p]``), so the network reads as the ``Sigmoid``'s probability ``p``. Only FormatError leaves.
"""

from __future__ import annotations

import math
import struct
from typing import Any

from ...errors import FormatError

__all__ = ["PASS_THROUGH", "pass_through", "refusal", "classifier_tail", "Dims"]

#: Operators read as passing their input on unchanged (when :func:`pass_through` agrees).
PASS_THROUGH = ("Identity", "Cast", "Reshape", "Flatten")
#: Features per row, one entry per dimension after the batch; None where the graph does not say.
Dims = tuple[int | None, ...]
_FLOAT, _DOUBLE, _INT64 = 1, 11, 7  # TensorProto.FLOAT, DOUBLE, INT64
_NO_SQUASH = "Synaptic has no such squash (it has LOGISTIC, TANH, RELU, IDENTITY and HLIM)"
_REASONS = {
    "Softmax": "it divides each output by a sum over the whole layer, and a Synaptic neuron squashes its own sum"
               " only",
    "LogSoftmax": "it normalises over the whole layer, and a Synaptic neuron squashes its own sum only",
    **dict.fromkeys(("LeakyRelu", "PRelu", "Elu", "Selu", "Celu", "Gelu", "Softplus", "Softsign", "HardSigmoid",
                     "HardSwish", "Mish", "ThresholdedRelu"), _NO_SQUASH),
    "Dropout": "synjson reads graphs exported for inference, without Dropout",
    "BatchNormalization": "fold it into the layer before exporting: synjson reads Gemm and MatMul layers",
}
_GENERIC = ("synjson reads MLP graphs of Gemm, MatMul, Add, Sigmoid, Tanh, Relu, Identity, and Cast, Reshape"
            " and Flatten that move no value")
#: What skl2onnx writes after a binary MLPClassifier's Sigmoid.
_TAIL_OPS = ("Sub", "Concat", "ArgMax", "ArrayFeatureExtractor", "ZipMap", "Reshape", "Cast", "Identity")


def refusal(op: str) -> str:
    """Why operator ``op`` cannot be read."""
    return f"operator {op:.60} is not supported: {_REASONS.get(op, _GENERIC)}"


def pass_through(node: Any, op: str, dims: Dims, constants: dict[str, Any], path: Any) -> Dims:
    """The shape after ``node`` (an operator of :data:`PASS_THROUGH`), which must leave every value of every
    row where it is; FormatError naming what it would change otherwise."""
    attributes = {_text(a.name): a for a in node.attribute}
    if op == "Identity":
        return dims
    if op == "Cast":
        to = attributes["to"].i if "to" in attributes else None
        if to not in (_FLOAT, _DOUBLE):
            raise FormatError(f"Cast to ONNX data type {to} is not supported: it changes the values, and synjson"
                              " computes in float64 (a Cast to float or double changes none)", path)
        return dims
    width = None if None in dims else math.prod(dims)  # type: ignore[arg-type]
    if op == "Flatten":
        axis = attributes["axis"].i if "axis" in attributes else 1
        if axis + (len(dims) + 1 if axis < 0 else 0) != 1:
            raise FormatError(f"Flatten with axis={axis} is not supported: it moves values between rows", path)
        return (width,)
    shape = _ints(constants, node, path)
    moves = f"Reshape to {shape} is not supported: it moves values between rows, and synjson keeps one row per input"
    if "allowzero" in attributes and attributes["allowzero"].i and 0 in shape:  # 0: a dimension of size 0
        raise FormatError(f"Reshape to {shape} with allowzero=1 is not supported: it leaves no values", path)
    if len(shape) < 2 or shape[0] not in (0, -1) or any(size < -1 for size in shape) or shape.count(-1) > 1:
        raise FormatError(moves, path)  # a fixed number of rows, one dimension, or no shape at all
    if width is None:
        raise FormatError("Reshape of a value whose width the graph does not give is not supported", path)
    rest: list[int | None] = []
    for i, size in enumerate(shape[1:], start=1):
        if size == 0:  # copies the input's dimension i
            if i > len(dims):
                raise FormatError(moves, path)
            rest.append(dims[i - 1])
        else:
            rest.append(size)
    if -1 in rest:  # the batch is copied (0): -1 takes what is left of the row
        known = math.prod(size for size in rest if size not in (-1, None))  # type: ignore[misc]
        rest[rest.index(-1)] = width // known if width % known == 0 else None
    if None in rest or math.prod(rest) != width:  # type: ignore[arg-type]
        raise FormatError(moves, path)  # -1 for the batch keeps it only when a row keeps its values
    return tuple(rest)


def classifier_tail(graph: Any, constants: dict[str, Any]) -> tuple[str, set[int]] | None:
    """skl2onnx's binary MLPClassifier: the name of the Sigmoid's output ``p`` (the probability of the
    second class) and the indices of the nodes after it, when those compute nothing but the label and
    ``[1 - p, p]``; None for any other graph. Looks at the first ``Sub(1, Sigmoid output)`` only, in
    time linear in the graph's size."""
    producer = {name: i for i, node in enumerate(graph.node) for name in node.output}
    for node in graph.node:
        if _text(node.op_type) != "Sub" or len(node.input) != 2 or node.input[0] not in constants:
            continue
        p = node.input[1]
        if p not in producer or _text(graph.node[producer[p]].op_type) != "Sigmoid":
            continue
        if not _is_one(constants[node.input[0]]):
            return None
        tail = _after(graph, p)
        ops = {_text(graph.node[i].op_type) for i in tail}
        concat = [graph.node[i] for i in tail if _text(graph.node[i].op_type) == "Concat"]
        outputs = {value.name for value in graph.output}
        made = {name for i in tail for name in graph.node[i].output}
        if ops <= set(_TAIL_OPS) and len(concat) == 1 and list(concat[0].input) == [node.output[0], p] \
                and outputs <= made:
            return p, tail
        return None
    return None


def _after(graph: Any, name: str) -> set[int]:
    """The indices of the nodes that read ``name``, directly or through each other."""
    readers: dict[str, list[int]] = {}
    for i, node in enumerate(graph.node):
        for value in set(node.input):
            readers.setdefault(value, []).append(i)
    reached: set[int] = set()
    todo = [name]
    while todo:
        for i in readers.get(todo.pop(), ()):
            if i not in reached:
                reached.add(i)
                todo.extend(graph.node[i].output)
    return reached


def _is_one(tensor: Any) -> bool:
    """Whether ``tensor`` is the single float or double 1 (skl2onnx's ``unity``)."""
    if tensor.data_type not in (_FLOAT, _DOUBLE) or math.prod(tensor.dims) != 1:
        return False
    if tensor.raw_data:
        code = "<f" if tensor.data_type == _FLOAT else "<d"
        return len(tensor.raw_data) == struct.calcsize(code) and struct.unpack(code, tensor.raw_data)[0] == 1.0
    return list(tensor.float_data if tensor.data_type == _FLOAT else tensor.double_data) == [1.0]


def _ints(constants: dict[str, Any], node: Any, path: Any) -> list[int]:
    """Reshape's target shape: a constant int64 tensor of at most 8 values."""
    if len(node.input) != 2 or node.input[1] not in constants:
        raise FormatError("Reshape's shape is not a constant", path)
    tensor = constants[node.input[1]]
    count = math.prod(int(d) for d in tensor.dims)
    if tensor.data_type != _INT64 or len(tensor.dims) != 1 or not 0 < count <= 8:
        raise FormatError("Reshape's shape is not 1 to 8 int64 values", (*path, "input", 1))
    if tensor.raw_data:
        if len(tensor.raw_data) != 8 * count:
            raise FormatError(f"tensor holds {len(tensor.raw_data)} bytes, its shape needs {8 * count}",
                              (*path, "input", 1))
        return list(struct.unpack(f"<{count}q", tensor.raw_data))
    values = [int(v) for v in tensor.int64_data]
    if len(values) != count:
        raise FormatError(f"tensor holds {len(values)} values, its shape needs {count}", (*path, "input", 1))
    return values


def _text(value: str | bytes) -> str:
    return value if isinstance(value, str) else value.decode("utf-8", "replace")
