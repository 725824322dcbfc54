"""Fuzz ``synjson.loads``: only FormatError may escape, and every accepted input must round-trip.

As tomli's fuzzer does: whatever bytes or text come in, ``loads`` either returns a
network or raises :class:`synjson.FormatError` (LimitError included). A network it
returns must write and read back stably (``dumps -> loads -> dumps`` gives the same
text, also as a ``state=True`` checkpoint) and must activate without an exception.

The inputs are mutations of valid and nearly valid models (``tests/data``, plus a
few built here): deleted keys, swapped types, out-of-range and negative indices,
huge and tiny numbers, NaN and Infinity, deep nesting, duplicate keys, very long
arrays, invalid UTF-8 and truncated text. See docs/fuzzing.md.

    .venv/bin/python tests/fuzz/fuzz_loads.py --hypothesis 20000     # structured, any machine
    .venv/bin/python tests/fuzz/fuzz_loads.py --atheris -runs=200000  # coverage-guided bytes (pip install atheris)
"""

from __future__ import annotations

import contextlib
import copy
import json
import math
import random
import sys
import time
from pathlib import Path
from typing import Any

from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import synjson  # noqa: E402  (after the sys.path line: runnable as a script)
from synjson import FormatError  # noqa: E402

# -- the property ------------------------------------------------------------------------


def check(data: bytes | str) -> str | None:
    """Load ``data``; a FormatError is fine, anything else fails. Returns the re-written text or None."""
    try:
        net = synjson.loads(data)
    except FormatError:
        return None
    text = synjson.dumps(net)
    again = synjson.loads(text)
    assert synjson.dumps(again) == text, "dumps -> loads -> dumps is not stable"
    checkpoint = synjson.dumps(net, state=True)
    again_checkpoint = synjson.dumps(synjson.loads(checkpoint), state=True)
    assert again_checkpoint == checkpoint, "checkpoint round trip is not byte-stable"
    outputs = net.activate([0.5] * net.inputs())
    assert len(outputs) == net.outputs()
    return text


# -- seeds ------------------------------------------------------------------------------


def _built_seeds() -> list[str]:
    """Networks with gates, self-connections, extra keys and a checkpoint block."""
    from synjson import Layer, Network
    from synjson.model.layer import GateType
    from synjson.train.architect import LSTM

    rng = random.Random(6)
    lstm = LSTM(2, 2, 1, rng=rng)
    lstm.activate([0.25, -0.5])
    lstm.propagate(0.1, [1.0])
    inputs, hidden, output = Layer(2, rng=rng), Layer(2, rng=rng), Layer(1, rng=rng)
    forward = inputs.project(hidden)
    hidden.project(hidden)
    hidden.project(output)
    hidden.gate(forward, GateType.INPUT)
    wired = Network(inputs, [hidden], output)
    wired.extra = {"name": "wired", "trainedOn": [[0, 1], [1, 0]], "meta": {"epochs": 3}}
    return [synjson.dumps(lstm, state=True), synjson.dumps(wired), synjson.dumps(LSTM(1, 1, 1, seed=2))]


def seed_texts() -> list[str]:
    """Valid and old-dialect model files (listed three times: mutations of valid files are
    the interesting ones), the built seeds (likewise), and the invalid files, from tests/data."""
    texts = []
    for folder in ("valid", "dialect-1.0.11", "invalid"):
        for path in sorted((ROOT / "tests" / "data" / folder).glob("*.json")):
            if path.name != "expected.json":
                texts += [path.read_text("utf-8", "surrogateescape")] * (1 if folder == "invalid" else 3)
    return texts + _built_seeds() * 3


def seed_documents() -> list[Any]:
    documents = []
    for text in seed_texts():
        with contextlib.suppress(ValueError):
            documents.append(json.loads(text))
    return documents


# -- structured mutations ------------------------------------------------------------------

