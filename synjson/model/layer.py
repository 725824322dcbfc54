"""Layer and LayerConnection: groups of neurons wired and gated together, as in Synaptic."""

from __future__ import annotations

import copy
import copyreg
import enum
import random
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from .neuron import Connection, Neuron, Scratch, draw_weight, reserve_ids
from .squash import Squash
from .store import Store, shared

if TYPE_CHECKING:
    from .network import Network

__all__ = ["Layer", "LayerConnection", "ConnectionType", "GateType"]


class ConnectionType(enum.Enum):
    """How ``Layer.project`` wires two layers (values are Synaptic's strings)."""

    ALL_TO_ALL = "ALL TO ALL"
    ONE_TO_ONE = "ONE TO ONE"
    ALL_TO_ELSE = "ALL TO ELSE"


class GateType(enum.Enum):
    """How ``Layer.gate`` assigns gater neurons to a layer connection's connections."""

    INPUT = "INPUT"
    OUTPUT = "OUTPUT"
    ONE_TO_ONE = "ONE TO ONE"


class LayerConnection:
    """The connections made by one ``Layer.project`` call, in creation order."""

    def __init__(
        self,
        from_layer: Layer,
        to_layer: Layer,
        type: ConnectionType | None = None,
        weights: float | None = None,
    ) -> None:
        if type is None:
            type = ConnectionType.ONE_TO_ONE if from_layer is to_layer else ConnectionType.ALL_TO_ALL
        self.from_layer = from_layer
        self.to_layer = to_layer
        self.type = ConnectionType(type)
        self.selfconnection = from_layer is to_layer
        self.list: list[Connection] = []
        self.gated_from: list[tuple[Layer, GateType]] = []
        if self.type is ConnectionType.ONE_TO_ONE:
            if len(to_layer.neurons) < len(from_layer.neurons):
                raise ValueError(
                    f"ONE_TO_ONE needs a target layer at least as large as the source "
                    f"({len(from_layer.neurons)} > {len(to_layer.neurons)})"
                )
            for source, target in zip(from_layer.neurons, to_layer.neurons):
                self.list.append(source.project(target, weights))
        else:
            # No source projects to a target yet: each project() below would add a new connection, so
            # skip its search of the lists (quadratic in a big layer); same weights drawn, same order.
            targets = {id(target) for target in to_layer.neurons}
            fresh = len(targets) == len(to_layer.neurons) and not any(
                id(c.to_neuron) in targets for source in from_layer.neurons for c in source.projected
            )
            if fresh and _one_store(from_layer.neurons) and _one_store(to_layer.neurons) and not any(
                target.extended for target in to_layer.neurons
            ):
                self.list = _attach_all(from_layer.neurons, to_layer.neurons, weights,
                                       skip_self=self.type is ConnectionType.ALL_TO_ELSE)
            for source in from_layer.neurons if not self.list else ():
                for target in to_layer.neurons:
                    if self.type is ConnectionType.ALL_TO_ELSE and source is target:
                        continue
                    if fresh and source is not target:
                        weight = draw_weight(source._rng) if weights is None else weights
                        self.list.append(source.attach(target, weight))
                    else:
                        self.list.append(source.project(target, weights))
        self._ids = {c.id for c in self.list}
        from_layer.connected_to.append(self)

    def __contains__(self, connection: object) -> bool:
        return isinstance(connection, Connection) and connection.id in self._ids

    def __reduce__(self) -> tuple[Any, tuple[Any, ...], tuple[Any, ...]]:
        """Pickled with its connections as compressed slots of their store (a pickle stays small)."""
        from .pickling import pack_slots

        self._pickled = pack_slots(self.list, getattr(self, "_pickled", None))
        _, stores, packed = self._pickled
        state = (self.from_layer, self.to_layer, self.type, self.selfconnection, self.gated_from, stores, packed)
        return copyreg.__newobj__, (LayerConnection,), state

    def __setstate__(self, state: tuple[Any, ...]) -> None:
        from .pickling import unpack_slots

        self.from_layer, self.to_layer, self.type, self.selfconnection, self.gated_from, stores, packed = state
        self.list = unpack_slots(stores, packed)
        self._ids = {c.id for c in self.list}

    def __copy__(self) -> LayerConnection:
        return copy.deepcopy(self)

    @property
    def size(self) -> int:
        """Number of connections."""
        return len(self.list)


