"""JSON text as JavaScript writes and reads it: ``JSON.stringify``'s numbers and strings, bounded parsing.

Knows documents, not networks: ``encode`` writes any JSON value exactly as
``JSON.stringify`` would, ``parse`` reads text into Python values with every
failure a FormatError and the size and nesting checked against ``Limits`` first.
"""

from __future__ import annotations

import json
import math
import re
import sys
from collections.abc import Iterable, Sequence
from typing import Any

from ..errors import FormatError, SynjsonError
from .limits import DEFAULT_LIMITS, Limits, check_depth, check_size

__all__ = ["js_number", "encode", "connections_text", "parse", "read_bounded"]


def js_number(value: float) -> str:
    """Format a number as JavaScript's ``JSON.stringify`` does (shortest round trip, JS exponent rules)."""
    if value == 0:
        return "0"  # JSON.stringify(-0) is "0"
    text = repr(float(value))
    if "e" not in text and "n" not in text:  # 1e-4 <= |x| < 1e16: Python and JavaScript agree but for ".0"
        return text[:-2] if text.endswith(".0") else text
    if not math.isfinite(value):
        raise ValueError(f"{value!r} has no JSON representation")
    # repr writes "-d.ddde-XX" (one digit before the point): read the digits and the exponent off it
    mantissa, _, exponent_text = text.partition("e")
    prefix = "-" if mantissa.startswith("-") else ""
    digits_text = mantissa.lstrip("-").replace(".", "").rstrip("0")
    k = len(digits_text)
    n = int(exponent_text) + 1  # value = 0.digits * 10**n
    if k <= n <= 21:
        return prefix + digits_text + "0" * (n - k)
    if 0 < n <= 21:
        return prefix + digits_text[:n] + "." + digits_text[n:]
    if -6 < n <= 0:
        return prefix + "0." + "0" * (-n) + digits_text
    mantissa = digits_text[0] + ("." + digits_text[1:] if k > 1 else "")
    return f"{prefix}{mantissa}e{'+' if n - 1 > 0 else '-'}{abs(n - 1)}"


_SURROGATE = re.compile("[\ud800-\udfff]")
_PLAIN = re.compile(r'[ !#-\[\]-~]*')  # printable ASCII but '"' and '\\': written as is


def _string(value: str) -> str:
    """A JSON string as ``JSON.stringify`` writes it: UTF-8 as is, lone surrogates escaped.

    Python's json module would write a lone surrogate raw, which no UTF-8 file can hold
    (``save`` failed on a loaded ``"\\ud800"``); JavaScript writes ``\\ud800``.
    """
    if _PLAIN.fullmatch(value):
        return '"' + value + '"'
    text = json.dumps(value, ensure_ascii=False)
    if _SURROGATE.search(text) is None:
        return text
    text = text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "surrogatepass")  # join pairs
    return _SURROGATE.sub(lambda match: f"\\u{ord(match.group()):04x}", text)


def _scalar(value: Any, allow_nan: bool) -> str:
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isfinite(value):
            return js_number(value)
        if not allow_nan:
            raise SynjsonError(f"cannot write {value!r}: JSON has no NaN or Infinity (pass allow_nan=True)")
        return "NaN" if math.isnan(value) else ("Infinity" if value > 0 else "-Infinity")
    if isinstance(value, str):
        return _string(value)
    raise SynjsonError(f"cannot write a {type(value).__name__} as JSON")


