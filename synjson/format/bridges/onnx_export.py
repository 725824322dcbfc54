"""Synaptic network -> ONNX model (the ``onnx`` package; run it with onnxruntime).

Two graphs (docs/formats.md, "ONNX"):

- **mlp**, for a layered feed-forward network (no gates, no self-connections, every
  connection from one layer to the next, one squash per layer): the graph an ONNX user
  expects, ``input [batch, inputs] -> (Gemm -> activation) per layer -> output``.
- **step**, for every network: one time step of ``Network.activate``. Inputs are
  ``input`` and the run state ``activation`` and ``state`` (one column per neuron, in
  the Synaptic JSON's order) and ``gain`` (one column per gated connection, ordered by
  gater); outputs are ``output`` and the new state ``activation_out``, ``state_out``,
  ``gain_out``. Feeding the new state back steps a recurrent network through a sequence.
  ``initial_state(net)`` (and the model's metadata ``synjson.state``) give where the network stands now.

Neurons are computed in blocks: consecutive neurons (in activation order) with one
squash, none reading another's new activation or gain; a block is a few Gather, MatMul,
Mul and Add nodes and its activation. Training state (traces) is not exported: the
step computes activations, which need none. float64 by default, float32 on request.
"""

from __future__ import annotations

import json
from typing import Any

from ...errors import FormatError
from ...model.network import Network
from ...model.neuron import Connection, Neuron
from ._common import Wiring

__all__ = ["to_onnx", "initial_state", "mlp_refusal", "OPSET", "IR_VERSION"]

OPSET = 17  #: the ONNX opset written (onnxruntime 1.14 and later run it)
IR_VERSION = 8  #: the ONNX IR version written
_ACTIVATIONS = {"LOGISTIC": "Sigmoid", "TANH": "Tanh", "IDENTITY": "Identity", "RELU": "Relu"}


def to_onnx(net: Network, *, dtype: str = "float64", graph: str = "auto") -> Any:
    """The network as an ``onnx.ModelProto``.

    ``dtype``: "float64" (default) or "float32". ``graph``: "mlp", "step", or "auto"
    (mlp when the network is a layered feed-forward one, step otherwise). Asking for
    "mlp" for a network it cannot express raises FormatError naming the reason.
    """
    import numpy as np
    import onnx

    if dtype not in ("float64", "float32"):
        raise ValueError(f'dtype must be "float64" or "float32", got {dtype!r}')
    if graph not in ("auto", "mlp", "step"):
        raise ValueError(f'graph must be "auto", "mlp" or "step", got {graph!r}')
    wiring = Wiring(net)
    if net.input_layer.size == 0 or net.output_layer.size == 0:
        raise FormatError("a network without inputs or outputs has no ONNX graph")
    refusal = mlp_refusal(net, wiring)
    if graph == "mlp" and refusal is not None:
        raise FormatError(f"{refusal}: the plain ONNX graph holds layered feed-forward networks only")
    kind = "mlp" if graph == "mlp" or (graph == "auto" and refusal is None) else "step"
    builder = _Builder(np.dtype(dtype))
    if kind == "mlp":
        _mlp(net, builder)
    else:
        _step(net, wiring, builder)
    model = onnx.helper.make_model(
        onnx.helper.make_graph(builder.nodes, "synjson", builder.inputs, builder.outputs, builder.initializers),
        opset_imports=[onnx.helper.make_opsetid("", OPSET)],
        producer_name="synjson",
        ir_version=IR_VERSION,
    )
    meta = {"synjson.graph": kind}
    if kind == "step":  # where the network stands now: feed it as the first step's state
        meta["synjson.state"] = json.dumps(_state(wiring.neurons, _gated(wiring)))
    for side in ("inputs", "outputs"):
        if side in net.metadata:
            meta[f"synjson.{side}"] = json.dumps(net.metadata[side])
    onnx.helper.set_model_props(model, meta)
    onnx.checker.check_model(model)
    return model


