"""Load limits: how large a model synjson agrees to read.

Loading an untrusted model must take bounded memory and time. Memory grows with
the text, the neurons, the connections and the extended eligibility traces
(kept per gater, per input of the gater, per neuron it gates into), so each has
a ceiling; the defaults are generous, far above any network Synaptic itself
could train, and each can be raised::

    synjson.loads(text, limits=synjson.Limits(max_connections=200_000_000))

Exceeding a limit raises :class:`~synjson.errors.LimitError`, a FormatError,
naming the limit and how to raise it. The nesting depth of the JSON text is
measured before parsing, so deeply nested text cannot exhaust the C stack
(Python 3.11's json module recurses once per level and, with a large
``sys.setrecursionlimit``, crashes the interpreter on deep enough input).
"""

from __future__ import annotations

import dataclasses
import itertools
import math
import re
from typing import Any

from ..errors import FormatError, LimitError

__all__ = ["DEFAULT_LIMITS", "Limits"]


@dataclasses.dataclass(frozen=True)
class Limits:
    """Ceilings checked when loading a model; every field is a positive integer.

    ``max_bytes``: length of the JSON text (bytes, or characters for a ``str``),
    checked before reading a file and before parsing.
    ``max_neurons`` and ``max_connections``: entries of the two arrays.
    ``max_traces``: extended eligibility traces the loaded network would keep
    (for each gater: its incoming connections times the neurons it gates into);
    a small file can otherwise ask for quadratic memory.
    ``max_depth``: nesting of arrays and objects (a Synaptic network needs 5).
    """

    max_bytes: int = 2 * 1024**3
    max_neurons: int = 10_000_000
    max_connections: int = 50_000_000
    max_traces: int = 50_000_000
    max_depth: int = 100

    def __post_init__(self) -> None:
        for field in dataclasses.fields(self):
            value = getattr(self, field.name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise ValueError(f"Limits.{field.name} must be a positive integer, got {value!r}")


DEFAULT_LIMITS = Limits()


def check_size(size: int, limits: Limits, what: str = "file is", unit: str = "bytes") -> None:
    """Refuse text longer than ``limits.max_bytes``."""
    if size > limits.max_bytes:
        raise LimitError(
            f"{what} {size} {unit}, more than the limit of {limits.max_bytes};"
            " pass limits=synjson.Limits(max_bytes=...) to raise it"
        )


# -- nesting depth of JSON text, measured without recursion ------------------------

_ESCAPE = re.compile(rb"\\.", re.DOTALL)
_QUOTED = re.compile(rb'"[^"]*"')
_PAIR = re.compile(rb"\[\]|\{\}")  # one scan: "{[]}" loses one level, not two
_NOT_STRUCTURE = bytes(byte for byte in range(256) if byte not in b'[]{}"')
_STEP = [0] * 256
for _byte in b"[{":
    _STEP[_byte] = 1
for _byte in b"]}":
    _STEP[_byte] = -1
del _byte


def nesting_depth(data: bytes) -> int:
    """How deeply arrays and objects nest in JSON text (``[[]]`` is 2), in linear time.

    Exact for valid JSON. For invalid JSON it is exact up to the first error,
    which is as far as a parser goes, so it bounds the parser's recursion.
    """
    if b"\\" in data:
        data = _ESCAPE.sub(b"", data)  # an escaped quote does not end a string
    kept = data.translate(None, _NOT_STRUCTURE)  # brackets and quotes only
    outside = kept.replace(b'""', b"")  # usual case: no string holds a bracket
    if b'"' in outside:
        outside = _QUOTED.sub(b"", kept)
    # Peel the innermost pairs, one level a pass (fast in C); measure what is left one step at a time.
    depth = 0
    while outside and depth < 16:
        peeled = _PAIR.sub(b"", outside)
        if len(peeled) == len(outside):
            break
        outside, depth = peeled, depth + 1
    if not outside:
        return depth
    return depth + max(0, max(itertools.accumulate(map(_STEP.__getitem__, outside)), default=0))


def check_depth(text: str | bytes, limits: Limits) -> None:
    """Refuse JSON text nested deeper than ``limits.max_depth`` before a parser recurses into it."""
    if isinstance(text, str):
        if text.count("[") + text.count("{") <= limits.max_depth:
            return
        data = text.encode("utf-8", "surrogatepass")
    else:
        data = text
        if data.count(b"[") + data.count(b"{") <= limits.max_depth:
            return
    depth = nesting_depth(data)
    if depth > limits.max_depth:
        raise LimitError(
            f"text nests arrays and objects {depth} deep, more than the limit of {limits.max_depth};"
            " pass limits=synjson.Limits(max_depth=...) to raise it"
        )


# -- counts of a parsed document -----------------------------------------------------


def check_counts(obj: Any, limits: Limits) -> None:
    """Refuse more neurons or connections than allowed (before validating them one by one)."""
    if not isinstance(obj, dict):
        return
    for key, limit, field in (
        ("neurons", limits.max_neurons, "max_neurons"),
        ("connections", limits.max_connections, "max_connections"),
    ):
        items = obj.get(key)
        if isinstance(items, list) and len(items) > limit:
            raise LimitError(
                f"file has {len(items)} {key}, more than the limit of {limit};"
                f" pass limits=synjson.Limits({field}=...) to raise it"
            )


def check_traces(neurons: int, connections: list[tuple[int, int, int | None]], limits: Limits) -> None:
    """Refuse a network whose extended eligibility traces would exceed ``limits.max_traces``.

    ``connections`` holds (from, to, gater) indices. A gater keeps one trace per
    incoming connection for every distinct neuron it gates into.
    """
    inputs = [0] * neurons
    gated_into: dict[int, set[int]] = {}
    for source, target, gater in connections:
        if source != target:
            inputs[target] += 1
        if gater is not None:
            gated_into.setdefault(gater, set()).add(target)
    traces = sum(inputs[gater] * len(targets) for gater, targets in gated_into.items())
    if traces > limits.max_traces:
        raise LimitError(
            f"file needs {traces} extended eligibility traces, more than the limit of {limits.max_traces};"
            " pass limits=synjson.Limits(max_traces=...) to raise it"
        )


def check_kept(value: Any, path: tuple[str | int, ...], limits: Limits, allow_nan: bool) -> None:
    """Check a value kept verbatim for the round trip (an extra key's, or the ``synjson`` block).

    It must be JSON (string keys; null, booleans, numbers, strings, arrays, objects),
    nest no deeper than ``limits.max_depth`` (counting the document around it), hold
    no integer a double cannot hold and, unless ``allow_nan``, no NaN or infinity:
    ``dumps`` must be able to write it back. Iterative, so a deep or cyclic Python
    object is refused, not recursed into.
    """
    stack: list[tuple[Any, tuple[str | int, ...]]] = [(value, path)]
    while stack:
        item, where = stack.pop()
        if isinstance(item, (dict, list, tuple)):
            if len(where) + 1 > limits.max_depth:
                raise LimitError(
                    f"nests arrays and objects deeper than the limit of {limits.max_depth};"
                    " pass limits=synjson.Limits(max_depth=...) to raise it",
                    path,
                )
            if isinstance(item, dict):
                for key in item:
                    if not isinstance(key, str):
                        raise FormatError(f"expected string keys, got the key {key!r:.60}", where)
            pairs = item.items() if isinstance(item, dict) else enumerate(item)
            stack.extend((child, (*where, key)) for key, child in pairs)
        elif item is not None and not isinstance(item, (str, int, float)):
            raise FormatError(f"expected a JSON value, got a Python {type(item).__name__:.60}", where)
        elif isinstance(item, float) and not allow_nan and not math.isfinite(item):
            number = "NaN" if math.isnan(item) else ("Infinity" if item > 0 else "-Infinity")
            raise FormatError(f"{number} is not allowed (pass allow_nan=True to accept)", where)
        elif isinstance(item, int) and not isinstance(item, bool) and item.bit_length() >= 1024:
            try:
                float(item)
            except OverflowError:  # JavaScript reads it as Infinity; validate refuses it in the network
                raise FormatError("integer is too large for a 64-bit float", where) from None
