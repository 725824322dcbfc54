"""What the bridges share: bounded reading, checked JSON values, JavaScript key order, the wiring of a network.

Every check raises :class:`~synjson.errors.FormatError` with a path, or
:class:`~synjson.errors.LimitError` naming the limit, and nothing else.
"""

from __future__ import annotations

import math
import os
import re
from collections.abc import Iterable
from typing import Any

from ...document.limits import DEFAULT_LIMITS, Limits, check_size
from ...errors import FormatError, LimitError
from ...model.network import Network
from ...model.neuron import Connection, Neuron

__all__ = [
    "read_bytes", "read_upto", "read_json", "number", "integer", "obj", "array", "js_keys", "Wiring", "check_count",
]

Path = tuple[str | int, ...]


def read_bytes(path: str | os.PathLike[str], limits: Limits | None = None) -> bytes:
    """The bytes of ``path``, refusing more than ``limits.max_bytes`` before and while reading."""
    limits = DEFAULT_LIMITS if limits is None else limits
    check_size(os.stat(path).st_size, limits, "file is", "bytes")
    with open(path, "rb") as handle:  # a pipe or device has no size: bound the read itself
        data = read_upto(handle, limits.max_bytes + 1)
    check_size(len(data), limits, "file has at least", "bytes")
    return data


def read_upto(handle: Any, limit: int, head: bytes = b"") -> bytes:
    """``head`` and what ``handle`` holds after it, up to ``limit`` bytes in all, read in 1 MiB pieces:
    ``read(limit)`` would set aside ``limit`` bytes at once, whatever the file's size."""
    pieces = [head]
    size = len(head)
    while size < limit:
        piece = handle.read(min(1 << 20, limit - size))
        if not piece:
            break
        pieces.append(piece)
        size += len(piece)
    return b"".join(pieces)


def read_json(data: str | bytes, limits: Limits | None = None) -> Any:
    """Parse JSON text with synjson's bounded parser (size, nesting, digits): FormatError on failure."""
    from ...document.text import parse

    return parse(data, limits=limits)


def check_count(count: int, limit: int, what: str, field: str) -> None:
    """Refuse a model with more ``what`` than ``limit`` (a :class:`synjson.Limits` field)."""
    if count > limit:
        raise LimitError(
            f"file has {count} {what}, more than the limit of {limit};"
            f" pass limits=synjson.Limits({field}=...) to raise it"
        )


def _got(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


def number(value: Any, path: Path) -> float:
    """A finite JSON number as a float."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise FormatError(f"expected a number, got {_got(value)}", path)
    try:
        result = float(value)
    except OverflowError:
        raise FormatError("number is too large for a 64-bit float", path) from None
    if not math.isfinite(result):
        raise FormatError("expected a finite number", path)
    return result


def integer(value: Any, path: Path, low: int, high: int | None = None) -> int:
    """A JSON integer (1 and 1.0 alike) in ``[low, high)``."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int):
        raise FormatError(f"expected an integer, got {_got(value)}", path)
    if value < low or (high is not None and value >= high):
        span = f"from {low}" if high is None else f"from {low} to {high - 1}"
        raise FormatError(f"expected an integer {span}, got {value}", path)
    return value


def obj(value: Any, path: Path) -> dict[str, Any]:
    """A JSON object."""
    if not isinstance(value, dict):
        raise FormatError(f"expected an object, got {_got(value)}", path)
    return value


def array(value: Any, path: Path) -> list[Any]:
    """A JSON array."""
    if not isinstance(value, list):
        raise FormatError(f"expected an array, got {_got(value)}", path)
    return value


def string(value: Any, path: Path) -> str:
    """A JSON string."""
    if not isinstance(value, str):
        raise FormatError(f"expected a string, got {_got(value)}", path)
    return value


_ARRAY_INDEX = re.compile(r"0|[1-9][0-9]*")


def is_array_index(key: str) -> bool:
    """Whether JavaScript treats ``key`` as an array index (those keys iterate first, ascending)."""
    return bool(_ARRAY_INDEX.fullmatch(key)) and int(key) < 2**32 - 1


def js_keys(keys: Iterable[str]) -> list[str]:
    """Keys in the order ``Object.keys`` gives: array indices ascending, then the rest as inserted."""
    keys = list(keys)
    indices = sorted((k for k in keys if is_array_index(k)), key=int)
    return indices + [k for k in keys if not is_array_index(k)]


class Wiring:
    """A network's neurons and connections numbered as its Synaptic JSON numbers them.

    ``neurons[i]`` is ``(neuron, layer)``; ``connections[j]`` is the connection at
    ``connections[j]`` of ``synjson.to_json(net)`` (each neuron's projections, then its
    self-connection), so refusals can name the place a user sees in the file.
    """

    def __init__(self, net: Network) -> None:
        self.neurons: list[tuple[Neuron, str | int]] = net.neurons()
        self.index: dict[int, int] = {neuron.id: i for i, (neuron, _) in enumerate(self.neurons)}
        self.connections: list[Connection] = net.connections()
        self.number: dict[int, int] = {id(c): j for j, c in enumerate(self.connections)}
        outside = [c for neuron, _ in self.neurons for c in neuron.inputs if c.from_neuron.id not in self.index]
        if outside:
            raise FormatError(f"neuron {self.at(outside[0].to_neuron)} has an input from a neuron outside the network")
        for connection in self.connections:
            for end in (connection.to_neuron, connection.gater):
                if end is not None and end.id not in self.index:
                    raise FormatError(f"connection {self.number[id(connection)]} reaches a neuron outside the network")

    def at(self, neuron: Neuron) -> int:
        """The index of ``neuron`` in the file."""
        return self.index[neuron.id]

    def name(self, connection: Connection) -> str:
        """``connection 12 (3 -> 7)``."""
        return (
            f"connection {self.number[id(connection)]}"
            f" ({self.at(connection.from_neuron)} -> {self.at(connection.to_neuron)})"
        )

    def layer_name(self, layer: str | int) -> str:
        """``input``, ``hidden 0`` or ``output``."""
        return f"hidden {layer}" if isinstance(layer, int) else str(layer)


def run_state(net: Network, wiring: Wiring) -> str | None:
    """Where a recurrent ``net`` holds run state its next step reads, or None.

    A network is recurrent when a self-connection, a gate or a connection back (or within a
    layer) carries a value from one step to the next; then any non-zero state, old or activation
    of a non-input neuron, non-zero trace or gain other than 1 (which Synaptic's ``fromJSON``
    starts from) is run state. An input neuron's values are replaced by the next input. A
    feed-forward network's next step reads none of them, whatever they hold.
    """
    if not net.plan().is_recurrent():
        return None
    for i, (neuron, layer) in enumerate(wiring.neurons):
        if layer == "input":
            continue
        values = {"state": neuron.state, "old": neuron.old, "activation": neuron.activation}
        held = ", ".join(f"{key} {value!r}" for key, value in values.items() if value != 0)
        if held:
            return f"neuron {i} holds run state ({held})"
        traces = [*neuron.eligibility.values(), *(v for block in neuron.extended.values() for v in block.values())]
        if any(value != 0 for value in traces):
            return f"neuron {i} holds eligibility traces"
    for connection in wiring.connections:
        if connection.gain != 1:
            return f"{wiring.name(connection)} holds gain {connection.gain!r}"
    return None
