"""Plan: a network compiled to flat arrays and index tables, like Synaptic's ``optimize()``.

A :class:`Plan` is plain data (lists and ``array.array``, no numpy) that the
executors in :mod:`synjson.engine` run and the exporter hands to the JS runtime.

Neurons are numbered in Synaptic's order (input, hidden layers, output), which
is also the activation order. Connections are numbered block by block: for
each target layer, the connections coming from each source layer (dense blocks
row-major, target by source, so a block's weights are one contiguous slice),
then every self-connection that is used. Summation orders do not follow this
numbering: ``in_conn`` keeps each neuron's incoming connections in creation
order, as the reference sums them.

:func:`compile_network` builds a plan from ``Neuron`` objects and returns a
:class:`Binding` that copies values between the objects and the plan (the
``restore()`` half of Synaptic's optimizer).
"""

from __future__ import annotations

from array import array
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .squash import SQUASHES

if TYPE_CHECKING:
    from .network import Network
    from .neuron import Connection, Neuron

__all__ = ["SQUASH_NAMES", "Block", "Plan", "Binding", "Unsupported", "compile_network", "signature"]

#: Squash codes used in ``Plan.squash``: the index into this tuple.
SQUASH_NAMES: tuple[str, ...] = ("LOGISTIC", "TANH", "IDENTITY", "HLIM", "RELU")
_SQUASH_CODE = {name: code for code, name in enumerate(SQUASH_NAMES)}

DENSE, DIAGONAL, SPARSE, SELF = "dense", "diagonal", "sparse", "self"


class Unsupported(Exception):
    """The network has a structure a plan cannot describe (executors then fall back to the reference)."""


@dataclass(eq=False)
class Block:
    """Connections ``start:stop`` from layer ``source`` into layer ``target``.

    ``dense``: every (target, source) pair once, ungated, row-major, shape ``(rows, cols)``
    with rows starting at neuron ``row0`` and columns at ``col0``. ``diagonal``: ungated
    connections ``col0 + i -> row0 + i``. ``sparse``: anything else (gated, partial, or
    within one layer), ordered by target then creation. ``self``: self-connections.
    """

    kind: str
    target: int
    source: int
    start: int
    stop: int
    row0: int = 0
    rows: int = 0
    col0: int = 0
    cols: int = 0


def _doubles(size: int = 0) -> array:
    return array("d", bytes(8 * size))


def _ints(values: Any = ()) -> array:
    return array("i", values)  # 32-bit: a plan holds fewer than 2**31 connections


