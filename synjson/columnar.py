"""Big models, column by column: Synaptic JSON <-> :class:`~synjson.plan.Plan`, no object per connection.

``json.loads`` makes a dict, an int or two and a float for every connection:
about 300 bytes each, so a 1 000 000-connection file (65 MB of text) needs
over 300 MB and seconds. Here the ``connections`` array is read as columns:

1. one regular-expression pass rewrites every connection object written the
   way Synaptic writes it (``{"from":i,"to":j,"weight":w,"gater":g}``, either
   dialect, any JSON whitespace) into ``<i|j|w|g>``;
2. cheap counts prove the array held nothing else, and the rest of the document
   (the neurons, kept extra keys, the ``synjson`` block) is parsed by ``json``
   and checked by :func:`synjson.validate` with a placeholder for the array;
3. ``numpy.fromstring`` reads the numbers, and vectorised checks do what
   ``validate`` does per connection (indices in range, no pair twice, finite weights).

Anything the fast path does not cover (gated connections, a ``synjson.state``
checkpoint, keys in another order, an invalid document) takes the ordinary
path, ``synjson.loads`` and ``compile_network``, with the same result and the
same error messages. numpy is imported when a function here runs; orjson, if
installed, parses the small remainder.
"""

from __future__ import annotations

import json
import os
import re
from array import array
from pathlib import Path
from typing import Any

from .atomic import atomic_write
from .errors import LimitError
from .limits import DEFAULT_LIMITS, Limits, check_size
from .plan import DENSE, DIAGONAL, SELF, SPARSE, SQUASH_NAMES, Block, Plan, compile_network

__all__ = ["loads_plan", "load_plan", "dumps_plan", "dump_plan", "to_network"]

_WS = rb"[ \t\n\r]*"
_INDEX = rb"(?:0|[1-9][0-9]*)"
_NUMBER = rb"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?"
# Exactly as JSON.stringify writes a connection (1.1.x dialect): the common case, matched fastest.
_COMPACT = re.compile(
    rb'\{"from":' + _INDEX + rb',"to":' + _INDEX + rb',"weight":' + _NUMBER
    + rb',"gater":(?:null|' + _INDEX + rb")\}"
)


def _key(name: bytes) -> bytes:
    return _WS + b'"' + name + b'"' + _WS + b":" + _WS


# Any JSON whitespace, and the 1.0.x dialect's indices in quotes.
_SPACED = re.compile(
    rb"\{"
    + _key(b"from") + rb'("?)' + _INDEX + rb"\1" + _WS + b","
    + _key(b"to") + rb'("?)' + _INDEX + rb"\2" + _WS + b","
    + _key(b"weight") + _NUMBER + _WS + b","
    + _key(b"gater") + rb'(?:null|("?)' + _INDEX + rb"\3)" + _WS
    + rb"\}"
)
_PLACEHOLDER = "\x00synjson columnar connections\x00"
_PLACEHOLDER_JSON = b'"\\u0000synjson columnar connections\\u0000"'
_SEPARATORS = bytes.maketrans(b"{},:", b"    ")


class _Slow(Exception):
    """The fast path does not apply: use the ordinary loader."""


# -- loading ---------------------------------------------------------------------------


def load_plan(path: str | os.PathLike[str], *, limits: Limits | None = None) -> Plan:
    """Read a Synaptic JSON file into a plan (see :func:`loads_plan`)."""
    limits = DEFAULT_LIMITS if limits is None else limits
    check_size(os.stat(path).st_size, limits, "file is", "bytes")
    return _load([Path(path).read_bytes()], limits)


def loads_plan(text: str | bytes | bytearray, *, limits: Limits | None = None) -> Plan:
    """Parse Synaptic JSON text into a plan, validated as ``synjson.loads`` validates it.

    FormatError (or LimitError) on a document ``synjson.loads`` refuses, with the same message.
    """
    limits = DEFAULT_LIMITS if limits is None else limits
    return _load([text.encode("utf-8") if isinstance(text, str) else bytes(text)], limits)


def _load(box: list[bytes], limits: Limits) -> Plan:
    """Load the text in ``box``, taking it out so that it can be freed early."""
    check_size(len(box[0]), limits, "text is", "bytes")
    try:
        return _fast(box, limits)
    except _Slow:
        from .format import loads

        return compile_network(loads(box.pop(), limits=limits))[0]


def _parse(data: bytes) -> Any:
    try:
        import orjson
    except ImportError:
        return json.loads(data)
    return orjson.loads(data)


# The characters of a compact connection object once its digits are gone, as ``#W$`` where
# W is what a weight keeps of itself (its sign, point and exponent marks).
_SHAPES = [
    (b'{"from":,"to":,"weight":', b"#"),
    (b',"gater":null}', b"$"),
    (b',"gater":}', b"$"),
] + [
    (b"#" + sign + point + exponent + b"$", b"@")
    for sign in (b"", b"-")
    for point in (b"", b".")
    for exponent in (b"", b"e", b"e-", b"e+", b"E", b"E-", b"E+")
]


