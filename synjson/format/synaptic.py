"""Synaptic's JSON files: network <-> text, like the json module's verbs.

``dumps`` writes exactly the text ``JSON.stringify(net.toJSON())`` writes
(numbers formatted as JavaScript formats them); ``loads``/``read`` parse text
bounded by ``Limits`` and build the network as Synaptic's ``fromJSON`` does
(:mod:`synjson.model.codec`). Saving is atomic.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ..document.atomic import atomic_write
from ..document.limits import DEFAULT_LIMITS, Limits, check_counts, check_size
from ..document.scanner import scan_connections
from ..document.select import pick
from ..document.text import connections_text, encode, js_number, parse, read_bounded
from ..document.validate import FORMAT_VERSION
from ..document.wiring import Table, checked_table
from ..engine.native import kernel
from ..errors import FormatError
from ..model.codec import connection_columns, describe, no_gc, to_json
from ..model.network import Network
from ..model.squash import Squash

__all__ = [
    "FORMAT_VERSION",
    "to_json",
    "from_json",
    "dumps",
    "loads",
    "dump",
    "load",
    "save",
    "read",
    "parse",
    "js_number",
]

Squashes = Mapping[str, Squash] | None


def from_json(
    obj: Any,
    *,
    allow_nan: bool = False,
    cls: type[Network] = Network,
    limits: Limits | None = None,
    duplicates: str = "refuse",
    squashes: Squashes = None,
    size: int | None = None,
) -> Network:
    """Build a network from a ``toJSON`` structure, as Synaptic's ``fromJSON`` does.

    The document is validated first; anything wrong raises :class:`FormatError`
    naming the place, or :class:`LimitError` naming the limit. A second connection
    between one pair of neurons is refused (Q-DUP) unless ``duplicates="synaptic"``.
    ``squashes`` gives the custom squash functions a file names (Q-CUSTOM). ``size`` (the text's
    length in bytes) sets the time and memory budget (docs/security.md).
    """
    return cls.from_json(
        obj, allow_nan=allow_nan, limits=limits, duplicates=duplicates, squashes=squashes, size=size
    )


def dumps(net: Network, *, indent: int | str | None = None, allow_nan: bool = False, state: bool = False) -> str:
    """The network as JSON text; with no indent, byte for byte what ``JSON.stringify(net.toJSON())`` writes.

    ``state=True`` writes a lossless checkpoint (see :func:`to_json`).
    """
    with no_gc():
        return _dumps(net, indent, allow_nan, state)


def _dumps(net: Network, indent: int | str | None, allow_nan: bool, state: bool) -> str:
    if indent is None:
        columns = connection_columns(net)
        if columns is not None:
            native = kernel()
            if native is None:
                written = connections_text(*columns)
            else:
                try:
                    written = native.dump_connections(*columns)
                except ValueError:  # NaN or infinity: the general encoder says so (or writes it, allow_nan)
                    written = None
            if written is not None:
                document = to_json(net, state=state, connections=False)
                return encode(document, allow_nan=allow_nan, connections_text=written)
    return encode(to_json(net, state=state), indent=indent, allow_nan=allow_nan)


def loads(
    text: str | bytes | bytearray,
    *,
    allow_nan: bool = False,
    select: str | None = None,
    limits: Limits | None = None,
    duplicates: str = "refuse",
    squashes: Squashes = None,
) -> Network:
    """Parse JSON text into a network; FormatError when it is not JSON or not a valid network.

    ``limits`` (:class:`synjson.Limits`) caps the text's size and nesting and the
    network's size; exceeding one raises :class:`LimitError`.

    ``select`` names the network inside a larger document (``"models.2.net"``, see synjson.document.select).
    """
    with no_gc():
        if select is None:
            split = _split(text, limits, duplicates)
            if split is not None:
                document, table, size = split
                return Network.from_description(describe(document, allow_nan=allow_nan, limits=limits,
                                                     duplicates=duplicates, squashes=squashes, size=size, table=table))
        document = pick(parse(text, limits=limits), select)
        ascii_text = not isinstance(text, str) or text.isascii()
        size = len(text) if ascii_text else len(text.encode("utf-8", "surrogatepass"))  # the budget's B
        return from_json(
            document, allow_nan=allow_nan, limits=limits, duplicates=duplicates, squashes=squashes, size=size
        )


_KEY = b'"connections"'
_NOT_STRUCTURE = bytes(byte for byte in range(256) if byte not in b'[]{}"')
_QUOTED = re.compile(rb'"[^"]*"')


def _split(text: str | bytes | bytearray, limits: Limits | None, duplicates: str) -> tuple[Any, Table, int] | None:
    """The document with its connections read straight into columns, or None.

    A network file is mostly its connections array: parsed into objects it takes 20 times its
    size in memory. Here the kernel reads it (``scan_connections``; without the kernel, the pure
    :func:`synjson.document.scanner.scan_connections`, Synaptic's own layout only), the rest of the
    text is parsed as usual with ``[]`` in its place, and the columns are checked (indices in range,
    pairs unique). Taken only when that is certainly the document's one top-level ``"connections"`` (no escapes
    in the text, the key once, one object deep, outside strings) and everything is plain; None
    sends the text down the usual path, which gives the same network or the same error.
    """
    if not isinstance(text, (str, bytes, bytearray)):
        return None  # not text: parse() says what it is
    native = kernel()
    scan = getattr(native, "scan_connections", None) or scan_connections  # the pure reader without the kernel
    limits = DEFAULT_LIMITS if limits is None else limits
    data = text.encode("utf-8", "surrogatepass") if isinstance(text, str) else bytes(text)
    check_size(len(text), limits, "text has" if isinstance(text, str) else "text is",
               "characters" if isinstance(text, str) else "bytes")
    key = data.find(_KEY)
    if key < 0 or b"\\" in data or data.find(_KEY, key + 1) >= 0 or limits.max_depth < 3:
        return None
    prefix = data[:key].translate(None, _NOT_STRUCTURE)
    if prefix.count(b'"') % 2:
        return None  # the key is inside a string
    prefix = _QUOTED.sub(b"", prefix)
    if not prefix.startswith(b"{") or prefix.count(b"{") + prefix.count(b"[") - prefix.count(b"}") - prefix.count(
            b"]") != 1:
        return None
    start = _skip_space(data, key + len(_KEY))
    if data[start : start + 1] != b":":
        return None
    start = _skip_space(data, start + 1)
    found = scan(data, start)  # None unless a plain array starts there
    if found is None:
        return None
    end, *columns, unique = found
    rest = data[:start] + b"[]" + data[end:]
    del data
    try:
        document = parse(rest, limits=limits)
    except FormatError:
        return None  # the usual path words the error for the whole text
    if not (isinstance(document, dict) and type(document.get("connections")) is list and not document["connections"]
            and isinstance(document.get("neurons"), list)):
        return None
    check_counts(document, limits, len(columns[3]) // 8)  # as the usual path would, before any other check
    table = checked_table(columns, len(document["neurons"]), duplicates=duplicates, unique=unique)
    if table is None:
        return None
    return document, table, len(text) if not isinstance(text, str) or text.isascii() else len(
        text.encode("utf-8", "surrogatepass"))


def _skip_space(data: bytes, at: int) -> int:
    while at < len(data) and data[at] in b" \t\r\n":
        at += 1
    return at


def dump(
    net: Network, fp: Any, *, indent: int | str | None = None, state: bool = False, allow_nan: bool = False
) -> None:
    """Write the network's JSON text to a text file object."""
    fp.write(dumps(net, indent=indent, state=state, allow_nan=allow_nan))