@dataclass(eq=False)
class Plan:
    """A network as flat arrays; see the module docstring for the numbering."""

    layers: list[tuple[int, int]]  # neuron ranges: input, hidden..., output
    layer_keys: list[str | int]  # "input", 0, 1, ..., "output" (as in toJSON)
    squash: list[int]
    bias: array
    state: array
    old: array
    activation: array
    derivative: array
    responsibility: array
    projected_error: array
    gated_error: array
    selfconn: array  # connection index of a neuron's self-connection, or -1
    source: array
    target: array
    gater: array  # -1 when ungated
    weight: array
    gain: array
    eligibility: array  # per connection (unused for self-connections)
    in_ptr: array  # CSR by neuron: incoming connections in creation order
    in_conn: array
    out_ptr: array  # CSR by neuron: projected connections in creation order
    out_conn: array
    gate_ptr: array  # CSR by neuron: connections it gates (its ``gated`` order)
    gate_conn: array
    nb_ptr: array  # CSR by neuron: gated neighbours in trace order
    nb_neuron: array
    nb_old: array  # 1 when the neighbour's self-connection is gated by this neuron
    nb_xtrace: array  # offset of the neighbour's extended traces (one per incoming connection)
    inf_ptr: array  # CSR by neighbour entry: connections this neuron gates into the neighbour
    inf_conn: array
    xtrace: array
    blocks: list[Block]
    aux: float = 0.0
    extra: dict[str, Any] = field(default_factory=dict)
    metadata: dict[str, Any] = field(default_factory=dict)

    @property
    def size(self) -> int:
        """Number of neurons."""
        return len(self.squash)

    @property
    def inputs(self) -> int:
        """Number of input neurons."""
        start, stop = self.layers[0]
        return stop - start

    @property
    def outputs(self) -> int:
        """Number of output neurons."""
        start, stop = self.layers[-1]
        return stop - start

    @property
    def connections(self) -> int:
        """Number of connections, self-connections included."""
        return len(self.weight)

    def inputs_of(self, neuron: int) -> array:
        """Incoming connection indices of ``neuron`` in creation order."""
        return self.in_conn[self.in_ptr[neuron] : self.in_ptr[neuron + 1]]

    def projected_of(self, neuron: int) -> array:
        """Projected connection indices of ``neuron`` in creation order."""
        return self.out_conn[self.out_ptr[neuron] : self.out_ptr[neuron + 1]]

    def gated_of(self, neuron: int) -> array:
        """Connections ``neuron`` gates."""
        return self.gate_conn[self.gate_ptr[neuron] : self.gate_ptr[neuron + 1]]

    def neighbours_of(self, neuron: int) -> range:
        """Entries ``e`` of ``nb_*`` for the neurons ``neuron`` gates into, in trace order."""
        return range(self.nb_ptr[neuron], self.nb_ptr[neuron + 1])

    def influences_of(self, entry: int) -> array:
        """Connections counted in the influence of neighbour entry ``entry``."""
        return self.inf_conn[self.inf_ptr[entry] : self.inf_ptr[entry + 1]]

    def layer_index(self) -> list[int]:
        """The layer number of every neuron."""
        owner = [0] * self.size
        for number, (start, stop) in enumerate(self.layers):
            owner[start:stop] = [number] * (stop - start)
        return owner

    def is_recurrent(self) -> bool:
        """Whether an activation depends on earlier ones (state, traces feeding outputs, gates, loops).

        False means every step is a pure function of its inputs, so rows of a batch are independent.
        """
        if any(index >= 0 for index in self.selfconn) or any(index >= 0 for index in self.gater):
            return True
        owner = self.layer_index()
        first_hidden = self.layers[0][1]
        for connection in range(len(self.weight)):
            source, target = self.source[connection], self.target[connection]
            if target >= first_hidden and owner[source] >= owner[target]:
                return True
        return False


# -- from Neuron objects -----------------------------------------------------------


def signature(net: Network) -> tuple[Any, ...]:
    """A cheap fingerprint of a network's structure: a plan is valid while it is unchanged."""
    parts: list[Any] = []
    for layer in net.layers():
        parts.append(len(layer.neurons))
        for neuron in layer.neurons:
            own = neuron.selfconnection
            parts.append(
                (
                    id(neuron),
                    len(neuron.inputs),
                    len(neuron.projected),
                    len(neuron.gated),
                    len(neuron.extended),
                    sum(map(len, neuron.influences.values())),
                    own.weight != 0,
                    id(own.gater),
                )
            )
    return tuple(parts)


