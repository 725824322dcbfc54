"""Check that a parsed document is a Synaptic network synjson can load.

Two layers of checks, each a generator of :class:`FormatError` (as jsonschema's
``_keywords.py`` writes its keywords):

* **Structure**: ``schema/network.schema.json``, run by jsonschema when it can
  be imported, else by a hand-written mirror of the schema (Pyodide has no
  jsonschema). Both produce the same messages. For speed, jsonschema skips the
  neurons and connections the mirror proves valid: running it over the 200 000
  connections of a 784-256-10 perceptron takes 15 s, the mirror under a second.
* **Semantics**, what a schema cannot say: indices in range, hidden layers
  0, 1, 2... without a gap, one connection per pair of neurons, at least one
  input and one output, no NaN or Infinity, numbers a double can hold, and a
  ``synjson`` block this version can read.

A document that passes can be built without KeyError, IndexError or TypeError:
every field the loader reads exists (or is optional) and has its type; every
index is an ``int`` or a string of ASCII digits without leading zeros, and in
range. Any Python object whatsoever only ever produces FormatErrors.
"""

from __future__ import annotations

import functools
import heapq
import itertools
import json
import math
import re
from collections.abc import Callable, Iterator
from typing import Any, Literal, TypeGuard, overload

from ..errors import FormatError
from .squashes import OBJECT_METHODS as _OBJECT_METHODS
from .squashes import squash_warnings, warn_squashes

__all__ = ["FORMAT_VERSION", "ErrorList", "validate", "iter_errors", "squash_warnings"]

FORMAT_VERSION = 1
"""The newest ``synjson.format_version`` this version reads."""

DUPLICATES = ("refuse", "synaptic")
"""What ``validate``/``from_json`` do with a second connection between one pair of neurons."""

_MAX_INDEX = 4294967294  # JavaScript's largest array index: 2**32 - 2
_DIGITS = re.compile(r"0|[1-9][0-9]{0,9}")  # used with fullmatch: ASCII only, no "\n" before the end
_LONG_DIGITS = re.compile(r"[1-9][0-9]{10,}")
_INDEX_HELP = "(an integer >= 0, or a string of digits)"
_NUMBER_FIELDS = ("state", "old", "activation", "bias")
Path = tuple[str | int, ...]

# ---------------------------------------------------------------- describing values


def _num(value: int | float) -> str:
    """A number as JSON (or Python's json module) would write it, kept short."""
    if isinstance(value, float):
        if math.isnan(value):
            return "NaN"
        if math.isinf(value):
            return "Infinity" if value > 0 else "-Infinity"
        return repr(value)
    if value.bit_length() > 190:  # str() of a huge int is slow, and refused past 4300 digits
        return f"<a {value.bit_length()}-bit integer>"
    return str(int(value))


def _got(value: object) -> str:
    """What a value is, for "expected X, got Y"; echoed text is cut at 60 characters."""
    if isinstance(value, bool):
        return "a boolean"
    if value is None:
        return "null"
    if isinstance(value, str):
        text = json.dumps(value[:60], ensure_ascii=False)
        text = text if len(value) <= 60 else text[:-1] + '..."'
        return "the string " + text.encode("utf-8", "backslashreplace").decode("utf-8")
    if isinstance(value, (int, float)):
        return f"the number {_num(value)}"
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "an array"
    return f"a Python {type(value).__name__[:60]}"


def _is_int(value: object) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)


def _index(value: object) -> int | None:
    """The index a well-formed ``from``/``to``/``gater``/hidden ``layer`` names, else None."""
    if _is_int(value):
        return value if 0 <= value <= _MAX_INDEX else None
    if isinstance(value, str) and _DIGITS.fullmatch(value):
        return int(value)
    return None


