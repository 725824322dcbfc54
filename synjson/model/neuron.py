"""Neuron: Synaptic's LSTM-g unit, the pure-Python reference.

This module is the specification in code. It follows what Synaptic 1.1.4's
``Network.activate`` / ``Network.propagate`` compute by default, which is the
*optimized* (generated-code) mode, not the slightly different code in
Synaptic's ``Neuron.activate``. Each place where the two differ, or where
synjson deliberately differs from both, is tagged ``Q-...`` and explained in
``docs/quirks.md``. Equation numbers are those of Synaptic's source, which
follows Monner & Reggia's LSTM-g paper.

No numpy here: this code must run in Pyodide.
"""

from __future__ import annotations

import bisect
import copy
import random
from array import array
from collections.abc import Sequence
from typing import Any

from ..errors import StructureError
from .connection import Connection, Eligibility, Traces, claim_ids, new_neuron_id, reserve_ids, store_column
from .squash import LOGISTIC, TANH, Squash, _exp
from .store import Store, neuron_at, shared

__all__ = ["Neuron", "Connection", "Scratch", "Traces", "Eligibility", "draw_weight", "reserve_ids", "claim_ids"]

#: Neuron attributes a bulk-loaded store makes on first use (Store.defer, synjson.model.bulk.materializer).
_DEFERRED = frozenset({"inputs", "projected", "_by_id", "selfconnection", "neighbours"})


def _by_id(connection: Connection) -> int:
    return connection.id


def _same(wanted: Sequence[Any], current: Sequence[Any], what: str, key: Any = id) -> None:
    """StructureError unless ``wanted`` lists the items of ``current`` (each once, by ``key``) in some order."""
    if len(wanted) != len(current) or set(map(key, wanted)) != set(map(key, current)):
        raise StructureError(f"a new order must list the same {what}, each once")


def draw_weight(rng: random.Random | None) -> float:
    """A fresh weight or bias, uniform in [-0.1, 0.1) as Synaptic draws them."""
    return (rng if rng is not None else random.Random()).random() * 0.2 - 0.1


class Scratch:
    """The scratch variable ``aux`` that Synaptic's generated code shares across a network.

    Q-AUX: a hidden neuron that both projects and gates starts summing its
    projected error from whatever ``aux`` last held (a TANH neuron's
    ``exp(state)``, or another neuron's last gradient), not from 0.
    A network owns one (the engines read and write ``values[0]``); standalone
    neurons use a fresh zero one.
    """

    __slots__ = ("values",)

    def __init__(self) -> None:
        self.values = array("d", [0.0])

    @property
    def aux(self) -> float:
        """The scratch value."""
        return self.values[0]

    @aux.setter
    def aux(self, value: float) -> None:
        self.values[0] = value


