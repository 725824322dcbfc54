"""Synaptic's ``toJSON`` structure: a network <-> the dict ``Network.toJSON()`` returns.

``to_json`` returns exactly the structure Synaptic 1.1.4's ``Network.toJSON()``
returns; ``describe`` builds what it describes (both dialects: 1.0.x wrote indices as
strings) after ``synjson.validate`` has accepted the document, as Synaptic's
``Network.fromJSON`` does: the layers of wired neurons, the kept keys, the metadata
and a checkpoint's run state, as a :class:`Description`. ``Network.from_json`` makes
the network around it (``Network.from_description``): this module never makes one.
Text and files are ``synjson.format``'s. Synaptic's spelling ``elegibility`` lives only here.
"""

from __future__ import annotations

import contextlib
import gc
from array import array
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..document.limits import (
    DEFAULT_LIMITS,
    Derived,
    Limits,
    check_budget,
    check_counts,
    check_kept,
    check_traces,
    count_derived,
)
from ..document.validate import FORMAT_VERSION, validate
from ..document.wiring import Table, connection_table
from ..engine.native import kernel
from ..errors import FormatError, SynjsonError
from .bulk import as_index, build_layers, into_layers, plan_from_wiring
from .checkpoint import capture
from .layer import Layer
from .neuron import Connection, Neuron, Scratch
from .plan import Plan
from .squash import SQUASHES, Squash, by_name
from .store import Store

if TYPE_CHECKING:
    from .network import Network

__all__ = ["to_json", "describe", "Description", "connection_columns", "refuse_custom_squashes", "no_gc"]


_NETWORK_KEYS = ("neurons", "connections")


# -- network -> dict -------------------------------------------------------------


def connection_columns(net: Network) -> tuple[array, array, array, array, array] | None:
    """The connections ``to_json`` writes, as columns for a fast writer: ``(source, target, gater,
    weight, order)``. ``order`` lists connection slots in document order; the first three map a
    slot to a neuron index in the document (gater -1: none); ``weight`` is the store's column.
    None when a connection reaches a neuron outside the network (``to_json`` says which).
    """
    plan = net.plan()
    # Every neuron of the store in the network, each in its own slot (a file loaded in layer order): the
    # plan's slot columns are the document's indices already, and no connection reaches outside.
    inside = plan.size == len(plan.store.neurons) and plan.order == array("i", range(plan.size))
    if inside:
        source, target, gater = plan.conn_from, plan.conn_to, plan.conn_gater
    else:
        position = array("i", [-1]) * len(plan.store.neurons)
        for index, slot in enumerate(plan.order):
            position[slot] = index
        source = array("i", [position[slot] for slot in plan.conn_from])
        target = array("i", [position[slot] for slot in plan.conn_to])
        gater = array("i", [-1 if slot < 0 else position[slot] for slot in plan.conn_gater])
    weight = plan.weight[: len(source)]  # the column has room to grow past the slots in use
    order = plan.connection_order()
    if not inside:
        for slot in order:
            if target[slot] < 0 or (plan.conn_gater[slot] >= 0 and gater[slot] < 0):
                return None
    return source, target, gater, weight, order


