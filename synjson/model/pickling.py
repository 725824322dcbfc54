"""Pickling: a store's neurons and connections as a few arrays, for ``pickle``, ``copy`` and ``deepcopy``.

A :class:`~synjson.model.store.Store` pickles as its value columns (the bytes of
its ``array.array`` columns, in use) and its wiring as integer tables (slots
into the store), zlib-compressed: a 64-128-10 Perceptron's pickle is about its
numbers' size. A Neuron or a Connection pickles as (its store, its slot), so
everything reached through one store is written once and comes back as one
graph; Layer, LayerConnection and Network pickle their own attributes around
those references (see their ``__reduce__``).

What comes back continues exactly as the original: every value, trace and gain;
the order of every list the engines sum over; the neurons' random generators;
their squash functions (by name: :func:`synjson.squash.register`). Ids are
renumbered on loading into fresh blocks, keeping their order within each store
(Synaptic's summation orders follow it), so a copy's objects never share an id
with objects already in the process, and copies of copies do not grow them.
"""

from __future__ import annotations

import copyreg
import zlib
from array import array
from itertools import accumulate
from operator import attrgetter
from typing import Any

from ..errors import SynjsonError
from .connection import claim_ids
from .neuron import Connection, Neuron, Traces
from .store import CONNECTION_FIELDS, NEURON_FIELDS, Store

__all__ = ["pack_store", "unpack_store", "pack_slots", "unpack_slots", "reduce_store"]

_FORMAT = 1
_slot = attrgetter("_slot")
_store_of = attrgetter("_store")  # always the live store: absorbing one repoints its neurons and connections


def _ints(values: Any = ()) -> array:
    return array("i", values)


def _squeeze(data: bytes, width: int) -> bytes:
    """``data`` (items of ``width`` bytes) byte-plane by byte-plane, then deflated.

    Slots and ids are runs of nearby integers: their high bytes repeat, and grouping
    each byte of every item together lets zlib find that (a 64-128-10 Perceptron's
    wiring: 128 KB of integers, 3 KB deflated; 45 KB without the grouping).
    """
    return zlib.compress(b"".join(data[k::width] for k in range(width)), 1)


def _unsqueeze(packed: bytes, width: int) -> bytes:
    data = zlib.decompress(packed)
    planes = len(data) // width
    out = bytearray(len(data))
    for k in range(width):
        out[k::width] = data[k * planes : (k + 1) * planes]
    return bytes(out)


def _distinct(items: list[Any]) -> tuple[list[Any], array]:
    """The distinct objects of ``items`` (by identity) and, for each item, its index among them."""
    keys = list(map(id, items))
    first = dict(zip(keys, items))
    where = {key: index for index, key in enumerate(first)}
    return list(first.values()), _ints(map(where.__getitem__, keys))


