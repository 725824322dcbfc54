"""The connections of a network document as columns, checked in bulk.

A Synaptic file of real size is mostly connections: a 784-256-10 perceptron has
203 264 objects ``{"from": i, "to": j, "weight": w, "gater": null}``. Checking them
one by one (``synjson.document.validate``) costs more than parsing them. Here the
common case is checked a column at a time: every connection a plain object, every
index an ``int`` (or, the 1.0.x dialect, a string of digits) naming a neuron, every
gater null or such an index, every weight a number a double holds (finite unless
``allow_nan``), and, unless ``duplicates="synaptic"``, no pair of neurons twice.

:func:`connection_table` answers with the columns when all of that holds, and None
otherwise: then the document goes through the full validation, which names the
place and the problem. So a document gets exactly the same verdict and messages
either way; this path only makes the valid ones cheap. ``scan``, when given, is
the native kernel's ``connection_table`` (the same rules in C, one pass); the pure
path below is the specification, and the tests hold the two to the same answers.
"""

from __future__ import annotations

import itertools
import math
import operator
import re
from array import array
from collections.abc import Callable
from itertools import repeat
from typing import Any

__all__ = ["Table", "connection_table", "checked_table"]

_DIGITS = re.compile(r"0|[1-9][0-9]{0,9}")  # as validate's: an index written as a string (1.0.x)
_MAX_INDEX = 4294967294  # JavaScript's largest array index (validate's)


class Table:
    """A document's connections as columns, in document order (``gater`` -1: none).

    ``gated``: how many have a gater; ``unique``: no pair of neurons is connected twice.
    (A plain class: a dataclass would cost every cold ``synjson activate`` its code generation.)
    """

    __slots__ = ("gated", "gater", "source", "target", "unique", "weight")

    def __init__(self, source: array, target: array, gater: array, weight: array, gated: int, unique: bool) -> None:
        self.source, self.target, self.gater, self.weight = source, target, gater, weight  # "i", "i", "i", "d"
        self.gated, self.unique = gated, unique

    def __len__(self) -> int:
        return len(self.weight)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Table) and all(getattr(self, k) == getattr(other, k) for k in self.__slots__)

    __hash__ = None  # type: ignore[assignment]


def _indices(values: list[Any], count: int, nullable: bool) -> array | None:
    """The column as int32 indices below ``count`` (-1 for null), or None when one is not."""
    kinds = set(map(type, values))
    nulls = nullable and type(None) in kinds
    if nulls:
        kinds.discard(type(None))
    if kinds <= {int}:
        numbers = values
    elif kinds == {str} or kinds == {str, int}:
        if not all(value is None or type(value) is int or _DIGITS.fullmatch(value) for value in values):
            return None
        numbers = [value if type(value) is not str else int(value) for value in values]
    else:
        return None
    present = [value for value in numbers if value is not None] if nulls else numbers
    if present and (min(present) < 0 or max(present) >= min(count, _MAX_INDEX + 1, 2**31)):
        return None
    return array("i", [-1 if value is None else value for value in numbers] if nulls else numbers)


def _weights(values: list[Any], allow_nan: bool) -> array | None:
    """The weights as doubles, or None when one is not a number a double holds (or not finite)."""
    if not set(map(type, values)) <= {float, int}:
        return None
    try:
        column = array("d", values)  # OverflowError: an integer past the doubles
        if not allow_nan and not math.isfinite(math.fsum(column)):
            return None  # NaN or an infinity somewhere (fsum keeps them; finite values cannot reach one)
    except (OverflowError, ValueError):  # past the doubles; or fsum met inf and -inf: the slow path decides
        return None
    return column


def _python_table(connections: list[Any], count: int, allow_nan: bool, refuse: bool) -> Table | None:
    if not all(type(item) is dict for item in connections):
        return None
    try:
        sources = list(map(operator.itemgetter("from"), connections))
        targets = list(map(operator.itemgetter("to"), connections))
        weights = list(map(operator.itemgetter("weight"), connections))
    except KeyError:
        return None
    gaters = list(map(dict.get, connections, repeat("gater")))
    source = _indices(sources, count, False)
    target = _indices(targets, count, False)
    gater = _indices(gaters, count, True)
    weight = _weights(weights, allow_nan)
    if source is None or target is None or gater is None or weight is None:
        return None
    return _finish(source, target, gater, weight, count, refuse)


def _finish(source: array, target: array, gater: array, weight: array, count: int, refuse: bool,
            unique: bool | None = None) -> Table | None:
    if unique is None:
        unique = _unique(source, target, count)
    if refuse and not unique:
        return None
    gated = len(gater) - gater.count(-1)
    return Table(source, target, gater, weight, gated, unique)


def _unique(source: array, target: array, count: int) -> bool:
    """No pair (source, target) twice. Pairs in increasing order (a layered file's) are unique
    without a set of them (which costs about 70 bytes a connection)."""
    pairs = array("q", map(operator.add, map(operator.mul, source, repeat(count)), target))
    if all(map(operator.lt, pairs, itertools.islice(pairs, 1, None))):
        return True
    return len(set(pairs)) == len(pairs)


def _column(code: str, data: bytes | array) -> array:
    if isinstance(data, array) and data.typecode == code:
        return data
    column = array(code)
    column.frombytes(data)
    return column


def checked_table(columns: tuple[bytes | array, bytes | array, bytes | array, bytes | array], count: int, *,
                  duplicates: str = "refuse", unique: bool | None = None) -> Table | None:
    """A :class:`Table` of columns read straight from the text (int32 indices, -1 gater: none; finite
    doubles; as bytes, or arrays taken as they are), when every index names one of ``count`` neurons
    and, unless ``duplicates="synaptic"``, no pair repeats (``unique``, when the reader knows); else
    None: the caller parses the text as usual and validates it."""
    source, target, gater, weight = (_column(code, data) for code, data in zip("iiid", columns))
    for column, low in ((source, 0), (target, 0), (gater, -1)):
        if column and (min(column) < low or max(column) >= min(count, _MAX_INDEX + 1)):
            return None
    return _finish(source, target, gater, weight, count, duplicates != "synaptic", unique)


def connection_table(
    connections: Any,
    count: int,
    *,
    allow_nan: bool = False,
    duplicates: str = "refuse",
    scan: Callable[..., Any] | None = None,
) -> Table | None:
    """The connections as a :class:`Table` when every one is valid for ``count`` neurons, else None.

    None means "run the full validation": it finds the problem (or, for a pair connected
    twice with ``duplicates="synaptic"``, accepts it) and says where. ``scan`` is the native
    kernel's ``connection_table(list, count, allow_nan, refuse)``, same answers.
    """
    if type(connections) is not list:
        return None
    refuse = duplicates != "synaptic"
    if scan is not None:
        found = scan(connections, count, allow_nan, refuse)
        if found is None:
            return None
        *columns, gated, unique = found
        source, target, gater, weight = (array(code) for code in "iiid")
        for column, data in zip((source, target, gater, weight), columns):
            column.frombytes(data)
        return Table(source, target, gater, weight, gated, unique)
    return _python_table(connections, count, allow_nan, refuse)
