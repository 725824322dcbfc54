"""Networks built in bulk: a store's columns filled in one go, its objects made on first use.

Loading a 784-256-10 perceptron one ``Neuron.attach`` at a time made 203 264
Connection objects, list entries and dict entries before the store saw a number.
Here an ungated network document (its connections already checked as columns by
:mod:`synjson.document.wiring`) becomes:

* its neurons (a few hundred objects), with their numbers in the store's columns;
* the connection columns (``weight``, ``gain``, ``eligibility``) and ids, filled
  from the table in one go, slots and ids exactly as loading one by one gives them:
  neuron ``i`` in slot ``i`` with its self-connection in connection slot ``i``, then the
  other connections in document order;
* the plan's index tables, computed from the wiring columns (:func:`plan_from_wiring`),
  equal to what ``compile_plan`` derives from the objects.

The Connection objects and each neuron's ``inputs``/``projected`` lists are made when
something first asks for one (``Store.defer``): activating, training and saving never do.
"""

from __future__ import annotations

import itertools
import operator
from array import array
from collections.abc import Mapping, Sequence
from typing import Any

from ..document.wiring import Table
from ..engine.native import kernel
from .layer import Layer
from .neuron import Connection, Neuron, Scratch, reserve_ids
from .plan import CUSTOM, Plan, squash_code
from .squash import Squash, by_name
from .store import CONNECTION_FIELDS, NEURON_FIELDS, Store

__all__ = ["build_layers", "plan_from_wiring", "materializer"]

def _ints(values: Any = ()) -> array:
    return array("i", values)


def as_index(value: int | str) -> int:
    """A neuron or layer index as the document writes it: 1.0.x wrote "3" where 1.1.x writes 3."""
    return int(value)


def materializer(conn_from: array, conn_to: array) -> Any:
    """The ``build`` for :meth:`Store.defer`: Connection objects for every slot, from the wiring columns.

    ``conn_from``/``conn_to`` give each connection slot's neuron slots; slot ``i < len(neurons)``
    is neuron ``i``'s self-connection. The objects and lists are exactly those that
    ``Neuron.__init__`` and ``attach``, called in slot order, would have made (ungated).
    """

    def build(store: Store) -> None:
        neurons = store.neurons
        connections = Connection.in_slots(
            store, 0, store.connection_ids, [neurons[slot] for slot in conn_from], [neurons[slot] for slot in conn_to]
        )
        inputs: list[list[Connection]] = [[] for _ in neurons]
        projected: list[list[Connection]] = [[] for _ in neurons]
        for connection, source_slot, target_slot in zip(connections, conn_from, conn_to):
            if source_slot != target_slot:
                projected[source_slot].append(connection)
                inputs[target_slot].append(connection)
        for slot, neuron in enumerate(neurons):
            neuron.wire(inputs[slot], projected[slot], connections[slot])  # slot i < n: neuron i's self-connection
        store.connections = connections

    return build


def build_layers(
    configs: Sequence[Mapping[str, Any]], table: Table, custom: Mapping[int, Squash]
) -> tuple[Layer, list[Layer], Layer, Store]:
    """The input, hidden and output layers of a validated, ungated document whose pairs are unique."""
    n, m = len(configs), len(table)
    store = Store()
    loops = list(map(operator.eq, table.source, table.target))
    self_slots = list(itertools.compress(table.source, loops)) if any(loops) else []
    others = m - len(self_slots)
    first_neuron, first_connection = reserve_ids(n, n + others)
    placed = Neuron.in_slot
    neurons = [
        placed(store, index, first_neuron + index, custom.get(index) or by_name(config.get("squash")))
        for index, config in enumerate(configs)
    ]
    store.neurons = neurons
    store.neuron_ids = array("q", range(first_neuron, first_neuron + n))
    store.bias = array("d", [float(config["bias"]) for config in configs])
    for field in ("state", "old", "activation"):
        setattr(store, field, array("d", [float(config.get(field, 0.0)) for config in configs]))
    zeros = array("d", bytes(8 * n))
    for field in NEURON_FIELDS:
        if field not in ("bias", "state", "old", "activation"):
            setattr(store, field, array("d", zeros))
    # Connection slots: the self-connections (weight 0: none; 1 when the file lists one, Q-SELF1), then the rest.
    weight = array("d", bytes(8 * n))
    if self_slots:
        for slot in self_slots:
            weight[slot] = 1.0
        keep = list(map(operator.not_, loops))
        conn_from = _ints(range(n)) + _ints(itertools.compress(table.source, keep))
        conn_to = _ints(range(n)) + _ints(itertools.compress(table.target, keep))
        weight.extend(itertools.compress(table.weight, keep))
    else:
        conn_from = _ints(range(n)) + table.source
        conn_to = _ints(range(n)) + table.target
        weight.extend(table.weight)
    total = n + others
    store.weight = weight
    store.gain = array("d", [1.0]) * total
    store.eligibility = array("d", bytes(8 * total))
    assert CONNECTION_FIELDS == ("weight", "gain", "eligibility")
    store.connection_ids = array("q", range(first_connection, first_connection + total))
    store.defer(materializer(conn_from, conn_to))
    store.touch()
    store.wiring = (store.version[0], conn_from, conn_to)  # for plan_from_wiring, while the structure is this one
    input_layer, hidden, output_layer = into_layers(neurons, configs)
    return input_layer, hidden, output_layer, store


