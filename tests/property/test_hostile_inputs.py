"""Bad input, built by hypothesis, at every loader: only our exceptions, and the counts are right.

Structure-aware: each strategy puts arbitrary JSON (or Python) values where a loader expects
something precise: the indices of connections and layers, every table of a checkpoint, a select
path, the text around a JavaScript literal, the rows of a data file. Derandomized (tests/conftest.py).
"""

from __future__ import annotations

import contextlib
import copy
import json
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import example, given, settings
from hypothesis import strategies as st

import synjson
from synjson import FormatError
from synjson.document import datafiles
from synjson.document.limits import count_derived
from synjson.document.select import select

TINY = {
    "neurons": [{"layer": "input", "bias": 0}, {"layer": 0, "bias": 0.1}, {"layer": "output", "bias": 0.2}],
    "connections": [
        {"from": 0, "to": 1, "weight": 0.5, "gater": None},
        {"from": 1, "to": 2, "weight": 0.5, "gater": None},
        {"from": 1, "to": 1, "weight": 1, "gater": 2},
    ],
}
CHECKPOINT = synjson.to_json(synjson.from_json(TINY), state=True)

# Values that are almost indices, and JSON of any shape around them.
INDEXISH = st.one_of(
    st.integers(), st.integers(min_value=-1, max_value=5), st.integers(min_value=2**31, max_value=2**70),
    st.floats(allow_nan=True), st.sampled_from([1.0, -0.0, 1e300, 2.5]), st.booleans(), st.none(),
    st.text(alphabet="0123456789\u0661\u00b2\u2463 +-.e\n", max_size=12), st.just("9" * 5000),
    st.just("0" * 3 + "1"), st.text(max_size=8),
)
JSON = st.recursive(
    st.one_of(INDEXISH, st.text(max_size=10)),
    lambda children: st.one_of(
        st.lists(children, max_size=4), st.dictionaries(st.one_of(st.text(max_size=4), INDEXISH.map(str)), children,
                                                        max_size=4)
    ),
    max_leaves=12,
)


def only_ours(document: Any, **options: Any) -> None:
    """``from_json`` builds it (and it activates and saves losslessly), or raises FormatError."""
    try:
        net = synjson.from_json(document, **options)
    except FormatError:
        return
    net.activate([0.5] * net.inputs())
    synjson.loads(synjson.dumps(net, state=True, allow_nan=True), allow_nan=True)


def paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix]
    if isinstance(value, dict):
        for key, item in value.items():
            found += paths(item, (*prefix, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += paths(item, (*prefix, index))
    return found


def replaced(document: Any, path: tuple[Any, ...], value: Any) -> Any:
    document = copy.deepcopy(document)
    if not path:
        return value
    holder = document
    for part in path[:-1]:
        holder = holder[part]
    holder[path[-1]] = value
    return document


CHECKPOINT_PATHS = [path for path in paths(CHECKPOINT) if path[:1] == ("synjson",)]
TINY_PATHS = paths(TINY)


@settings(max_examples=400)
@given(st.sampled_from(CHECKPOINT_PATHS), JSON)
def test_any_value_anywhere_in_a_checkpoint_is_loaded_or_a_format_error(path: tuple[Any, ...], value: Any) -> None:
    only_ours(replaced(CHECKPOINT, path, value))


TABLES = [("synjson", "state", "extended"), ("synjson", "state", "selfweight"), ("synjson", "state", "order", "inputs"),
          ("synjson", "state", "order", "neighbours"), ("synjson", "state", "order", "influences")]


@settings(max_examples=200)
@given(st.sampled_from(CHECKPOINT_PATHS[1:]), st.one_of(INDEXISH.map(str), st.text(max_size=6)), JSON)
@example(TABLES[0], "9" * 5000, {})  # raised ValueError (int() of 5 000 digits) before issue 15
@example(TABLES[1], "\u00b2", 1)
@example(TABLES[2], "2", [1.0])
def test_any_key_in_a_checkpoint_table_is_loaded_or_a_format_error(path: tuple[Any, ...], key: str, value: Any) -> None:
    document = copy.deepcopy(CHECKPOINT)
    holder = document
    for part in path:
        holder = holder.setdefault(part, {}) if isinstance(holder, dict) else holder[part]
    if isinstance(holder, dict):
        holder[key] = value
    only_ours(document)


@settings(max_examples=400)
@given(st.sampled_from(TINY_PATHS), JSON, st.sampled_from(["refuse", "synaptic"]))
def test_any_value_anywhere_in_a_network_is_loaded_or_a_format_error(path: tuple[Any, ...], value: Any,
                                                                    duplicates: str) -> None:
    only_ours(replaced(TINY, path, value), duplicates=duplicates, allow_nan=True)


@settings(max_examples=300)
@given(JSON, st.lists(st.one_of(st.text(max_size=5), INDEXISH.map(str)), max_size=4))
def test_select_on_any_document_finds_it_or_raises_a_format_error(document: Any, parts: list[str]) -> None:
    with contextlib.suppress(FormatError):
        select(document, ".".join(parts))
    with contextlib.suppress(FormatError):
        synjson.loads(json.dumps(document, allow_nan=True), select=".".join(parts) or None)


JS_TOKENS = st.sampled_from([
    "{", "}", "[", "]", "(", ")", '"', "'", "`", "${", "\\", "/", "/*", "*/", "//", "\n", ":", ",", "a", "neurons",
    "connections", "var net = ", "module.exports = ", "export default ", "1e999", "-", "NaN", "Infinity",
    json.dumps(TINY), "{neurons: [], connections: []}", "\u2028", "\ud800", "0x10", "'\\u0041'",
])


@settings(max_examples=600)
@given(st.lists(JS_TOKENS, max_size=40).map("".join))
def test_import_js_on_any_text_finds_a_literal_or_raises_a_format_error(text: str) -> None:
    try:
        document = synjson.import_js(text)
    except FormatError:
        return
    only_ours(document)


ROW_TOKENS = st.sampled_from(["1", "2.5", ",", "\n", '"', "[", "]", "{", "}", '"x":', "nan", "1e999", "9" * 5000,
                              "\x00", "\r", " ", "-", "\ufeff", "[" * 200])


@settings(max_examples=300)
@given(st.lists(ROW_TOKENS, max_size=30).map("".join), st.sampled_from(["auto", "csv", "jsonl", "json"]))
def test_data_rows_are_numbers_or_a_data_file_error(text: str, format: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "rows"
        path.write_text(text, encoding="utf-8", errors="surrogatepass")
        with contextlib.suppress(datafiles.DataFileError):
            for row in datafiles.rows(str(path), format):
                row.numbers(2, "input", "the model")


@st.composite
def wirings(draw: st.DrawFn) -> tuple[int, list[tuple[int, int, int | None]]]:
    count = draw(st.integers(min_value=2, max_value=8))
    index = st.integers(min_value=0, max_value=count - 1)
    pairs = draw(st.lists(st.tuples(index, index), unique=True, max_size=20))
    return count, [(a, b, draw(st.one_of(st.none(), index))) for a, b in pairs]


@settings(max_examples=300)
@given(wirings())
def test_the_traces_counted_before_building_are_the_traces_built(wiring: tuple[int, list[Any]]) -> None:
    count, connections = wiring
    document = {
        "neurons": [{"layer": "input", "bias": 0}] + [{"layer": 0, "bias": 0}] * (count - 2) + [
            {"layer": "output", "bias": 0}],
        "connections": [{"from": a, "to": b, "weight": 0.5, "gater": g} for a, b, g in connections],
    }
    net = synjson.from_json(document)
    built = sum(len(xtrace) for neuron, _ in net.neurons() for xtrace in neuron.extended.values())
    assert count_derived(count, connections).traces == built