def mlp_refusal(net: Network, wiring: Wiring | None = None) -> str | None:
    """Why the network is not a layered feed-forward one (the "mlp" graph), or None when it is."""
    wiring = Wiring(net) if wiring is None else wiring
    layers = net.layers()
    depth = {id(neuron): d for d, layer in enumerate(layers) for neuron in layer.neurons}
    for connection in wiring.connections:
        if connection.from_neuron is connection.to_neuron:
            return f"{wiring.name(connection)} is a self-connection"
        if connection.gater is not None:
            return f"{wiring.name(connection)} is gated"
        if depth[id(connection.to_neuron)] != depth[id(connection.from_neuron)] + 1:
            return f"{wiring.name(connection)} does not go from one layer to the next"
    for layer in layers[1:]:
        names = sorted({neuron.squash.name for neuron in layer.neurons})
        if len(names) > 1:
            return f"neuron {wiring.at(layer.neurons[0])}'s layer mixes squashes {' and '.join(names)}"
    return None


class _Builder:
    """Collects nodes, initializers and graph inputs and outputs, naming each value once."""

    def __init__(self, dtype: Any) -> None:
        import onnx

        self.dtype = dtype
        self.elem = onnx.TensorProto.DOUBLE if dtype.itemsize == 8 else onnx.TensorProto.FLOAT
        self.nodes: list[Any] = []
        self.initializers: list[Any] = []
        self.inputs: list[Any] = []
        self.outputs: list[Any] = []
        self._count = 0

    def name(self, hint: str) -> str:
        self._count += 1
        return f"{hint}_{self._count}"

    def const(self, value: Any, hint: str, *, integer: bool = False, name: str | None = None) -> str:
        import numpy as np
        from onnx import numpy_helper

        array = np.asarray(value, dtype=np.int64 if integer else self.dtype)
        name = name or self.name(hint)
        self.initializers.append(numpy_helper.from_array(array, name))
        return name

    def op(self, op_type: str, inputs: list[str], hint: str, *, output: str | None = None, **attributes: Any) -> str:
        import onnx

        output = output or self.name(hint)
        self.nodes.append(onnx.helper.make_node(op_type, inputs, [output], **attributes))
        return output

    def tensor(self, name: str, width: int) -> Any:
        import onnx

        return onnx.helper.make_tensor_value_info(name, self.elem, ["batch", width])

    def squash(self, state: str, squash: str, hint: str, output: str | None = None) -> str:

        if squash == "HLIM":  # 1 where state > 0, else 0, as Synaptic's HLIM
            positive = self.op("Greater", [state, self.const(0.0, "zero")], "positive")
            return self.op("Cast", [positive], hint, output=output, to=self.elem)
        return self.op(_ACTIVATIONS[squash], [state], hint, output=output)

    def columns(self, value: str, start: int, end: int) -> str:
        """``value[:, start:end]``."""
        return self.op("Slice", [value, self.const([start], "start", integer=True),
                                 self.const([end], "end", integer=True), self.const([1], "axis", integer=True)],
                       "columns")


def _mlp(net: Network, b: _Builder) -> None:
    layers = net.layers()
    b.inputs.append(b.tensor("input", layers[0].size))
    value = "input"
    for d in range(1, len(layers)):
        previous = {id(neuron): k for k, neuron in enumerate(layers[d - 1].neurons)}
        weights = [[0.0] * layers[d - 1].size for _ in layers[d].neurons]  # a missing connection is weight 0
        for j, neuron in enumerate(layers[d].neurons):
            for connection in neuron.inputs:
                weights[j][previous[id(connection.from_neuron)]] = connection.weight
        biases = [neuron.bias for neuron in layers[d].neurons]
        last = d == len(layers) - 1
        squash = layers[d].neurons[0].squash.name
        linear_out = "output" if last and squash == "IDENTITY" else None
        value = b.op("Gemm", [value, b.const(weights, f"weight{d}"), b.const(biases, f"bias{d}")], "linear",
                     output=linear_out, transB=1)
        if linear_out is None:
            value = b.squash(value, squash, "activation", output="output" if last else None)
    b.outputs.append(b.tensor("output", layers[-1].size))


def _gated(wiring: Wiring) -> list[Connection]:
    """The gated connections in the order of the ``gain`` columns: by gater, then as in the file."""
    at = wiring.index
    return sorted((c for c in wiring.connections if c.gater is not None),
                  key=lambda c: (at[c.gater.id], wiring.number[id(c)]))  # type: ignore[union-attr]