def _describe_index(value: object, expected: str, what: str) -> str | None:
    if type(value) is int and 0 <= value <= _MAX_INDEX:
        return None  # the usual case, first: a file has an index per connection end
    too_large = f"is too large (JavaScript arrays stop at {_MAX_INDEX})"
    if _is_int(value) and not 0 <= value <= _MAX_INDEX:
        return f"{what} {_num(value)} {'is negative' if value < 0 else too_large}"
    if isinstance(value, str) and _LONG_DIGITS.fullmatch(value):
        return f"{what} {value if len(value) <= 60 else value[:60] + '...'} {too_large}"
    if _index(value) is None:
        return f"expected {expected} {_INDEX_HELP}, got {_got(value)}"
    return None


def _neuron_index(value: object) -> str | None:
    return _describe_index(value, "a neuron index", "neuron index")


def _gater(value: object) -> str | None:
    if value is None:
        return None
    return _describe_index(value, "null or a neuron index", "neuron index")


def _layer(value: object) -> str | None:
    if isinstance(value, str) and value in ("input", "output"):
        return None
    return _describe_index(value, '"input", "output" or a hidden layer index', "hidden layer index")


def _number(value: object) -> str | None:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return None  # NaN, Infinity and huge integers are semantic checks: they depend on allow_nan
    hint = " (JSON.stringify writes NaN and Infinity as null)" if value is None else ""
    return f"expected a number, got {_got(value)}{hint}"


def _squash(value: object) -> str | None:
    if value is None or (isinstance(value, str) and value not in _OBJECT_METHODS):
        return None
    if isinstance(value, str):
        return (
            f'"{value}" names a method of JavaScript objects, not a squash;'
            " Synaptic would call it as the activation function"
        )
    return f"expected a squash name (a string) or null, got {_got(value)}"


def _string(value: object) -> str | None:
    return None if isinstance(value, str) else f"expected a string, got {_got(value)}"


def _version(value: object) -> str | None:
    if not (_is_int(value) or (isinstance(value, float) and value.is_integer())):
        return f"expected an integer, got {_got(value)}"
    return None if value >= 1 else f"must be at least 1, got {_num(value)}"  # type: ignore[operator,arg-type]


def _free(value: object) -> str | None:
    return None if isinstance(value, dict) else f"expected an object, got {_got(value)}"


# ---------------------------------------------------------------- the schema, mirrored by hand

# kind -> (fields: key -> kind, required keys). The schema owns these rules: tests/unit/document/
# test_schema_mirror.py walks every rule of schema/network.schema.json and fails where this mirror
# gives another verdict or path; test_validate.py compares the two on data files and random documents.
_OBJECTS: dict[str, tuple[dict[str, str], tuple[str, ...]]] = {
    "document": ({"neurons": "neurons", "connections": "connections", "synjson": "synjson"},
                 ("neurons", "connections")),
    "neuron": ({"trace": "trace", "state": "number", "old": "number", "activation": "number",
                "bias": "number", "layer": "layer", "squash": "squash"}, ("layer", "bias")),
    "trace": ({"elegibility": "free", "extended": "free"}, ()),  # Synaptic's spelling
    "connection": ({"from": "index", "to": "index", "weight": "number", "gater": "gater"},
                   ("from", "to", "weight")),
    "synjson": ({"format_version": "version", "tool": "string", "inputs": "names", "outputs": "names",
                 "architecture": "architecture", "state": "free"}, ()),
    "architecture": ({"type": "string"}, ()),
}
_ARRAYS = {"neurons": "neuron", "connections": "connection", "names": "string"}
_LEAVES: dict[str, Callable[[object], str | None]] = {
    "number": _number, "index": _neuron_index, "gater": _gater, "layer": _layer, "squash": _squash,
    "string": _string, "version": _version, "free": _free,
}