def to_json(net: Network, *, state: bool = False, connections: bool = True) -> dict[str, Any]:
    """The structure Synaptic's ``toJSON`` returns, then kept extra keys, then the ``synjson`` block.

    ``state=True`` also writes the run state Synaptic drops (traces, gains, errors) into
    ``synjson.state``, a lossless checkpoint Synaptic still loads (see synjson.model.checkpoint).
    ``connections=False`` leaves the connections list empty (a writer fills it from
    :func:`connection_columns`).
    """
    listed = net.neurons()
    index = {neuron.id: position for position, (neuron, _) in enumerate(listed)}

    def position(neuron: Neuron, what: str) -> int:
        try:
            return index[neuron.id]
        except KeyError:
            raise SynjsonError(f"a connection's {what} is a neuron outside this network") from None

    neurons = [
        {
            "trace": {"elegibility": {}, "extended": {}},
            "state": neuron.state,
            "old": neuron.old,
            "activation": neuron.activation,
            "bias": neuron.bias,
            "layer": layer,
            "squash": _squash_name(neuron.squash),
        }
        for neuron, layer in listed
    ]
    connections_list = [
        {
            "from": index[connection.from_neuron.id],
            "to": position(connection.to_neuron, "target"),
            "weight": connection.weight,
            "gater": None if connection.gater is None else position(connection.gater, "gater"),
        }
        for connection in (net.connections() if connections else ())
    ]
    document: dict[str, Any] = {"neurons": neurons, "connections": connections_list}
    document.update(net.extra)
    metadata = dict(net.metadata)
    custom = {str(index): neuron.squash.name for index, (neuron, _) in enumerate(listed) if neuron.squash is not None
              and _squash_name(neuron.squash) is None}
    if custom:  # Q-CUSTOM: Synaptic writes null (and loads LOGISTIC); the names let read() restore them
        metadata["squashes"] = custom
    if metadata:
        document["synjson"] = metadata
    if state:
        document["synjson"] = {"format_version": FORMAT_VERSION, **document.get("synjson", {}), "state": capture(net)}
    return document


def _squash_name(squash: Squash) -> str | None:
    """A built-in's name, or None (what Synaptic writes) for a custom function."""
    return squash.name if SQUASHES.get(squash.name) is squash else None


@contextlib.contextmanager
def no_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector while building or writing many small objects.

    Loading or writing a network creates millions of objects and frees none of them in
    cycles; each collection would walk all that survive, which took over half the time
    of loading 200 000 neurons. Reference counting still frees everything as usual.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def refuse_custom_squashes(document: Any, where: str) -> None:
    """SynjsonError when ``document`` records a custom squash (``synjson.squashes``) that ``where`` cannot run."""
    block = document.get("synjson") if isinstance(document, dict) else None
    squashes = block.get("squashes") if isinstance(block, dict) else None
    if isinstance(squashes, dict) and squashes:
        index, name = next(iter(squashes.items()))
        raise SynjsonError(
            f"neuron {index} uses the custom squash {str(name)[:80]!r}: {where} runs only Synaptic's "
            f"built-in squashes (LOGISTIC, TANH, IDENTITY, HLIM, RELU)"
        )


# -- dict -> network -------------------------------------------------------------


def _custom_squashes(metadata: Any, count: int, squashes: Mapping[str, Squash] | None) -> dict[int, Squash]:
    """Neuron index -> the custom squash the ``synjson.squashes`` block names, from ``squashes``."""
    path: tuple[str | int, ...] = ("synjson", "squashes")
    block = metadata.get("squashes")
    if not isinstance(block, dict):
        raise FormatError(f"expected an object of neuron index -> squash name, got {type(block).__name__}", path)
    chosen: dict[int, Squash] = {}
    for key, name in block.items():
        here = (*path, key)
        if not (isinstance(key, str) and key.isdigit() and len(key) <= 10 and int(key) < count):
            raise FormatError(f"expected a neuron index below {count}, got {key[:40]!r}", here)
        if not isinstance(name, str):
            raise FormatError(f"expected a squash name, got {type(name).__name__}", here)
        function = (squashes or {}).get(name)
        if not isinstance(function, Squash):
            raise FormatError(
                f"neuron {key} uses the custom squash {name[:80]!r}: pass squashes={{{name[:80]!r}: "
                f"synjson.squash.Squash(...)}} to load it (Synaptic.js would run LOGISTIC instead)",
                here,
            )
        chosen[int(key)] = function
    return chosen



def _connect(source: Neuron, target: Neuron, weight: float) -> Connection:
    """``source.project(target, weight)`` for a pair of neurons ``validate`` proved unconnected.

    ``Neuron.project`` first searches both neurons' connections for an existing
    one, which makes loading quadratic in a neuron's fan-in and fan-out: a 5 MB
    file with one neuron projecting to 100 000 took minutes.
    """
    if source is target:
        return source.project(source)  # the self-connection: weight 1 (Q-SELF1)
    return source.attach(target, weight)


