"""Plan: index tables over a network's store, like Synaptic's ``optimize()``.

A plan holds no numbers of its own. Its value columns *are* the store's arrays
(``synjson.model.store``); its tables say which slots to combine, in what order.
Every engine (the native kernel, the generated Python, the browser runtime's
loader) runs these tables, so the numbers have one owner and nothing is copied.

Positions ``p = 0 .. size-1`` are the network's neurons in activation order
(input layer, hidden layers, output layer); ``order[p]`` is the neuron's slot in
the store. Connection tables are indexed by connection slot. Summation orders
follow creation order: ``in_conn`` keeps each neuron's incoming connections as
the reference sums them. The layout is documented field by field in
docs/engine.md and in the kernel (``synjson/engine/_kernel.c``).

A plan is valid while ``store.version[0] == plan.version``; structural edits
bump the version and the network compiles a new plan before its next run.

Q-OUTSIDE: positions are the network's own neurons only. A neuron outside its
layers that they touch is a store slot the tables may name (``conn_from``,
``conn_to``, ``conn_gater``, ``nb_neuron``) but never a position: no engine
activates or propagates it; its values are read as they are (docs/engine.md,
"Neurons outside the network").
"""

from __future__ import annotations

from array import array
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from ..engine.facts import CUSTOM, SQUASH_NAMES
from ..errors import StructureError
from .neuron import Neuron, Scratch
from .squash import SQUASHES
from .store import Store, shared

__all__ = ["SQUASH_NAMES", "CUSTOM", "Plan", "compile_plan", "squash_code", "json_order"]

T = TypeVar("T")

# Squash codes used in ``Plan.squash`` (SQUASH_NAMES, CUSTOM) are owned by synjson.engine.facts.


def squash_code(squash: Any) -> int:
    """The plan's code for a squash: a built-in's index, or CUSTOM for any other function."""
    name = getattr(squash, "name", None)
    if name in SQUASHES and SQUASHES[name] is squash:
        return SQUASH_NAMES.index(name)
    return CUSTOM


def _ints(values: Any = ()) -> array:
    return array("i", values)  # 32-bit: a store holds fewer than 2**31 slots