NASTY_NUMBERS = [
    0,
    -1,
    1,
    2,
    3,
    7,
    -0.0,
    0.5,
    2**31 - 1,
    2**32 - 2,
    2**32 - 1,
    2**32,
    2**53 + 1,
    2**63,
    10**30,
    -(10**30),
    10**400,
    -(10**400),
    1e308,
    -1e308,
    5e-324,
    1e-320,
    math.nan,
    math.inf,
    -math.inf,
    1e21,
    1e-7,
]
NASTY_STRINGS = [
    "",
    "0",
    "1",
    "00",
    "01",
    "-1",
    "1e3",
    " 1",
    "1 ",
    "1\n",
    "\u0661",
    "4294967294",
    "4294967295",
    "99999999999",
    "input",
    "output",
    "hidden",
    "LOGISTIC",
    "TANH",
    "IDENTITY",
    "HLIM",
    "RELU",
    "logistic",
    "__proto__",
    "constructor",
    "toString",
    "hasOwnProperty",
    "\ud800",
    "\x00",
    "x" * 5000,
    "NaN",
    "null",
]
KEYS = [
    "neurons",
    "connections",
    "synjson",
    "trace",
    "elegibility",
    "extended",
    "state",
    "old",
    "activation",
    "bias",
    "layer",
    "squash",
    "from",
    "to",
    "weight",
    "gater",
    "format_version",
    "tool",
    "inputs",
    "outputs",
    "architecture",
    "type",
    "sizes",
    "aux",
    "activated",
    "derivative",
    "responsibility",
    "projected",
    "gated",
    "gain",
    "eligibility",
    "selfweight",
    "order",
    "influences",
    "neighbours",
    "__proto__",
    "0",
    "1",
    "",
]

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.sampled_from(NASTY_NUMBERS),
    st.sampled_from(NASTY_STRINGS),
    st.integers(-5, 40),
    st.floats(),
    st.text(max_size=8),
)
json_values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(st.sampled_from(KEYS) | st.text(max_size=4), inner, max_size=4),
    ),
    max_leaves=12,
)


