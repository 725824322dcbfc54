"""Synaptic's JSON format: network <-> dict <-> text, like the json module's verbs.

``to_json`` returns exactly the structure Synaptic 1.1.4's ``Network.toJSON()``
returns, and ``dumps`` writes exactly the text ``JSON.stringify`` writes for it
(numbers formatted as JavaScript formats them). ``from_json`` reads both
dialects (1.0.x wrote indices as strings) after ``synjson.validate`` has
accepted the document. Synaptic's spelling ``elegibility`` lives only here.
"""

from __future__ import annotations

import contextlib
import gc
import json
import math
import os
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from .atomic import atomic_write
from .errors import FormatError, SynjsonError
from .layer import Layer
from .limits import (
    DEFAULT_LIMITS,
    Limits,
    check_budget,
    check_counts,
    check_depth,
    check_kept,
    check_size,
    check_traces,
    count_derived,
)
from .network import Network
from .neuron import Connection, Neuron
from .squash import by_name
from .validate import FORMAT_VERSION

__all__ = ["FORMAT_VERSION", "to_json", "from_json", "dumps", "loads", "dump", "load", "save", "read", "js_number"]


_NETWORK_KEYS = ("neurons", "connections")


# -- network -> dict -------------------------------------------------------------


def to_json(net: Network, *, state: bool = False) -> dict[str, Any]:
    """The structure Synaptic's ``toJSON`` returns, then kept extra keys, then the ``synjson`` block.

    ``state=True`` also writes the run state Synaptic drops (traces, gains, errors) into
    ``synjson.state``, a lossless checkpoint Synaptic still loads (see synjson.checkpoint).
    """
    listed = net.neurons()
    index = {neuron.id: position for position, (neuron, _) in enumerate(listed)}

    def position(neuron: Neuron, what: str) -> int:
        try:
            return index[neuron.id]
        except KeyError:
            raise SynjsonError(f"a connection's {what} is a neuron outside this network") from None

    neurons = [
        {
            "trace": {"elegibility": {}, "extended": {}},
            "state": neuron.state,
            "old": neuron.old,
            "activation": neuron.activation,
            "bias": neuron.bias,
            "layer": layer,
            "squash": neuron.squash.name,
        }
        for neuron, layer in listed
    ]
    connections = []
    for here, (neuron, _) in enumerate(listed):
        for connection in neuron.projected:
            connections.append(
                {
                    "from": here,
                    "to": position(connection.to_neuron, "target"),
                    "weight": connection.weight,
                    "gater": None if connection.gater is None else position(connection.gater, "gater"),
                }
            )
        if neuron.selfconnected():
            gater = neuron.selfconnection.gater
            connections.append(
                {
                    "from": here,
                    "to": here,
                    "weight": neuron.selfconnection.weight,
                    "gater": None if gater is None else position(gater, "gater"),
                }
            )
    document: dict[str, Any] = {"neurons": neurons, "connections": connections}
    document.update(net.extra)
    if net.metadata:
        document["synjson"] = dict(net.metadata)
    if state:
        from .checkpoint import capture

        document["synjson"] = {"format_version": FORMAT_VERSION, **document.get("synjson", {}), "state": capture(net)}
    return document


# -- dict -> network -------------------------------------------------------------


def _index(value: int | str) -> int:
    return int(value)  # 1.0.x wrote "3" where 1.1.x writes 3


def _connect(source: Neuron, target: Neuron, weight: float) -> Connection:
    """``source.project(target, weight)`` for a pair of neurons ``validate`` proved unconnected.

    ``Neuron.project`` first searches both neurons' connections for an existing
    one, which makes loading quadratic in a neuron's fan-in and fan-out: a 5 MB
    file with one neuron projecting to 100 000 took minutes.
    """
    if source is target:
        return source.project(source)  # the self-connection: weight 1 (Q-SELF1)
    return source.attach(target, weight)


def from_json(
    obj: Any,
    *,
    allow_nan: bool = False,
    cls: type[Network] = Network,
    limits: Limits | None = None,
    duplicates: str = "refuse",
    size: int | None = None,
) -> Network:
    """Build a network from a ``toJSON`` structure, as Synaptic's ``fromJSON`` does.

    The document is validated first; anything wrong raises :class:`FormatError`
    naming the place. Self-connections load with weight 1 whatever the file
    says, because Synaptic's ``project`` forces it (Q-SELF1). ``limits`` caps the
    neurons, connections, extended traces and nesting (:class:`synjson.Limits`);
    exceeding one raises :class:`LimitError`. A second connection between one pair of
    neurons is refused (Q-DUP) unless ``duplicates="synaptic"``: then every connection
    goes through ``Neuron.project`` and ``Neuron.gate`` exactly as Synaptic's ``fromJSON``
    does (the later weight replaces the earlier one, unless the reverse connection came first).

    ``size``, the length in bytes of the text ``obj`` was read from, sets the budget of
    ``limits.max_memory`` and ``limits.max_seconds`` (docs/security.md); without it, the
    budget is that of the shortest JSON text that holds as many neurons and connections.
    """
    with _no_gc():
        return _build(obj, allow_nan, cls, DEFAULT_LIMITS if limits is None else limits, duplicates, size)


