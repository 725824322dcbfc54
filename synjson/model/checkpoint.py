"""Lossless checkpoints: the run state Synaptic's ``toJSON`` drops, kept in the ``synjson`` block.

Synaptic writes weights, biases, states and activations, but no traces
(Q-NOTRACE), no error terms, no gains and not the scratch value ``aux``
(Q-AUX), so a recurrent net saved mid-sequence continues differently after
loading. ``synjson.save(net, path, state=True)`` also writes those under
``synjson.state``; Synaptic ignores the block, and synjson restores them, so
training resumes bit for bit. Everything is keyed by position (neuron index,
connection index in the file), never by synjson's internal ids:

=================  ===========================================================
``aux``            the network's scratch value (Q-AUX)
``activated``      whether the network has activated (``propagate`` needs it)
``derivative``     one number per neuron
``responsibility`` one number per neuron: the error responsibility
``projected``      one number per neuron: its projected part
``gated``          one number per neuron: its gated part
``gain``           one number per connection
``eligibility``    one per connection: its eligibility trace, null for self-connections
``extended``       ``{gater: {gated neuron: {connection: trace}}}``, indices as keys,
                   one trace per connection into the gater
``selfweight``     ``{connection: weight}`` for self-connections whose weight is not 1
                   (``reset()`` can draw one, Q-RESET; files load them as 1, Q-SELF1)
``order``          summation orders that differ from the file's (Q-ORDER), see below
``gates``          ``{gater: [connection, ...]}``: connections a neuron gates whose ``gater``
                   in the file is another neuron (Q-DOUBLEGATE); only when there are some
=================  ===========================================================

A network built in code sums in creation order; one loaded from a file sums in
the file's order, which is not always the same (an LSTM's memory cell gets its
inputs from the input layer first, the file lists the output layer's
connections... ). ``order`` records, only where they differ from the file's
order: ``inputs`` ``{neuron: [connection, ...]}`` (the order a neuron sums its
inputs), ``influences`` ``{gater: {gated neuron: [connection, ...]}}`` (the
order of ``gate`` calls) and ``neighbours`` ``{gater: [neuron, ...]}``. So a
checkpoint of a network built in code resumes exactly as the network would have
continued; Synaptic's own ``fromJSON`` copy of it may differ in the last bits.

A connection gated by two neurons (Architect.Liquid can draw one twice, Q-DOUBLEGATE) keeps
only its last gater in the JSON; ``gates`` names the earlier ones, so the checkpoint gives both
back and continues exactly. A checkpoint lists every connection, a repeated pair (Q-DUP) included:
loading one keeps each connection as listed (see ``synjson.model.codec``).

The block also carries ``architecture`` (``{"type": "LSTM", ...}``, written by
:mod:`synjson.architect`), so loading gives back the same class.
"""

from __future__ import annotations

import math
import operator
import re
import reprlib
from typing import TYPE_CHECKING, Any

from ..errors import FormatError
from .neuron import Connection, Neuron
from .store import column_values

if TYPE_CHECKING:
    from .network import Network

__all__ = ["architecture_class", "capture", "restore"]

_NEURON_FIELDS = {
    "derivative": "derivative",
    "responsibility": "responsibility",
    "projected": "projected_error",
    "gated": "gated_error",
}
_STATE = ("synjson", "state")
_ID = operator.attrgetter("id")


def capture(net: Network) -> dict[str, Any]:
    """The run state of ``net`` that Synaptic's JSON leaves out, keyed by position."""
    neurons = [neuron for neuron, _ in net.neurons()]
    connections = net.connections()
    where = {connection.id: index for index, connection in enumerate(connections)}
    neuron_at = {neuron.id: index for index, neuron in enumerate(neurons)}
    activated, aux = net.run_state()
    state: dict[str, Any] = {"aux": aux, "activated": activated}
    for key, field in _NEURON_FIELDS.items():
        state[key] = column_values(neurons, field)
    state["gain"] = column_values(connections, "gain")
    # A self-connection is not an input (Q-SELF1): no eligibility trace; its weight is kept where not 1.
    eligibility: list[float | None] = [*column_values(connections, "eligibility")]
    selfweight: dict[str, float] = {}
    for neuron in neurons:
        if neuron.selfconnected() and neuron.selfconnection.id in where:
            index = where[neuron.selfconnection.id]
            eligibility[index] = None
            if neuron.selfconnection.weight != 1:
                selfweight[str(index)] = neuron.selfconnection.weight
    state["eligibility"] = eligibility
    extended: dict[str, dict[str, dict[str, float]]] = {}
    gates: dict[str, list[int]] = {}
    for gater_index, gater in enumerate(neurons):
        if not gater.extended:
            continue
        # Q-DOUBLEGATE: what this neuron gates although the file names a later gater.
        others = [where[c.id] for c in gater.gated if c.gater is not gater and c.id in where]
        if others:
            gates[str(gater_index)] = others
        # Keys in index order, so the text does not depend on the order connections were made in.
        traces = {
            str(neuron_at[neuron_id]): {
                str(where[c]): value for c, value in sorted(xtrace.items(), key=lambda item: where.get(item[0], -1))
                if c in where
            }
            for neuron_id, xtrace in sorted(gater.extended.items(), key=lambda item: neuron_at.get(item[0], -1))
            if neuron_id in neuron_at
        }
        if traces:
            extended[str(gater_index)] = traces
    state["extended"] = extended
    state["selfweight"] = selfweight
    state["order"] = _capture_order(neurons, where, neuron_at)
    if gates:
        state["gates"] = gates
    return state


