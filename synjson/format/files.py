"""Model files in every format synjson knows: ``read``, ``save`` and ``convert``.

``"synaptic"`` (the default: what ``JSON.stringify(net.toJSON())`` writes) goes through
:mod:`synjson.format.synaptic`; ``"onnx"``, ``"brain.js"`` and ``"neataptic"`` through
:mod:`synjson.format.bridges` (docs/formats.md; onnx is imported only when ONNX is used). Without a
``format``, reading detects it from the suffix or the content, and saving uses ONNX for a
``.onnx`` path and Synaptic JSON otherwise. :func:`from_bytes` is the one place that decides how
a model file is read: ``synjson.read`` and every ``synjson`` command that reads a model call it.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from ..document.limits import DEFAULT_LIMITS, Limits, check_size
from ..document.text import read_bounded
from ..errors import FormatError
from ..model.network import Network
from . import synaptic
from .bridges import FORMATS, check_format, detect_bytes, hint, loads_as, save_other

__all__ = ["FORMATS", "read", "save", "convert", "from_bytes", "detect_format", "javascript_hint", "at_zero_state"]

#: Suffixes of JavaScript files: given one that is not JSON, the error points at ``synjson import``.
JS_SUFFIXES = (".js", ".mjs", ".cjs")

def read(
    path: str | os.PathLike[str],
    *,
    format: str | None = None,
    limits: Limits | None = None,
    select: str | None = None,
    **options: Any,
) -> Network:
    """Load a network from a model file; a file over ``limits.max_bytes`` is refused before reading.

    ``format`` is "synaptic", "onnx", "brain.js" (either brain.js layout; "brain.js-2" too) or
    "neataptic"; by default it is taken from the suffix (``.onnx``) or the content, and is
    "synaptic" when neither tells; a file refused as Synaptic JSON whose keys point at another
    format says which ``format=`` to pass. ``options``
    (``allow_nan``, ``duplicates``, ``squashes``) apply to Synaptic JSON.
    """
    check_format(format)
    limits = DEFAULT_LIMITS if limits is None else limits
    check_size(os.stat(path).st_size, limits, "file is", "bytes")  # refused before it is read
    with open(path, "rb") as handle:  # read_bounded bounds the read again: a pipe or device has no size
        data = bytes(read_bounded(handle, limits, os.fstat(handle.fileno()).st_size))  # read in one piece
    return from_bytes(data, name=os.fspath(path), format=format, limits=limits, select=select, **options)


def detect_format(name: str, data: bytes) -> str:
    """The format of a model file named ``name`` holding ``data``: by its suffix or its content
    (:func:`synjson.format.bridges.detect`), "synaptic" when neither tells."""
    return detect_bytes(name, data)


def from_bytes(
    data: bytes,
    *,
    name: str = "",
    format: str | None = None,
    limits: Limits | None = None,
    select: str | None = None,
    **options: Any,
) -> Network:
    """A network from the bytes of a model file in any format synjson reads.

    ``name`` (the file's name, "" or "-" for none) helps detect the format when ``format`` is None
    and names a JavaScript file in the error that points at ``synjson import``. ``select`` and
    ``options`` (``allow_nan``, ``duplicates``, ``squashes``) apply to Synaptic JSON.
    """
    given = check_format(format)
    format = given or detect_format(name, data)
    if format != "synaptic":
        if select is not None:
            raise FormatError(f"select applies to Synaptic JSON, not to {format}")
        return loads_as(data, format, limits=limits)
    try:
        return synaptic.loads(data, select=select, limits=limits, **options)
    except FormatError as error:
        if str(error).startswith("not JSON"):
            script = javascript_hint(name, data)
            if script is None:
                raise
            raise FormatError(script) from None
        extra = hint(data) if given is None and type(error) is FormatError else ""
        if not extra:
            raise
        raise FormatError(error.message + extra, error.path, error.errors) from None


def javascript_hint(name: str, data: bytes) -> str | None:
    """The refusal of a JavaScript file given as a model (known by its suffix, or by a first word such
    as ``var`` or ``module.exports``), pointing at ``synjson import``; None when it does not look like one."""
    words = data[:200].removeprefix(b"\xef\xbb\xbf").lstrip().split(None, 1)
    first = words[0].decode("ascii", "replace") if words else ""
    script = first in ("var", "let", "const", "export", "import", "//", "/*", "'use", '"use') or first.startswith(
        ("module.exports", "exports.", "window.", "globalThis.")
    )
    if not (name.lower().endswith(JS_SUFFIXES) or script):
        return None
    shown = name if name not in ("", "-") else "FILE.js"
    target = Path(shown).with_suffix(".json").name
    return (
        f"not JSON but JavaScript: take the network out of it with `synjson import {shown} -o {target}`"
        " (in Python: synjson.import_js)"
    )


def save(
    net: Network,
    path: str | os.PathLike[str],
    *,
    format: str | None = None,
    dtype: str = "float64",
    indent: int | str | None = None,
    state: bool = False,
    allow_nan: bool = False,
    zero_state: bool = False,
) -> Path:
    """Save to ``path`` atomically: the old file survives any failure.

    ``format`` as for :func:`read` (by default ONNX for a ``.onnx`` path, else Synaptic JSON);
    ``dtype`` ("float64" or "float32") applies to ONNX; ``indent`` and ``state=True`` (a lossless
    checkpoint) to Synaptic JSON. A model the format cannot express raises FormatError, naming
    why, before anything is written: so does a recurrent network holding run state (as one saved
    mid-sequence) for a format that cannot carry it (neataptic), unless ``zero_state=True``, which
    writes the network as it stands at zero state, with no traces (``net`` itself is not changed).
    """
    check_format(format)
    if zero_state:
        net = at_zero_state(net)
    if format != "synaptic":
        written = save_other(net, path, format, dtype=dtype)
        if written is not None:
            return written
    return synaptic.save(net, path, indent=indent, state=state, allow_nan=allow_nan)


def at_zero_state(net: Network) -> Network:
    """A copy of ``net`` (as :meth:`Network.clone` copies it) with every state, old value, activation
    and trace 0 and every gain 1: where a network read from a file without run state starts."""
    copy = net.clone()
    for neuron, _ in copy.neurons():
        neuron.state = neuron.old = neuron.activation = 0.0
    return copy


def convert(
    source: str | os.PathLike[str],
    target: str | os.PathLike[str],
    to: str | None = None,
    *,
    source_format: str | None = None,
    dtype: str = "float64",
    limits: Limits | None = None,
    zero_state: bool = False,
    **options: Any,
) -> Path:
    """Read ``source`` (format detected unless given) and write it to ``target`` in ``to``
    (by ``target``'s suffix when None: ``.onnx`` is ONNX, anything else Synaptic JSON).

    ``options`` (``allow_nan``, ``select``, ``duplicates``) apply when the source is Synaptic JSON;
    ``zero_state`` as for :func:`save`.
    """
    net = read(source, format=source_format, limits=limits, **options)
    return save(net, target, format=to, dtype=dtype, zero_state=zero_state)