def _walk(value: object, kind: str, path: Path) -> Iterator[FormatError]:
    """The schema's structural checks, by hand: used without jsonschema, and to skip valid items.

    Leaves are checked in their object's or array's loop (a generator per leaf was half the walk's time
    over 80 000 neurons); their paths are made only for an error."""
    if kind in _OBJECTS:
        if not isinstance(value, dict):
            yield FormatError(f"expected an object, got {_got(value)}", path)
            return
        fields, required = _OBJECTS[kind]
        for key in required:
            if key not in value:
                yield FormatError(f'missing required key "{key}"', path)
        for key, sub in fields.items():
            if key in value:
                leaf = _LEAVES.get(sub)
                if leaf is None:
                    yield from _walk(value[key], sub, (*path, key))
                elif message := leaf(value[key]):
                    yield FormatError(message, (*path, key))
    elif kind in _ARRAYS:
        if not isinstance(value, list):
            yield FormatError(f"expected an array, got {_got(value)}", path)
            return
        sub = _ARRAYS[kind]
        leaf = _LEAVES.get(sub)
        for i, item in enumerate(value):
            if leaf is None:
                yield from _walk(item, sub, (*path, i))
            elif message := leaf(item):
                yield FormatError(message, (*path, i))
    else:
        message = _LEAVES[kind](value)
        if message:
            yield FormatError(message, path)


def _kind_at(path: Path) -> str | None:
    """Which kind of value the schema expects at ``path``, or None outside the schema."""
    kind: str | None = "document"
    for part in path:
        fields = _OBJECTS[kind][0] if kind in _OBJECTS else None
        kind = fields.get(str(part)) if fields is not None else _ARRAYS.get(kind or "")
        if kind is None:
            return None
    return kind


# ---------------------------------------------------------------- the schema, run by jsonschema


@functools.cache  # the schema file never changes while running: build each validator once
def _validator(kind: str) -> Any:
    import importlib.resources

    from jsonschema import Draft202012Validator, validators

    text = (importlib.resources.files("synjson") / "data" / "network.schema.json").read_text("utf-8")
    schema = json.loads(text)
    if kind != "document":
        schema = {"$schema": schema["$schema"], "$defs": schema["$defs"], "$ref": f"#/$defs/{kind}"}
    # JSON numbers only: numbers.Number would also let complex and Decimal through.
    checker = Draft202012Validator.TYPE_CHECKER.redefine(
        "number", lambda _checker, value: isinstance(value, (int, float)) and not isinstance(value, bool)
    )
    return validators.extend(Draft202012Validator, type_checker=checker)(schema)


def _translate(error: Any, prefix: Path) -> Iterator[FormatError]:
    """jsonschema's error as a FormatError with the mirror's message (the same in both modes)."""
    path = (*prefix, *error.absolute_path)
    if error.validator == "required":
        for key in error.validator_value:
            if isinstance(error.instance, dict) and key not in error.instance:
                yield FormatError(f'missing required key "{key}"', path)
        return
    kind = _kind_at(path)
    found = list(_walk(error.instance, kind, path)) if kind else []
    rule = f"{error.validator} {str(error.validator_value)[:60]}"
    yield from found or [FormatError(f"does not match the schema ({rule})", path)]


def _schema_errors(doc: object, *, full: bool = False) -> Iterator[FormatError]:
    """Structural errors from jsonschema; ``full`` runs it over every item (for tests)."""
    if not isinstance(doc, dict):  # jsonschema would repr the whole document
        yield from _walk(doc, "document", ())
        return
    shell = dict(doc)
    lists = [(key, doc[key]) for key in ("neurons", "connections") if isinstance(doc.get(key), list)]
    for key, _ in lists:
        shell[key] = []
    for error in _validator("document").iter_errors(shell):
        yield from _translate(error, ())
    budget = _SCHEMA_ITEMS  # jsonschema costs ~150 us an item: past this many bad items the mirror answers
    for key, items in lists:
        kind = _ARRAYS[key]
        for i, item in enumerate(items):
            if full:
                for error in _validator(kind).iter_errors(item):
                    yield from _translate(error, (key, i))
                continue
            mirrored = list(_walk(item, kind, (key, i)))
            if mirrored and budget > 0:
                budget -= 1
                for error in _validator(kind).iter_errors(item):
                    yield from _translate(error, (key, i))
            else:
                yield from mirrored


#: Invalid neurons and connections that jsonschema itself checks; the rest get the mirror's
#: (identical) messages, so that a file of 80 000 broken connections validates in linear time.
_SCHEMA_ITEMS = 100