@dataclass
class Description:
    """What a network document describes, built up to the network itself (``Network.from_description``).

    ``input``, ``hidden`` and ``output`` are the layers of neurons, wired and in one store;
    ``extra`` the document's other top-level keys (kept for the round trip); ``metadata`` its
    ``synjson`` block less ``state`` and ``squashes``; ``checkpoint`` whether the block holds a
    lossless checkpoint's run state, ``state`` (restored by ``Network.restore_checkpoint`` with ``allow_nan``);
    ``plan`` builds the plan from the wiring the loader already holds (``Network.adopt_plan``), or
    is None: the network compiles its plan from the objects.
    """

    input: Layer
    hidden: list[Layer]
    output: Layer
    extra: dict[str, Any] = field(default_factory=dict)
    metadata: dict[str, Any] = field(default_factory=dict)
    checkpoint: bool = False
    state: Any = None
    allow_nan: bool = False
    plan: Callable[[list[Layer], Scratch], Plan] | None = None


def describe(
    obj: Any,
    *,
    allow_nan: bool = False,
    limits: Limits | None = None,
    duplicates: str = "refuse",
    squashes: Mapping[str, Squash] | None = None,
    size: int | None = None,
    table: Table | None = None,
) -> Description:
    """What a ``toJSON`` structure describes, built as Synaptic's ``fromJSON`` builds it.

    The document is validated first; anything wrong raises :class:`FormatError`
    naming the place. Self-connections load with weight 1 whatever the file
    says, because Synaptic's ``project`` forces it (Q-SELF1). ``limits`` caps the
    neurons, connections, extended traces and nesting (:class:`synjson.Limits`);
    exceeding one raises :class:`LimitError`. A second connection between one pair of
    neurons is refused (Q-DUP) unless ``duplicates="synaptic"``: then every connection
    goes through ``Neuron.project`` and ``Neuron.gate`` exactly as Synaptic's ``fromJSON``
    does (the later weight replaces the earlier one, unless the reverse connection came first);
    a lossless checkpoint (``synjson.state``) keeps every connection it lists instead, as it was saved.
    ``squashes`` maps the names of custom squash functions a file records (``synjson.squashes``)
    to the functions; a file that names one not given raises FormatError. ``size``, the
    length in bytes of the text ``obj`` was read from, sets the budget of ``limits.max_memory``
    and ``limits.max_seconds`` (docs/security.md); without it, the budget is that of the
    shortest JSON text that holds as many neurons and connections. ``table``: the connections, read
    from the text into columns and checked (``synjson.format`` does it; ``obj["connections"]`` is then []).
    """
    with no_gc():
        return _build(obj, allow_nan, limits, duplicates, squashes, size, table)