def _unsorted(values: list[int]) -> bool:
    return values != sorted(values)


def _positions(connections: list[Connection], where: dict[int, int]) -> list[int]:
    """The file positions of ``connections`` (those the file lists: not ones from outside neurons)."""
    return [position for position in map(where.get, map(_ID, connections)) if position is not None]


def _capture_order(neurons: list[Neuron], where: dict[int, int], neuron_at: dict[int, int]) -> dict[str, Any]:
    inputs: dict[str, list[int]] = {}
    influences: dict[str, dict[str, list[int]]] = {}
    neighbours: dict[str, list[int]] = {}
    for index, neuron in enumerate(neurons):
        listed = _positions(neuron.inputs, where)
        if _unsorted(listed):
            inputs[str(index)] = listed
        recorded = [neuron_at[nid] for nid in neuron.extended if nid in neuron_at]
        if _unsorted(recorded):
            neighbours[str(index)] = recorded
        for nid, gated in neuron.influences.items():
            listed = _positions(gated, where)
            if _unsorted(listed):
                influences.setdefault(str(index), {})[str(neuron_at[nid])] = listed
    order: dict[str, Any] = {}
    for key, value in (("inputs", inputs), ("influences", influences), ("neighbours", neighbours)):
        if value:
            order[key] = value
    return order


# -- restoring --------------------------------------------------------------------


def _number(value: Any, path: tuple[str | int, ...], allow_nan: bool) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise FormatError(
            f"expected a number, got {type(value).__name__ if value is not None else 'null'}", path
        )
    number = float(value)
    if not allow_nan and not math.isfinite(number):
        raise FormatError(f"{number!r} is not allowed (pass allow_nan=True to accept)", path)
    return number


def _array(state: dict[str, Any], key: str, count: int, what: str) -> list[Any]:
    path = (*_STATE, key)
    if key not in state:
        raise FormatError(f'missing "{key}"', _STATE)
    value = state[key]
    if not isinstance(value, list):
        raise FormatError("expected an array", path)
    if len(value) != count:
        raise FormatError(f"expected {count} values (one per {what}), got {len(value)}", path)
    return value


def _object(value: Any, path: tuple[str | int, ...]) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise FormatError("expected an object", path)
    return value


_INDEX_KEY = re.compile(r"0|[1-9][0-9]{0,9}")  # fullmatch: ASCII digits, at most 10 (int() refuses 4301)


def _position(key: str, count: int, what: str, path: tuple[str | int, ...]) -> int:
    if not (isinstance(key, str) and _INDEX_KEY.fullmatch(key)):
        shown = repr(key[:40] + "..." if isinstance(key, str) and len(key) > 40 else key)
        raise FormatError(f"expected a {what} index as key (digits, no leading zero), got {shown}", path)
    index = int(key)
    if index >= count:
        raise FormatError(f"{what} {index} does not exist ({count} {what}s)", path)
    return index


