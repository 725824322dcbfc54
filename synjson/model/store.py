"""Store: the one owner of a network's numbers.

Every number a network computes with lives here, in flat ``array.array`` columns
indexed by *slot*: per neuron ``bias state old activation derivative
responsibility projected_error gated_error``; per connection ``weight gain
eligibility`` (the eligibility trace its target keeps for it); and ``xtrace``,
the extended traces, in blocks a gater owns per gated neighbour.

Neuron and Connection objects hold a store and a slot and read and write through
it, so they are never stale. The compiled engines (``synjson.engine``) run on the
same arrays in place. Structural edits (new neurons or connections, gates, squash
changes, merges) bump ``version``; an engine compares it before each call and
recompiles its index tables when it moved.

Arrays grow by replacement, never in place: an engine may hold a buffer on the old
ones until its next call sees the new ``version``.

Neurons that get connected must share a store: the smaller store's contents move
into the larger one (:meth:`absorb`), and the emptied store forwards to it.
"""

from __future__ import annotations

import copy
import itertools
import operator
from array import array
from collections.abc import Sequence
from typing import Any

__all__ = ["Store", "NEURON_FIELDS", "CONNECTION_FIELDS", "shared", "neuron_at", "connection_at", "column_values"]

NEURON_FIELDS = (
    "bias",
    "state",
    "old",
    "activation",
    "derivative",
    "responsibility",
    "projected_error",
    "gated_error",
)
CONNECTION_FIELDS = ("weight", "gain", "eligibility")
_ZEROS = bytes(8 * 64)
_STORE, _SLOT = operator.attrgetter("_store"), operator.attrgetter("_slot")


def _grown(column: array, needed: int) -> array:
    """A copy of ``column`` with room for ``needed`` items (capacity doubles, like list growth)."""
    extra = max(needed, 2 * len(column), 16) - len(column)
    fresh = array("d", column)
    while extra > 0:
        step = min(extra, 64)
        fresh.frombytes(_ZEROS[: 8 * step])
        extra -= step
    return fresh