def _build(
    obj: Any, allow_nan: bool, cls: type[Network], limits: Limits, duplicates: str, size: int | None
) -> Network:
    from .validate import validate

    check_counts(obj, limits)  # before validating items one by one
    validate(obj, allow_nan=allow_nan, duplicates=duplicates)
    wiring = [
        (_index(c["from"]), _index(c["to"]), None if c.get("gater") is None else _index(c["gater"]))
        for c in obj["connections"]
    ]
    counts = count_derived(len(obj["neurons"]), wiring, synaptic=duplicates == "synaptic")
    check_traces(counts, limits)
    check_budget(counts, limits, size)  # memory and time, from the counts, before building anything
    for key, value in obj.items():
        if key not in _NETWORK_KEYS:  # kept for the round trip: dumps must be able to write it back
            check_kept(value, (key,), limits, allow_nan)
    neurons: list[Neuron] = []
    input_layer, output_layer = Layer(0), Layer(0)
    hidden: dict[int, Layer] = {}
    for config in obj["neurons"]:
        neuron = Neuron(bias=float(config["bias"]), squash=by_name(config.get("squash")))
        neuron.state = float(config.get("state", 0.0))
        neuron.old = float(config.get("old", 0.0))
        neuron.activation = float(config.get("activation", 0.0))
        neurons.append(neuron)
        layer = config["layer"]
        if layer == "input":
            input_layer.neurons.append(neuron)
        elif layer == "output":
            output_layer.neurons.append(neuron)
        else:
            index = _index(layer)
            if index not in hidden:  # not setdefault: a Layer seeds a Random from the OS (40 us each)
                hidden[index] = Layer(0)
            hidden[index].neurons.append(neuron)
    synaptic = duplicates == "synaptic"
    for (source, target, gater), config in zip(wiring, obj["connections"]):
        weight = float(config["weight"])
        if synaptic:  # Synaptic's own path: finds an existing connection to re-weight
            connection = neurons[source].project(neurons[target], weight)
        else:  # validate proved every pair unique: skip project's search
            connection = _connect(neurons[source], neurons[target], weight)
        if gater is not None:
            neurons[gater].gate(connection, order=False)
    for neuron in {gater: neurons[gater] for _, _, gater in wiring if gater is not None}.values():
        neuron.order_neighbours()  # once, instead of on every out-of-order gate
    net = cls(input=input_layer, hidden=[hidden[i] for i in sorted(hidden)], output=output_layer)
    net.extra = {key: value for key, value in obj.items() if key not in _NETWORK_KEYS and key != "synjson"}
    metadata = obj.get("synjson")
    net.metadata = dict(metadata) if isinstance(metadata, dict) else {}
    if net.metadata:
        from .checkpoint import architecture_class, restore

        if "state" in net.metadata:  # a checkpoint: traces, gains, errors (synjson.checkpoint)
            restore(net, net.metadata.pop("state"), allow_nan=allow_nan)
        if cls is Network:  # give back the architect's class (LSTM, Hopfield...) it was saved from
            net.__class__ = architecture_class(net.metadata) or Network
    return net


# -- text ----------------------------------------------------------------------


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
        for key, item in value.items():
            out.append((inner if first else "," + inner) + _string(str(key)) + colon)
            first = False
            if type(item) is float and item - item == 0:  # finite: the common leaf, written directly
                out.append(js_number(item))
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
        for item in value:
            out.append(inner if first else "," + inner)
            first = False
            if type(item) is float and item - item == 0:
                out.append(js_number(item))
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


def dumps(net: Network, *, indent: int | str | None = None, allow_nan: bool = False, state: bool = False) -> str:
    """The network as JSON text; with no indent, byte for byte what ``JSON.stringify(net.toJSON())`` writes.

    ``state=True`` writes a lossless checkpoint (see :func:`to_json`).
    """
    if isinstance(indent, int):
        indent = " " * indent
    with _no_gc():
        document = to_json(net, state=state)
        out: list[str] = []
        if indent is None:  # the common case, one template per neuron and connection
            _encode_compact(document, allow_nan, out)
        else:
            _encode(document, indent, 0, allow_nan, out)
        return "".join(out)