def restore(net: Network, state: Any, *, allow_nan: bool = False) -> None:
    """Put the run state written by :func:`capture` back into ``net`` (just loaded from the same file).

    Anything that does not fit the network (an index out of range, a trace for
    a connection that has none, a missing or extra value) is a FormatError
    whose path starts at ``synjson.state``.
    """
    state = _object(state, _STATE)
    neurons: list[Neuron] = [neuron for neuron, _ in net.neurons()]
    connections = net.connections()
    n, c = len(neurons), len(connections)

    for key in state:
        if key not in (
            *_NEURON_FIELDS,
            "aux",
            "activated",
            "gain",
            "eligibility",
            "extended",
            "selfweight",
            "order",
            "gates",
        ):
            raise FormatError(f'unknown key "{key}"', _STATE)
    if not isinstance(state.get("activated"), bool):
        raise FormatError("expected true or false", (*_STATE, "activated"))
    aux = _number(state.get("aux"), (*_STATE, "aux"), allow_nan)
    values = {
        key: [_number(v, (*_STATE, key, i), allow_nan) for i, v in enumerate(_array(state, key, n, "neuron"))]
        for key in _NEURON_FIELDS
    }
    gains = [
        _number(v, (*_STATE, "gain", i), allow_nan)
        for i, v in enumerate(_array(state, "gain", c, "connection"))
    ]
    eligibility: list[float | None] = []
    for i, value in enumerate(_array(state, "eligibility", c, "connection")):
        path = (*_STATE, "eligibility", i)
        is_self = connections[i].from_neuron is connections[i].to_neuron
        if is_self:
            if value is not None:
                raise FormatError(
                    f"connection {i} is a self-connection: it has no eligibility trace (expected null)", path
                )
            eligibility.append(None)
        else:
            eligibility.append(_number(value, path, allow_nan))

    _gate_again(state.get("gates", {}), neurons, connections)  # before the traces: they need these gates

    where = {connection.id: index for index, connection in enumerate(connections)}
    neuron_at = {neuron.id: index for index, neuron in enumerate(neurons)}
    extended_path = (*_STATE, "extended")
    extended = _object(state.get("extended"), extended_path)
    traces: list[tuple[dict[int, float], int, float]] = []
    for gater_key, by_neighbour in extended.items():
        gater_path = (*extended_path, gater_key)
        gater = neurons[_position(gater_key, n, "neuron", gater_path)]
        for neighbour_key, by_connection in _object(by_neighbour, gater_path).items():
            neighbour_path = (*gater_path, neighbour_key)
            neighbour = neurons[_position(neighbour_key, n, "neuron", neighbour_path)]
            xtrace = gater.extended.get(neighbour.id)
            if xtrace is None:
                raise FormatError(
                    f"neuron {gater_key} gates no connection into neuron {neighbour_key}: it has no extended trace",
                    neighbour_path,
                )
            given = _object(by_connection, neighbour_path)
            for connection_key, value in given.items():
                path = (*neighbour_path, connection_key)
                index = _position(connection_key, c, "connection", path)
                connection = connections[index]
                if connection.id not in xtrace:
                    raise FormatError(f"connection {index} is not an input of neuron {gater_key}", path)
                traces.append((xtrace, connection.id, _number(value, path, allow_nan)))
            missing = [where[cid] for cid in xtrace if str(where.get(cid)) not in given]
            if missing:
                raise FormatError(
                    f"missing the trace of connection {missing[0]} ({len(missing)} missing)", neighbour_path
                )
    for gater in neurons:
        for neighbour_id in gater.extended:
            gater_key, neighbour_key = str(neuron_at[gater.id]), str(neuron_at.get(neighbour_id))
            if neighbour_key not in extended.get(gater_key, {}):
                raise FormatError(
                    f"missing the extended traces of neuron {gater_key} for neuron {neighbour_key}",
                    extended_path,
                )

    selfweight_path = (*_STATE, "selfweight")
    selfweights: list[tuple[Connection, float]] = []
    for key, value in _object(state.get("selfweight", {}), selfweight_path).items():
        index = _position(key, c, "connection", (*selfweight_path, key))
        if connections[index].from_neuron is not connections[index].to_neuron:
            raise FormatError(f"connection {index} is not a self-connection", (*selfweight_path, key))
        selfweights.append((connections[index], _number(value, (*selfweight_path, key), allow_nan)))

    reorder = _check_order(state.get("order", {}), neurons, connections)

    # Every check passed: only now change the network.
    for apply in reorder:
        apply()  # Neuron.reorder_*: a compiled plan follows these lists and recompiles
    for key, attribute in _NEURON_FIELDS.items():
        for neuron, value in zip(neurons, values[key]):
            setattr(neuron, attribute, value)
    for connection, gain, trace in zip(connections, gains, eligibility):
        connection.gain = gain
        if trace is not None:
            connection.to_neuron.eligibility[connection.id] = trace
    for xtrace, connection_id, value in traces:
        xtrace[connection_id] = value
    for connection, weight in selfweights:
        connection.weight = weight
    net.set_run_state(activated=state["activated"], aux=aux)


