"""Bridges: other model formats in and out (docs/formats.md).

Owns the formats that are not Synaptic's JSON: ``"onnx"`` (onnx_export, onnx_import),
``"brain.js"`` (brainjs: 1.6.1's layout; reads 2.x's too), ``"brain.js-2"`` (brainjs2: 2.x's
layout) and ``"neataptic"`` (neataptic), and picks one from a file's content or suffix. It
may import the model (network, layer, neuron, squash), errors and the document layer;
``synjson.format.files`` (``read``/``save``/``convert``) calls it lazily, so importing synjson
imports none of it (nor onnx). A model a target cannot express is refused with a FormatError
naming the reason; nothing is approximated.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

from ...document.atomic import atomic_write
from ...document.limits import DEFAULT_LIMITS, Limits
from ...model.network import Network
from ._common import read_json, read_upto

__all__ = ["FORMATS", "check_format", "detect", "detect_bytes", "hint", "save_other", "dumps_as", "loads_as"]

#: Every format ``synjson.read``/``save`` know; "synaptic" is the default. Both brain.js names read
#: either brain.js layout; they differ in what they write (1.6.1's layout, or 2.x's).
FORMATS = ("synaptic", "onnx", "brain.js", "brain.js-2", "neataptic")
_HEAD = 1 << 16
_KEY = re.compile(rb'"(neurons|nodes|connections|sizes|layers)"\s*:')
_START = re.compile(rb"(?:\xef\xbb\xbf)?\s*")


def check_format(format: str | None) -> str | None:
    """``format`` itself when it is None or one of :data:`FORMATS`; ValueError naming them otherwise."""
    if format is not None and format not in FORMATS:
        raise ValueError(f"unknown format {format!r}: expected one of {', '.join(map(repr, FORMATS))}")
    return format


def detect(path: str | os.PathLike[str], head: bytes | None = None, *, limits: Limits | None = None) -> str:
    """The format of the file at ``path``: ONNX by the ``.onnx`` suffix or a protobuf start, else
    the JSON dialect by the keys in the file (``head``, when given, stands for its bytes): ``nodes``
    and ``connections`` without ``neurons`` is neataptic, ``sizes`` and ``layers`` without ``neurons``
    brain.js; anything else "synaptic", so a Synaptic file, valid or not, reads (or is refused)
    exactly as before. The first 64 KiB decide a Synaptic file (its ``neurons`` comes first); any
    other JSON file is looked at whole, up to ``limits.max_bytes``, as a pretty-printed neataptic
    file's ``connections`` can come megabytes in.
    """
    if str(path).lower().endswith(".onnx"):
        return "onnx"
    if head is None:
        try:
            head = _head(path, limits)
        except OSError:
            return "synaptic"  # the Synaptic reader reports the error as it always has
    keys = _json_keys(head)
    if keys is not None:
        if b"neurons" in keys:
            return "synaptic"
        if {b"nodes", b"connections"} <= keys:
            return "neataptic"
        return "brain.js" if {b"sizes", b"layers"} <= keys else "synaptic"
    if head[:1] == b"\x08":  # ModelProto field 1 (ir_version), a varint
        return "onnx"
    return "synaptic"


def detect_bytes(name: str, data: bytes) -> str:
    """:func:`detect` for a file's bytes: the first 64 KiB decide a Synaptic file (so a big one is not
    scanned whole); any other JSON text is looked at whole, as :func:`detect` does from a path."""
    head = data[:_HEAD]
    keys = _json_keys(head)
    return detect(name, head=data if keys is not None and b"neurons" not in keys else head)


def _head(path: str | os.PathLike[str], limits: Limits | None) -> bytes:
    """The file's first 64 KiB, or the whole file (up to ``limits.max_bytes``) when it is JSON
    without ``neurons`` in them."""
    with open(path, "rb") as handle:
        head = handle.read(_HEAD)
        keys = _json_keys(head)
        if keys is not None and b"neurons" not in keys:
            head = read_upto(handle, (DEFAULT_LIMITS if limits is None else limits).max_bytes, head)
    return head


def _json_keys(data: bytes) -> set[bytes] | None:
    """The keys detection looks for in JSON text; None when ``data`` does not start as JSON does."""
    start = _START.match(data).end()  # type: ignore[union-attr]  # matches the empty string at least
    if data[start:start + 1] not in (b"{", b"["):
        return None
    return {match.group(1) for match in _KEY.finditer(data, start)}  # no copy of a file that can be large


def hint(source: bytes | str | os.PathLike[str], limits: Limits | None = None) -> str:
    """What to add to the Synaptic reader's refusal of a file read without a format: the
    ``format=`` that would read it when its keys point at another JSON dialect (``nodes``:
    neataptic; ``sizes`` or ``layers``: brain.js); "" for any other file (one with ``neurons`` is
    a Synaptic file). ``source`` is the file's bytes or its path."""
    if isinstance(source, bytes):
        keys = _json_keys(source)
    else:
        try:
            keys = _json_keys(_head(source, limits))
        except OSError:  # the refusal stands as it is
            return ""
    if keys is None or b"neurons" in keys:
        return ""
    if b"nodes" in keys:
        return "; if it is a neataptic file, pass format='neataptic'"
    if keys & {b"sizes", b"layers"}:
        return "; if it is a brain.js file, pass format='brain.js'"
    return ""