class Binding:
    """The neuron and connection objects behind a plan, in plan order; copies values both ways."""

    def __init__(self, net: Network, neurons: list[Neuron], connections: list[Connection]) -> None:
        self.net = net
        self.neurons = neurons
        self.connections = connections

    def read(self, plan: Plan) -> None:
        """Copy the objects' current values into the plan (after the objects were edited)."""
        neurons = self.neurons
        for name in ("bias", "state", "old", "activation", "derivative"):
            getattr(plan, name)[:] = array("d", [getattr(n, name) for n in neurons])
        plan.responsibility[:] = array("d", [n.responsibility for n in neurons])
        plan.projected_error[:] = array("d", [n.projected_error for n in neurons])
        plan.gated_error[:] = array("d", [n.gated_error for n in neurons])
        plan.squash[:] = [_SQUASH_CODE.get(n.squash.name, 0) for n in neurons]
        connections = self.connections
        plan.weight[:] = array("d", [c.weight for c in connections])
        plan.gain[:] = array("d", [c.gain for c in connections])
        eligibility = plan.eligibility
        for index, connection in enumerate(connections):
            if connection.from_neuron is not connection.to_neuron:
                eligibility[index] = connection.to_neuron.eligibility[connection.id]
        xtrace = plan.xtrace
        for j, neuron in enumerate(neurons):
            inputs = neuron.inputs
            for entry in plan.neighbours_of(j):
                traces = neuron.extended[neurons[plan.nb_neuron[entry]].id]
                offset = plan.nb_xtrace[entry]
                for position, connection in enumerate(inputs):
                    xtrace[offset + position] = traces[connection.id]
        plan.aux = self.net._scratch.aux

    def write(self, plan: Plan) -> None:
        """Copy the plan's values back into the objects (Synaptic's ``restore()``)."""
        neurons = self.neurons
        columns = [
            (name, getattr(plan, name).tolist())
            for name in (
                "bias",
                "state",
                "old",
                "activation",
                "derivative",
                "responsibility",
                "projected_error",
                "gated_error",
            )
        ]
        for name, values in columns:
            for neuron, value in zip(neurons, values):
                setattr(neuron, name, value)
        weights, gains, traces = plan.weight.tolist(), plan.gain.tolist(), plan.eligibility.tolist()
        for index, connection in enumerate(self.connections):
            connection.weight = weights[index]
            connection.gain = gains[index]
            if connection.from_neuron is not connection.to_neuron:
                connection.to_neuron.eligibility[connection.id] = traces[index]
        xtrace = plan.xtrace
        for j, neuron in enumerate(neurons):
            inputs = neuron.inputs
            for entry in plan.neighbours_of(j):
                extended = neuron.extended[neurons[plan.nb_neuron[entry]].id]
                offset = plan.nb_xtrace[entry]
                for position, connection in enumerate(inputs):
                    extended[connection.id] = xtrace[offset + position]
        self.net._scratch.aux = plan.aux