def _structure(doc: object, full: bool = False, cap: int | None = None) -> list[FormatError]:
    if not full and next(_walk(doc, "document", ()), None) is None:
        return []  # the mirror finds nothing: no need to import jsonschema (a cold `synjson activate`)
    try:
        import jsonschema  # noqa: F401  (absent in Pyodide: then the mirror alone decides)
    except ImportError:
        return list(itertools.islice(_walk(doc, "document", ()), cap))
    try:
        return list(itertools.islice(_schema_errors(doc, full=full), cap))
    except Exception:  # e.g. RecursionError echoing a deeply nested value: only FormatError may escape
        return list(itertools.islice(_walk(doc, "document", ()), cap))


# ---------------------------------------------------------------- semantic checks


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def _check_numbers(doc: dict[str, Any], allow_nan: bool) -> Iterator[FormatError]:
    """NaN and Infinity (Python's json reads and writes them), and integers no double can hold."""
    for key, fields in (("neurons", _NUMBER_FIELDS), ("connections", ("weight",))):
        items = doc.get(key)
        for i, item in enumerate(items if isinstance(items, list) else ()):
            for field in fields if isinstance(item, dict) else ():
                value = item.get(field)
                if _is_int(value):
                    try:
                        float(value)
                    except OverflowError:
                        yield FormatError("integer is too large for a 64-bit float", (key, i, field))
                elif isinstance(value, float) and not math.isfinite(value) and not allow_nan:
                    message = f"{_num(value)} is not allowed (pass allow_nan=True to accept)"
                    yield FormatError(message, (key, i, field))


def _check_layers(neurons: list[Any]) -> Iterator[FormatError]:
    """At least one input and one output; hidden layers numbered 0, 1, 2... without a gap.

    Layers may interleave in the file (Synaptic groups each neuron into its layer in file order).
    """
    first: dict[int, int] = {}  # hidden layer index -> first neuron in it
    seen = set()
    for i, neuron in enumerate(neurons):
        layer = neuron.get("layer") if isinstance(neuron, dict) else None
        if isinstance(layer, str) and layer in ("input", "output"):
            seen.add(layer)
        elif "layer" in (neuron if isinstance(neuron, dict) else ()):
            message = _layer(layer)  # also what jsonschema's pattern lets through: "1\n", 1.0
            if message:
                yield FormatError(message, ("neurons", i, "layer"))
            elif (index := _index(layer)) is not None:
                first.setdefault(index, i)
    for side in ("input", "output"):
        if side not in seen:
            message = f'no neuron has layer "{side}"; a network needs at least one {side}'
            yield FormatError(message, ("neurons",))
    for index in sorted(first):
        if index > 0 and index - 1 not in first:
            yield FormatError(
                f"hidden layer {index} appears but hidden layer {index - 1} does not;"
                " Synaptic would load a network that cannot activate",
                ("neurons", first[index], "layer"),
            )


def _check_connections(
    count: int | None, connections: list[Any], duplicates: str = "refuse"
) -> Iterator[FormatError]:
    """Indices name existing neurons, and no pair of neurons is connected twice (unless allowed)."""
    first: dict[tuple[int, int], int] = {}
    repeats: dict[tuple[int, int], int] = {}
    for i, connection in enumerate(connections):
        if not isinstance(connection, dict):
            continue
        ends = []
        for key, describe in (("from", _neuron_index), ("to", _neuron_index), ("gater", _gater)):
            if key not in connection or connection[key] is None:
                continue
            message = describe(connection[key])
            index = _index(connection[key])
            if message is None and count is not None and index is not None and index >= count:
                message = f"neuron {index} does not exist ({_plural(count, 'neuron')})"
            if message:
                yield FormatError(message, ("connections", i, key))
            elif key != "gater":
                ends.append(index)
        if len(ends) < 2:
            continue
        pair = (ends[0], ends[1])
        if duplicates == "synaptic" or pair not in first:
            first.setdefault(pair, i)
            continue
        repeats[pair] = repeats.get(pair, 1) + 1
        nth = "second" if repeats[pair] == 2 else "another"
        reverse = first.get((pair[1], pair[0]), i)
        why = (
            f"Synaptic's fromJSON would keep both, but only because a connection from neuron {pair[1]}"
            f" to neuron {pair[0]} comes earlier"
            if reverse < i and pair[0] != pair[1]
            else "Synaptic's fromJSON would silently overwrite the first"
        )
        yield FormatError(
            f"{nth} connection from neuron {pair[0]} to neuron {pair[1]}"
            f" (first at connections[{first[pair]}]); {why}; pass duplicates='synaptic' to load it as Synaptic does",
            ("connections", i),
        )