def _compact_region(region: bytes) -> int | None:
    """The number of connections when ``region`` is compact Synaptic output, else None.

    Digits are removed and every object must reduce to one of the known shapes; the
    numbers themselves are checked by the JSON parser afterwards.
    """
    shape = region.translate(None, b"0123456789")
    for old, new in _SHAPES:
        shape = shape.replace(old, new)
    count = shape.count(b"@")
    return count if count and shape == b"@" + b",@" * (count - 1) else None


def _numbers(np: Any, region: bytes) -> Any:
    """The four numbers of each connection, as a flat float array (JSON parses them, in chunks)."""
    text = region.replace(b'"weight":', b"").replace(b'"gater":null', b"-1").replace(b'"gater":', b"")
    del region
    text = text.translate(None, b'{}"fromt:')
    parts, start, step = [], 0, 1 << 22
    while start < len(text):
        stop = text.find(b",", start + step) if start + step < len(text) else len(text)
        stop = len(text) if stop < 0 else stop
        parts.append(np.asarray(_parse(b"[" + text[start:stop] + b"]"), dtype=np.float64))
        start = stop + 1
    return np.concatenate(parts) if parts else np.zeros(0)


def _fast(box: list[bytes], limits: Limits) -> Plan:
    import numpy as np

    from .limits import check_depth
    from .validate import validate

    data = box[0]
    if data.startswith(b"\xef\xbb\xbf") or _PLACEHOLDER_JSON in data:
        raise _Slow
    start = data.find(b'{"from":')
    compact = start >= 0
    if not compact:
        first = _SPACED.search(data)
        if first is None:
            raise _Slow
        start = first.start()
    close = data.find(b"]", start)  # no "]" inside connection objects: the array's end, if all is well
    if close < 0:
        raise _Slow
    region = data[start:close]
    count = _compact_region(region) if compact else None
    if count is None:  # whitespace or the 1.0.x dialect: a strict regular expression checks each object
        marked, count = _SPACED.subn(b"#", region)
        if marked.translate(None, b" \t\n\r") != b"#" + b",#" * (count - 1):
            raise _Slow
        del marked
        region = region.translate(None, b" \t\n\r")
    skeleton = data[:start] + _PLACEHOLDER_JSON + data[close:]
    del data
    box.pop()  # the caller's text is no longer needed (a fallback would re-read it: put it back)
    try:
        return _columns(np, region, skeleton, count, limits, check_depth, validate)
    except _Slow:
        box.append(skeleton[:start] + region + skeleton[start + len(_PLACEHOLDER_JSON) :])
        raise


def _columns(np: Any, region: bytes, skeleton: bytes, count: int, limits: Limits, check_depth: Any,
             validate: Any) -> Plan:
    if count >= 2**31:
        raise _Slow
    if count > limits.max_connections:
        raise LimitError(
            f"file has {count} connections, more than the limit of {limits.max_connections};"
            " pass limits=synjson.Limits(max_connections=...) to raise it"
        )
    check_depth(skeleton, limits)
    try:
        doc = _parse(skeleton)
    except ValueError:
        raise _Slow from None
    if not isinstance(doc, dict) or doc.get("connections") != [_PLACEHOLDER]:
        raise _Slow
    block = doc.get("synjson")
    if isinstance(block, dict) and "state" in block:
        raise _Slow  # a checkpoint: traces and gains to restore
    doc["connections"] = []
    neurons = doc.get("neurons")
    if not isinstance(neurons, list) or len(neurons) > limits.max_neurons:
        raise _Slow
    if validate(doc, all_errors=True):
        raise _Slow
    try:
        columns = _numbers(np, region)
    except ValueError:
        raise _Slow from None
    if columns.size != 4 * count:
        raise _Slow
    columns = columns.reshape(count, 4)
    size = len(neurons)
    ends = columns[:, [0, 1, 3]]
    if (ends >= size).any() or (ends[:, :2] < 0).any() or not np.isfinite(columns[:, 2]).all():
        raise _Slow
    if (columns[:, 3] >= 0).any():
        raise _Slow  # gated connections: the object path builds their trace tables
    source = columns[:, 0].astype(np.int32)
    target = columns[:, 1].astype(np.int32)
    weight = np.ascontiguousarray(columns[:, 2])
    del columns, ends
    pairs = np.sort(source.astype(np.int64) * size + target)
    if (pairs[1:] == pairs[:-1]).any():
        raise _Slow  # a pair twice: validate explains (Q-DUP)
    del pairs
    plan = _build(np, doc, source, target, weight)
    return plan