def _gate_again(gates: Any, neurons: list[Neuron], connections: list[Connection]) -> None:
    """Gate each connection of ``state.gates`` by its earlier gater too, keeping the file's gater last."""
    path = (*_STATE, "gates")
    planned: list[tuple[Neuron, Connection]] = []
    for key, value in _object(gates, path).items():
        here = (*path, key)
        gater = neurons[_position(key, len(neurons), "neuron", here)]
        if not isinstance(value, list) or not value:
            raise FormatError("expected a non-empty array of connection indices", here)
        for number, index in enumerate(value):
            if type(index) is not int or not 0 <= index < len(connections):
                shown = repr(index)[:40]
                raise FormatError(f"expected a connection index below {len(connections)}, got {shown}", (*here, number))
            connection = connections[index]
            if connection.gater is None or connection.gater is gater:
                raise FormatError(
                    f"connection {index} is not gated by another neuron in the file (Q-DOUBLEGATE)", (*here, number)
                )
            planned.append((gater, connection))
    for gater, connection in planned:  # every check passed: now gate
        gater.gate(connection, order=False, keep_gater=True)
        gater.order_neighbours()


def _permutation(value: Any, current: list[int], what: str, path: tuple[str | int, ...]) -> list[int]:
    """``value`` if it lists the integers ``current`` in some order (no float, no bool, each once)."""
    if (
        not isinstance(value, list)
        or len(value) != len(current)
        or not all(type(item) is int for item in value)
        or sorted(value) != sorted(current)
    ):
        shown = reprlib.Repr()  # keyword arguments only from Python 3.12
        shown.maxlist, shown.maxlevel, shown.maxstring, shown.maxlong, shown.maxother = 8, 2, 40, 40, 40
        listed = shown.repr(sorted(current))
        raise FormatError(f"expected the {what} {listed} in some order, got {shown.repr(value)}", path)
    return value


def _check_order(order: Any, neurons: list[Neuron], connections: list[Connection]) -> list[Any]:
    """Check ``state.order`` against the network; return the changes to make, as closures."""
    path = (*_STATE, "order")
    order = _object(order, path)
    n, c = len(neurons), len(connections)
    where = {connection.id: index for index, connection in enumerate(connections)}
    neuron_at = {neuron.id: index for index, neuron in enumerate(neurons)}
    changes: list[Any] = []
    for key in order:
        if key not in ("inputs", "influences", "neighbours"):
            raise FormatError(f'unknown key "{key}"', path)
    for key, value in _object(order.get("inputs", {}), (*path, "inputs")).items():
        here = (*path, "inputs", key)
        neuron = neurons[_position(key, n, "neuron", here)]
        wanted = _permutation(value, [where[x.id] for x in neuron.inputs], "connections", here)
        changes.append(lambda neuron=neuron, wanted=wanted: neuron.reorder_inputs([connections[i] for i in wanted]))
    for key, value in _object(order.get("neighbours", {}), (*path, "neighbours")).items():
        here = (*path, "neighbours", key)
        gater = neurons[_position(key, n, "neuron", here)]
        wanted = _permutation(value, [neuron_at[i] for i in gater.extended], "neurons", here)
        changes.append(lambda gater=gater, wanted=wanted: gater.reorder_neighbours([neurons[i].id for i in wanted]))
    for key, by_neighbour in _object(order.get("influences", {}), (*path, "influences")).items():
        here = (*path, "influences", key)
        gater = neurons[_position(key, n, "neuron", here)]
        for neighbour_key, value in _object(by_neighbour, here).items():
            there = (*here, neighbour_key)
            neighbour = neurons[_position(neighbour_key, n, "neuron", there)]
            if neighbour.id not in gater.influences:
                raise FormatError(f"neuron {key} gates no connection into neuron {neighbour_key}", there)
            current = [where[x.id] for x in gater.influences[neighbour.id]]
            wanted = _permutation(value, current, "connections", there)
            changes.append(
                lambda gater=gater, nid=neighbour.id, wanted=wanted: gater.reorder_influences(
                    nid, [connections[i] for i in wanted]
                )
            )
    del c
    return changes


def architecture_class(block: Any, registry: dict[str, type[Network]]) -> type[Network] | None:
    """The architect class named by ``block["architecture"]["type"]`` (Perceptron, LSTM, ...), or None."""
    architecture = block.get("architecture") if isinstance(block, dict) else None
    kind = architecture.get("type") if isinstance(architecture, dict) else None
    if not isinstance(kind, str):
        return None
    return registry.get(kind)