def _check_synjson(block: dict[str, Any], neurons: list[Any] | None) -> Iterator[FormatError]:
    """A format this version reads, and one name per input and output neuron."""
    version = block.get("format_version")
    if _version(version) is None and version > FORMAT_VERSION:
        yield FormatError(
            f"this file was written by a newer synjson (format {_num(int(version))});"
            f" this version reads format {FORMAT_VERSION}",
            ("synjson", "format_version"),
        )
    for key, side in (("inputs", "input"), ("outputs", "output")):
        names = block.get(key)
        if isinstance(names, list) and neurons is not None:
            # isinstance first: never call == on arbitrary objects (a numpy array's raises)
            count = sum(1 for n in neurons if isinstance(n, dict) and isinstance(n.get("layer"), str)
                        and n["layer"] == side)
            if len(names) != count:
                yield FormatError(
                    f"{_plural(len(names), 'name')} for {_plural(count, side + ' neuron')}", ("synjson", key)
                )


def _semantic(doc: object, allow_nan: bool, duplicates: str = "refuse") -> Iterator[FormatError]:
    if not isinstance(doc, dict):
        return
    neurons = doc.get("neurons") if isinstance(doc.get("neurons"), list) else None
    yield from _check_numbers(doc, allow_nan)
    if neurons is not None:
        yield from _check_layers(neurons)
    if isinstance(doc.get("connections"), list):
        yield from _check_connections(None if neurons is None else len(neurons), doc["connections"], duplicates)
    if isinstance(doc.get("synjson"), dict):
        yield from _check_synjson(doc["synjson"], neurons)


# ---------------------------------------------------------------- public API


def _sort_key(error: FormatError) -> tuple[Any, ...]:
    """Document order: array items by index, object keys in the order the schema lists them."""
    kind, parts = "document", []
    for part in error.path:
        if isinstance(part, int):
            parts.append((0, part, ""))
            kind = _ARRAYS.get(kind, "")
        else:
            fields = _OBJECTS.get(kind, ({}, ()))[0]
            parts.append((1, list(fields).index(part) if part in fields else len(fields), part))
            kind = fields.get(part, "")
    return tuple(parts), error.message


#: Errors gathered per kind of check when only the first one is wanted: enough to report the
#: first in document order in practice, and a bound on the time a hostile file can cost.
_FIRST_ERRORS_CAP = 100


class ErrorList(list[FormatError]):
    """The problems ``validate(all_errors=True)`` returns, in document order; ``total`` counts them all.

    With ``max_errors=N`` the list holds the first N and ``total`` how many there are in all.
    """

    total: int = 0


def _collect(
    obj: object, allow_nan: bool, full: bool = False, cap: int | None = None, duplicates: str = "refuse"
) -> ErrorList:
    if duplicates not in DUPLICATES:
        raise ValueError(f"duplicates must be one of {', '.join(map(repr, DUPLICATES))}, got {duplicates!r}")
    unique: dict[tuple[Path, str], FormatError] = {}
    structure = _structure(obj, full, cap)
    semantic = itertools.islice(_semantic(obj, allow_nan, duplicates), cap)
    for error in [*structure, *semantic]:
        unique.setdefault((error.path, error.message), error)  # a semantic check may repeat the schema
    errors = ErrorList(sorted(unique.values(), key=_sort_key))
    errors.total = len(errors)
    return errors