def _containers(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Paths of every list and dict inside ``value``, ``value`` itself first."""
    found = [path]
    if isinstance(value, dict):
        for key, item in value.items():
            if isinstance(item, (dict, list)):
                found += _containers(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            if isinstance(item, (dict, list)):
                found += _containers(item, (*path, index))
    return found


def _at(value: Any, path: tuple[Any, ...]) -> Any:
    for part in path:
        value = value[part]
    return value


def _nest(depth: int, leaf: Any) -> Any:
    for _ in range(depth):
        leaf = [leaf]
    return leaf


@st.composite
def mutated_documents(draw: st.DrawFn, documents: list[Any]) -> Any:
    """A seed document with 1-4 structural mutations."""
    document = copy.deepcopy(draw(st.sampled_from(documents)))
    for _ in range(draw(st.sampled_from([1, 1, 1, 2, 2, 3, 4]))):
        if not isinstance(document, (dict, list)):
            document = draw(json_values)
            continue
        containers = _containers(document)
        target = _at(document, draw(st.sampled_from(containers)))
        keys = list(target.keys()) if isinstance(target, dict) else list(range(len(target)))
        action = draw(
            st.sampled_from(
                [
                    "delete",
                    "replace",
                    "index",
                    "number",
                    "number",
                    "number",
                    "duplicate",
                    "grow",
                    "nest",
                    "add",
                    "swap",
                ]
            )
        )
        if not keys and action != "add":
            action = "add"
        if action == "add":
            value = draw(json_values)
            if isinstance(target, dict):
                target[draw(st.sampled_from(KEYS))] = value
            else:
                target.append(value)
            continue
        key = draw(st.sampled_from(keys))
        if action == "delete":
            del target[key]
        elif action == "replace":
            target[key] = draw(json_values)
        elif action == "index":  # near the end of the neurons array, negative, or as a string
            count = (
                len(document.get("neurons", []))
                if isinstance(document, dict) and isinstance(document.get("neurons"), list)
                else 3
            )
            index = draw(st.integers(-3, count + 3))
            target[key] = draw(st.sampled_from([index, str(index), float(index), [index]]))
        elif action == "number":
            target[key] = draw(
                st.sampled_from(NASTY_NUMBERS) | st.floats(allow_nan=False, allow_infinity=False)
            )
        elif action == "duplicate" and isinstance(target, list):
            target.insert(draw(st.integers(0, len(target))), copy.deepcopy(target[key]))
        elif action == "grow" and isinstance(target, list):  # very long arrays
            target.extend(copy.deepcopy(target[key]) for _ in range(draw(st.sampled_from([10, 1000, 5000]))))
        elif action == "nest":  # around the depth limit (100); "deep" below goes far beyond it
            target[key] = _nest(draw(st.sampled_from([1, 5, 95, 96, 97, 98, 99, 100, 150])), target[key])
        elif action == "swap" and isinstance(target, dict):
            other = draw(st.sampled_from(keys))
            target[key], target[other] = target[other], target[key]
    return document


def render(document: Any, duplicate: Any | None = None) -> str:
    """JSON text (NaN and Infinity as Python writes them); ``duplicate`` = (path, key, value)
    writes one more ``"key": value`` ahead of the real one in the object at path."""
    text = json.dumps(document, allow_nan=True)
    if duplicate is None:
        return text
    path, key, value = duplicate
    try:
        target = _at(document, path)
    except (KeyError, IndexError, TypeError):
        return text
    if not isinstance(target, dict):
        return text
    extra = json.dumps({key: value}, allow_nan=True)[1:-1]
    inner = json.dumps(target, allow_nan=True)
    if inner == "{}":
        return text.replace(inner, "{" + extra + "}", 1)
    return text.replace(inner, "{" + extra + "," + inner[1:], 1)


BAD_BYTES = [
    b"\xff",
    b"\xfe",
    b"\xc3",
    b"\xc3(",
    b"\xe2\x82",
    b"\xed\xa0\x80",
    b"\xf4\x90\x80\x80",
    b"\xef\xbb\xbf",
    b"\x00",
    b"\\",
    b'"',
    b"[",
    b"{",
    b"]",
    b"}",
    b",",
    b":",
    b"NaN",
    b"-Infinity",
    b"1e999",
    b"-",
    b"\\u",
    b"\\ud800",
    b"[" * 200,
    b'{"a":' * 150,
]


@st.composite
def mutated_texts(draw: st.DrawFn, documents: list[Any], texts: list[str]) -> bytes | str:
    """Seed or structurally mutated text, then 0-3 byte-level edits; as bytes or str."""
    if draw(st.integers(0, 3)) == 0:
        text = draw(st.sampled_from(texts))
    else:
        document = draw(mutated_documents(documents))
        duplicate = None
        if draw(st.booleans()):
            duplicate = (
                draw(st.sampled_from(_containers(document))),
                draw(st.sampled_from(KEYS)),
                draw(json_values),
            )
        text = render(document, duplicate)
    data = text.encode("utf-8", "surrogatepass")
    for _ in range(draw(st.sampled_from([0, 0, 0, 0, 1, 1, 2, 3]))):  # most inputs stay JSON
        size = len(data)
        position = draw(st.integers(0, size))
        edit = draw(st.sampled_from(["truncate", "insert", "delete", "flip", "repeat", "deep"]))
        if edit == "truncate":
            data = data[:position]
        elif edit == "insert":
            data = (
                data[:position] + draw(st.sampled_from(BAD_BYTES) | st.binary(max_size=4)) + data[position:]
            )
        elif edit == "delete":
            data = data[:position] + data[position + draw(st.integers(1, 16)) :]
        elif edit == "flip" and position < size:
            data = (
                data[:position]
                + bytes([data[position] ^ (1 << draw(st.integers(0, 7)))])
                + data[position + 1 :]
            )
        elif edit == "repeat":
            data = (
                data[:position] + data[position : position + 64] * draw(st.integers(2, 50)) + data[position:]
            )
        elif edit == "deep":  # far past the depth limit: must not reach the parser's recursion
            depth = draw(st.sampled_from([101, 1000, 100_000]))
            opener, closer = draw(st.sampled_from([(b"[", b"]"), (b'{"a":', b"}"), (b'[{"x":', b"}]")]))
            data = (
                data[:position]
                + opener * depth
                + b"0"
                + closer * depth * draw(st.integers(0, 1))
                + data[position:]
            )
    if draw(st.booleans()):
        return data.decode("utf-8", "surrogateescape")  # a str, possibly with lone surrogates
    return data


# -- the long campaigns -----------------------------------------------------------------------


def run_hypothesis(count: int) -> int:
    """``count`` structured inputs, randomized (a new campaign each run). Returns the number tried."""
    from hypothesis import HealthCheck, given, settings

    documents, texts = seed_documents(), seed_texts()
    tried = 0

    @settings(
        max_examples=count,
        derandomize=False,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(mutated_texts(documents, texts))
    def campaign(data: bytes | str) -> None:
        nonlocal tried
        tried += 1
        started = time.perf_counter()
        check(data)
        took = time.perf_counter() - started
        assert took < 10, f"one input took {took:.1f} s"

    campaign()
    return tried


def run_atheris(argv: list[str]) -> None:
    """Coverage-guided byte fuzzing with atheris (libFuzzer); the seeds go in a temporary corpus."""
    import tempfile

    import atheris

    atheris.instrument_all()  # synjson is imported already: instrument every loaded function

    def one_input(data: bytes) -> None:
        check(data)

    corpus = Path(tempfile.mkdtemp(prefix="synjson-fuzz-"))
    for index, text in enumerate(seed_texts()):
        (corpus / f"seed-{index}.json").write_bytes(text.encode("utf-8", "surrogateescape"))
    dictionary = Path(__file__).with_name("json.dict")
    args = [sys.argv[0], *argv, f"-dict={dictionary}", "-timeout=10", "-rss_limit_mb=4096", str(corpus)]
    atheris.Setup(args, one_input)
    atheris.Fuzz()


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--atheris"]:
        run_atheris(argv[1:])
        return 0
    count = int(argv[1]) if argv[:1] == ["--hypothesis"] and len(argv) > 1 else 10_000
    started = time.perf_counter()
    tried = run_hypothesis(count)
    print(f"{tried} inputs, no failure, {time.perf_counter() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
