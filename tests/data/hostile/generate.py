"""Write the hostile corpus: files built on purpose to cost time or memory, or to raise a stray exception.

Each case is a function of ``scale`` (1.0: the sizes of issue 15, about 1 MB; the committed
``small/`` set is written with ``--scale 0.02``) returning the file's bytes. ``CASES`` maps a
case's file name to (writer, how to load it, the outcome expected at scale 1):
``ok``, or the exception's class name and a fragment of its message. The loaders:

- ``read``: ``synjson.read(path)``; ``read:synaptic``: with ``duplicates="synaptic"``;
  ``read:select=PATH``: with ``select=PATH``;
- ``js``: ``synjson.from_json(synjson.import_js(text))``;
- ``rows``: every row of a data file (``synjson.document.datafiles.rows``) read as numbers;
- ``validate``: ``synjson.validate(document, all_errors=True)``, as ``synjson validate`` does.

Then, for what loaded, one ``activate`` and ``dumps(net, state=True)``. ``run_case.py`` runs one
case in a fresh process; ``tests/unit/document/test_hostile.py`` runs them all against the budget.

    python tests/data/hostile/generate.py OUTDIR [--scale 1.0]
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

Writer = Callable[[float], bytes]


def _dumps(document: Any) -> bytes:
    return json.dumps(document, separators=(",", ":")).encode()


def _n(layer: Any, bias: float = 0) -> dict[str, Any]:
    return {"layer": layer, "bias": bias}


def _c(source: Any, target: Any, weight: float = 0.1, gater: Any = None) -> dict[str, Any]:
    return {"from": source, "to": target, "weight": weight, "gater": gater}


def _net(neurons: list[Any], connections: list[Any], **extra: Any) -> dict[str, Any]:
    return {"neurons": neurons, "connections": connections, **extra}


def _tiny(**extra: Any) -> dict[str, Any]:
    return _net([_n("input"), _n(0), _n("output")], [_c(0, 1), _c(1, 2)], **extra)


def _k(scale: float, full: int) -> int:
    return max(2, int(full * scale))


# -- derived tables that explode ----------------------------------------------------------------


def gater_fan(scale: float) -> bytes:
    """One gater with k inputs gates k connections into k outputs: k * k extended traces (1 MB at scale 1)."""
    k = _k(scale, 7000)
    neurons = [_n("input")] * k + [_n(0)] + [_n("output")] * k
    connections = [_c(i, k) for i in range(k)] + [_c(i, k + 1 + i, gater=k) for i in range(k)]
    return _dumps(_net(neurons, connections))


def gated_self_connections(scale: float) -> bytes:
    """One gater with k inputs gates the self-connections of k outputs: k * k traces again."""
    k = _k(scale, 7000)
    neurons = [_n("input")] * k + [_n(0)] + [_n("output")] * k
    connections = [_c(i, k) for i in range(k)] + [_c(k + 1 + i, k + 1 + i, 1, gater=k) for i in range(k)]
    return _dumps(_net(neurons, connections))


def gater_fan_within(scale: float) -> bytes:
    """As gater-fan with k = 500: 250 000 traces, within the budget, so it loads."""
    k = _k(scale, 500)
    neurons = [_n("input")] * k + [_n(0)] + [_n("output")] * k
    connections = [_c(i, k) for i in range(k)] + [_c(i, k + 1 + i, gater=k) for i in range(k)]
    return _dumps(_net(neurons, connections))


def hidden_neurons_within(scale: float) -> bytes:
    """80 000 hidden neurons and two connections (1.7 MB), within the budget."""
    k = _k(scale, 80_000)
    return _dumps(_net([_n("input")] + [_n(0)] * k + [_n("output")], [_c(0, 1), _c(1, k + 1)]))


def fan_out(scale: float) -> bytes:
    """One neuron fans out to 20 000 outputs (1.5 MB)."""
    k = _k(scale, 20_000)
    return _dumps(_net([_n("input")] + [_n("output")] * k, [_c(0, 1 + i) for i in range(k)]))


def fan_in(scale: float) -> bytes:
    """20 000 inputs into one output."""
    k = _k(scale, 20_000)
    return _dumps(_net([_n("input")] * k + [_n("output")], [_c(i, k) for i in range(k)]))


def hidden_neurons(scale: float) -> bytes:
    """200 000 hidden neurons and two connections (4.2 MB)."""
    k = _k(scale, 200_000)
    return _dumps(_net([_n("input")] + [_n(0)] * k + [_n("output")], [_c(0, 1), _c(1, k + 1)]))


def synaptic_fan_out(scale: float) -> bytes:
    """Fan-out loaded with duplicates="synaptic": project() searches, quadratic in fan-out."""
    return fan_out(scale)


# -- text: nesting and long runs ----------------------------------------------------------------


def js_braces(scale: float) -> bytes:
    """1 MB of ``{`` in a .js file."""
    return b"{" * int(1_000_000 * scale)


def js_deep_literal(scale: float) -> bytes:
    """A network literal whose neurons array nests 100 000 levels deep."""
    depth = int(100_000 * scale)
    return b"var net = {neurons: " + b"[" * depth + b"]" * depth + b", connections: []};"


def js_run(char: bytes) -> Writer:
    def write(scale: float) -> bytes:
        return b"var net = " + _dumps(_tiny()) + b"; " + char * int(1_000_000 * scale)

    write.__doc__ = f"A network literal, then 1 MB of {char!r}."
    return write


def json_brackets(scale: float) -> bytes:
    """1 MB of ``[``."""
    return b"[" * int(1_000_000 * scale)


def deep_extra_key(scale: float) -> bytes:
    """A valid network with an extra key nesting 50 000 levels."""
    depth = int(50_000 * scale)
    text = _dumps(_tiny())[:-1]
    return text + b',"extra":' + b"[" * depth + b"]" * depth + b"}"


def deep_synjson_block(scale: float) -> bytes:
    """Nesting inside the ``synjson`` block (within the depth limit: 99 levels), repeated."""
    inner = b"[" * 95 + b"1" + b"]" * 95
    count = max(1, int(5_000 * scale))
    return _dumps(_tiny())[:-1] + b',"synjson":{"note":[' + b",".join([inner] * count) + b"]}}"


def backslashes_in_string(scale: float) -> bytes:
    """An extra key holding 1 MB of backslashes and quotes (escaped)."""
    return _dumps(_tiny(extra='\\"' * int(250_000 * scale)))


def huge_extra_string(scale: float) -> bytes:
    """An ignored extra key with a 1 MB string."""
    return _dumps(_tiny(extra="x" * int(1_000_000 * scale)))


def many_extra_keys(scale: float) -> bytes:
    """50 000 extra keys, kept for the round trip."""
    return _dumps(_tiny(**{f"k{i}": i for i in range(_k(scale, 50_000))}))


def duplicate_keys(scale: float) -> bytes:
    """The key ``neurons`` written 20 000 times (the last one counts, as in JavaScript)."""
    body = b'"neurons":[],' * _k(scale, 20_000)
    return b"{" + body + _dumps(_tiny())[1:]


# -- many empty or duplicated objects ---------------------------------------------------------


def empty_connections(scale: float) -> bytes:
    """20 000 empty connection objects (60 KB)."""
    return _dumps(_net([_n("input"), _n("output")], [{}] * _k(scale, 20_000)))


def empty_neurons(scale: float) -> bytes:
    """100 000 empty neuron objects."""
    return _dumps(_net([{}] * _k(scale, 100_000), []))


def duplicate_connections(scale: float) -> bytes:
    """The same connection 20 000 times."""
    return _dumps(_net([_n("input"), _n("output")], [_c(0, 1)] * _k(scale, 20_000)))


# -- indices and keys ---------------------------------------------------------------------------


def long_integer_index(scale: float) -> bytes:
    """``from`` is an integer of 5 000 digits."""
    return _dumps(_tiny())[:-1].replace(b'"from":0', b'"from":' + b"9" * 5000, 1) + b"}"


def long_string_index(scale: float) -> bytes:
    """``to`` is a string of 100 000 digits."""
    return _dumps(_net([_n("input"), _n("output")], [_c(0, "9" * int(100_000 * scale + 20))]))


def float_indices(scale: float) -> bytes:
    """Indices that are floats, negative, exponents, booleans."""
    bad = [1.5, -1, 1e300, True, "1.0", " 1", "\u0661"]
    return _dumps(_net([_n("input"), _n("output")], [_c(0, 1)] + [_c(0, value) for value in bad]))


def float_layer(scale: float) -> bytes:
    """A hidden layer index that is a float with a huge exponent."""
    return _tiny_text().replace(b'"layer":0', b'"layer":1e999', 1)


def _tiny_text() -> bytes:
    return _dumps(_tiny())


def _checkpoint(state: dict[str, Any]) -> dict[str, Any]:
    full = {
        "aux": 0, "activated": True, "derivative": [0, 0, 0], "responsibility": [0, 0, 0],
        "projected": [0, 0, 0], "gated": [0, 0, 0], "gain": [1, 1], "eligibility": [0, 0],
        "extended": {}, "selfweight": {}, "order": {},
    }
    full.update(state)
    return _tiny(synjson={"format_version": 1, "state": full})


def checkpoint_long_key(scale: float) -> bytes:
    """A checkpoint whose ``extended`` table has a 5 000-digit key."""
    return _dumps(_checkpoint({"extended": {"9" * 5000: {}}}))


def checkpoint_float_order(scale: float) -> bytes:
    """A checkpoint whose order table holds floats where indices belong."""
    return _dumps(_checkpoint({"order": {"inputs": {"2": [1.0]}, "neighbours": {"1": [0.5, 1e300]}}}))


def checkpoint_huge_order(scale: float) -> bytes:
    """A checkpoint whose order table lists 100 000 numbers for a neuron with one input."""
    return _dumps(_checkpoint({"order": {"inputs": {"1": list(range(_k(scale, 100_000)))}}}))


def checkpoint_unicode_digits(scale: float) -> bytes:
    """Checkpoint keys in other scripts' digits (``str.isdigit`` says yes, ``int`` may not agree)."""
    return _dumps(_checkpoint({"selfweight": {"\u00b2": 1, "\u0661": 2}}))


def checkpoint_many_keys(scale: float) -> bytes:
    """A checkpoint whose ``extended`` table has 50 000 keys."""
    return _dumps(_checkpoint({"extended": {str(i): {} for i in range(_k(scale, 50_000))}}))


# -- numbers ---------------------------------------------------------------------------------------


def double_edges(scale: float) -> bytes:
    """Weights and biases at the edges of a double: max, min subnormal, -0, underflow to 0."""
    neurons = [_n("input"), _n(0, 1.7976931348623157e308), _n("output", 5e-324)]
    text = _dumps(_net(neurons, [_c(0, 1, -0.0), _c(1, 2, 2.2250738585072014e-308)]))
    return text.replace(b"2.2250738585072014e-308", b"1e-400", 1)


def double_overflow(scale: float) -> bytes:
    """A weight of 1e309, which no double holds."""
    return _tiny_text().replace(b'"weight":0.1', b'"weight":1e309', 1)


def integer_weight(scale: float) -> bytes:
    """A weight that is an integer of 400 digits (no double holds it)."""
    return _tiny_text().replace(b'"weight":0.1', b'"weight":' + b"7" * 400, 1)


def mixed_dialects(scale: float) -> bytes:
    """1.0.x string indices and 1.1.x numbers in one file."""
    neurons = [_n("input"), _n("0"), _n(1), _n("output")]
    connections = [_c("0", 1), _c(1, "2", gater="1"), _c("2", 3, gater=None), _c(2, 2, gater=1)]
    return _dumps(_net(neurons, connections))


# -- wrapped documents ---------------------------------------------------------------------------


def wrapped_deep(scale: float) -> bytes:
    """A network 95 arrays deep in a wrapper."""
    return b"[" * 95 + _tiny_text() + b"]" * 95


def wrapped_many(scale: float) -> bytes:
    """An array of 10 000 networks."""
    return b"[" + b",".join([_tiny_text()] * _k(scale, 10_000)) + b"]"


# -- data rows -------------------------------------------------------------------------------------


def csv_commas(scale: float) -> bytes:
    """One CSV row of 1 000 000 empty cells."""
    return b"1," * int(500_000 * scale) + b"\n"


def csv_quotes(scale: float) -> bytes:
    """A CSV file of one unterminated quoted cell, 1 MB."""
    return b"1,\"" + b"x" * int(1_000_000 * scale)


def csv_digit_header(scale: float) -> bytes:
    """A CSV file whose first row is one cell of 100 000 digits and a letter, then a row: telling a header from
    numbers backtracked over every split of the digits (a minute for 40 000 of them)."""
    return b"9" * int(100_000 * scale) + b"x\n1\n"


def rows_deep(scale: float) -> bytes:
    """A JSON data file nesting 100 000 levels."""
    depth = int(100_000 * scale) + 1000
    return b"[" * depth + b"]" * depth


def rows_long_integer(scale: float) -> bytes:
    """A JSON data row holding an integer of 5 000 digits."""
    return b"[[1, " + b"9" * 5000 + b"]]"


def rows_jsonl_deep(scale: float) -> bytes:
    """JSON lines, one of them nested 100 000 levels."""
    depth = int(100_000 * scale) + 1000
    return b"[1, 2]\n" + b"[" * depth + b"]" * depth + b"\n"


_LIMIT = ("LimitError", "pass limits=synjson.Limits(")
_FORMAT = "FormatError"

CASES: dict[str, tuple[Writer, str, tuple[str, str]]] = {
    "gater-fan.json": (gater_fan, "read", ("LimitError", "Limits(max_memory=...)")),
    "gated-self-connections.json": (gated_self_connections, "read", ("LimitError", "Limits(max_memory=...)")),
    "gater-fan-within.json": (gater_fan_within, "read", ("ok", "")),
    "hidden-neurons-within.json": (hidden_neurons_within, "read", ("ok", "")),
    "fan-out.json": (fan_out, "read", ("ok", "")),
    "fan-in.json": (fan_in, "read", ("ok", "")),
    "hidden-neurons.json": (hidden_neurons, "read", ("LimitError", "Limits(max_memory=...)")),
    "synaptic-fan-out.json": (synaptic_fan_out, "read:synaptic", ("LimitError", "Limits(max_seconds=...)")),
    "js-braces.js": (js_braces, "js", ("LimitError", "Limits(max_depth=...)")),
    "js-deep-literal.js": (js_deep_literal, "js", ("LimitError", "Limits(max_depth=...)")),
    "js-double-quotes.js": (js_run(b'"'), "js", ("ok", "")),
    "js-single-quotes.js": (js_run(b"'"), "js", ("ok", "")),
    "js-backticks.js": (js_run(b"`"), "js", ("ok", "")),
    "js-template-holes.js": (js_run(b"`${"), "js", ("LimitError", "more than 100 deep; pass limits=synjson.Limits(max_depth=...)")),
    "js-backslashes.js": (js_run(b"\\"), "js", ("ok", "")),
    "js-slashes.js": (js_run(b"/"), "js", ("ok", "")),
    "js-comment-starts.js": (js_run(b"/*"), "js", ("ok", "")),
    "js-names.js": (js_run(b"a"), "js", ("ok", "")),
    "js-name-colons.js": (js_run(b"a:"), "js", ("ok", "")),
    "js-closing-braces.js": (js_run(b"}"), "js", ("ok", "")),
    "json-brackets.json": (json_brackets, "read", ("LimitError", "Limits(max_depth=...)")),
    "deep-extra-key.json": (deep_extra_key, "read", ("LimitError", "Limits(max_depth=...)")),
    "deep-synjson-block.json": (deep_synjson_block, "read", ("ok", "")),
    "backslashes-in-string.json": (backslashes_in_string, "read", ("ok", "")),
    "huge-extra-string.json": (huge_extra_string, "read", ("ok", "")),
    "many-extra-keys.json": (many_extra_keys, "read", ("ok", "")),
    "duplicate-keys.json": (duplicate_keys, "read", ("ok", "")),
    "empty-connections.json": (empty_connections, "read", (_FORMAT, 'connections[0]: missing required key "from"')),
    "empty-connections-validated.json": (empty_connections, "validate", (_FORMAT, "60000 problems")),
    "empty-neurons.json": (empty_neurons, "read", (_FORMAT, 'neurons: no neuron has layer "input"')),
    "duplicate-connections.json": (duplicate_connections, "read", (_FORMAT, "second connection from neuron 0")),
    "long-integer-index.json": (long_integer_index, "read", (_FORMAT, "more than 4300 digits")),
    "long-string-index.json": (long_string_index, "read", (_FORMAT, "is too large")),
    "float-indices.json": (float_indices, "read", (_FORMAT, "connections[1].to")),
    "float-layer.json": (float_layer, "read", (_FORMAT, "neurons[1].layer")),
    "checkpoint-long-key.json": (checkpoint_long_key, "read", (_FORMAT, "synjson.state.extended")),
    "checkpoint-float-order.json": (checkpoint_float_order, "read", (_FORMAT, "synjson.state.order")),
    "checkpoint-huge-order.json": (checkpoint_huge_order, "read", (_FORMAT, "synjson.state.order.inputs.1")),
    "checkpoint-unicode-digits.json": (checkpoint_unicode_digits, "read", (_FORMAT, "synjson.state.selfweight")),
    "checkpoint-many-keys.json": (checkpoint_many_keys, "read", (_FORMAT, "synjson.state.extended")),
    "double-edges.json": (double_edges, "read", ("ok", "")),
    "double-overflow.json": (double_overflow, "read", (_FORMAT, "connections[0].weight")),
    "integer-weight.json": (integer_weight, "read", (_FORMAT, "connections[0].weight")),
    "mixed-dialects.json": (mixed_dialects, "read", ("ok", "")),
    "wrapped-deep.json": (wrapped_deep, "read", (_FORMAT, "found a network at `0.0.0.0")),
    "wrapped-deep-selected.json": (wrapped_deep, "read:select=" + ".".join(["0"] * 95), ("ok", "")),
    "wrapped-many.json": (wrapped_many, "read", (_FORMAT, "found 100 or more networks, at `0`, `1`")),
    "csv-commas.csv": (csv_commas, "rows", ("DataFileError", "column 500001: not a number: ''")),
    "csv-quotes.csv": (csv_quotes, "rows", ("DataFileError", "not CSV: field larger than field limit")),
    "csv-digit-header.csv": (csv_digit_header, "rows", ("ok", "")),
    "rows-deep.json": (rows_deep, "rows", ("DataFileError", "Limits(max_depth=...)")),
    "rows-long-integer.json": (rows_long_integer, "rows", ("DataFileError", "digits")),
    "rows-jsonl-deep.jsonl": (rows_jsonl_deep, "rows", ("DataFileError", "Limits(max_depth=...)")),
}


def write(directory: Path, scale: float = 1.0, names: list[str] | None = None) -> list[Path]:
    """Write the corpus (or the ``names`` cases) into ``directory``; returns the paths."""
    directory.mkdir(parents=True, exist_ok=True)
    paths = []
    for name in names or list(CASES):
        path = directory / name
        path.write_bytes(CASES[name][0](scale))
        paths.append(path)
    return paths


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("directory", type=Path)
    parser.add_argument("--scale", type=float, default=1.0, help="1.0: the sizes of issue 15")
    args = parser.parse_args(argv)
    for path in write(args.directory, args.scale):
        print(f"{path.stat().st_size:>10}  {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