def _state(neurons: list[tuple[Neuron, Any]], gated: list[Connection]) -> dict[str, list[float]]:
    state = {"activation": [n.activation for n, _ in neurons], "state": [n.state for n, _ in neurons]}
    if gated:
        state["gain"] = [c.gain for c in gated]
    return state


def initial_state(net: Network, dtype: str = "float64") -> dict[str, Any]:
    """The step graph's state inputs for where ``net`` stands now: ``{"activation": [[...]], ...}`` (one row)."""
    import numpy as np

    wiring = Wiring(net)
    return {name: np.array([values], dtype=dtype) for name, values in _state(wiring.neurons, _gated(wiring)).items()}


def _setters(neurons: list[tuple[Neuron, Any]], index: dict[int, int]) -> dict[int, list[int]]:
    """For each gated connection (by ``id``), every neuron that sets its gain, in activation order.

    Usually only its gater; a connection Liquid gated twice is set by both (Q-DOUBLEGATE).
    """
    setters: dict[int, list[int]] = {}
    for neuron, _ in neurons:
        for connection in neuron.gated:
            setters.setdefault(id(connection), []).append(index[neuron.id])
    return setters


def _blocks(
    neurons: list[tuple[Neuron, Any]], start: int, index: dict[int, int], setters: dict[int, list[int]]
) -> list[tuple[int, int]]:
    """Consecutive neurons from ``start`` with one squash, none depending on another in the same block."""
    blocks: list[tuple[int, int]] = []
    first = start
    members: set[int] = set()
    for i in range(start, len(neurons)):
        neuron = neurons[i][0]
        needs = {index[c.from_neuron.id] for c in neuron.inputs}
        for connection in (*neuron.inputs, neuron.selfconnection):
            needs.update(setters.get(id(connection), ()))
        if members and (neuron.squash is not neurons[first][0].squash or needs & members):
            blocks.append((first, i))
            first, members = i, set()
        members.add(i)
    if members:
        blocks.append((first, len(neurons)))
    return blocks