@dataclass(eq=False)
class Plan:
    """A network's tables over its store; see the module docstring."""

    store: Store
    version: int
    layers: list[tuple[int, int]]  # position ranges: input, hidden..., output
    order: array  # position -> neuron slot
    squash: array  # position -> squash code
    custom: list[Callable[[float], tuple[float, float]] | None]  # position -> custom squash, else None
    selfconn: array  # position -> connection slot of the self-connection
    in_ptr: array
    in_conn: array
    out_ptr: array
    out_conn: array
    gate_ptr: array
    gate_conn: array
    nb_ptr: array
    nb_neuron: array  # entry -> neighbour's neuron slot
    nb_old: array  # entry -> 1 when this gater gates the neighbour's self-connection
    nb_xtrace: array  # entry -> first xtrace slot (one per input connection of the gater, in in_conn order)
    nb_self: array  # entry -> the neighbour's self-connection slot
    inf_ptr: array
    inf_conn: array
    conn_from: array  # connection slot -> source neuron slot
    conn_to: array  # connection slot -> target neuron slot
    conn_gater: array  # connection slot -> gater neuron slot, or -1
    aux: array  # the network's scratch value (Q-AUX), length 1
    neurons: list[Neuron] = field(default_factory=list)  # position -> Neuron

    # The store's value columns, read when a program binds (they are replaced when the store grows).
    @property
    def bias(self) -> array:
        return self.store.bias

    @property
    def state(self) -> array:
        return self.store.state

    @property
    def old(self) -> array:
        return self.store.old

    @property
    def activation(self) -> array:
        return self.store.activation

    @property
    def derivative(self) -> array:
        return self.store.derivative

    @property
    def responsibility(self) -> array:
        return self.store.responsibility

    @property
    def projected_error(self) -> array:
        return self.store.projected_error

    @property
    def gated_error(self) -> array:
        return self.store.gated_error

    @property
    def weight(self) -> array:
        return self.store.weight

    @property
    def gain(self) -> array:
        return self.store.gain

    @property
    def eligibility(self) -> array:
        return self.store.eligibility

    @property
    def xtrace(self) -> array:
        return self.store.xtrace

    @property
    def size(self) -> int:
        """Number of neurons."""
        return len(self.order)

    @property
    def n_inputs(self) -> int:
        """Number of input neurons (the first positions)."""
        start, stop = self.layers[0]
        return stop - start

    @property
    def n_outputs(self) -> int:
        """Number of output neurons (the last positions)."""
        start, stop = self.layers[-1]
        return stop - start

    def inputs_of(self, p: int) -> array:
        """Incoming connection slots of position ``p`` in creation order."""
        return self.in_conn[self.in_ptr[p] : self.in_ptr[p + 1]]

    def projected_of(self, p: int) -> array:
        """Projected connection slots of position ``p``."""
        return self.out_conn[self.out_ptr[p] : self.out_ptr[p + 1]]

    def gated_of(self, p: int) -> array:
        """Connection slots position ``p`` gates."""
        return self.gate_conn[self.gate_ptr[p] : self.gate_ptr[p + 1]]

    def neighbours_of(self, p: int) -> range:
        """Entries of the ``nb_*`` tables for the neurons position ``p`` gates into, in trace order."""
        return range(self.nb_ptr[p], self.nb_ptr[p + 1])

    def influences_of(self, entry: int) -> array:
        """Connection slots counted in the influence of neighbour entry ``entry``."""
        return self.inf_conn[self.inf_ptr[entry] : self.inf_ptr[entry + 1]]

    def connection_order(self) -> array:
        """Connection slots in the order Synaptic's ``toJSON`` lists connections (:func:`json_order`)."""
        weight, out_ptr, out_conn, selfconn = self.store.weight, self.out_ptr, self.out_conn, self.selfconn
        rows = (
            (out_conn[out_ptr[p] : out_ptr[p + 1]], selfconn[p] if weight[selfconn[p]] != 0 else None)
            for p in range(self.size)
        )
        return _ints(json_order(rows))

    def is_recurrent(self) -> bool:
        """Whether an activation can depend on earlier ones (self-connections, gates, backward connections).

        False means every step is a pure function of its inputs, so rows of a batch are independent.
        """
        weight = self.store.weight
        if any(weight[slot] != 0 for slot in self.selfconn) or any(
            self.conn_gater[slot] >= 0 for p in range(self.size) for slot in self.inputs_of(p)
        ):
            return True
        layer_of = {}
        for number, (start, stop) in enumerate(self.layers):
            for p in range(start, stop):
                layer_of[self.order[p]] = number
        for p in range(self.n_inputs, self.size):
            here = layer_of[self.order[p]]
            for slot in self.inputs_of(p):
                if layer_of.get(self.conn_from[slot], -1) >= here:
                    return True
        return False


def json_order(rows: Iterable[tuple[Iterable[T], T | None]]) -> list[T]:
    """The order Synaptic's ``toJSON`` lists connections in: the one owner of that order.

    ``rows``: for each neuron of the network in layer order, its projections in creation order
    and its self-connection (None when it has none). Each neuron's projections come first, then
    its self-connection. ``Plan.connection_order`` gives connection slots (the fast writer, no
    Connection object made) and ``Network.connections`` the objects (``to_json``, checkpoints,
    the bridges), both through this function.
    """
    order: list[T] = []
    for projected, selfconnection in rows:
        order.extend(projected)
        if selfconnection is not None:
            order.append(selfconnection)
    return order


def _csr(rows: Sequence[Sequence[int]]) -> tuple[array, array]:
    pointers, flat = _ints([0]), _ints()
    for row in rows:
        flat.extend(row)
        pointers.append(len(flat))
    return pointers, flat