class Layer:
    """A list of neurons that activate, propagate, project and gate together."""

    def __init__(self, size: int = 0, *, rng: random.Random | None = None) -> None:
        if isinstance(size, bool) or not isinstance(size, int) or size < 0:
            raise ValueError(f"a layer's size must be a non-negative integer, got {size!r}")
        self.neurons: list[Neuron] = []
        if size:  # an empty layer draws nothing: no generator, no store
            rng = rng if rng is not None else random.Random()
            store = Store()
            self.neurons = [Neuron(rng=rng, store=store) for _ in range(size)]
        self.connected_to: list[LayerConnection] = []

    @classmethod
    def of(cls, neurons: Sequence[Neuron]) -> Layer:
        """A layer made of existing neurons."""
        layer = cls(0)
        layer.neurons.extend(neurons)
        return layer

    @property
    def size(self) -> int:
        """Number of neurons."""
        return len(self.neurons)

    def __len__(self) -> int:
        return len(self.neurons)

    def __repr__(self) -> str:
        return f"Layer(size={len(self.neurons)})"

    def __copy__(self) -> Layer:
        """A deep copy, as ``copy.deepcopy``: a layer's neurons and their numbers are its value."""
        return copy.deepcopy(self)

    def add(self, neuron: Neuron | None = None) -> Neuron:
        """Append a neuron (a new one by default) and return it."""
        if neuron is None:
            neuron = Neuron(store=self.neurons[0]._store if self.neurons else None)
        elif self.neurons:
            shared((self.neurons[0]._store, neuron._store))
        self.neurons.append(neuron)
        neuron._store.live().touch()  # a network holding this layer recompiles
        return neuron

    def activate(self, inputs: Sequence[float] | None = None, *, scratch: Scratch | None = None) -> list[float]:
        """Activate every neuron in order; ``inputs`` makes this an input layer."""
        if inputs is not None:
            if len(inputs) != len(self.neurons):
                raise ValueError(f"expected {len(self.neurons)} inputs, got {len(inputs)}")
            return [neuron.activate(value) for neuron, value in zip(self.neurons, inputs)]
        return [neuron.activate(scratch=scratch) for neuron in self.neurons]

    def propagate(
        self, rate: float, targets: Sequence[float] | None = None, *, scratch: Scratch | None = None
    ) -> None:
        """Propagate every neuron, last to first; ``targets`` makes this an output layer."""
        if targets is not None:
            if len(targets) != len(self.neurons):
                raise ValueError(f"expected {len(self.neurons)} targets, got {len(targets)}")
            for neuron, target in zip(reversed(self.neurons), reversed(targets)):
                neuron.propagate(rate, target, scratch=scratch)
        else:
            for neuron in reversed(self.neurons):
                neuron.propagate(rate, scratch=scratch)

    def project(
        self,
        target: Layer | Network,
        type: ConnectionType | None = None,
        weights: float | None = None,
    ) -> LayerConnection | None:
        """Connect this layer to ``target`` (a layer, or a network's input layer).

        The default type is ONE_TO_ONE onto itself and ALL_TO_ALL otherwise.
        Returns None, as Synaptic does, when the layers are already fully connected.
        """
        layer = _as_layer(target)
        if self.connected(layer) is not None:
            return None
        return LayerConnection(self, layer, type, weights)

    def gate(self, connection: LayerConnection, type: GateType) -> None:
        """Gate a layer connection with this layer's neurons."""
        type = GateType(type)
        if type is GateType.INPUT:
            if connection.to_layer.size != self.size:
                raise ValueError("GATER layer and CONNECTION.TO layer must be the same size in order to gate")
            for neuron, gater in zip(connection.to_layer.neurons, self.neurons):
                for gated in list(neuron.inputs):
                    if gated in connection:
                        gater.gate(gated)
        elif type is GateType.OUTPUT:
            if connection.from_layer.size != self.size:
                raise ValueError("GATER layer and CONNECTION.FROM layer must be the same size in order to gate")
            for neuron, gater in zip(connection.from_layer.neurons, self.neurons):
                for gated in list(neuron.projected):
                    if gated in connection:
                        gater.gate(gated)
        else:
            if connection.size != self.size:
                raise ValueError("the number of GATER UNITS must be the same as the number of CONNECTIONS to gate")
            for gater, gated in zip(self.neurons, connection.list):
                gater.gate(gated)
        connection.gated_from.append((self, type))

    def selfconnected(self) -> bool:
        """Whether every neuron of this layer is self-connected."""
        return all(neuron.selfconnected() for neuron in self.neurons)

    def connected(self, layer: Layer) -> ConnectionType | None:
        """ALL_TO_ALL or ONE_TO_ONE when this layer already projects to ``layer`` that way, else None."""
        projects = [_projects_to(source) for source in self.neurons]  # per source: what connected() says "projected" of
        pairs = sum(1 for source, reach in zip(self.neurons, projects) for target in layer.neurons
                    if target is not source and id(target) in reach)
        if self.neurons and pairs == len(self.neurons) * len(layer.neurons):
            return ConnectionType.ALL_TO_ALL
        pairs = sum(
            1 for source, target, reach in zip(self.neurons, layer.neurons, projects)
            if target is not source and id(target) in reach
        )
        if self.neurons and pairs == len(self.neurons):
            return ConnectionType.ONE_TO_ONE
        return None

    def set(self, *, squash: Squash | None = None, bias: float | None = None) -> Layer:
        """Set every neuron's squash and/or bias; returns the layer."""
        for neuron in self.neurons:
            if squash is not None:
                neuron.squash = squash
            if bias is not None:
                neuron.bias = float(bias)
        return self

    def clear(self) -> None:
        """Clear every neuron's traces and errors."""
        for neuron in self.neurons:
            neuron.clear()

    def reset(self, rng: random.Random | None = None) -> None:
        """Reset every neuron: new weights and biases, traces cleared."""
        for neuron in self.neurons:
            neuron.reset(rng)