def into_layers(neurons: Sequence[Neuron], configs: Sequence[Mapping[str, Any]]) -> tuple[Layer, list[Layer], Layer]:
    """The input layer, the hidden layers in index order and the output layer of ``neurons``, each
    going where its document entry's ``layer`` says ("input", "output", or a hidden index)."""
    input_layer, output_layer = Layer.of([]), Layer.of([])
    hidden: dict[int, Layer] = {}
    for neuron, config in zip(neurons, configs):
        layer = config["layer"]
        if layer == "input":
            input_layer.neurons.append(neuron)
        elif layer == "output":
            output_layer.neurons.append(neuron)
        else:
            index = as_index(layer)
            if index not in hidden:  # not setdefault: that would build a Layer per neuron
                hidden[index] = Layer.of([])
            hidden[index].neurons.append(neuron)
    return input_layer, [hidden[i] for i in sorted(hidden)], output_layer


def _grouped(keys: array, slots: range, size: int) -> tuple[array, array]:
    """CSR tables: ``slots`` grouped by ``keys[slot - slots.start]`` (0 .. size-1), each group in slot order."""
    native = kernel()
    if native is not None:  # the same counting sort in C
        pointers, items = _ints(), _ints()
        for column, data in zip((pointers, items), native.group(_ints(keys), size, slots.start)):
            column.frombytes(data)
        return pointers, items
    counts = [0] * (size + 1)
    for key in keys:
        counts[key + 1] += 1
    pointers = _ints(counts)
    for p in range(size):
        pointers[p + 1] += pointers[p]
    if all(map(operator.le, keys, keys[1:])):  # already grouped (a layered file in layer order)
        return pointers, _ints(slots)
    # The kernel's counting sort, in Python: no list of the slots (sorting one took 18 MB for 784-256-10).
    fill = pointers.tolist()
    items = _ints(bytes(4 * len(keys)))
    for slot, key in zip(slots, keys):
        items[fill[key]] = slot
        fill[key] += 1
    return pointers, items


def plan_from_wiring(store: Store, layers: Sequence[Layer], scratch: Scratch) -> Plan:
    """The plan ``compile_plan(layers, scratch)`` would compile, from a bulk-built store's columns."""
    version, conn_from, conn_to = store.wiring
    if version != store.version[0]:
        raise ValueError("the store's structure changed since it was built: compile_plan it")
    neurons: list[Neuron] = []
    bounds: list[tuple[int, int]] = []
    for layer in layers:
        bounds.append((len(neurons), len(neurons) + len(layer.neurons)))
        neurons.extend(layer.neurons)
    size = len(neurons)
    order = _ints(neuron._slot for neuron in neurons)
    position = _ints(order)
    if order != _ints(range(size)):
        for p, slot in enumerate(order):
            position[slot] = p
    first = len(store.neurons)  # every one of them is in a layer: size == first
    others = range(first, len(conn_from))
    if order == _ints(range(size)):  # positions are slots (a file in layer order)
        in_keys, out_keys = conn_to[first:], conn_from[first:]
    else:
        in_keys = _ints(position[slot] for slot in conn_to[first:])
        out_keys = _ints(position[slot] for slot in conn_from[first:])
    in_ptr, in_conn = _grouped(in_keys, others, size)
    out_ptr, out_conn = _grouped(out_keys, others, size)
    empty = _ints([0]) * (size + 1)
    codes = [squash_code(neuron.squash) for neuron in neurons]
    return Plan(
        store=store,
        version=store.version[0],
        layers=bounds,
        order=order,
        squash=_ints(codes),
        custom=[neuron.squash if code == CUSTOM else None for neuron, code in zip(neurons, codes)],
        selfconn=_ints(order),
        in_ptr=in_ptr,
        in_conn=in_conn,
        out_ptr=out_ptr,
        out_conn=out_conn,
        gate_ptr=empty,
        gate_conn=_ints(),
        nb_ptr=_ints(empty),
        nb_neuron=_ints(),
        nb_old=_ints(),
        nb_xtrace=_ints(),
        nb_self=_ints(),
        inf_ptr=_ints([0]),
        inf_conn=_ints(),
        conn_from=conn_from,  # the store's wiring columns themselves: neither changes while the plan is valid
        conn_to=conn_to,
        conn_gater=_ints([-1]) * len(conn_from),
        aux=scratch.values,
        neurons=neurons,
    )