def _encode(value: Any, indent: str | None, level: int, allow_nan: bool, out: list[str]) -> None:
    """Append the JSON text of ``value`` to ``out``, one piece per leaf.

    Appending, not yielding: a generator per level passed every number up through each
    enclosing level, which made writing a checkpoint of a million traces take minutes.
    """
    if isinstance(value, dict):
        if not value:
            out.append("{}")
            return
        inner, outer, colon = _separators(indent, level)
        out.append("{")
        first = True
        last, last_text = None, ""  # a run of equal numbers (a checkpoint's traces) is formatted once
        for key, item in value.items():
            out.append((inner if first else "," + inner) + _string(str(key)) + colon)
            first = False
            if type(item) is float and item - item == 0:  # finite: the common leaf, written directly
                if item != last:  # 0.0 == -0.0, and both are written "0"
                    last, last_text = item, js_number(item)
                out.append(last_text)
            elif isinstance(item, (dict, list, tuple)):
                _encode(item, indent, level + 1, allow_nan, out)
            else:
                out.append(_scalar(item, allow_nan))
        out.append(outer + "}")
    elif isinstance(value, (list, tuple)):
        if not value:
            out.append("[]")
            return
        inner, outer, _ = _separators(indent, level)
        out.append("[")
        first = True
        last, last_text = None, ""
        for item in value:
            out.append(inner if first else "," + inner)
            first = False
            if type(item) is float and item - item == 0:
                if item != last:
                    last, last_text = item, js_number(item)
                out.append(last_text)
            elif isinstance(item, (dict, list, tuple)):
                _encode(item, indent, level + 1, allow_nan, out)
            else:
                out.append(_scalar(item, allow_nan))
        out.append(outer + "]")
    else:
        out.append(_scalar(value, allow_nan))


def _separators(indent: str | None, level: int) -> tuple[str, str, str]:
    if indent is None:
        return "", "", ":"
    return "\n" + indent * (level + 1), "\n" + indent * level, ": "


def encode(
    value: Any, *, indent: int | str | None = None, allow_nan: bool = False, connections_text: str | None = None
) -> str:
    """``value`` as JSON text; with no indent, byte for byte what ``JSON.stringify`` writes.

    A network document's ``connections`` (objects with exactly ``from``, ``to``, ``weight`` and
    ``gater``, as ``to_json`` makes them) take a fast path that writes the same bytes;
    ``connections_text`` is that array already written (by the native kernel).
    """
    if isinstance(indent, int):
        indent = " " * indent
    if indent is None and isinstance(value, dict) and isinstance(value.get("connections"), list):
        fast = connections_text if connections_text is not None else _connections(value["connections"])
        if fast is not None:
            parts = ["{"]
            for position, (key, item) in enumerate(value.items()):
                parts.append(("," if position else "") + _string(str(key)) + ":")
                if key == "connections":
                    parts.append(fast)
                    continue
                neurons = _neurons(item) if key == "neurons" and isinstance(item, list) else None
                if neurons is not None:
                    parts.append(neurons)
                else:
                    _encode(item, None, 1, allow_nan, parts)
            parts.append("}")
            return "".join(parts)  # one copy of the (large) connections text
    out: list[str] = []
    _encode(value, indent, 0, allow_nan, out)
    return "".join(out)


_CONNECTION_KEYS = ("from", "to", "weight", "gater")


_NEURON_KEYS = ("trace", "state", "old", "activation", "bias", "layer", "squash")
_EMPTY_TRACE = (("elegibility", {}), ("extended", {}))
_NEURON = ('{"trace":{"elegibility":{},"extended":{}},"state":%s,"old":%s,"activation":%s,"bias":%s,'
           '"layer":%s,"squash":%s}')


