"""Load limits: how large a model synjson agrees to read.

Loading an untrusted model must take bounded memory and time. Memory grows with
the text, the neurons, the connections and the extended eligibility traces
(kept per gater, per input of the gater, per neuron it gates into), so each has
a ceiling; the defaults are generous, far above any network Synaptic itself
could train, and each can be raised::

    synjson.loads(text, limits=synjson.Limits(max_connections=200_000_000))

The budget (docs/security.md) bounds what a file derives: for a text of B bytes,
loading, one ``activate`` and a lossless ``dumps`` get max(400 MB, 50 x B) and
2 s + 2 s per MB. :func:`count_derived` counts what the wiring asks for (extended
traces are quadratic) and :func:`check_budget` prices it before anything is built.

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
    """Ceilings checked when loading a model; every count field is a positive integer.

    ``max_bytes``: length of the JSON text (bytes, or characters for a ``str``),
    checked before reading a file and before parsing.
    ``max_neurons`` and ``max_connections``: entries of the two arrays.
    ``max_traces``: extended eligibility traces the loaded network would keep
    (for each gater: its incoming connections times the neurons it gates into);
    a small file can otherwise ask for quadratic memory.
    ``max_depth``: nesting of arrays and objects (a Synaptic network needs 5).
    ``max_memory`` (bytes) and ``max_seconds``: the budget of loading, one ``activate``
    and a lossless ``dumps``, estimated from the counts before anything is built
    (see docs/security.md). None, the default, is the stated budget for a text of
    B bytes: ``max(400 MB, 50 * B)`` and ``2 s + 2 s per MB``.
    """

    max_bytes: int = 2 * 1024**3
    max_neurons: int = 10_000_000
    max_connections: int = 50_000_000
    max_traces: int = 50_000_000
    max_depth: int = 100
    max_memory: int | None = None
    max_seconds: float | None = None

    def __post_init__(self) -> None:
        for field in dataclasses.fields(self):
            value = getattr(self, field.name)
            if field.name in ("max_memory", "max_seconds") and value is None:
                continue
            number = field.name == "max_seconds"
            kinds: tuple[type, ...] = (int, float) if number else (int,)
            if isinstance(value, bool) or not isinstance(value, kinds) or not value > 0:  # NaN is not > 0
                kind = "number" if number else "integer"
                raise ValueError(f"Limits.{field.name} must be a positive {kind}, got {value!r}")

    def memory_budget(self, size: int) -> int:
        """Peak memory allowed for a text of ``size`` bytes: ``max_memory``, else max(400 MB, 50 x size)."""
        return self.max_memory if self.max_memory is not None else max(MEMORY_FLOOR, MEMORY_PER_BYTE * size)

    def time_budget(self, size: int) -> float:
        """Seconds allowed for a text of ``size`` bytes: ``max_seconds``, else 2 s + 2 s per MB."""
        return self.max_seconds if self.max_seconds is not None else SECONDS_FLOOR + SECONDS_PER_MB * size / 1e6


MEMORY_FLOOR = 400_000_000
MEMORY_PER_BYTE = 50  # was 60: measured peaks of real models are 12-18x their size (docs/security.md)
SECONDS_FLOOR = 2.0
SECONDS_PER_MB = 2.0


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


def check_counts(obj: Any, limits: Limits, connections: int | None = None) -> None:
    """Refuse more neurons or connections than allowed (before validating them one by one).

    ``connections``: their count, when they were read into columns and not into ``obj``.
    """
    if not isinstance(obj, dict):
        return
    for key, limit, field in (
        ("neurons", limits.max_neurons, "max_neurons"),
        ("connections", limits.max_connections, "max_connections"),
    ):
        items = obj.get(key)
        count = connections if key == "connections" and connections is not None else (
            len(items) if isinstance(items, list) else None)
        if count is not None and count > limit:
            raise LimitError(
                f"file has {count} {key}, more than the limit of {limit};"
                f" pass limits=synjson.Limits({field}=...) to raise it"
            )


@dataclasses.dataclass(frozen=True)
class Derived:
    """What a validated document asks for, counted from its wiring before anything is built.

    ``traces``: extended eligibility traces (for each gater, its incoming connections times the
    distinct neurons it gates into). ``searches``: connections ``Neuron.project`` looks through
    when loading with ``duplicates="synaptic"`` (it searches the source's inputs and projections
    for an existing connection, quadratic in fan-out); 0 otherwise.
    """

    neurons: int
    connections: int
    gated: int
    traces: int
    searches: int = 0


def count_derived(
    neurons: int, connections: list[tuple[int, int, int | None]], *, synaptic: bool = False
) -> Derived:
    """Count what ``connections`` (from, to, gater indices, all valid) derive, in linear time."""
    inputs = [0] * neurons
    outputs = [0] * neurons
    gated_into: dict[int, set[int]] = {}
    gated = 0
    for source, target, gater in connections:
        if source != target:
            inputs[target] += 1
            outputs[source] += 1
        if gater is not None:
            gated += 1
            gated_into.setdefault(gater, set()).add(target)
    traces = sum(inputs[gater] * len(targets) for gater, targets in gated_into.items())
    # project() scans the source's inputs, then the projections made so far, per connection
    searches = sum(o * i + o * (o - 1) // 2 for i, o in zip(inputs, outputs) if o) if synaptic else 0
    return Derived(neurons, len(connections), gated, traces, searches)


def check_traces(counts: Derived, limits: Limits) -> None:
    """Refuse a network whose extended eligibility traces would exceed ``limits.max_traces``."""
    if counts.traces > limits.max_traces:
        raise LimitError(
            f"file needs {counts.traces} extended eligibility traces, more than the limit of {limits.max_traces};"
            " pass limits=synjson.Limits(max_traces=...) to raise it"
        )


# Cost of loading, one activate and a lossless dumps on the reference engine, per item,
# measured on the 2-core machine of docs/security.md (scripts/calibrate_budget.py) and rounded up.
# Memory is the peak of the whole run: the text, the parsed document and the network.
_BYTES = {"base": 40_000_000, "byte": 4, "neuron": 2_200, "connection": 1_000, "gated": 300, "trace": 400,
          "search": 0}
_SECONDS = {"base": 0.0, "byte": 0.0, "neuron": 40e-6, "connection": 16e-6, "gated": 5e-6, "trace": 6e-6,
            "search": 0.05e-6}
#: The shortest text of a neuron and of a connection (``{"layer":0,"bias":0},``): the size a dict
#: passed to from_json stands for, so that a dict gets no more budget than the text it could be.
_SMALLEST = {"neuron": 21, "connection": 30}


def estimate(counts: Derived, size: int) -> tuple[int, float]:
    """Peak bytes and seconds that loading, one activate and a lossless dumps need (a safe overestimate)."""
    amounts = {"base": 1, "byte": size, "neuron": counts.neurons, "connection": counts.connections,
               "gated": counts.gated, "trace": counts.traces, "search": counts.searches}
    memory = sum(_BYTES[key] * amount for key, amount in amounts.items())
    seconds = sum(_SECONDS[key] * amount for key, amount in amounts.items())
    return memory, seconds


def _mb(value: float) -> str:
    return f"{value / 1e6:,.1f} MB" if value < 1e9 else f"{value / 1e9:,.1f} GB"


def check_budget(counts: Derived, limits: Limits, size: int | None) -> None:
    """Refuse a document whose load, first activate and lossless save would exceed the budget.

    ``size`` is the text's length in bytes; for a dict passed to ``from_json`` without one, the
    length of the shortest text with these counts. Checked before anything is built, from the counts.
    """
    text = "text" if size is not None else "document"
    if size is None:
        size = _SMALLEST["neuron"] * counts.neurons + _SMALLEST["connection"] * counts.connections
    memory, seconds = estimate(counts, size)
    what = f"{counts.neurons} neurons, {counts.connections} connections"
    if counts.gated:
        what += f", {counts.gated} gated, {counts.traces} extended traces"
    if counts.searches:
        what += f", {counts.searches} connection searches (duplicates='synaptic')"
    allowed_memory = limits.memory_budget(size)
    if memory > allowed_memory:
        rule = "max_memory" if limits.max_memory is not None else f"max(400 MB, {MEMORY_PER_BYTE} x its size)"
        raise LimitError(
            f"loading this {text} ({_mb(size)}; {what}) needs about {_mb(memory)} of memory, more than the"
            f" limit of {_mb(allowed_memory)} ({rule}); pass limits=synjson.Limits(max_memory=...) to raise it"
        )
    allowed_seconds = limits.time_budget(size)
    if seconds > allowed_seconds:
        rule = "max_seconds" if limits.max_seconds is not None else "2 s + 2 s per MB of it"
        raise LimitError(
            f"loading this {text} ({_mb(size)}; {what}), one activate and a lossless save need about"
            f" {seconds:,.1f} s, more than the limit of {allowed_seconds:,.1f} s ({rule});"
            " pass limits=synjson.Limits(max_seconds=...) to raise it"
        )


def check_kept(value: Any, path: tuple[str | int, ...], limits: Limits, allow_nan: bool) -> None:
    """Check a value kept verbatim for the round trip (an extra key's, or the ``synjson`` block).

    It must be JSON (string keys; null, booleans, numbers, strings, arrays, objects),
    nest no deeper than ``limits.max_depth`` (counting the document around it), hold
    no integer a double cannot hold and, unless ``allow_nan``, no NaN or infinity:
    ``dumps`` must be able to write it back. Iterative, so a deep or cyclic Python
    object is refused, not recursed into.
    """
    # Each entry: (value, depth, link); a link is (parent link, key), made into a path only for an error,
    # so that a deep value costs a constant per item, not its depth.
    stack: list[tuple[Any, int, Any]] = [(value, len(path), None)]
    while stack:
        item, depth, link = stack.pop()
        if isinstance(item, (dict, list, tuple)):
            if depth + 1 > limits.max_depth:
                raise LimitError(
                    f"nests arrays and objects deeper than the limit of {limits.max_depth};"
                    " pass limits=synjson.Limits(max_depth=...) to raise it",
                    path,
                )
            if isinstance(item, dict):
                for key in item:
                    if not isinstance(key, str):
                        raise FormatError(f"expected string keys, got the key {key!r:.60}", _path(path, link))
            pairs = item.items() if isinstance(item, dict) else enumerate(item)
            for key, child in pairs:
                if isinstance(child, str) or child is None or type(child) is bool:
                    continue  # the common leaves: nothing to check
                if type(child) is float and child - child == 0:
                    continue
                stack.append((child, depth + 1, (link, key)))
        else:
            _check_leaf(item, _path(path, link), allow_nan)


def _path(path: tuple[str | int, ...], link: Any) -> tuple[str | int, ...]:
    keys: list[str | int] = []
    while link is not None:
        link, key = link
        keys.append(key)
    return (*path, *reversed(keys))


def _check_leaf(item: Any, where: tuple[str | int, ...], allow_nan: bool) -> None:
    if item is not None and not isinstance(item, (str, int, float)):
        raise FormatError(f"expected a JSON value, got a Python {type(item).__name__:.60}", where)
    if isinstance(item, float) and not allow_nan and not math.isfinite(item):
        number = "NaN" if math.isnan(item) else ("Infinity" if item > 0 else "-Infinity")
        raise FormatError(f"{number} is not allowed (pass allow_nan=True to accept)", where)
    if isinstance(item, int) and not isinstance(item, bool) and item.bit_length() >= 1024:
        try:
            float(item)
        except OverflowError:  # JavaScript reads it as Infinity; validate refuses it in the network
            raise FormatError("integer is too large for a 64-bit float", where) from None