def _build(np: Any, doc: dict[str, Any], source: Any, target: Any, weight: Any) -> Plan:
    """A plan for ungated connections in file order, as ``from_json`` + ``compile_network`` make it."""
    neurons = doc["neurons"]
    size = len(neurons)
    keys = [n["layer"] for n in neurons]
    hidden = sorted({int(k) for k in keys if k not in ("input", "output")})
    rank = {"input": 0, **{str(h): i + 1 for i, h in enumerate(hidden)}, "output": len(hidden) + 1}
    layer_of_file = np.asarray(
        [rank[k if k in ("input", "output") else str(int(k))] for k in keys], dtype=np.int32
    )
    order = np.argsort(layer_of_file, kind="stable")  # plan position -> file index
    position = np.empty(size, dtype=np.int32)
    position[order] = np.arange(size, dtype=np.int32)
    layer = layer_of_file[order]
    counts = np.bincount(layer, minlength=len(hidden) + 2)
    bounds = np.concatenate([[0], np.cumsum(counts)])
    layers = [(int(bounds[i]), int(bounds[i + 1])) for i in range(len(counts))]
    src = position[source]
    del source
    dst = position[target]
    del target
    loops = src == dst
    self_neurons = np.sort(src[loops])  # Q-SELF1: a self-connection loads with weight 1
    if loops.any():
        keep = ~loops
        src, dst, weight = src[keep], dst[keep], weight[keep]
        del keep
    del loops
    # Blocks: by (target layer, source layer); within one, by target then creation (file) order.
    group = layer[dst].astype(np.int64) * (len(counts) + 1) + layer[src]
    by_group = np.argsort(group, kind="stable")
    group = group[by_group]
    cuts = (np.flatnonzero(np.diff(group)) + 1).tolist()
    blocks: list[Block] = []
    for first, stop in zip([0, *cuts], [*cuts, len(group)]):
        members = by_group[first:stop]
        code = int(group[first])
        t, s = code // (len(counts) + 1), code % (len(counts) + 1)
        (row0, row_stop), (col0, col_stop) = layers[t], layers[s]
        rows, cols = row_stop - row0, col_stop - col0
        if t != s and len(members) == rows * cols:
            by_group[first:stop] = members[np.lexsort((src[members], dst[members]))]
            blocks.append(Block(DENSE, t, s, first, stop, row0, rows, col0, cols))
            continue
        members = members[np.argsort(dst[members], kind="stable")]
        by_group[first:stop] = members
        offsets = dst[members] - row0
        if t != s and (offsets == src[members] - col0).all() and (offsets == np.arange(len(members))).all():
            blocks.append(Block(DIAGONAL, t, s, first, stop, row0, len(members), col0, len(members)))
        else:
            blocks.append(Block(SPARSE, t, s, first, stop))
    del group
    permutation = by_group  # plan connection -> file-order ordinary connection
    ordinary = len(permutation)
    plan_of = np.empty(ordinary, dtype=np.int32)  # file-order connection -> plan connection
    plan_of[permutation] = np.arange(ordinary, dtype=np.int32)
    selfconn = np.full(size, -1, dtype=np.int32)
    selfconn[self_neurons] = ordinary + np.arange(len(self_neurons), dtype=np.int32)
    if len(self_neurons):
        blocks.append(Block(SELF, -1, -1, ordinary, ordinary + len(self_neurons)))
    total = ordinary + len(self_neurons)
    in_ptr, in_conn = _csr(np, dst, plan_of, size)
    out_ptr, out_conn = _csr(np, src, plan_of, size)
    del plan_of
    plan_source = _ints(np.concatenate([src[permutation], self_neurons]))
    del src
    plan_target = _ints(np.concatenate([dst[permutation], self_neurons]))
    del dst
    plan_weight = _doubles(np.concatenate([weight[permutation], np.ones(len(self_neurons))]))
    del weight, permutation

    def column(name: str, default: float) -> array:
        values = [float(neurons[i].get(name, default)) for i in order.tolist()]
        return array("d", values)

    zeros = bytes(8 * size)
    squash_code = {name: code for code, name in enumerate(SQUASH_NAMES)}
    metadata = doc.get("synjson")
    return Plan(
        layers=layers,
        layer_keys=["input", *range(len(hidden)), "output"],
        squash=[_squash_code(squash_code, neurons[i].get("squash")) for i in order.tolist()],
        bias=column("bias", 0.0),
        state=column("state", 0.0),
        old=column("old", 0.0),
        activation=column("activation", 0.0),
        derivative=array("d", zeros),
        responsibility=array("d", zeros),
        projected_error=array("d", zeros),
        gated_error=array("d", zeros),
        selfconn=_ints(selfconn),
        source=plan_source,
        target=plan_target,
        gater=array("i", b"\xff" * (4 * total)),  # -1: ungated
        weight=plan_weight,
        gain=array("d", [1.0]) * total,
        eligibility=array("d", bytes(8 * total)),
        in_ptr=in_ptr,
        in_conn=in_conn,
        out_ptr=out_ptr,
        out_conn=out_conn,
        gate_ptr=array("i", bytes(4 * (size + 1))),
        gate_conn=array("i"),
        nb_ptr=array("i", bytes(4 * (size + 1))),
        nb_neuron=array("i"),
        nb_old=array("i"),
        nb_xtrace=array("i"),
        inf_ptr=array("i", [0]),
        inf_conn=array("i"),
        xtrace=array("d"),
        blocks=blocks,
        extra={key: value for key, value in doc.items() if key not in ("neurons", "connections", "synjson")},
        metadata=dict(metadata) if isinstance(metadata, dict) else {},
    )