class Store:
    """Flat columns of numbers for a group of connected neurons (see the module docstring)."""

    def __init__(self) -> None:
        #: Bumped by every structural change; compiled plans are valid for one value.
        self.version = array("q", [0])
        self.neurons: list[Any] = []  # the Neuron in each slot
        self.connections: list[Any] = []  # the Connection in each slot
        self.traces = 0  # xtrace slots in use
        # The ids of the neuron and connection in each slot (their order is Synaptic's summation
        # order): kept here so a pickle writes them as bytes (synjson.model.pickling).
        self.neuron_ids = array("q")
        self.connection_ids = array("q")
        #: The last plan compiled over this store (a pickle reads its tables when they are current).
        self.tables: Any = None
        #: ``(version, ...)``: the wiring as last pickled, reused while the structure is the same.
        self.pickled: Any = None
        for name in NEURON_FIELDS + CONNECTION_FIELDS:
            setattr(self, name, array("d"))
        self.xtrace = array("d")
        self._forward: Store | None = None

    def __repr__(self) -> str:
        return f"Store(neurons={len(self.neurons)}, connections={len(self.connection_ids)}, traces={self.traces})"

    # -- built in bulk (synjson.model.bulk): connection objects made on first use ----------

    def __getattr__(self, name: str) -> Any:
        # Only reached for a missing attribute: ``connections`` of a store loaded in bulk.
        if name == "connections" and self.materialize():
            return self.__dict__["connections"]
        raise AttributeError(f"'Store' object has no attribute {name!r}")

    def defer(self, build: Any) -> None:
        """Leave the Connection objects to ``build(store)``, called once, when first asked for.

        The columns and ``connection_ids`` are already filled; ``build`` sets ``connections``
        and each neuron's connection lists (see :func:`synjson.model.bulk.materializer`).
        """
        self.__dict__.pop("connections", None)
        self.__dict__["_pending"] = build

    def materialize(self) -> bool:
        """Make the objects :meth:`defer` left for later (True), or nothing to do (False)."""
        build = self.__dict__.pop("_pending", None)
        if build is None:
            return False
        build(self)
        return True

    def __copy__(self) -> Store:
        """A deep copy: pickle and copy write a store as its columns' bytes and its wiring as
        integer tables (the reducer is :mod:`synjson.model.pickling`'s, registered with copyreg)."""
        return copy.deepcopy(self)

    def live(self) -> Store:
        """This store, or the one its contents moved into."""
        store = self
        while store._forward is not None:
            store = store._forward
        return store

    def touch(self) -> None:
        """Record a structural change: compiled plans over this store recompile before their next run."""
        self.version[0] += 1

    # -- slots ---------------------------------------------------------------------

    def add_neuron(self, neuron: Any) -> int:
        """A new neuron slot, every field 0."""
        slot = len(self.neurons)
        if slot >= len(self.bias):
            for name in NEURON_FIELDS:
                setattr(self, name, _grown(getattr(self, name), slot + 1))
        self.neurons.append(neuron)
        self.neuron_ids.append(neuron.id)
        self.touch()
        return slot

    def add_connection(self, connection: Any, weight: float) -> int:
        """A new connection slot with ``weight``, gain 1 and eligibility 0."""
        slot = len(self.connections)
        if slot >= len(self.weight):
            for name in CONNECTION_FIELDS:
                setattr(self, name, _grown(getattr(self, name), slot + 1))
        self.connections.append(connection)
        self.connection_ids.append(connection.id)
        self.weight[slot] = weight
        self.gain[slot] = 1.0
        self.eligibility[slot] = 0.0
        self.touch()
        return slot

    def add_connections(self, connections: list[Any], weights: list[float]) -> int:
        """New slots for ``connections`` in one go (weights given, gains 1, traces 0); returns the first.

        The same slots and ids as :meth:`add_connection` one at a time: ``connections[k]`` must be
        made for slot ``first + k``, where ``first`` is ``len(store.connections)`` (``Connection.in_slots``).
        """
        first = len(self.connections)
        self.weight = self.weight[:first] + array("d", weights)  # a new array: an engine may hold the old one
        self.gain = self.gain[:first] + array("d", [1.0]) * len(weights)
        self.eligibility = self.eligibility[:first] + array("d", bytes(8 * len(weights)))
        self.connections.extend(connections)
        self.connection_ids.extend([connection.id for connection in connections])
        self.touch()
        return first

    def add_traces(self, count: int) -> int:
        """``count`` new extended-trace slots, all 0; returns the first."""
        first = self.traces
        if first + count > len(self.xtrace):
            self.xtrace = _grown(self.xtrace, first + count)
        for slot in range(first, first + count):
            self.xtrace[slot] = 0.0
        self.traces = first + count
        self.touch()
        return first

    # -- merging ---------------------------------------------------------------------

    def absorb(self, other: Store) -> Store:
        """Move every neuron, connection and trace of ``other`` into this store; ``other`` forwards here."""
        other = other.live()
        if other is self:
            return self
        for neuron in other.neurons:
            slot = self.add_neuron(neuron)
            for name in NEURON_FIELDS:
                getattr(self, name)[slot] = getattr(other, name)[neuron._slot]
            neuron.move(self, slot)
        for connection in other.connections:
            slot = self.add_connection(connection, other.weight[connection._slot])
            self.gain[slot] = other.gain[connection._slot]
            self.eligibility[slot] = other.eligibility[connection._slot]
            connection.move(self, slot)
        for neuron in other.neurons:
            for block in neuron.extended.values():
                moved = {}
                for key, old in block.slots.items():
                    moved[key] = new = self.add_traces(1)
                    self.xtrace[new] = other.xtrace[old]
                block.slots = moved
        other.neurons, other.connections = [], []
        other.neuron_ids, other.connection_ids, other.tables, other.pickled = array("q"), array("q"), None, None
        other._forward = self
        other.touch()  # plans bound to the old store recompile and find this one
        self.touch()
        return self

    # -- snapshots -------------------------------------------------------------------

    def snapshot(self) -> tuple[array, ...]:
        """Copies of every value column (cheap: a few memcpy), for :meth:`restore`."""
        return tuple(array("d", getattr(self, name)) for name in (*NEURON_FIELDS, *CONNECTION_FIELDS, "xtrace"))

    def restore(self, saved: tuple[array, ...]) -> None:
        """Put back the values of a :meth:`snapshot` taken while the structure was the same."""
        for name, column in zip((*NEURON_FIELDS, *CONNECTION_FIELDS, "xtrace"), saved):
            current = getattr(self, name)
            count = min(len(current), len(column))
            if count:  # an engine may hold a buffer on the array: even an empty slice write is refused then
                current[:count] = column[:count]


def neuron_at(store: Store, slot: int) -> Any:
    """The neuron in ``slot`` of ``store`` (how a pickled Neuron comes back)."""
    return store.neurons[slot]


def connection_at(store: Store, slot: int) -> Any:
    """The connection in ``slot`` of ``store`` (how a pickled Connection comes back)."""
    return store.connections[slot]


def column_values(holders: Sequence[Any], name: str) -> list[float]:
    """The value of column ``name`` for each neuron or connection of ``holders``, in their order.

    What reading ``holder.<field>`` one by one gives, read from the columns slot list by slot list
    (a network's checkpoint reads hundreds of thousands: synjson.model.checkpoint).
    """
    values: list[float] = []
    for store, group in itertools.groupby(holders, key=_STORE):
        column = getattr(store, name)
        values.extend(map(column.__getitem__, map(_SLOT, group)))
    return values


def shared(stores: Any) -> Store:
    """One store holding everything in ``stores``: the largest absorbs the others."""
    live = list({id(store): store for store in (store.live() for store in stores)}.values())
    if not live:
        return Store()
    target = max(live, key=lambda store: len(store.neurons) + len(store.connections))
    for store in live:
        target.absorb(store)
    return target