def pack_store(store: Store) -> tuple[Any, ...]:
    """The arguments of :func:`unpack_store` for ``store`` (a live one)."""
    neurons: list[Neuron] = store.neurons
    connections: list[Connection] = store.connections
    n, c, t = len(neurons), len(connections), store.traces
    columns = b"".join(  # one copy: the views are released at once
        [memoryview(getattr(store, name))[:n] for name in NEURON_FIELDS]
        + [memoryview(getattr(store, name))[:c] for name in CONNECTION_FIELDS]
        + [memoryview(store.xtrace)[:t]]
    )
    cached = store.pickled
    if cached is not None and cached[0] == store.version[0]:  # the wiring is as last pickled
        return (_FORMAT, n, c, t, columns, *cached[1:])
    ids = store.neuron_ids.tobytes() + store.connection_ids.tobytes()
    plan = store.tables
    if plan is not None and plan.version == store.version[0] and plan.size == n:
        # A current plan over every neuron of the store: its tables list each neuron's
        # inputs and projections in order (by position; ``order`` maps a position to its slot).
        order, in_ptr, in_conn, out_ptr, out_conn = plan.order, plan.in_ptr, plan.in_conn, plan.out_ptr, plan.out_conn
    else:  # list comprehensions: twice as fast as array(map(attrgetter)) here
        order = _ints()
        in_ptr = _ints(accumulate([len(neuron.inputs) for neuron in neurons], initial=0))
        in_conn = _ints([connection._slot for neuron in neurons for connection in neuron.inputs])
        out_ptr = _ints(accumulate([len(neuron.projected) for neuron in neurons], initial=0))
        out_conn = _ints([connection._slot for neuron in neurons for connection in neuron.projected])
    # Per neuron: self-connection, class, squash, generator (the last three as indices into lists).
    classes, class_of = _distinct([type(neuron) for neuron in neurons])
    squashes, squash_of = _distinct([neuron._squash for neuron in neurons])
    rngs, rng_of = _distinct([neuron._rng for neuron in neurons])
    selfconn = _ints([neuron.selfconnection._slot for neuron in neurons])
    # Then, for each neuron that gates: what it gates, its extended traces, its influences.
    details = _ints()
    for neuron in [neuron for neuron in neurons if neuron.gated]:
        details.extend((neuron._slot, len(neuron.gated)))
        details.extend([connection._slot for connection in neuron.gated])
        details.append(len(neuron.extended))
        for neighbour_id, traces in neuron.extended.items():
            details.extend((neuron.neighbours[neighbour_id]._slot, len(traces.slots)))
            for connection_id, trace_slot in traces.slots.items():
                details.extend((neuron._by_id[connection_id]._slot, trace_slot))
        details.append(len(neuron.influences))
        for neighbour_id, gated in neuron.influences.items():
            details.extend((neuron.neighbours[neighbour_id]._slot, len(gated)))
            details.extend([connection._slot for connection in gated])
    gaters = _ints()
    for neuron in [neuron for neuron in neurons if neuron.gated]:
        for connection in neuron.gated:
            if connection.gater is neuron:
                gaters.extend((connection._slot, neuron._slot))
    tables = [order, in_ptr, in_conn, out_ptr, out_conn, selfconn, class_of, squash_of, rng_of, details, gaters]
    lengths = [len(table) for table in tables]
    wiring = (_squeeze(ids, 8), _squeeze(b"".join(table.tobytes() for table in tables), 4))
    store.pickled = (store.version[0], wiring, lengths, classes, squashes, rngs)
    return (_FORMAT, n, c, t, columns, wiring, lengths, classes, squashes, rngs)


def _doubles(data: bytes, start: int, count: int) -> array:
    column = array("d")
    column.frombytes(data[8 * start : 8 * (start + count)])
    return column


