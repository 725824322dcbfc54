"""Connection and the trace views: a connection's numbers and a neuron's traces, in the store.

A Connection is a weighted, optionally gated link between two neurons whose ``weight`` and
``gain`` live in their store; :class:`Eligibility` and :class:`Traces` are live views of a
neuron's eligibility and extended traces there. The id counters (creation order, which
Synaptic's sums follow) live here too, for neurons and connections alike.
"""

from __future__ import annotations

import copy
import itertools
from collections.abc import Iterator, MutableMapping, Sequence
from typing import TYPE_CHECKING, Any

from .store import Store, connection_at

if TYPE_CHECKING:
    from .neuron import Neuron

__all__ = ["Connection", "Traces", "Eligibility", "claim_ids", "reserve_ids", "new_neuron_id", "store_column"]

# Synaptic numbers neurons and connections from global counters and iterates
# objects keyed by those numbers in ascending order, so creation order decides
# summation order. These counters only ever order objects; they hold no data.
_neuron_ids = itertools.count()
_connection_ids = itertools.count()


def claim_ids(neuron_ids: Sequence[int], connection_ids: Sequence[int]) -> tuple[int, int]:
    """Offsets that move these ids (of one unpickled store) into fresh blocks, keeping their order.

    ``id + offset`` is unused in this process for every id given; the counters move past them.
    """
    global _neuron_ids, _connection_ids
    offsets = []
    counters = []
    for counter, ids in ((_neuron_ids, neuron_ids), (_connection_ids, connection_ids)):
        first = next(counter)
        low, high = (min(ids), max(ids)) if len(ids) else (0, -1)
        offsets.append(first - low)
        counters.append(itertools.count(first + high - low + 1))
    _neuron_ids, _connection_ids = counters
    return offsets[0], offsets[1]


def reserve_ids(neurons: int, connections: int) -> tuple[int, int]:
    """The first of ``neurons`` neuron ids and of ``connections`` connection ids, taken in one go.

    A bulk loader (synjson.model.bulk) numbers its objects from these, exactly as creating
    them one by one would have.
    """
    global _neuron_ids, _connection_ids
    first_neuron, first_connection = next(_neuron_ids), next(_connection_ids)
    _neuron_ids = itertools.count(first_neuron + neurons)
    _connection_ids = itertools.count(first_connection + connections)
    return first_neuron, first_connection



def new_neuron_id() -> int:
    """The next neuron id."""
    return next(_neuron_ids)


def store_column(name: str, doc: str) -> property:
    """A property reading and writing this object's slot of the store column ``name``."""

    def get(self: Any) -> float:
        return getattr(self._store, name)[self._slot]

    def set(self: Any, value: float) -> None:
        getattr(self._store, name)[self._slot] = value

    return property(get, set, doc=doc)