def loads_as(data: bytes, format: str, *, limits: Limits | None = None) -> Network:
    """A network from the bytes of a model file in ``format`` (not "synaptic")."""
    limits = DEFAULT_LIMITS if limits is None else limits
    if format == "onnx":
        from .onnx_import import from_onnx

        return from_onnx(data, limits=limits)
    document = read_json(data, limits)
    if format in ("brain.js", "brain.js-2"):  # either name reads either layout
        from .brainjs import from_brainjs
        from .brainjs2 import from_brainjs2, is_brainjs2

        if isinstance(document, dict) and is_brainjs2(document):
            return from_brainjs2(document, limits=limits)
        return from_brainjs(document, limits=limits)
    if format == "neataptic":
        from .neataptic import from_neataptic

        return from_neataptic(document, limits=limits)
    raise ValueError(f"loads_as reads onnx, brain.js, brain.js-2 and neataptic, not {format!r}")


def dumps_as(net: Network, format: str, *, dtype: str = "float64") -> bytes:
    """The bytes of ``net`` written in ``format`` (not "synaptic"); FormatError when it cannot express the net.

    ``dtype`` ("float64" or "float32") applies to ONNX.
    """
    if format == "onnx":
        from .onnx_export import to_onnx

        return bytes(to_onnx(net, dtype=dtype).SerializeToString())
    if format == "brain.js":
        from .brainjs import to_brainjs

        document: dict[str, Any] = to_brainjs(net)
    elif format == "brain.js-2":
        from .brainjs2 import to_brainjs2

        document = to_brainjs2(net)
    elif format == "neataptic":
        from .neataptic import to_neataptic

        document = to_neataptic(net)
    else:
        raise ValueError(f"dumps_as writes onnx, brain.js, brain.js-2 and neataptic, not {format!r}")
    return json.dumps(document, allow_nan=False, separators=(",", ":")).encode("utf-8")


def save_other(
    net: Network, path: str | os.PathLike[str], format: str | None, *, dtype: str = "float64"
) -> Path | None:
    """Write ``net`` to ``path`` atomically when the format (given, or ``.onnx`` by suffix) is not
    "synaptic", returning the path; None when it is "synaptic"."""
    format = check_format(format)
    if format is None:
        format = "onnx" if str(path).lower().endswith(".onnx") else "synaptic"
    if format == "synaptic":
        return None
    return atomic_write(path, dumps_as(net, format, dtype=dtype))  # refused before anything is written