def _step(net: Network, wiring: Wiring, b: _Builder) -> None:
    neurons = wiring.neurons
    count, inputs, outputs = len(neurons), net.input_layer.size, net.output_layer.size
    at = wiring.index
    gated = _gated(wiring)
    gpos = {id(c): g for g, c in enumerate(gated)}
    b.inputs.append(b.tensor("input", inputs))
    for name, values in _state(neurons, gated).items():
        b.inputs.append(b.tensor(name, len(values)))
    rows = b.op("Slice", [b.op("Shape", ["input"], "shape"), b.const([0], "start", integer=True),
                          b.const([1], "end", integer=True)], "rows")
    zeros = b.op("Expand", [b.const([[0.0] * inputs], "zeros"),
                            b.op("Concat", [rows, b.const([inputs], "width", integer=True)], "shape", axis=0)],
                 "input_state")
    a_pieces, s_pieces = ["input"], [zeros]
    setters = _setters(neurons, at)
    gain_columns = _Gains(b, len(gated))
    for s, e in _blocks(neurons, inputs, at, setters):
        block = [n for n, _ in neurons[s:e]]
        width = e - s
        current_a = b.op("Concat", [*a_pieces, b.columns("activation", s, count)], "current_activation", axis=1)
        current_g = gain_columns.current()
        shape = b.op("Concat", [rows, b.const([width], "width", integer=True)], "shape", axis=0)
        state = b.op("Expand", [b.const([[n.bias for n in block]], "bias"), shape], "bias")
        old = b.columns("state", s, e)
        ungated_self = [n.selfconnection.weight if n.selfconnected() and n.selfconnection.gater is None else 0.0
                        for n in block]
        if any(ungated_self):
            state = b.op("Add", [state, b.op("Mul", [old, b.const(ungated_self, "selfweight")], "self")], "sum")
        gated_self = [j for j, n in enumerate(block) if n.selfconnected() and n.selfconnection.gater is not None]
        if gated_self:  # gain * weight * state, as Synaptic's eq. 15
            gains = b.op("Gather", [current_g, b.const([gpos[id(block[j].selfconnection)] for j in gated_self],
                                                       "at", integer=True)], "gains", axis=1)
            weighted = b.op("Mul", [gains, b.const([block[j].selfconnection.weight for j in gated_self], "w")], "gw")
            term = b.op("Mul", [weighted, b.op("Gather", [old, b.const(gated_self, "at", integer=True)], "old",
                                                 axis=1)], "self")
            state = b.op("Add", [state, _place(b, term, gated_self, width)], "sum")
        plain = [(at[c.from_neuron.id], j, c.weight) for j, n in enumerate(block) for c in n.inputs if c.gater is None]
        if plain:
            sources = sorted({source for source, _, _ in plain})
            column = {source: k for k, source in enumerate(sources)}
            matrix = [[0.0] * width for _ in sources]
            for source, j, weight in plain:
                matrix[column[source]][j] = weight
            picked = b.op("Gather", [current_a, b.const(sources, "at", integer=True)], "sources", axis=1)
            state = b.op("Add", [state, b.op("MatMul", [picked, b.const(matrix, "weights")], "inputs")], "sum")
        through = [(c, j) for j, n in enumerate(block) for c in n.inputs if c.gater is not None]
        if through:  # from.activation * weight * gain, per connection
            picked = b.op("Gather", [current_a, b.const([at[c.from_neuron.id] for c, _ in through], "at",
                                                        integer=True)], "sources", axis=1)
            weighted = b.op("Mul", [picked, b.const([c.weight for c, _ in through], "w")], "aw")
            gains = b.op("Gather", [current_g, b.const([gpos[id(c)] for c, _ in through], "at", integer=True)],
                         "gains", axis=1)
            term = b.op("Mul", [weighted, gains], "gated")
            state = b.op("Add", [state, _place(b, term, [j for _, j in through], width)], "sum")
        activation = b.squash(state, block[0].squash.name, "activation")
        a_pieces.append(activation)
        s_pieces.append(state)
        # gains this block sets: the last setter in the block wins, as it activates last
        updates = [(g, max(j for j in setters.get(id(c), ()) if s <= j < e)) for g, c in enumerate(gated)
                   if any(s <= j < e for j in setters.get(id(c), ()))]
        gain_columns.update(activation, [g for g, _ in updates], [j - s for _, j in updates])
    final = b.op("Concat", a_pieces, "activation", output="activation_out", axis=1)
    b.op("Slice", [final, b.const([count - outputs], "start", integer=True), b.const([count], "end", integer=True),
                   b.const([1], "axis", integer=True)], "output", output="output")
    b.op("Concat", s_pieces, "state", output="state_out", axis=1)
    b.outputs += [b.tensor("output", outputs), b.tensor("activation_out", count), b.tensor("state_out", count)]
    if gated:
        b.op("Identity", [gain_columns.current()], "gain", output="gain_out")
        b.outputs.append(b.tensor("gain_out", len(gated)))


class _Gains:
    """Where each gain column's current value lives: (tensor, column), updated block by block."""

    def __init__(self, b: _Builder, count: int) -> None:
        self.b = b
        self.where: list[tuple[str, int]] = [("gain", g) for g in range(count)]
        self._current: str | None = "gain" if count else None

    def update(self, values: str, columns: list[int], picks: list[int]) -> None:
        """Columns ``columns`` now hold ``values[:, picks]``."""
        if not columns:
            return
        picked = self.b.op("Gather", [values, self.b.const(picks, "at", integer=True)], "new_gain", axis=1)
        for k, g in enumerate(columns):
            self.where[g] = (picked, k)
        self._current = None

    def current(self) -> str | None:
        """One tensor holding every gain column now: runs of one source become one Slice."""
        if self._current is None and self.where:
            pieces: list[tuple[str, int, int]] = []
            for tensor, column in self.where:
                if pieces and pieces[-1][0] == tensor and pieces[-1][2] == column:
                    pieces[-1] = (tensor, pieces[-1][1], column + 1)
                else:
                    pieces.append((tensor, column, column + 1))
            parts = [self.b.columns(tensor, start, end) for tensor, start, end in pieces]
            self._current = parts[0] if len(parts) == 1 else self.b.op("Concat", parts, "current_gain", axis=1)
        return self._current


def _place(b: _Builder, term: str, targets: list[int], width: int) -> str:
    """Sum the columns of ``term`` into the block's columns ``targets`` (a 0/1 matrix: exact for finite values)."""
    matrix = [[0.0] * width for _ in targets]
    for row, j in enumerate(targets):
        matrix[row][j] = 1.0
    return b.op("MatMul", [term, b.const(matrix, "place")], "placed")