def _attach_all(sources: Sequence[Neuron], targets: Sequence[Neuron], weight: float | None, skip_self: bool
               ) -> list[Connection]:
    """``source.attach(target, w)`` for every pair, sources outer, in one go (``Layer.project`` on big layers).

    ``w`` is ``weight``, else a draw from the source's generator, in the order one by one would draw
    (a self pair, unless ``skip_self``, is ``project(self)``: weight 1). None of ``targets`` may have
    extended traces (a gater's new inputs need trace slots: the one-by-one path does that).
    """
    sources[0]._join(targets[0])  # as the first attach would: one store each side (the caller checked), now one
    store = sources[0]._store.live()
    within = {id(target) for target in targets}
    count = sum(len(targets) - (id(source) in within) for source in sources)  # a self pair makes no new one
    first_id = reserve_ids(0, count)[1]
    made: list[Connection | None] = []  # None: a new connection, made below in one go
    ends: tuple[list[Neuron], list[Neuron]] = ([], [])
    weights: list[float] = []
    for source in sources:
        rng = source._rng
        for target in targets:
            if source is target:
                if not skip_self:
                    made.append(source.project(source))
                continue
            weights.append(float(draw_weight(rng) if weight is None else weight))
            ends[0].append(source)
            ends[1].append(target)
            made.append(None)
    fresh = Connection.in_slots(store, len(store.connections), range(first_id, first_id + len(weights)), *ends)
    Neuron.record_all(fresh)
    if fresh:
        store.add_connections(fresh, weights)
    if len(fresh) == len(made):
        return fresh
    new = iter(fresh)
    return [next(new) if connection is None else connection for connection in made]


def _one_store(neurons: Sequence[Neuron]) -> bool:
    """Whether ``neurons`` (at least one) share one store, as a ``Layer(size)``'s do."""
    return bool(neurons) and len({id(neuron._store.live()) for neuron in neurons}) == 1


def _projects_to(source: Neuron) -> set[int]:
    """``id`` of every neuron ``n`` (not ``source``) for which ``source.connected(n) == "projected"``.

    ``connected`` searches inputs first: a neuron that also projects to ``source`` is "inputs".
    Built once per source, so that ``Layer.connected`` is linear, not quadratic, in big layers.
    """
    senders = {id(c.from_neuron) for c in source.inputs}
    return {id(c.to_neuron) for c in source.projected} - senders


def _as_layer(target: Any) -> Layer:
    if isinstance(target, Layer):
        return target
    if isinstance(getattr(target, "input_layer", None), Layer):  # a Network
        return target.input_layer
    raise TypeError("you can only project connections to layers and networks")