def _contiguous(gater: Neuron) -> None:
    """Lay each of ``gater``'s extended-trace blocks out in one run of slots, in its input order.

    A block that grew (a new input connection) or whose order changed moves to fresh
    slots, values kept; the old slots are left unused.
    """
    store = gater._store
    keys = [connection.id for connection in gater.inputs]
    for traces in gater.extended.values():
        slots = [traces.slots[key] for key in keys]
        if slots and slots != list(range(slots[0], slots[0] + len(slots))):
            first = store.add_traces(len(keys))
            for offset, (key, old) in enumerate(zip(keys, slots)):
                store.xtrace[first + offset] = store.xtrace[old]
                traces.slots[key] = first + offset


def compile_plan(layers: Sequence[Any], scratch: Scratch) -> Plan:
    """The tables for ``layers`` (input, hidden..., output), moving every neuron into one store first."""
    neurons: list[Neuron] = []
    bounds: list[tuple[int, int]] = []
    for layer in layers:
        bounds.append((len(neurons), len(neurons) + len(layer.neurons)))
        neurons.extend(layer.neurons)
    seen: dict[int, int] = {}
    for index, (start, stop) in enumerate(bounds):
        for position, neuron in enumerate(neurons[start:stop]):
            if id(neuron) in seen:
                raise StructureError(
                    f"neuron {position} of layer {index} is already in layer {seen[id(neuron)]} of this network "
                    f"(layers count from the input layer): give each layer of a network its own neurons"
                )
            seen[id(neuron)] = index
    # Connecting or gating joins stores, so a connection's ends share their neurons' store:
    # the network's neurons name every store involved (each once).
    store = shared({id(store): store for store in (neuron._store.live() for neuron in neurons)}.values())
    for neuron in neurons:
        if neuron.extended:
            _contiguous(neuron)
    in_ptr, in_conn = _csr([[c._slot for c in n.inputs] for n in neurons])
    out_ptr, out_conn = _csr([[c._slot for c in n.projected] for n in neurons])
    gate_ptr, gate_conn = _csr([[c._slot for c in n.gated] for n in neurons])
    nb_ptr, nb_neuron, nb_old, nb_xtrace, nb_self = _ints([0]), _ints(), _ints(), _ints(), _ints()
    influence_lists: list[list[int]] = []
    for neuron in neurons:
        first_input = neuron.inputs[0].id if neuron.inputs else None
        for neuron_id, traces in neuron.extended.items():
            neighbour = neuron.neighbours[neuron_id]
            nb_neuron.append(neighbour._slot)
            nb_old.append(1 if neighbour.selfconnection.gater is neuron else 0)
            nb_xtrace.append(traces.slots[first_input] if first_input is not None else 0)
            nb_self.append(neighbour.selfconnection._slot)
            influence_lists.append([c._slot for c in neuron.influences.get(neuron_id, [])])
        nb_ptr.append(len(nb_neuron))
    inf_ptr, inf_conn = _csr(influence_lists)
    codes = [squash_code(neuron.squash) for neuron in neurons]
    return Plan(
        store=store,
        version=store.version[0],
        layers=bounds,
        order=_ints(neuron._slot for neuron in neurons),
        squash=_ints(codes),
        custom=[neuron.squash if code == CUSTOM else None for neuron, code in zip(neurons, codes)],
        selfconn=_ints(neuron.selfconnection._slot for neuron in neurons),
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
        nb_self=nb_self,
        inf_ptr=inf_ptr,
        inf_conn=inf_conn,
        conn_from=_ints(c.from_neuron._slot for c in store.connections),
        conn_to=_ints(c.to_neuron._slot for c in store.connections),
        conn_gater=_ints(-1 if c.gater is None else c.gater._slot for c in store.connections),
        aux=scratch.values,
        neurons=neurons,
    )