def unpack_store(format: int, *packed: Any) -> Store:
    """A store, its neurons and connections, from :func:`pack_store`'s tuple."""
    if format != _FORMAT:
        raise SynjsonError(
            f"this pickle holds a synjson store of format {format!r}; this synjson reads format {_FORMAT}: "
            "unpickle it with the synjson version that wrote it (files last: synjson.save(net, path, state=True))"
        )
    n, c, t, columns, wiring, lengths, classes, squashes, rngs = packed
    store = Store()
    start = 0
    for name in NEURON_FIELDS:
        setattr(store, name, _doubles(columns, start, n))
        start += n
    for name in CONNECTION_FIELDS:
        setattr(store, name, _doubles(columns, start, c))
        start += c
    store.xtrace = _doubles(columns, start, t)
    store.traces = t

    ids = array("q")
    ids.frombytes(_unsqueeze(wiring[0], 8))
    flat = _ints()
    flat.frombytes(_unsqueeze(wiring[1], 4))
    tables = []
    at = 0
    for length in lengths:
        tables.append(flat[at : at + length])
        at += length
    order, in_ptr, in_conn, out_ptr, out_conn, selfconn, class_of, squash_of, rng_of, details, gaters = tables
    rows = order if len(order) else range(n)  # row r of the input and projection tables: the neuron in slot rows[r]

    # New ids in fresh blocks, in the same order: nothing in this process has them yet.
    neuron_offset, connection_offset = claim_ids(ids[:n], ids[n:])
    neurons: list[Neuron] = [
        classes[class_of[slot]].in_slot(store, slot, ids[slot] + neuron_offset, squashes[squash_of[slot]],
                                        rngs[rng_of[slot]])
        for slot in range(n)
    ]
    connections = Connection.in_slots(store, 0, [i + connection_offset for i in ids[n:]])
    for at in range(0, len(gaters), 2):
        connections[gaters[at]].gater = neurons[gaters[at + 1]]
    inputs_of: list[list[Connection]] = [[]] * n
    projected_of: list[list[Connection]] = [[]] * n
    for row, slot in enumerate(rows):
        neuron = neurons[slot]
        inputs_of[slot] = inputs = [connections[i] for i in in_conn[in_ptr[row] : in_ptr[row + 1]]]
        projected_of[slot] = projected = [connections[i] for i in out_conn[out_ptr[row] : out_ptr[row + 1]]]
        for connection in inputs:
            connection.to_neuron = neuron
        for connection in projected:
            connection.from_neuron = neuron
    for slot, neuron in enumerate(neurons):
        selfconnection = connections[selfconn[slot]]
        selfconnection.from_neuron = selfconnection.to_neuron = neuron
    for slot, neuron in enumerate(neurons):
        neuron.wire(inputs_of[slot], projected_of[slot], connections[selfconn[slot]])
    at = 0
    while at < len(details):
        neuron, count = neurons[details[at]], details[at + 1]
        neuron.gated = [connections[i] for i in details[at + 2 : at + 2 + count]]
        at += 2 + count
        blocks = details[at]
        at += 1
        for _ in range(blocks):
            neighbour, count = neurons[details[at]], details[at + 1]
            pairs = details[at + 2 : at + 2 + 2 * count]
            at += 2 + 2 * count
            slots = {connections[pairs[k]].id: pairs[k + 1] for k in range(0, 2 * count, 2)}
            neuron.extended[neighbour.id] = Traces.placed(neuron, slots)
            neuron.neighbours.setdefault(neighbour.id, neighbour)
        blocks = details[at]
        at += 1
        for _ in range(blocks):
            neighbour, count = neurons[details[at]], details[at + 1]
            neuron.influences[neighbour.id] = [connections[i] for i in details[at + 2 : at + 2 + count]]
            at += 2 + count
    store.neurons, store.connections = neurons, connections
    store.neuron_ids = array("q", [neuron.id for neuron in neurons])
    store.connection_ids = array("q", [connection.id for connection in connections])
    return store


def pack_slots(connections: list[Connection], cached: Any = None) -> tuple[Any, list[Store], bytes]:
    """Connections as (their stores, compressed slots), for a LayerConnection's list.

    Returns ``(key, stores, packed)``; give it back as ``cached`` next time: while no store
    changed structure (its version), the slots have not moved and the packing is reused.
    """
    if (
        cached is not None
        and cached[0] == (len(connections), *(store.version[0] for store in cached[1]))
        and all(store._forward is None for store in cached[1])
    ):
        return cached
    stores = list(dict.fromkeys(map(_store_of, connections)))
    slots = _ints([connection._slot for connection in connections])
    if len(stores) > 1:  # rare: a layer connection across stores never joined
        where = {id(store): index for index, store in enumerate(stores)}
        slots.extend([where[id(connection._store)] for connection in connections])
    return (len(connections), *(store.version[0] for store in stores)), stores, _squeeze(slots.tobytes(), 4)


def unpack_slots(stores: list[Store], packed: bytes) -> list[Connection]:
    """The connections :func:`pack_slots` packed."""
    values = _ints()
    values.frombytes(_unsqueeze(packed, 4))
    if len(stores) == 1:
        listed = stores[0].connections
        return [listed[slot] for slot in values]
    half = len(values) // 2
    return [stores[values[half + k]].connections[values[k]] for k in range(half)]


def reduce_store(store: Store) -> tuple[Any, tuple[Any, ...]]:
    """How pickle and copy write a Store (registered with :mod:`copyreg` below): its live contents."""
    return unpack_store, pack_store(store.live())


# Registered here rather than as Store.__reduce__: the store module knows no neurons (this one does).
copyreg.pickle(Store, reduce_store)
