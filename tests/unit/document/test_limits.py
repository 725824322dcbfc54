"""synjson.Limits: size, count, trace and depth ceilings on load, each a LimitError saying how to raise it."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import synjson
from synjson import FormatError, LimitError, Limits
from synjson.document.limits import DEFAULT_LIMITS, nesting_depth

ROOT = Path(__file__).resolve().parents[3]


def document(inputs: int = 1, outputs: int = 1, **extra: object) -> dict:
    """Every input projects to every output."""
    neurons = [{"bias": 0, "layer": "input"}] * inputs + [{"bias": 0.5, "layer": "output"}] * outputs
    connections = [
        {"from": i, "to": inputs + o, "weight": 0.25, "gater": None}
        for i in range(inputs)
        for o in range(outputs)
    ]
    return {"neurons": neurons, "connections": connections, **extra}


def text(inputs: int = 1, outputs: int = 1, **extra: object) -> str:
    return json.dumps(document(inputs, outputs, **extra))


# -- the Limits object ---------------------------------------------------------------------------


def test_defaults_are_generous() -> None:
    assert Limits() == DEFAULT_LIMITS
    assert Limits() == Limits(
        max_bytes=2 * 1024**3,
        max_neurons=10_000_000,
        max_connections=50_000_000,
        max_traces=50_000_000,
        max_depth=100,
    )
    assert synjson.Limits is Limits
    assert issubclass(LimitError, FormatError)


@pytest.mark.parametrize("value", [0, -1, 1.5, True, None, "10"])
def test_every_limit_must_be_a_positive_integer(value: object) -> None:
    with pytest.raises(ValueError, match=rf"^Limits.max_neurons must be a positive integer, got {value!r}$"):
        Limits(max_neurons=value)  # type: ignore[arg-type]


def test_limits_are_frozen() -> None:
    with pytest.raises(AttributeError):
        Limits().max_bytes = 1  # type: ignore[misc]


# -- counts -----------------------------------------------------------------------------------------


def test_too_many_connections() -> None:
    with pytest.raises(LimitError) as raised:
        synjson.loads(text(2, 3), limits=Limits(max_connections=5))
    assert str(raised.value) == (
        "file has 6 connections, more than the limit of 5; pass limits=synjson.Limits(max_connections=...) to raise it"
    )
    assert raised.value.path == ()
    assert synjson.loads(text(2, 3), limits=Limits(max_connections=6)).outputs() == 3


def test_too_many_neurons() -> None:
    with pytest.raises(LimitError) as raised:
        synjson.from_json(document(2, 3), limits=Limits(max_neurons=4))
    assert str(raised.value) == (
        "file has 5 neurons, more than the limit of 4; pass limits=synjson.Limits(max_neurons=...) to raise it"
    )


def test_counts_are_checked_before_the_items_are_validated() -> None:
    """A million broken connections are refused at once, not validated one by one."""
    started = time.process_time()
    with pytest.raises(LimitError, match=r"^file has 1000000 connections"):
        synjson.from_json({"neurons": [], "connections": [{}] * 1_000_000}, limits=Limits(max_connections=10))
    assert time.process_time() - started < 1.0


def gated_fan(inputs: int, targets: int) -> dict:
    """Neuron ``inputs`` gates connections from input 0 into ``targets`` outputs; it has ``inputs`` inputs."""
    gater = inputs
    neurons = [{"bias": 0, "layer": "input"}] * inputs + [{"bias": 0, "layer": 0}]
    neurons += [{"bias": 0, "layer": "output"}] * targets
    connections = [{"from": i, "to": gater, "weight": 0.5} for i in range(inputs)]
    connections += [{"from": 0, "to": gater + 1 + t, "weight": 0.5, "gater": gater} for t in range(targets)]
    return {"neurons": neurons, "connections": connections}


def test_too_many_extended_traces() -> None:
    """Traces grow as (a gater's inputs) x (neurons it gates into): quadratic in the file's size."""
    with pytest.raises(LimitError) as raised:
        synjson.from_json(gated_fan(30, 40), limits=Limits(max_traces=1199))
    assert str(raised.value) == (
        "file needs 1200 extended eligibility traces, more than the limit of 1199;"
        " pass limits=synjson.Limits(max_traces=...) to raise it"
    )
    net = synjson.from_json(gated_fan(30, 40), limits=Limits(max_traces=1200))
    gater = net.hidden_layers[0].neurons[0]
    assert sum(len(traces) for traces in gater.extended.values()) == 1200


def test_a_small_file_cannot_ask_for_quadratic_memory() -> None:
    """3 MB of JSON asking for 10**10 traces (about a terabyte) is refused before anything is built."""
    started = time.process_time()
    with pytest.raises(LimitError, match=r"^file needs 2500000000 extended eligibility traces"):
        synjson.from_json(gated_fan(50_000, 50_000))
    assert time.process_time() - started < 10


def test_loading_is_linear_in_fan_out_and_gates() -> None:
    """One neuron projecting to 20 000 others, each connection gated by one neuron: well under a second.

    (Neuron.project and Neuron.gate search the existing connections; through them this took ~25 s.)
    """
    count = 20_000
    neurons = [{"bias": 0, "layer": "input"}, {"bias": 0, "layer": 0}] + [
        {"bias": 0, "layer": "output"}
    ] * count
    connections = [{"from": 0, "to": 2 + i, "weight": 0.5, "gater": 1} for i in range(count)]
    started = time.process_time()
    net = synjson.from_json({"neurons": neurons, "connections": connections})
    assert time.process_time() - started < 5  # stated bound; ~0.3 s here
    gater = net.hidden_layers[0].neurons[0]
    assert [c.id for c in gater.gated] == sorted(c.id for c in gater.gated)
    assert list(gater.extended) == sorted(gater.extended)
    assert len(gater.influences) == count


# -- size ---------------------------------------------------------------------------------------------


def test_text_longer_than_max_bytes() -> None:
    body = text()
    with pytest.raises(LimitError) as raised:
        synjson.loads(body, limits=Limits(max_bytes=len(body) - 1))
    assert str(raised.value) == (
        f"text has {len(body)} characters, more than the limit of {len(body) - 1};"
        " pass limits=synjson.Limits(max_bytes=...) to raise it"
    )
    with pytest.raises(
        LimitError, match=f"^text is {len(body)} bytes, more than the limit of {len(body) - 1};"
    ):
        synjson.loads(body.encode(), limits=Limits(max_bytes=len(body) - 1))
    assert synjson.loads(body, limits=Limits(max_bytes=len(body))).inputs() == 1


def test_read_checks_the_file_size_before_reading(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "big.json"
    path.write_text(text(3, 3), "utf-8")
    size = path.stat().st_size

    def no_open(*args: object, **kwargs: object) -> None:
        raise AssertionError("the file was opened")

    monkeypatch.setattr("builtins.open", no_open)
    with pytest.raises(LimitError) as raised:
        synjson.read(path, limits=Limits(max_bytes=100))
    assert str(raised.value) == (
        f"file is {size} bytes, more than the limit of 100; pass limits=synjson.Limits(max_bytes=...) to raise it"
    )


def test_read_of_an_endless_device_stops_at_the_limit() -> None:
    """/dev/zero reports size 0 and never ends: read() must stop at max_bytes, not fill memory."""
    started = time.process_time()
    with pytest.raises(
        LimitError, match=r"^file has at least 3145728 bytes, more than the limit of 3000000;"
    ):
        synjson.read("/dev/zero", limits=Limits(max_bytes=3_000_000))
    assert time.process_time() - started < 5


class Endless:
    """A file object that never ends."""

    def __init__(self, chunk: bytes | str) -> None:
        self.chunk, self.reads = chunk, 0

    def read(self, size: int = -1) -> bytes | str:
        assert size > 0, "read() without a size would never return"
        self.reads += 1
        return self.chunk * size


@pytest.mark.parametrize(("chunk", "unit"), [(b" ", "bytes"), (" ", "characters")])
def test_load_from_an_endless_file_object_stops_at_the_limit(chunk: bytes | str, unit: str) -> None:
    source = Endless(chunk)
    with pytest.raises(
        LimitError, match=rf"^file has at least 2097152 {unit}, more than the limit of 2000000;"
    ):
        synjson.load(source, limits=Limits(max_bytes=2_000_000))
    assert source.reads == 2


def test_load_reads_text_and_binary_files(tmp_path: Path) -> None:
    path = tmp_path / "net.json"
    path.write_text(text(2, 1), "utf-8")
    with open(path, "rb") as binary, open(path, encoding="utf-8") as textual:
        assert synjson.dumps(synjson.load(binary)) == synjson.dumps(synjson.load(textual))


# -- nesting ------------------------------------------------------------------------------------------


def nested(levels: int) -> object:
    """``levels`` arrays, one in another; in a document (level 1) they reach level ``levels + 1``."""
    value: object = 0
    for _ in range(levels):
        value = [value]
    return value


def test_nesting_up_to_max_depth_loads_and_round_trips() -> None:
    body = text(extra=nested(99))  # levels 2 to 100
    net = synjson.loads(body)
    assert synjson.dumps(synjson.loads(synjson.dumps(net))) == synjson.dumps(net)


def test_nesting_past_max_depth_is_refused_before_parsing() -> None:
    with pytest.raises(LimitError) as raised:
        synjson.loads(text(extra=nested(100)))
    assert str(raised.value) == (
        "text nests arrays and objects 101 deep, more than the limit of 100;"
        " pass limits=synjson.Limits(max_depth=...) to raise it"
    )
    with pytest.raises(LimitError, match=r"^extra: nests arrays and objects deeper than the limit of 100;"):
        synjson.from_json(document(extra=nested(100)))  # the same, as a Python object
    assert synjson.loads(text(extra=nested(100)), limits=Limits(max_depth=101)).extra["extra"] == nested(100)


@pytest.mark.parametrize("opener", ["[", '{"a":', '[{"b":'])
def test_a_million_levels_are_refused_quickly(opener: str) -> None:
    started = time.process_time()  # CPU time: a loaded machine stretches the wall clock, not the work
    with pytest.raises(LimitError, match=r"^text nests arrays and objects \d+ deep"):
        synjson.loads(opener * 1_000_000)
    assert time.process_time() - started < 2


def test_deep_nesting_cannot_crash_the_interpreter_even_with_a_huge_recursion_limit() -> None:
    """Python 3.11's json module recurses in C once per level: with the recursion limit raised,
    a deep enough text overflows the C stack (a segfault). The pre-scan refuses it first."""
    script = (
        "import sys, synjson\n"
        "sys.setrecursionlimit(10**8)\n"
        "for text in ('[' * 3_000_000, '{\"a\":' * 3_000_000, b'[' * 3_000_000):\n"
        "    try:\n"
        "        synjson.loads(text)\n"
        "    except synjson.LimitError as error:\n"
        "        print(type(error).__name__)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], check=False, capture_output=True, text=True, cwd=ROOT, timeout=120
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.split() == ["LimitError"] * 3


def test_a_python_object_nested_too_deeply_or_cyclic_is_refused() -> None:
    loop: list = []
    loop.append(loop)
    with pytest.raises(LimitError) as raised:
        synjson.from_json(document(loop=loop))
    assert str(raised.value) == (
        "loop: nests arrays and objects deeper than the limit of 100;"
        " pass limits=synjson.Limits(max_depth=...) to raise it"
    )


JSON_TEXTS = st.recursive(
    st.none() | st.integers() | st.text(alphabet='[]{}"\\ab,:'),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(alphabet='[]{}"\\a'), inner, max_size=3)
    ),
    max_leaves=30,
)


def depth_of(value: object) -> int:
    if isinstance(value, list):
        return 1 + max((depth_of(item) for item in value), default=0)
    if isinstance(value, dict):
        return 1 + max((depth_of(item) for item in value.values()), default=0)
    return 0


@settings(max_examples=300)
@given(JSON_TEXTS, st.booleans())
def test_nesting_depth_is_exact_even_with_brackets_and_escapes_in_strings(value: object, ascii: bool) -> None:
    encoded = json.dumps(value, ensure_ascii=ascii).encode("utf-8", "surrogatepass")
    assert nesting_depth(encoded) == depth_of(value)


@pytest.mark.parametrize(
    ("data", "depth"),
    [
        (b"", 0),
        (b"1", 0),
        (b"[]", 1),
        (b'["[[["]', 1),
        (b'["\\"[[", "\\\\", [[]]]', 3),
        (b'{"a\\\\": {"]]": [{}]}}', 4),
        (b"[[[", 3),  # invalid text: exact up to where a parser stops
        (b'["unterminated [[[[', 5),
        (b"]]][[", 0),  # a parser stops at the first "]": it never recurses
    ],
)
def test_nesting_depth_cases(data: bytes, depth: int) -> None:
    assert nesting_depth(data) == depth


# -- kept values must be JSON that dumps can write back ----------------------------------------------


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"x": [1, float("nan")]}, "x[1]: NaN is not allowed (pass allow_nan=True to accept)"),
        ({"x": {"y": float("-inf")}}, "x.y: -Infinity is not allowed (pass allow_nan=True to accept)"),
        ({"x": 10**400}, "x: integer is too large for a 64-bit float"),
        ({"x": {1: "a"}}, "x: expected string keys, got the key 1"),
        ({"x": {1, 2}}, "x: expected a JSON value, got a Python set"),
        ({"x": b"bytes"}, "x: expected a JSON value, got a Python bytes"),
        (
            {"synjson": {"tool": "t", "note": float("inf")}},
            "synjson.note: Infinity is not allowed (pass allow_nan=True to accept)",
        ),
    ],
)
def test_kept_values_must_be_writable_json(extra: dict, message: str) -> None:
    with pytest.raises(FormatError) as raised:
        synjson.from_json(document(**extra))
    assert str(raised.value) == message


def test_nan_in_a_kept_value_loads_with_allow_nan_and_round_trips() -> None:
    net = synjson.loads(text(extra=[1, float("nan")]), allow_nan=True)
    written = synjson.dumps(net, allow_nan=True)
    assert written.endswith('"extra":[1,NaN]}')
    assert synjson.dumps(synjson.loads(written, allow_nan=True), allow_nan=True) == written


def test_a_huge_integer_in_the_checkpoint_block_is_a_format_error() -> None:
    """Found by the fuzzer: synjson.state.aux = 10**400 raised OverflowError in checkpoint.restore."""
    body = text(synjson={"format_version": 1, "state": {"aux": 10**400}})
    with pytest.raises(FormatError, match=r"^synjson\.state\.aux: integer is too large for a 64-bit float$"):
        synjson.loads(body)


@pytest.mark.parametrize("digits", [0, 100_000])
def test_an_integer_with_too_many_digits_is_a_format_error(
    monkeypatch: pytest.MonkeyPatch, digits: int
) -> None:
    """json.loads raises a plain ValueError past sys.get_int_max_str_digits(); with the limit
    lifted (0) or raised, int() is quadratic, so synjson keeps Python's default of 4300 digits."""
    monkeypatch.setattr(sys, "get_int_max_str_digits", lambda: digits)
    body = text(extra=int("7" * 4300)).replace("7" * 4300, "7" * 400_000)
    started = time.process_time()
    with pytest.raises(FormatError) as raised:
        synjson.loads(body)
    assert str(raised.value) == "not a network: an integer has more than 4300 digits"
    assert time.process_time() - started < 2


def test_an_integer_past_pythons_digit_limit_is_a_format_error() -> None:
    with pytest.raises(FormatError) as raised:
        synjson.loads(text(extra=0).replace('"extra": 0}', '"extra": ' + "9" * 5000 + "}"))
    assert (
        str(raised.value) == f"not a network: an integer has more than {sys.get_int_max_str_digits()} digits"
    )