class Neuron:
    """One unit: state, activation, traces, and its connections.

    ``bias`` defaults to a draw from ``rng`` in [-0.1, 0.1); ``squash`` to LOGISTIC.
    Its numbers live in ``store`` (a new one by default); connecting neurons of two
    stores moves them into one.
    """

    def __init__(
        self,
        bias: float | None = None,
        squash: Squash = LOGISTIC,
        *,
        rng: random.Random | None = None,
        store: Store | None = None,
    ) -> None:
        self.id = new_neuron_id()
        self._rng = rng
        self._store = store.live() if store is not None else Store()
        self._slot = self._store.add_neuron(self)
        self.bias = draw_weight(rng) if bias is None else float(bias)
        self._squash = squash
        self.inputs: list[Connection] = []  # in creation order
        self.projected: list[Connection] = []  # in creation order
        self.gated: list[Connection] = []  # in creation order
        self._by_id: dict[int, Connection] = {}  # input connection id -> connection
        # weight 0 means "not self-connected", as in Synaptic
        self.selfconnection = Connection(self, self, 0.0)
        self.extended: dict[int, Traces] = {}  # gated neuron id -> its extended traces, in trace order
        self.neighbours: dict[int, Neuron] = {}
        self.influences: dict[int, list[Connection]] = {}  # gated neuron id -> connections gated into it

    @classmethod
    def in_slot(cls, store: Store, slot: int, id: int, squash: Squash, rng: random.Random | None = None) -> Neuron:
        """A neuron over ``slot`` of ``store``, whose numbers the store holds (loaders and unpickling).

        It gates nothing. Its connections come later: from :meth:`wire`, or from the store when
        first asked for (``Store.defer``, synjson.model.bulk).
        """
        neuron = cls.__new__(cls)
        neuron.id, neuron._rng, neuron._store, neuron._slot, neuron._squash = id, rng, store, slot, squash
        neuron.gated, neuron.extended, neuron.influences = [], {}, {}
        return neuron

    def wire(self, inputs: list[Connection], projected: list[Connection], selfconnection: Connection) -> None:
        """Give a neuron made by :meth:`in_slot` its connections: ``inputs`` and ``projected`` in creation
        order (each already joining this neuron), and its self-connection (weight 0: none)."""
        self.inputs, self.projected, self.selfconnection = inputs, projected, selfconnection
        self._by_id = {connection.id: connection for connection in inputs}
        self.neighbours = {connection.to_neuron.id: connection.to_neuron for connection in projected}

    def move(self, store: Store, slot: int) -> None:
        """Read and write ``slot`` of ``store`` from now on (the store calls it when it takes this neuron in)."""
        self._store, self._slot = store, slot

    bias = store_column("bias", "The bias.")
    state = store_column("state", "The state (eq. 15).")
    old = store_column("old", "The state before the last activation.")
    activation = store_column("activation", "The activation (eq. 16).")
    derivative = store_column("derivative", "The squash's derivative at the state.")
    responsibility = store_column("responsibility", "The error responsibility (eq. 10, 23).")
    projected_error = store_column("projected_error", "The projected error responsibility (eq. 21).")
    gated_error = store_column("gated_error", "The gated error responsibility (eq. 22).")

    @property
    def squash(self) -> Squash:
        """The squashing function; setting it takes effect on the next activation."""
        return self._squash

    @squash.setter
    def squash(self, squash: Squash) -> None:
        if not isinstance(squash, Squash):
            raise TypeError(f"squash must be a synjson.squash.Squash, got {type(squash).__name__}")
        self._squash = squash
        self._store.touch()

    @property
    def eligibility(self) -> Eligibility:
        """Eligibility traces by input connection id (a live view of the store)."""
        return Eligibility(self)

    @eligibility.setter
    def eligibility(self, values: dict[int, float]) -> None:
        view = Eligibility(self)
        for key, value in values.items():
            view[key] = value

    def __repr__(self) -> str:
        return f"Neuron(id={self.id}, bias={self.bias!r}, squash={self.squash.name})"

    def __getattr__(self, name: str) -> Any:
        # Only reached for a missing attribute: the connection lists of a bulk-loaded neuron (Store.defer).
        if name in _DEFERRED:
            store = self.__dict__.get("_store")
            if store is not None and store.live().materialize():
                return self.__dict__[name]
        raise AttributeError(f"'Neuron' object has no attribute {name!r}")

    def __reduce__(self) -> tuple[Any, tuple[Store, int]]:
        """Pickled as (its store, its slot): the store carries every neuron connected to this one.

        ``copy.copy`` is a deep copy too: a neuron's numbers and connections are its value.
        """
        return neuron_at, (self._store.live(), self._slot)

    def __copy__(self) -> Neuron:
        return copy.deepcopy(self)

    # -- wiring ---------------------------------------------------------------

    def _join(self, other: Neuron) -> None:
        """Make sure ``other`` shares this neuron's store."""
        mine, theirs = self._store.live(), other._store.live()
        if mine is not theirs:
            shared((mine, theirs))

    def project(self, neuron: Neuron, weight: float | None = None) -> Connection:
        """Connect this neuron to ``neuron`` and return the connection.

        Projecting onto itself makes the self-connection, whose weight is
        always 1 (Q-SELF1). Projecting twice onto the same neuron updates the
        existing connection's weight (when given) instead of adding another.
        """
        if neuron is self:
            self.selfconnection.weight = 1.0
            return self.selfconnection
        # Q-REPROJECT: Synaptic's `connected` searches inputs before projections, so when
        # `neuron` also projects onto this one it adds a second connection instead.
        if not any(c.from_neuron is neuron for c in self.inputs):
            for connection in self.projected:
                if connection.to_neuron is neuron:
                    if weight is not None:
                        connection.weight = float(weight)
                    return connection
        return self.attach(neuron, draw_weight(self._rng) if weight is None else weight)

    def attach(self, neuron: Neuron, weight: float) -> Connection:
        """Add a new connection to ``neuron`` without looking for an existing one (loaders use it)."""
        self._join(neuron)
        connection = Connection(self, neuron, weight)
        self.record(connection)
        return connection

    def record(self, connection: Connection) -> None:
        """Enter a new connection from this neuron (made by ``Connection``) in its own and its target's
        lists, with a trace slot in each block of the target's extended traces."""
        neuron = connection.to_neuron
        Neuron.record_all([connection])
        for traces in neuron.extended.values():
            traces.slots[connection.id] = neuron._store.add_traces(1)

    @staticmethod
    def record_all(connections: Sequence[Connection]) -> None:
        """Enter new connections (``Connection.in_slots``), in order, in their ends' lists. None of their
        targets may gate a connection: a gater keeps a trace per input connection, which :meth:`record`
        adds (``Layer.project`` checks before taking this path)."""
        for connection in connections:
            source, target = connection.from_neuron, connection.to_neuron
            source.projected.append(connection)
            source.neighbours[target.id] = target
            target.inputs.append(connection)
            target._by_id[connection.id] = connection

    def gate(self, connection: Connection, *, order: bool = True, keep_gater: bool = False) -> None:
        """Let this neuron gate ``connection``: its gain follows this neuron's activation.

        ``order=False`` leaves the gated neighbours unsorted for a caller that gates many
        connections and then calls :meth:`order_neighbours` once (loaders do). ``keep_gater=True``
        leaves ``connection.gater`` as it was: this neuron gates it too, as an earlier gater whose
        place a later one took (Q-DOUBLEGATE; a checkpoint gives it back).
        """
        last = connection.gater
        self._join(connection.to_neuron)
        # A connection sits in a gater's list only after that gater set itself as its gater, so
        # an ungated connection needs no search (loading many gates stays linear).
        if connection.gater is not self and (connection.gater is None or connection not in self.gated):
            if self.gated and self.gated[-1].id > connection.id:
                bisect.insort(self.gated, connection, key=_by_id)
            else:
                self.gated.append(connection)
        neuron = connection.to_neuron
        if neuron.id not in self.extended:
            self.neighbours[neuron.id] = neuron
            out_of_order = bool(self.extended) and next(reversed(self.extended)) > neuron.id
            self.extended[neuron.id] = Traces(self)
            if out_of_order and order:
                self.order_neighbours()
        self.influences.setdefault(neuron.id, []).append(connection)
        connection.gater = last if keep_gater else self
        self._store.touch()

    def order_neighbours(self) -> None:
        """Visit gated neighbours in ascending id, as JavaScript iterates Synaptic's integer keys."""
        self.extended = dict(sorted(self.extended.items()))
        self._store.touch()

    # Orders a network built in another order sums in (Q-ORDER): a checkpoint gives them back.

    def reorder_inputs(self, inputs: Sequence[Connection]) -> None:
        """Sum the input connections in the order ``inputs`` lists them (each once, the same ones)."""
        _same(inputs, self.inputs, "input connections")
        self.inputs = list(inputs)
        self._store.touch()

    def reorder_neighbours(self, neuron_ids: Sequence[int]) -> None:
        """Visit the gated neighbours (by neuron id) in the order ``neuron_ids`` lists them."""
        _same(neuron_ids, list(self.extended), "gated neighbours", key=int)
        self.extended = {neuron_id: self.extended[neuron_id] for neuron_id in neuron_ids}
        self._store.touch()

    def reorder_influences(self, neuron_id: int, connections: Sequence[Connection]) -> None:
        """Sum the influence on gated neighbour ``neuron_id`` over ``connections`` in this order."""
        _same(connections, self.influences[neuron_id], "gated connections")
        self.influences[neuron_id] = list(connections)
        self._store.touch()

    def selfconnected(self) -> bool:
        """Whether this neuron has a self-connection."""
        return self.selfconnection.weight != 0

    def connected(self, neuron: Neuron) -> str | None:
        """How this neuron is connected to ``neuron``, as Synaptic reports it.

        One of ``"selfconnection"``, ``"inputs"``, ``"projected"``, ``"gated"``
        (the first kind found, in that order of search), or None.
        """
        if neuron is self:
            return "selfconnection" if self.selfconnected() else None
        for kind, connections in (("inputs", self.inputs), ("projected", self.projected), ("gated", self.gated)):
            for connection in connections:
                if connection.to_neuron is neuron or connection.from_neuron is neuron:
                    return kind
        return None

    # -- forward ----------------------------------------------------------------

    def activate(self, input: float | None = None, *, scratch: Scratch | None = None) -> float:
        """Compute this neuron's activation; an input neuron just takes ``input``."""
        if input is not None:
            # Input neurons: bias 0; state and old read 0 after an optimized run.
            self.activation = float(input)
            self.derivative = 0.0
            self.bias = 0.0
            self.state = self.old = 0.0
            return self.activation

        self.old = self.state
        selfconnection = self.selfconnection
        # eq. 15
        if selfconnection.weight != 0:
            if selfconnection.gater is not None:
                state = selfconnection.gain * selfconnection.weight * self.state + self.bias
            else:
                state = selfconnection.weight * self.state + self.bias
        else:
            state = self.bias
        for connection in self.inputs:
            if connection.gater is not None:
                state += connection.from_neuron.activation * connection.weight * connection.gain
            else:
                state += connection.from_neuron.activation * connection.weight
        self.state = state
        # eq. 16 and f'(s)
        self.activation, self.derivative = self.squash(state)
        if scratch is not None and self.squash is TANH:
            scratch.aux = _exp(state)

        # Q-GAIN: gains of gated connections change before this neuron's traces.
        for connection in self.gated:
            connection.gain = self.activation

        self._update_traces()
        return self.activation

    def _influence_for_traces(self, neuron: Neuron) -> float:
        """How much ``neuron``'s state depends on this gater (the generated code's first-term form)."""
        influence: float | None = neuron.old if neuron.selfconnection.gater is self else None
        for connection in self.influences[neuron.id]:
            term = connection.weight * connection.from_neuron.activation
            influence = term if influence is None else influence + term
        return 0.0 if influence is None else influence

    def _update_traces(self) -> None:
        neighbours = [self.neighbours[neuron_id] for neuron_id in self.extended]
        influences = [self._influence_for_traces(neuron) for neuron in neighbours]
        selfconnection = self.selfconnection
        selfconnected = selfconnection.weight != 0
        derivative = self.derivative
        for connection in self.inputs:
            # eq. 17
            if connection.gater is not None:
                incoming = connection.gain * connection.from_neuron.activation
            else:
                incoming = connection.from_neuron.activation
            if selfconnected:
                if selfconnection.gater is not None:
                    trace = selfconnection.gain * selfconnection.weight * self.eligibility[connection.id] + incoming
                else:
                    trace = selfconnection.weight * self.eligibility[connection.id] + incoming
            else:
                trace = incoming
            self.eligibility[connection.id] = trace
            # eq. 18
            for neuron, influence in zip(neighbours, influences):
                xtrace = self.extended[neuron.id]
                own = neuron.selfconnection
                if own.weight != 0:
                    if own.gater is not None:
                        xtrace[connection.id] = (
                            own.gain * own.weight * xtrace[connection.id] + derivative * trace * influence
                        )
                    else:
                        xtrace[connection.id] = own.weight * xtrace[connection.id] + derivative * trace * influence
                else:
                    xtrace[connection.id] = derivative * trace * influence

    # -- backward ---------------------------------------------------------------

    def _influence_for_errors(self, neuron: Neuron) -> float:
        influence = neuron.old if neuron.selfconnection.gater is self else 0.0
        for connection in self.influences[neuron.id]:
            influence += connection.weight * connection.from_neuron.activation
        return influence

    def _projected_sum(self, start: float) -> float:
        error = start
        for connection in self.projected:
            if connection.gater is not None:
                error += connection.to_neuron.responsibility * connection.gain * connection.weight
            else:
                error += connection.to_neuron.responsibility * connection.weight
        return error

    def propagate(self, rate: float, target: float | None = None, *, scratch: Scratch | None = None) -> None:
        """Back-propagate: compute this neuron's error responsibility and update its incoming weights and bias.

        ``target`` makes this an output neuron. ``rate`` is required (Q-RATE).
        """
        if target is not None:
            # eq. 10; Q-OUTX: output neurons ignore the extended traces of connections they gate.
            responsibility = target - self.activation
            self.responsibility = self.projected_error = responsibility
            for connection in self.inputs:
                connection.weight += rate * (responsibility * self.eligibility[connection.id])
            self.bias += rate * responsibility
            return

        scratch = scratch if scratch is not None else Scratch()
        neighbours = [self.neighbours[neuron_id] for neuron_id in self.extended]
        derivative = self.derivative
        if self.projected and self.gated:
            # eq. 21, Q-AUX: the sum starts from the scratch variable's leftover value
            projected = derivative * self._projected_sum(scratch.aux)
            aux = 0.0
            for neuron in neighbours:
                aux += neuron.responsibility * self._influence_for_errors(neuron)  # eq. 22
            gated = derivative * aux
            responsibility = projected + gated  # eq. 23
            self.projected_error, self.gated_error, self.responsibility = projected, gated, responsibility
            for connection in self.inputs:
                gradient = projected * self.eligibility[connection.id]  # eq. 24
                for neuron in neighbours:
                    gradient += neuron.responsibility * self.extended[neuron.id][connection.id]
                connection.weight += rate * gradient
                aux = gradient
            scratch.aux = aux
        elif self.projected:
            responsibility = self._projected_sum(0.0) * derivative
            self.projected_error = self.responsibility = responsibility
            self.gated_error = 0.0
            for connection in self.inputs:
                connection.weight += rate * (responsibility * self.eligibility[connection.id])
        elif self.gated:
            responsibility = 0.0
            aux = scratch.aux
            for neuron in neighbours:
                aux = self._influence_for_errors(neuron)
                responsibility += neuron.responsibility * aux
            responsibility *= derivative
            self.gated_error = self.responsibility = responsibility
            self.projected_error = 0.0
            for connection in self.inputs:
                aux = 0.0
                for neuron in neighbours:
                    aux += neuron.responsibility * self.extended[neuron.id][connection.id]
                connection.weight += rate * aux
            scratch.aux = aux
        else:
            # Q-DEADEND: no projections and no gates; Synaptic's optimizer would
            # wrongly hand this neuron an output target. Its error is 0.
            responsibility = 0.0
            self.responsibility = self.projected_error = self.gated_error = 0.0
        self.bias += rate * responsibility

    # -- housekeeping -------------------------------------------------------------

    def clear(self) -> None:
        """Forget the context: zero every trace and error, keep weights and state."""
        for key in self.eligibility:
            self.eligibility[key] = 0.0
        for xtrace in self.extended.values():
            for key in xtrace:
                xtrace[key] = 0.0
        self.responsibility = self.projected_error = self.gated_error = 0.0

    def reset(self, rng: random.Random | None = None) -> None:
        """Clear, then draw new weights for every connection in, out or gated (Q-RESET) and a new bias."""
        rng = rng if rng is not None else (self._rng if self._rng is not None else random.Random())
        self.clear()
        for connections in (self.inputs, self.projected, self.gated):
            for connection in connections:
                connection.weight = draw_weight(rng)
        self.bias = draw_weight(rng)
        self.old = self.state = self.activation = 0.0
