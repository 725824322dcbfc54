"""Model files in every format synjson knows: ``read``, ``save`` and ``convert``.

``"synaptic"`` (the default: what ``JSON.stringify(net.toJSON())`` writes) goes through
:mod:`synjson.format.synaptic`; ``"onnx"``, ``"brain.js"`` and ``"neataptic"`` through
:mod:`synjson.format.bridges` (docs/formats.md; onnx is imported only when ONNX is used). Without a
``format``, reading detects it from the suffix or the content, and saving uses ONNX for a
``.onnx`` path and Synaptic JSON otherwise.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from ..document.limits import Limits
from ..errors import FormatError
from ..model.network import Network
from . import synaptic
from .bridges import FORMATS, check_format, hint, read_other, save_other

__all__ = ["FORMATS", "read", "save", "convert"]

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
    if format != "synaptic":
        net = read_other(path, format, limits=limits, select=select)
        if net is not None:
            return net
    try:
        return synaptic.read(path, limits=limits, select=select, **options)
    except FormatError as error:
        parsed = type(error) is FormatError and not error.message.startswith("not JSON")
        extra = hint(path, limits) if format is None and parsed else ""
        if not extra:
            raise
        raise FormatError(error.message + extra, error.path, error.errors) from None


def save(
    net: Network,
    path: str | os.PathLike[str],
    *,
    format: str | None = None,
    dtype: str = "float64",
    indent: int | str | None = None,
    state: bool = False,
    allow_nan: bool = False,
) -> Path:
    """Save to ``path`` atomically: the old file survives any failure.

    ``format`` as for :func:`read` (by default ONNX for a ``.onnx`` path, else Synaptic JSON);
    ``dtype`` ("float64" or "float32") applies to ONNX; ``indent`` and ``state=True`` (a lossless
    checkpoint) to Synaptic JSON. A model the format cannot express raises FormatError, naming
    why, before anything is written.
    """
    check_format(format)
    if format != "synaptic":
        written = save_other(net, path, format, dtype=dtype)
        if written is not None:
            return written
    return synaptic.save(net, path, indent=indent, state=state, allow_nan=allow_nan)


def convert(
    source: str | os.PathLike[str],
    target: str | os.PathLike[str],
    to: str | None = None,
    *,
    source_format: str | None = None,
    dtype: str = "float64",
    limits: Limits | None = None,
    **options: Any,
) -> Path:
    """Read ``source`` (format detected unless given) and write it to ``target`` in ``to``
    (by ``target``'s suffix when None: ``.onnx`` is ONNX, anything else Synaptic JSON).

    ``options`` (``allow_nan``, ``select``, ``duplicates``) apply when the source is Synaptic JSON.
    """
    net = read(source, format=source_format, limits=limits, **options)
    return save(net, target, format=to, dtype=dtype)