def _build(
    obj: Any,
    allow_nan: bool,
    limits: Limits | None,
    duplicates: str,
    squashes: Mapping[str, Squash] | None,
    size: int | None,
    table: Table | None = None,
) -> Description:
    limits = DEFAULT_LIMITS if limits is None else limits
    check_counts(obj, limits, None if table is None else len(table))  # before validating items one by one
    # The connections checked as columns when they are all plain and valid (the usual file); else
    # validate checks them one by one and names the problem. The verdict is the same either way.
    neuron_list = obj.get("neurons") if isinstance(obj, dict) else None
    table = table if table is not None else (
        connection_table(obj.get("connections"), len(neuron_list), allow_nan=allow_nan, duplicates=duplicates,
                         scan=_scanner())
        if isinstance(neuron_list, list)
        else None
    )
    validate({**obj, "connections": []} if table is not None else obj, allow_nan=allow_nan, duplicates=duplicates)
    metadata = obj.get("synjson")
    # A checkpoint (synjson.state) lists its network connection by connection, a repeated pair
    # included (Liquid makes them): it loads as written, so its per-connection state lines up.
    checkpoint = isinstance(metadata, dict) and "state" in metadata
    synaptic = duplicates == "synaptic" and not checkpoint
    if table is None:
        table = _table(obj["connections"], len(obj["neurons"]))
    if table.gated or synaptic:
        counts = count_derived(len(obj["neurons"]), _triples(table), synaptic=synaptic)
    else:  # no gates: no extended traces; no project() searches
        counts = Derived(len(obj["neurons"]), len(table), 0, 0, 0)
    check_traces(counts, limits)
    check_budget(counts, limits, size)  # memory and time, from the counts, before building anything
    for key, value in obj.items():
        if key not in _NETWORK_KEYS:  # kept for the round trip: dumps must be able to write it back
            check_kept(value, (key,), limits, allow_nan)
    custom = (
        _custom_squashes(metadata, len(obj["neurons"]), squashes)
        if isinstance(metadata, dict) and "squashes" in metadata
        else {}
    )
    if not table.gated and table.unique and not checkpoint:
        # The usual file: columns filled in one go, connection objects made on first use (model/bulk.py).
        # Without gates or a repeated pair, Synaptic's project() path and attach() build the same network.
        input_layer, hidden_layers, output_layer, store = build_layers(obj["neurons"], table, custom)
        return _description(
            obj, metadata, input_layer, hidden_layers, output_layer, allow_nan,
            lambda layers, scratch: plan_from_wiring(store, layers, scratch),
        )
    store = Store()
    neurons: list[Neuron] = []
    for config in obj["neurons"]:
        squash = custom.get(len(neurons)) or by_name(config.get("squash"))
        neuron = Neuron(bias=float(config["bias"]), squash=squash, store=store)
        neuron.state = float(config.get("state", 0.0))
        neuron.old = float(config.get("old", 0.0))
        neuron.activation = float(config.get("activation", 0.0))
        neurons.append(neuron)
    input_layer, hidden_layers, output_layer = into_layers(neurons, obj["neurons"])
    wiring = _triples(table)
    for (source, target, gater), weight in zip(wiring, table.weight):
        if synaptic:  # Synaptic's own path: finds an existing connection to re-weight
            connection = neurons[source].project(neurons[target], weight)
        else:  # validate proved every pair unique, or a checkpoint keeps each: skip project's search
            connection = _connect(neurons[source], neurons[target], weight)
        if gater is not None:
            neurons[gater].gate(connection, order=False)
    for neuron in {gater: neurons[gater] for _, _, gater in wiring if gater is not None}.values():
        neuron.order_neighbours()  # once, instead of on every out-of-order gate
    return _description(obj, metadata, input_layer, hidden_layers, output_layer, allow_nan, None)


def _scanner() -> Any:
    """The native kernel's ``connection_table`` (the same checks in one C pass), or None."""
    native = kernel()
    return getattr(native, "connection_table", None) if native is not None else None


def _table(connections: list[Any], count: int) -> Table:
    """The columns of connections ``validate`` accepted (pairs may repeat: duplicates="synaptic", checkpoints)."""
    gaters = [c.get("gater") for c in connections]
    return Table(
        source=array("i", [as_index(c["from"]) for c in connections]),
        target=array("i", [as_index(c["to"]) for c in connections]),
        gater=array("i", [-1 if g is None else as_index(g) for g in gaters]),
        weight=array("d", [float(c["weight"]) for c in connections]),
        gated=sum(g is not None for g in gaters),
        unique=False,
    )


def _triples(table: Table) -> list[tuple[int, int, int | None]]:
    return [(s, t, None if g < 0 else g) for s, t, g in zip(table.source, table.target, table.gater)]


def _description(
    obj: Any, metadata: Any, input_layer: Layer, hidden: list[Layer], output_layer: Layer, allow_nan: bool,
    plan: Callable[[list[Layer], Scratch], Plan] | None,
) -> Description:
    """The layers with the document's kept keys, metadata and checkpoint state."""
    kept = dict(metadata) if isinstance(metadata, dict) else {}
    kept.pop("squashes", None)  # written again from the neurons by to_json
    return Description(
        input=input_layer,
        hidden=hidden,
        output=output_layer,
        extra={key: value for key, value in obj.items() if key not in _NETWORK_KEYS and key != "synjson"},
        checkpoint="state" in kept,  # traces, gains, errors (synjson.model.checkpoint)
        state=kept.pop("state", None),
        metadata=kept,
        allow_nan=allow_nan,
        plan=plan,
    )