def compile_network(net: Network) -> tuple[Plan, Binding]:
    """Compile ``net`` into a plan and the binding to its objects; :class:`Unsupported` if it cannot be."""
    layers = net.layers()
    neurons: list[Neuron] = []
    bounds: list[tuple[int, int]] = []
    for layer in layers:
        bounds.append((len(neurons), len(neurons) + len(layer.neurons)))
        neurons.extend(layer.neurons)
    position = {id(n): index for index, n in enumerate(neurons)}
    if len(position) != len(neurons):
        raise Unsupported("a neuron belongs to the network twice")
    owner = [number for number, (start, stop) in enumerate(bounds) for _ in range(start, stop)]

    def where(neuron: Neuron, what: str) -> int:
        try:
            return position[id(neuron)]
        except KeyError:
            raise Unsupported(f"a connection's {what} is a neuron outside this network") from None

    # Group every ordinary connection by (target layer, source layer).
    groups: dict[tuple[int, int], list[tuple[int, int, int, Connection]]] = {}
    for j, neuron in enumerate(neurons):
        for rank, connection in enumerate(neuron.inputs):
            i = where(connection.from_neuron, "source")
            groups.setdefault((owner[j], owner[i]), []).append((j, rank, i, connection))
        for connection in neuron.projected:
            where(connection.to_neuron, "target")
    blocks: list[Block] = []
    ordered: list[Connection] = []
    for (target_layer, source_layer), members in sorted(groups.items()):
        members.sort(key=lambda item: (item[0], item[1]))
        block = _classify(members, bounds[target_layer], bounds[source_layer], target_layer == source_layer)
        block.target, block.source = target_layer, source_layer
        if block.kind == DENSE:
            members.sort(key=lambda item: (item[0], item[2]))
        block.start = len(ordered)
        ordered.extend(item[3] for item in members)
        block.stop = len(ordered)
        blocks.append(block)
    self_start = len(ordered)
    selfconn = _ints([-1] * len(neurons))
    for j, neuron in enumerate(neurons):
        own = neuron.selfconnection
        if own.weight != 0 or own.gater is not None:
            selfconn[j] = len(ordered)
            ordered.append(own)
    if len(ordered) > self_start:
        blocks.append(Block(SELF, -1, -1, self_start, len(ordered)))
    index = {id(c): k for k, c in enumerate(ordered)}

    def connection_index(connection: Connection) -> int:
        try:
            return index[id(connection)]
        except KeyError:
            raise Unsupported("a gated connection is not part of this network") from None

    in_ptr, in_conn = _csr([[index[id(c)] for c in n.inputs] for n in neurons])
    out_ptr, out_conn = _csr([[index[id(c)] for c in n.projected] for n in neurons])
    gate_ptr, gate_conn = _csr([[connection_index(c) for c in n.gated] for n in neurons])
    nb_ptr, nb_neuron, nb_old, nb_xtrace = _ints([0]), _ints(), _ints(), _ints()
    influence_lists: list[list[int]] = []
    traces = 0
    for neuron in neurons:
        for neuron_id in neuron.extended:
            neighbour = neuron.neighbours[neuron_id]
            nb_neuron.append(where(neighbour, "gated neighbour"))
            nb_old.append(1 if neighbour.selfconnection.gater is neuron else 0)
            nb_xtrace.append(traces)
            traces += len(neuron.inputs)
            influence_lists.append([connection_index(c) for c in neuron.influences.get(neuron_id, [])])
        nb_ptr.append(len(nb_neuron))
    inf_ptr, inf_conn = _csr(influence_lists)

    size, count = len(neurons), len(ordered)
    plan = Plan(
        layers=bounds,
        layer_keys=["input", *range(len(layers) - 2), "output"],
        squash=[0] * size,
        bias=_doubles(size),
        state=_doubles(size),
        old=_doubles(size),
        activation=_doubles(size),
        derivative=_doubles(size),
        responsibility=_doubles(size),
        projected_error=_doubles(size),
        gated_error=_doubles(size),
        selfconn=selfconn,
        source=_ints(position[id(c.from_neuron)] for c in ordered),
        target=_ints(position[id(c.to_neuron)] for c in ordered),
        gater=_ints(-1 if c.gater is None else where(c.gater, "gater") for c in ordered),
        weight=_doubles(count),
        gain=_doubles(count),
        eligibility=_doubles(count),
        in_ptr=in_ptr,
        in_conn=in_conn,
        out_ptr=out_ptr,
        out_conn=out_conn,
        gate_ptr=gate_ptr,
        gate_conn=gate_conn,
        nb_ptr=nb_ptr,
        nb_neuron=nb_neuron,
        nb_old=nb_old,
        nb_xtrace=nb_xtrace,
        inf_ptr=inf_ptr,
        inf_conn=inf_conn,
        xtrace=_doubles(traces),
        blocks=blocks,
        extra=dict(net.extra),
        metadata=dict(net.metadata),
    )
    binding = Binding(net, neurons, ordered)
    binding.read(plan)
    return plan, binding


def _csr(rows: list[list[int]]) -> tuple[array, array]:
    pointers, flat = _ints([0]), _ints()
    for row in rows:
        flat.extend(row)
        pointers.append(len(flat))
    return pointers, flat


def _classify(
    members: list[tuple[int, int, int, Connection]],
    target_bounds: tuple[int, int],
    source_bounds: tuple[int, int],
    same_layer: bool,
) -> Block:
    """Decide a block's kind from its (target, rank, source, connection) members."""
    row0, row_stop = target_bounds
    col0, col_stop = source_bounds
    rows, cols = row_stop - row0, col_stop - col0
    if same_layer or any(item[3].gater is not None for item in members):
        return Block(SPARSE, 0, 0, 0, 0)
    if len(members) == rows * cols and len({(item[0], item[2]) for item in members}) == rows * cols:
        return Block(DENSE, 0, 0, 0, 0, row0, rows, col0, cols)
    if all(item[0] - row0 == item[2] - col0 for item in members) and sorted(
        item[0] - row0 for item in members
    ) == list(range(len(members))):
        return Block(DIAGONAL, 0, 0, 0, 0, row0, len(members), col0, len(members))
    return Block(SPARSE, 0, 0, 0, 0)


def squash_code(name: str) -> int:
    """The plan's code for a squash name (unknown names are LOGISTIC, as Synaptic loads them)."""
    return _SQUASH_CODE.get(name, 0) if name in SQUASHES else 0