def _structure_stream(doc: object) -> Iterator[FormatError]:
    """``_structure`` one error at a time (duplicates possible if jsonschema fails half-way)."""
    if next(_walk(doc, "document", ()), None) is None:
        return  # valid by the mirror, as in _structure
    try:
        import jsonschema  # noqa: F401
    except ImportError:
        yield from _walk(doc, "document", ())
        return
    try:
        yield from _schema_errors(doc)
    except Exception:  # as in _structure: only FormatError may escape
        yield from _walk(doc, "document", ())


def _first(obj: object, allow_nan: bool, duplicates: str, keep: int) -> ErrorList:
    """The first ``keep`` problems in document order and the count of all, in memory for ``keep``.

    A 1 MB file of empty connection objects has a million problems: keeping them all took 1 GB.
    """
    if duplicates not in DUPLICATES:
        raise ValueError(f"duplicates must be one of {', '.join(map(repr, DUPLICATES))}, got {duplicates!r}")
    seen: set[int] = set()  # hashes of (path, message): a semantic check may repeat the schema
    found = itertools.chain(_structure_stream(obj), _semantic(obj, allow_nan, duplicates))

    def distinct() -> Iterator[FormatError]:
        for error in found:
            key = hash((error.path, error.message))
            if key not in seen:
                seen.add(key)
                yield error

    errors = ErrorList(heapq.nsmallest(keep, distinct(), key=_sort_key))
    errors.total = len(seen)
    return errors


def iter_errors(obj: object, *, allow_nan: bool = False, duplicates: str = "refuse") -> Iterator[FormatError]:
    """Yield every problem in ``obj`` (a parsed document) as a FormatError, in document order.

    Nothing is yielded for a valid document. ``allow_nan`` accepts NaN, Infinity and
    -Infinity in numeric fields, as Python's ``json.loads`` reads them. ``duplicates``
    is as for :func:`validate`.
    """
    yield from _collect(obj, allow_nan, duplicates=duplicates)


@overload
def validate(
    obj: object, *, all_errors: Literal[False] = False, allow_nan: bool = False, duplicates: str = "refuse",
    max_errors: int | None = None,
) -> None: ...
@overload
def validate(
    obj: object, *, all_errors: Literal[True], allow_nan: bool = False, duplicates: str = "refuse",
    max_errors: int | None = None,
) -> ErrorList: ...


def validate(
    obj: object, *, all_errors: bool = False, allow_nan: bool = False, duplicates: str = "refuse",
    max_errors: int | None = None,
) -> ErrorList | None:
    """Check that ``obj`` (a parsed document) is a Synaptic network synjson can load.

    By default, returns None when valid and raises the first problem in document order
    as a FormatError whose ``errors`` lists the problems found (at most a hundred of each
    kind, so that a hostile file cannot cost minutes). With ``all_errors=True`` it
    never raises: it returns the list of every problem, empty when valid.
    ``allow_nan`` accepts NaN, Infinity and -Infinity in numeric fields.
    ``duplicates="synaptic"`` accepts two connections between one pair of neurons, which
    Synaptic's ``toJSON`` writes when a network re-projected onto a neuron that projects back
    (Architect.Liquid does it); ``from_json`` then loads them as Synaptic's ``fromJSON`` does.
    ``max_errors=N`` (with ``all_errors``) keeps the first N problems in document order and
    counts the rest in ``.total``, in memory for N: a screenful for a file with a million.
    A squash name Synaptic does not know (it loads as LOGISTIC, Q-SQUASH) is a
    :class:`~synjson.errors.SynjsonWarning` (``warnings.warn``), not an error.
    """
    warn_squashes(obj)
    if all_errors:
        if max_errors is not None:
            return _first(obj, allow_nan, duplicates, max_errors)
        return _collect(obj, allow_nan, duplicates=duplicates)
    errors = _collect(obj, allow_nan, cap=_FIRST_ERRORS_CAP, duplicates=duplicates)
    if errors:
        raise FormatError(errors[0].message, errors[0].path, errors=errors)
    return None