class Connection:
    """A weighted, optionally gated connection from one neuron to another.

    ``weight`` and ``gain`` live in the store of the neurons it joins.
    """

    __slots__ = ("_slot", "_store", "from_neuron", "gater", "id", "to_neuron")

    def __init__(self, from_neuron: Neuron, to_neuron: Neuron, weight: float) -> None:
        self.id = next(_connection_ids)
        self.from_neuron = from_neuron
        self.to_neuron = to_neuron
        self.gater: Neuron | None = None
        self._store = from_neuron._store
        self._slot = self._store.add_connection(self, float(weight))

    @property
    def weight(self) -> float:
        """The connection's weight."""
        return self._store.weight[self._slot]

    @weight.setter
    def weight(self, value: float) -> None:
        self._store.weight[self._slot] = value
        if self.from_neuron is self.to_neuron:
            self._store.touch()  # a self-connection counts only while its weight is not 0

    gain = store_column("gain", "The gain: the gater's activation when gated (Q-GAIN), else 1.")

    @classmethod
    def in_slots(
        cls,
        store: Store,
        first: int,
        ids: Sequence[int],
        sources: Sequence[Neuron] | None = None,
        targets: Sequence[Neuron] | None = None,
    ) -> list[Connection]:
        """Connections over slots ``first, first + 1, ...`` of ``store``, whose numbers it holds (or will
        hold: :meth:`Store.add_connections`), one per id, from ``sources[k]`` to ``targets[k]``, ungated.

        For code that makes many connections at once (loaders, unpickling, ``Layer.project``);
        ``Connection(...)`` makes one with a new slot. Without ``sources`` and ``targets`` the ends are
        None until the caller sets ``from_neuron`` and ``to_neuron``. The neurons' lists are the
        caller's to fill (:meth:`Neuron.record_all`, :meth:`Neuron.wire`).
        """
        new = cls.__new__
        made = []
        append = made.append
        if sources is None or targets is None:
            sources = targets = itertools.repeat(None)  # type: ignore[assignment]
        for slot, identity, source, target in zip(itertools.count(first), ids, sources, targets):  # type: ignore[arg-type]
            connection = new(cls)
            connection.id, connection.gater = identity, None
            connection.from_neuron, connection.to_neuron = source, target
            connection._store, connection._slot = store, slot
            append(connection)
        return made

    def move(self, store: Store, slot: int) -> None:
        """Read and write ``slot`` of ``store`` from now on (the store calls it when it takes this connection in)."""
        self._store, self._slot = store, slot

    def __repr__(self) -> str:
        return f"Connection({self.from_neuron.id} -> {self.to_neuron.id}, weight={self.weight!r})"

    # Pickled as (its store, its slot): the store carries the whole connected graph once.
    def __reduce__(self) -> tuple[Any, tuple[Store, int]]:
        return connection_at, (self._store.live(), self._slot)

    def __copy__(self) -> Connection:
        return copy.deepcopy(self)


class Traces(MutableMapping[int, float]):
    """One gater's extended traces for one gated neighbour: input connection id -> trace.

    The values live in the store's ``xtrace`` column, one slot per input connection of the gater.
    """

    __slots__ = ("gater", "slots")

    def __init__(self, gater: Neuron) -> None:
        self.gater = gater
        inputs = gater.inputs
        first = gater._store.add_traces(len(inputs)) if inputs else 0  # one block: the slots one by one would give
        self.slots: dict[int, int] = {connection.id: first + k for k, connection in enumerate(inputs)}

    @classmethod
    def placed(cls, gater: Neuron, slots: dict[int, int]) -> Traces:
        """The traces of ``gater`` already in the store's ``xtrace`` slots ``slots`` (connection id -> slot)."""
        traces = cls.__new__(cls)
        traces.gater, traces.slots = gater, slots
        return traces

    def __getitem__(self, key: int) -> float:
        return self.gater._store.xtrace[self.slots[key]]

    def __setitem__(self, key: int, value: float) -> None:
        self.gater._store.xtrace[self.slots[key]] = value

    def __delitem__(self, key: int) -> None:
        raise TypeError("extended traces follow the gater's input connections: they cannot be deleted")

    def __iter__(self) -> Iterator[int]:
        return iter(self.slots)

    def __len__(self) -> int:
        return len(self.slots)

    def __repr__(self) -> str:
        return f"Traces({dict(self)!r})"


class Eligibility(MutableMapping[int, float]):
    """A neuron's eligibility traces: input connection id -> trace, read from the store."""

    __slots__ = ("neuron",)

    def __init__(self, neuron: Neuron) -> None:
        self.neuron = neuron

    def __getitem__(self, key: int) -> float:
        connection = self.neuron._by_id[key]
        return connection._store.eligibility[connection._slot]

    def __setitem__(self, key: int, value: float) -> None:
        connection = self.neuron._by_id[key]
        connection._store.eligibility[connection._slot] = value

    def __delitem__(self, key: int) -> None:
        raise TypeError("eligibility traces follow the input connections: they cannot be deleted")

    def __iter__(self) -> Iterator[int]:
        return (connection.id for connection in self.neuron.inputs)

    def __len__(self) -> int:
        return len(self.neuron.inputs)

    def __repr__(self) -> str:
        return f"Eligibility({dict(self)!r})"