def _squash_code(codes: dict[str, int], name: Any) -> int:
    # unknown or null: LOGISTIC, as Synaptic loads it
    return codes.get(name, 0) if isinstance(name, str) else 0


def _csr(np: Any, owner: Any, plan_of: Any, size: int) -> tuple[array, array]:
    """Per neuron, its connections (plan indices) in file order."""
    pointers = np.concatenate([[0], np.cumsum(np.bincount(owner, minlength=size))])
    return _ints(pointers), _ints(plan_of[np.argsort(owner, kind="stable")])


def _ints(values: Any) -> array:
    result = array("i")
    result.frombytes(memoryview(values.astype("int32", copy=False)).cast("B"))
    return result


def _doubles(values: Any) -> array:
    result = array("d")
    result.frombytes(memoryview(values.astype("float64", copy=False)).cast("B"))
    return result


# -- saving --------------------------------------------------------------------------------


def dumps_plan(plan: Plan) -> str:
    """The plan as Synaptic JSON text: what ``synjson.dumps`` writes for the same network, byte for byte."""
    from .format import _encode, js_number

    layer_keys = [plan.layer_keys[number] for number in plan.layer_index()]
    parts = ['{"neurons":[']
    names = [SQUASH_NAMES[code] for code in plan.squash]
    state, old, activation, bias = (x.tolist() for x in (plan.state, plan.old, plan.activation, plan.bias))
    parts.append(
        ",".join(
            '{"trace":{"elegibility":{},"extended":{}},"state":%s,"old":%s,"activation":%s,"bias":%s,'
            '"layer":%s,"squash":"%s"}'
            % (
                _number(js_number, state[j]),
                _number(js_number, old[j]),
                _number(js_number, activation[j]),
                _number(js_number, bias[j]),
                f'"{layer_keys[j]}"' if isinstance(layer_keys[j], str) else layer_keys[j],
                names[j],
            )
            for j in range(plan.size)
        )
    )
    parts.append('],"connections":[')
    order: list[int] = []
    for j in range(plan.size):
        order.extend(plan.out_conn[plan.out_ptr[j] : plan.out_ptr[j + 1]])
        own = plan.selfconn[j]
        if own >= 0 and plan.weight[own] != 0:
            order.append(own)
    source, target, gater = plan.source.tolist(), plan.target.tolist(), plan.gater.tolist()
    weights = _js_numbers(js_number, [plan.weight[c] for c in order])
    parts.append(
        ",".join(
            '{"from":%d,"to":%d,"weight":%s,"gater":%s}'
            % (source[c], target[c], w, "null" if gater[c] < 0 else gater[c])
            for c, w in zip(order, weights)
        )
    )
    parts.append("]")
    tail = dict(plan.extra)
    if plan.metadata:
        tail["synjson"] = dict(plan.metadata)
    for key, value in tail.items():
        pieces: list[str] = []
        _encode(value, None, 1, False, pieces)
        encoded = "".join(pieces)
        parts.append("," + json.dumps(key, ensure_ascii=False) + ":" + encoded)
    parts.append("}")
    return "".join(parts)


def _number(js_number: Any, value: float) -> str:
    text = repr(value)
    if "e" in text or "n" in text or text.endswith(".0"):
        return js_number(value)
    return text


def _js_numbers(js_number: Any, values: list[float]) -> list[str]:
    texts = list(map(repr, values))
    for index, text in enumerate(texts):
        if "e" in text or "n" in text or text.endswith(".0"):
            texts[index] = js_number(values[index])
    return texts


def dump_plan(plan: Plan, path: str | os.PathLike[str]) -> Path:
    """Save the plan as Synaptic JSON, atomically."""
    return atomic_write(path, dumps_plan(plan))


def to_network(plan: Plan) -> Any:
    """The plan as ``Neuron``/``Layer``/``Network`` objects (through its JSON: traces are not kept)."""
    from .format import loads

    return loads(dumps_plan(plan))