def _neurons(neurons: list[Any]) -> str | None:
    """The array of neuron objects as JSON.stringify writes it, or None when one is not plain.

    Plain: a dict with exactly the keys ``to_json`` writes, in its order, an empty trace, finite
    numbers, a str or int layer and a str or None squash. Anything else goes through the general encoder.
    """
    parts = []
    append = parts.append
    names: dict[Any, str] = {None: "null"}  # layers and squashes: a few values, each written once
    for neuron in neurons:
        if type(neuron) is not dict or tuple(neuron) != _NEURON_KEYS:
            return None
        trace, state, old, activation, bias, layer, squash = neuron.values()
        if type(trace) is not dict or tuple(trace.items()) != _EMPTY_TRACE:
            return None
        numbers = []
        for number in (state, old, activation, bias):
            if type(number) is float and number - number == 0:
                numbers.append("0" if number == 0 else js_number(number))
            elif type(number) is int:
                numbers.append(str(number))
            else:
                return None
        if (type(layer) is not str and type(layer) is not int) or (type(squash) is not str and squash is not None):
            return None
        layer_text = names.get(layer) if type(layer) is str else str(layer)
        if layer_text is None:
            layer_text = names[layer] = _string(layer)
        squash_text = names.get(squash)
        if squash_text is None:
            squash_text = names[squash] = _string(squash)
        append(_NEURON % (*numbers, layer_text, squash_text))
    return "[" + ",".join(parts) + "]"


def _weight(weight: float) -> str | None:
    """A finite weight as JSON.stringify writes it; None for NaN or infinity (the general encoder's case)."""
    text = repr(weight)
    if "e" in text or "n" in text:  # exponents, inf, nan: the careful path (or its error)
        return js_number(weight) if math.isfinite(weight) else None
    if text.endswith(".0"):
        text = text[:-2]
        if text == "-0":
            text = "0"
    return text


def _connections(connections: list[Any]) -> str | None:
    """The array of connection objects as JSON.stringify writes it, or None when one is not plain.

    Plain: a dict with exactly the keys from, to, weight, gater (in that order), ints (gater may be
    None) and a finite float weight. Anything else goes through the general encoder.
    """
    parts = []
    append = parts.append
    for connection in connections:
        if type(connection) is not dict or tuple(connection) != _CONNECTION_KEYS:
            return None
        source, target, weight, gater = connection.values()
        if type(source) is not int or type(target) is not int or type(weight) is not float:
            return None
        text = _weight(weight)
        if text is None:
            return None
        if gater is None:
            append('{"from":%d,"to":%d,"weight":%s,"gater":null}' % (source, target, text))
        elif type(gater) is int:
            append('{"from":%d,"to":%d,"weight":%s,"gater":%d}' % (source, target, text, gater))
        else:
            return None
    return "[" + ",".join(parts) + "]"


def connections_text(
    source: Sequence[int], target: Sequence[int], gater: Sequence[int], weight: Sequence[float], order: Iterable[int]
) -> str | None:
    """The connections array written from columns (``model.codec.connection_columns``: slot -> neuron
    index, gater -1 for none, the weights; ``order`` the slots in document order), as
    ``_kernel.dump_connections`` writes it, for when there is no kernel: no object per connection.
    None when a weight is NaN or infinite (the general encoder says so, or writes it with allow_nan)."""
    parts = []
    append = parts.append
    for slot in order:
        text = _weight(weight[slot])
        if text is None:
            return None
        g = gater[slot]
        if g < 0:
            append('{"from":%d,"to":%d,"weight":%s,"gater":null}' % (source[slot], target[slot], text))
        else:
            append('{"from":%d,"to":%d,"weight":%s,"gater":%d}' % (source[slot], target[slot], text, g))
    return "[" + ",".join(parts) + "]"