def load(
    fp: Any,
    *,
    allow_nan: bool = False,
    select: str | None = None,
    limits: Limits | None = None,
    duplicates: str = "refuse",
    squashes: Squashes = None,
) -> Network:
    """Read a network from a file object (text or binary), reading no more than the limit.

    A path (``str`` or ``os.PathLike``) is read as :func:`read` reads it, so
    ``synjson.load("xor.json")`` works too.
    """
    if isinstance(fp, (str, os.PathLike)):
        return read(fp, allow_nan=allow_nan, select=select, limits=limits, duplicates=duplicates, squashes=squashes)
    if not hasattr(fp, "read"):
        raise TypeError(f"load() takes a file object or a path, got {type(fp).__name__}")
    limits = DEFAULT_LIMITS if limits is None else limits
    text = read_bounded(fp, limits)
    return loads(text, allow_nan=allow_nan, select=select, limits=limits, duplicates=duplicates, squashes=squashes)


def save(
    net: Network,
    path: str | os.PathLike[str],
    *,
    indent: int | str | None = None,
    state: bool = False,
    allow_nan: bool = False,
) -> Path:
    """Save to ``path`` atomically: the old file survives any failure. ``state=True``: a lossless checkpoint.

    ``allow_nan`` writes NaN and Infinity as Python's json module does (``loads(allow_nan=True)`` reads them).
    """
    return atomic_write(path, dumps(net, indent=indent, state=state, allow_nan=allow_nan))


def read(
    path: str | os.PathLike[str],
    *,
    allow_nan: bool = False,
    select: str | None = None,
    limits: Limits | None = None,
    duplicates: str = "refuse",
    squashes: Squashes = None,
) -> Network:
    """Load a network from a JSON file; a file over ``limits.max_bytes`` is refused before reading."""
    limits = DEFAULT_LIMITS if limits is None else limits
    check_size(os.stat(path).st_size, limits, "file is", "bytes")
    with open(path, "rb") as handle:  # bounded again: a pipe or device has no size
        text = read_bounded(handle, limits, os.fstat(handle.fileno()).st_size)
    return loads(text, allow_nan=allow_nan, select=select, limits=limits, duplicates=duplicates, squashes=squashes)
