"""A network file's connections array read from its text into columns, in pure Python.

The native kernel's ``scan_connections`` reads the array in C. Without it (Pyodide, or
``SYNJSON_PURE=1``), parsing the array gives one dict per connection: ten times the file's size
in memory for a 784-256-10 perceptron. Here the array is read a chunk at a time, with no object
per connection that outlives its chunk, and only in the one layout Synaptic's
``JSON.stringify`` and synjson write::

    [{"from":0,"to":784,"weight":-0.0123,"gater":null},{"from":0,"to":785,"weight":0.5,"gater":3}]

No white space; keys in that order, all four; indices as plain digits (at most 9), or such digits
in quotes as Synaptic 1.0.x wrote them; ``gater`` null or an index; weights as JSON numbers short
enough to be finite (at most 20 integer digits, 40 fraction digits and a two-digit exponent). One
``fullmatch`` checks that the whole array is made of such objects and nothing else; then each
chunk loses its keys and braces (a ``translate``), which leaves a flat JSON array
``[from, to, weight, gater, ...]`` that :func:`synjson.document.text.parse` reads: the numbers are
read by the parser the usual path uses, and so exactly as it reads them.
Anything else answers None and the caller parses the text as usual, which gives the same network
or words the error: this module decides nothing about validity. The indices are checked against
the neurons by :func:`synjson.document.wiring.checked_table`, as the kernel's columns are.
"""

from __future__ import annotations

import functools
import re
from array import array

from ..errors import FormatError
from .text import parse

__all__ = ["scan_connections"]

_DIGITS = rb"(?:0|[1-9][0-9]{0,8})"  # below 10**9 < 2**31: fits the int32 columns; larger ones go the usual way
_INDEX = rb'(?:%s|"%s")' % (_DIGITS, _DIGITS)  # 1.0.x wrote "3" where 1.1.x writes 3: the translate drops quotes
_NUMBER = rb"-?(?:0|[1-9][0-9]{0,19})(?:\.[0-9]{1,40})?(?:[eE][-+]?[0-9]{1,2})?"  # |x| < 1e120: finite
_CONNECTION = rb'\{"from":%s,"to":%s,"weight":%s,"gater":(?:null|%s)\}' % (_INDEX, _INDEX, _NUMBER, _INDEX)
_ARRAY = rb"\[(?:%s(?:,%s)*+)?\]" % (_CONNECTION, _CONNECTION)  # possessive: no backtracking state
# Deleting the keys' letters but "e", the braces, quotes and colons turns an object into
# `from,to,eweight,egater` ("e" stays: numbers have exponents); ",e" -> "," finishes it.
_KEY_BYTES = bytes(sorted(set(b'{}":fromtoweightgater') - set(b"e")))
_CHUNK = 1 << 18  # bytes of text per parse: each chunk's list of numbers lives alone, about 1 MB


@functools.cache
def _array() -> re.Pattern[bytes]:
    """The pattern, compiled on first use: compiling it at import cost every cold start 1.5-3 ms."""
    return re.compile(_ARRAY)


def scan_connections(data: bytes, start: int) -> tuple[int, array, array, array, array, None] | None:
    """``(end, source, target, gater, weight, None)`` for the array at ``data[start]``, or None.

    The same answer as the kernel's ``scan_connections`` (whose last item says whether a pair
    repeats: None here, the wiring check counts), for the one layout described above: int32
    columns (gater -1: null) and doubles; ``end`` is the offset just past the array.
    """
    end = data.find(b"]", start) + 1  # a plain array holds no "]" before its own
    if end <= start or data[start : start + 1] != b"[" or _array().fullmatch(data, start, end) is None:
        return None
    source, target, gater, weight = array("i"), array("i"), array("i"), array("d")
    at, last = start + 1, end - 1  # the objects lie between the brackets
    while at < last:
        stop = data.find(b"},{", at + _CHUNK, last)  # chunks end between two objects
        stop = last if stop < 0 else stop + 1
        flat = data[at:stop].translate(None, _KEY_BYTES).replace(b",e", b",")
        try:
            numbers = parse(b"[" + flat + b"]")
        except FormatError:  # pragma: no cover - the fullmatch above leaves nothing it refuses
            return None
        del flat
        source.extend(numbers[0::4])
        target.extend(numbers[1::4])
        weight.extend(numbers[2::4])  # an integer weight as float(int), as the wiring check takes it
        gaters = numbers[3::4]
        nulls = gaters.count(None)
        if nulls == len(gaters):
            gater.extend(array("i", [-1]) * nulls)
        else:
            gater.extend([-1 if index is None else index for index in gaters])
        at = stop + 1
    return end, source, target, gater, weight, None