def _encode_compact(document: dict[str, Any], allow_nan: bool, out: list[str]) -> None:
    """``_encode`` without indent, with the neurons and connections ``to_json`` made written by template."""
    neurons, connections = document["neurons"], document["connections"]

    def number(value: float) -> str:
        return js_number(value) if math.isfinite(value) else _scalar(value, allow_nan)

    out.append('{"neurons":[')
    out.append(",".join(
        '{"trace":{"elegibility":{},"extended":{}},"state":%s,"old":%s,"activation":%s,"bias":%s,'
        '"layer":%s,"squash":%s}' % (
            number(n["state"]), number(n["old"]), number(n["activation"]), number(n["bias"]),
            _scalar(n["layer"], allow_nan), _scalar(n["squash"], allow_nan),
        )
        for n in neurons
    ))
    out.append('],"connections":[')
    out.append(",".join(
        '{"from":%d,"to":%d,"weight":%s,"gater":%s}'
        % (c["from"], c["to"], number(c["weight"]), "null" if c["gater"] is None else str(c["gater"]))
        for c in connections
    ))
    out.append("]")
    for key, value in document.items():
        if key not in _NETWORK_KEYS:
            out.append("," + _string(str(key)) + ":")
            _encode(value, None, 1, allow_nan, out)
    out.append("}")


@contextlib.contextmanager
def _no_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector while building or writing many small objects.

    Loading or writing a network creates millions of objects and frees none of them in
    cycles; each collection would walk all that survive, which took over half the time
    of loading 200 000 neurons. Reference counting still frees everything as usual.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def loads(
    text: str | bytes | bytearray,
    *,
    allow_nan: bool = False,
    select: str | None = None,
    limits: Limits | None = None,
    duplicates: str = "refuse",
) -> Network:
    """Parse JSON text into a network; FormatError when it is not JSON or not a valid network.

    ``limits`` (:class:`synjson.Limits`) caps the text's size and nesting and the
    network's size; exceeding one raises :class:`LimitError`.

    ``select`` names the network inside a larger document (``"models.2.net"``, see synjson.select).
    """
    from .select import pick

    limits = DEFAULT_LIMITS if limits is None else limits
    with _no_gc():  # the budget scales with the text's size in bytes
        document = pick(parse(text, limits=limits), select)
        size = len(text) if not isinstance(text, str) or text.isascii() else len(text.encode("utf-8", "surrogatepass"))
        return _build(document, allow_nan, Network, limits, duplicates, size)


def parse(text: str | bytes | bytearray, *, limits: Limits | None = None) -> Any:
    """Parse JSON text, turning every failure into a FormatError.

    The length and the nesting depth are checked against ``limits`` before
    parsing, so hostile text can neither exhaust memory nor the C stack.
    """
    limits = DEFAULT_LIMITS if limits is None else limits
    if isinstance(text, (bytes, bytearray)):
        check_size(len(text), limits, "text is", "bytes")
        check_depth(bytes(text), limits)
        try:
            text = bytes(text).decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise FormatError(f"not UTF-8 text: invalid byte at offset {error.start}") from None
    elif isinstance(text, str):
        check_size(len(text), limits, "text has", "characters")
        check_depth(text, limits)
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


def _bounded_int(text: str) -> int:
    if len(text.lstrip("-")) > _MAX_DIGITS:
        raise ValueError("too many digits")
    return int(text)


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
) -> Network:
    """Read a network from a file object (text or binary), reading no more than the limit."""
    limits = DEFAULT_LIMITS if limits is None else limits
    text = _read_bounded(fp, limits)
    return loads(text, allow_nan=allow_nan, select=select, limits=limits, duplicates=duplicates)


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
) -> Network:
    """Load a network from a JSON file; a file over ``limits.max_bytes`` is refused before reading."""
    limits = DEFAULT_LIMITS if limits is None else limits
    check_size(os.stat(path).st_size, limits, "file is", "bytes")
    with open(path, "rb") as handle:  # load() bounds the read again: a pipe or device has no size
        return load(handle, allow_nan=allow_nan, select=select, limits=limits, duplicates=duplicates)


def _read_bounded(fp: Any, limits: Limits) -> str | bytes:
    """All of ``fp``, read in chunks, refusing more than ``limits.max_bytes`` (characters in text mode)."""
    chunks = []
    size = 0
    while chunk := fp.read(1 << 20):
        size += len(chunk)
        check_size(size, limits, "file has at least", "bytes" if isinstance(chunk, bytes) else "characters")
        chunks.append(chunk)
    return chunks[0][:0].join(chunks) if chunks else b""