def parse(text: str | bytes | bytearray, *, limits: Limits | None = None) -> Any:
    """Parse JSON text, turning every failure into a FormatError.

    The length and the nesting depth are checked against ``limits`` before
    parsing, so hostile text can neither exhaust memory nor the C stack.
    """
    limits = DEFAULT_LIMITS if limits is None else limits
    if isinstance(text, (bytes, bytearray)):
        check_size(len(text), limits, "text is", "bytes")
        check_depth(bytes(text), limits)
        fast = _fast_parse(text) if len(text) >= FAST_FROM else _UNPARSED
        if fast is not _UNPARSED:
            return fast
        try:
            text = bytes(text).decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise FormatError(f"not UTF-8 text: invalid byte at offset {error.start}") from None
    elif isinstance(text, str):
        check_size(len(text), limits, "text has", "characters")
        check_depth(text, limits)
        fast = _fast_parse(text) if len(text) >= FAST_FROM else _UNPARSED
        if fast is not _UNPARSED:
            return fast
    else:
        raise FormatError(f"expected JSON text, got {type(text).__name__}")
    digits = sys.get_int_max_str_digits()
    bounded = 0 < digits <= _MAX_DIGITS
    try:
        if bounded:
            return json.loads(text)
        return json.loads(text, parse_int=_bounded_int)  # int() is quadratic in the digits
    except json.JSONDecodeError as error:
        raise FormatError(f"not JSON: {error.msg} (line {error.lineno}, column {error.colno})") from None
    except RecursionError:
        raise FormatError("not a network: JSON nested too deeply") from None
    except ValueError:  # an integer longer than int() accepts (sys.get_int_max_str_digits)
        raise FormatError(
            f"not a network: an integer has more than {digits if bounded else _MAX_DIGITS} digits"
        ) from None


_MAX_DIGITS = 4300  # Python's default sys.get_int_max_str_digits()

_UNPARSED = object()
#: Shorter text goes straight to json: it reads it in well under a millisecond, and importing orjson
#: (with the uuid, datetime and platform modules it loads) costs a cold ``synjson activate`` 5-15 ms.
FAST_FROM = 64 * 1024
# Every digit as "0" and every byte that can come before a number (":,[-" and white space) as ":",
# so that an integer of 19 digits or more, which orjson reads as a float past 64 bits and json as an
# int, is the substring ":0000000000000000000" (a fraction's digits follow a ".", not one of these).
_DIGIT_RUNS = bytes.maketrans(b"0123456789,[- \n\t\r", b"0000000000:::::::")
_LONG_INTEGER = b":" + b"0" * 19


def _fast_parse(text: str | bytes | bytearray) -> Any:
    """orjson's reading of ``text`` when it is certainly json's, else ``_UNPARSED`` (json then decides).

    orjson refuses everything json refuses (and more: NaN, Infinity, numbers past the doubles,
    lone surrogates, a byte-order mark); json then reads it or words the error. The one thing orjson
    reads differently is an integer past 64 bits (as a float): text with a run of 19 digits after
    one of ``:,[-`` or white space, or at the start, goes to json.
    """
    try:  # the optional extra "fast" (docs/engine.md, "Big models": twice as fast as json on a network file)
        import orjson as _orjson
    except ImportError:  # pragma: no cover - depends on the environment
        return _UNPARSED
    data = text.encode("utf-8", "surrogatepass") if isinstance(text, str) else bytes(text)
    if _LONG_INTEGER in b":" + data.translate(_DIGIT_RUNS):
        return _UNPARSED
    try:
        return _orjson.loads(text)
    except _orjson.JSONDecodeError:
        return _UNPARSED


def _bounded_int(text: str) -> int:
    if len(text.lstrip("-")) > _MAX_DIGITS:
        raise ValueError("too many digits")
    return int(text)


def read_bounded(fp: Any, limits: Limits, expected: int = 0) -> str | bytes:
    """All of ``fp``, read in chunks, refusing more than ``limits.max_bytes`` (characters in text mode).

    ``expected``, the file's size when known, is read in one piece: a big model's text is then
    held once, not also as the chunks it is joined from.
    """
    chunks = []
    size = 0
    if 0 < expected <= limits.max_bytes:
        first = fp.read(expected)
        if not first:
            return first
        size = len(first)
        more = fp.read(1 << 20)
        if not more:
            return first
        chunks = [first]
        size += len(more)
        check_size(size, limits, "file has at least", "bytes" if isinstance(more, bytes) else "characters")
        chunks.append(more)
    while chunk := fp.read(1 << 20):
        size += len(chunk)
        check_size(size, limits, "file has at least", "bytes" if isinstance(chunk, bytes) else "characters")
        chunks.append(chunk)
    return chunks[0][:0].join(chunks) if chunks else b""
