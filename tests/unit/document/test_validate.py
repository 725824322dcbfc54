"""synjson.document.validate: exact messages, both structural modes, and only FormatError ever escapes."""

from __future__ import annotations

import contextlib
import copy
import json
import subprocess
import sys
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import synjson
from synjson.document.validate import FORMAT_VERSION, _collect, iter_errors, validate
from synjson.errors import FormatError

DATA = Path(__file__).parents[2] / "data"
VALID = sorted((DATA / "valid").glob("*.json"))
EXPECTED: dict[str, list[str]] = json.loads((DATA / "invalid" / "expected.json").read_text())
INVALID = sorted(EXPECTED)


def load(path: Path) -> Any:
    return json.loads(path.read_text("utf-8"))  # json.loads also reads NaN, Infinity, -Infinity


@contextlib.contextmanager
def no_jsonschema() -> Iterator[None]:
    """Make ``import jsonschema`` fail, as in Pyodide."""
    saved = sys.modules.get("jsonschema")
    sys.modules["jsonschema"] = None  # type: ignore[assignment]
    try:
        yield
    finally:
        if saved is None:
            del sys.modules["jsonschema"]
        else:
            sys.modules["jsonschema"] = saved


@pytest.fixture(params=["jsonschema", "fallback"])
def mode(request: pytest.FixtureRequest) -> Iterator[str]:
    if request.param == "fallback":
        with no_jsonschema():
            yield request.param
    else:
        yield request.param


def messages(errors: list[FormatError]) -> list[str]:
    return [str(error) for error in errors]


def build(doc: dict[str, Any]) -> tuple[list[dict[str, Any]], list[tuple[int, int, float, int | None]]]:
    """What Synaptic's fromJSON does with a document, in Python: every lookup it makes."""
    neurons = []
    for config in doc["neurons"]:
        layer = config["layer"]
        neurons.append({
            "layer": layer if layer in ("input", "output") else int(layer),
            "bias": float(config["bias"]),
            **{key: float(config.get(key, 0)) for key in ("state", "old", "activation")},
            "squash": config.get("squash"),
        })
    hidden = sorted({n["layer"] for n in neurons if isinstance(n["layer"], int)})
    assert hidden == list(range(len(hidden)))
    connections = []
    for config in doc["connections"]:
        ends = [int(config[key]) for key in ("from", "to")]
        gater = config.get("gater")
        gater = None if gater is None else int(gater)
        for index in [*ends, *([] if gater is None else [gater])]:
            neurons[index]
        connections.append((ends[0], ends[1], float(config["weight"]), gater))
    return neurons, connections


# ---------------------------------------------------------------- data files


def test_expected_lists_every_invalid_file() -> None:
    files = {p.name for p in (DATA / "invalid").glob("*.json")} - {"expected.json"}
    assert files == set(EXPECTED)
    assert all(EXPECTED[name] for name in EXPECTED)


@pytest.mark.parametrize("path", VALID, ids=lambda p: p.name)
def test_valid_files(path: Path, mode: str) -> None:
    doc = load(path)
    assert validate(doc) is None
    assert validate(doc, all_errors=True) == []
    assert list(iter_errors(doc)) == []
    build(doc)


@pytest.mark.parametrize("path", VALID, ids=lambda p: p.name)
def test_valid_files_load(path: Path) -> None:
    net = synjson.from_json(load(path))  # the loader relies on validate's guarantees
    assert len(net.activate([0.5] * net.inputs())) == net.outputs()


@pytest.mark.parametrize("path", VALID, ids=lambda p: p.name)
def test_valid_files_with_jsonschema_over_every_item(path: Path) -> None:
    assert _collect(load(path), allow_nan=False, full=True) == []


@pytest.mark.parametrize("name", INVALID)
def test_invalid_files(name: str, mode: str) -> None:
    doc = load(DATA / "invalid" / name)
    expected = EXPECTED[name]
    assert messages(validate(doc, all_errors=True)) == expected
    assert messages(list(iter_errors(doc))) == expected
    with pytest.raises(FormatError) as raised:
        validate(doc)
    assert str(raised.value) == expected[0]
    assert messages(raised.value.errors) == expected


@pytest.mark.parametrize("name", INVALID)
def test_invalid_files_with_jsonschema_over_every_item(name: str) -> None:
    doc = load(DATA / "invalid" / name)
    assert messages(_collect(doc, allow_nan=False, full=True)) == EXPECTED[name]


# ---------------------------------------------------------------- behaviour


def test_error_has_path_and_message() -> None:
    with pytest.raises(FormatError) as raised:
        validate(load(DATA / "invalid" / "to-out-of-range.json"))
    error = raised.value
    assert error.path == ("connections", 5, "to")
    assert error.message == "neuron 40 does not exist (5 neurons)"
    assert str(error) == "connections[5].to: neuron 40 does not exist (5 neurons)"
    assert isinstance(error, ValueError)


def test_all_errors_lists_several_problems_in_document_order() -> None:
    errors = validate(load(DATA / "invalid" / "many-problems.json"), all_errors=True)
    assert isinstance(errors, list)
    assert [e.path for e in errors] == [
        ("neurons", 0, "bias"),
        ("neurons", 2, "layer"),
        ("connections", 0, "weight"),
        ("connections", 1, "to"),
        ("connections", 6),
        ("synjson", "format_version"),
    ]
    assert all(e.errors == [e] for e in errors)


@pytest.mark.parametrize("name", ["bias-nan.json", "weight-minus-infinity.json", "activation-1e400.json"])
def test_allow_nan_accepts_nan_and_infinity(name: str, mode: str) -> None:
    doc = load(DATA / "invalid" / name)
    assert validate(doc, allow_nan=True) is None
    assert list(iter_errors(doc, allow_nan=True)) == []


def test_allow_nan_still_refuses_integers_no_double_holds() -> None:
    doc = load(DATA / "invalid" / "bias-huge-integer.json")
    assert messages(validate(doc, all_errors=True, allow_nan=True)) == EXPECTED["bias-huge-integer.json"]


def test_fallback_without_jsonschema_catches_type_errors() -> None:
    doc = load(DATA / "valid" / "perceptron-2-3-1.json")
    doc["connections"][2]["weight"] = True
    doc["connections"][3]["from"] = "three"
    doc["neurons"][4]["squash"] = ["TANH"]
    del doc["neurons"][1]["bias"]
    doc["neurons"][0]["trace"] = None
    with no_jsonschema():
        with pytest.raises(ImportError):
            import jsonschema  # noqa: F401
        assert messages(validate(doc, all_errors=True)) == [
            "neurons[0].trace: expected an object, got null",
            'neurons[1]: missing required key "bias"',
            "neurons[4].squash: expected a squash name (a string) or null, got an array",
            "connections[2].weight: expected a number, got a boolean",
            "connections[3].from: expected a neuron index (an integer >= 0, or a string of digits),"
            ' got the string "three"',
        ]


def test_import_needs_neither_jsonschema_nor_a_network() -> None:
    code = (
        "import sys; sys.modules['jsonschema'] = None\n"
        "import synjson\n"
        "doc = {'neurons': [{'layer': 'input', 'bias': 0}, {'layer': 'output', 'bias': 0}],"
        " 'connections': [{'from': '0', 'to': 1, 'weight': True}]}\n"
        "print(synjson.validate(doc, all_errors=True)[0])\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout == "connections[0].weight: expected a number, got a boolean\n"
    code = "import sys, synjson; print('jsonschema' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout == "False\n"


def test_package_exports_validate() -> None:
    assert synjson.validate is validate
    assert FORMAT_VERSION == 1


def _base() -> dict[str, Any]:
    return load(DATA / "valid" / "perceptron-2-3-1.json")


@pytest.mark.parametrize(
    ("where", "value", "message"),
    [
        (("connections", 0, "weight"), complex(1, 2), "expected a number, got a Python complex"),
        (("connections", 0, "weight"), Decimal("0.5"), "expected a number, got a Python Decimal"),
        (("connections", 0, "to"), 10**400, "neuron index <a 1329-bit integer> is too large"
         " (JavaScript arrays stop at 4294967294)"),
        (("connections", 0, "to"), -(10**400), "neuron index <a 1329-bit integer> is negative"),
        (("connections", 0, "to"), "9999999999", "neuron 9999999999 does not exist (6 neurons)"),
        (("connections", 0, "from"), "\ud800", 'expected a neuron index (an integer >= 0, or a string of digits),'
         ' got the string "\\ud800"'),
        (("neurons", 3, "layer"), (0,), 'expected "input", "output" or a hidden layer index'
         " (an integer >= 0, or a string of digits), got a Python tuple"),
        (("neurons",), (), "expected an array, got a Python tuple"),
        (("synjson",), {"format_version": 2.0}, "this file was written by a newer synjson (format 2);"
         " this version reads format 1"),
    ],
)
def test_python_objects_json_cannot_hold(where: tuple[Any, ...], value: object, message: str, mode: str) -> None:
    doc = _base()
    target = doc
    for part in where[:-1]:
        target = target[part]
    target[where[-1]] = value
    errors = validate(doc, all_errors=True)
    path = ("synjson", "format_version") if where == ("synjson",) else where
    assert [(e.path, e.message) for e in errors][:1] == [(path, message)]


class Hostile:
    """An object whose comparisons raise, like a numpy array's truth value."""

    def __eq__(self, other: object) -> bool:
        raise ValueError("ambiguous")

    __hash__ = object.__hash__


def test_hostile_objects_only_give_format_errors(mode: str) -> None:
    doc = _base()
    doc["neurons"][1]["layer"] = Hostile()
    doc["neurons"][2]["squash"] = Hostile()
    doc["connections"][0]["gater"] = Hostile()
    doc["synjson"] = {"format_version": Hostile(), "inputs": [Hostile()]}
    doc[Hostile()] = Hostile()  # a key JSON could never hold
    errors = validate(doc, all_errors=True)
    assert [e.path for e in errors] == [
        ("neurons", 1, "layer"),
        ("neurons", 2, "squash"),
        ("connections", 0, "gater"),
        ("synjson", "format_version"),
        ("synjson", "inputs", 0),
    ]


def test_deep_nesting_only_gives_format_errors(mode: str) -> None:
    deep: list[Any] = []
    for _ in range(50_000):
        deep = [deep]
    doc = {"neurons": [deep, {"layer": "input", "bias": 0}], "connections": deep, "synjson": {"state": deep}}
    assert messages(validate(doc, all_errors=True)) == [
        'neurons: no neuron has layer "output"; a network needs at least one output',
        "neurons[0]: expected an object, got an array",
        "connections[0]: expected an object, got an array",
        "synjson.state: expected an object, got an array",
    ]


# ---------------------------------------------------------------- property: only FormatError escapes

SPECIAL = ["input", "output", "0", "1", "2", "03", "1\n", "LOGISTIC", "TANH", "toString", "__proto__", ""]
KEYS = ["neurons", "connections", "synjson", "layer", "bias", "from", "to", "weight", "gater", "squash",
        "trace", "elegibility", "state", "format_version", "inputs", "outputs", "architecture", "type"]
scalars = (
    st.none() | st.booleans() | st.integers(-3, 8) | st.integers() | st.floats() | st.text(max_size=6)
    | st.sampled_from(SPECIAL) | st.integers(10**308, 10**310) | st.sampled_from([4294967294, 4294967295, 1.0, -0.0])
)
junk = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.sampled_from(KEYS) | st.text(max_size=3),
                                                                inner, max_size=4),
    max_leaves=12,
)
index = st.integers(0, 5) | st.integers(0, 5).map(str) | junk
number = st.floats(-2, 2) | st.integers(-3, 3) | junk
neuron = st.fixed_dictionaries(
    {"layer": st.sampled_from(["input", "output", 0, 1, "0", "1"]) | junk, "bias": number},
    optional={"state": number, "old": number, "activation": number, "squash": st.sampled_from(SPECIAL) | junk,
              "trace": st.fixed_dictionaries({}, optional={"elegibility": junk, "extended": junk}) | junk},
)
connection = st.fixed_dictionaries({"from": index, "to": index, "weight": number}, optional={"gater": index})
synjson_block = st.fixed_dictionaries(
    {}, optional={"format_version": st.integers(0, 3) | junk, "tool": junk,
                  "inputs": st.lists(st.text(max_size=2), max_size=3) | junk, "outputs": junk,
                  "architecture": st.fixed_dictionaries({}, optional={"type": junk}) | junk, "state": junk},
)
network = st.fixed_dictionaries(
    {"neurons": st.lists(neuron, max_size=6) | junk, "connections": st.lists(connection, max_size=8) | junk},
    optional={"synjson": synjson_block | junk, "extra": junk},
)


@st.composite
def near_valid(draw: st.DrawFn) -> dict[str, Any]:
    """A valid network in either dialect (or a mix), then at most one change that may break it."""
    sizes = [draw(st.integers(1, 3)), *draw(st.lists(st.integers(1, 3), max_size=2)), draw(st.integers(1, 2))]
    layers: list[Any] = ["input"] * sizes[0] + ["output"] * sizes[-1]
    for h, size in enumerate(sizes[1:-1]):
        layers += [h] * size
    layers = draw(st.permutations(layers))  # interleaved layers load too
    dialect = st.sampled_from([int, str])
    neurons = [{"layer": draw(dialect)(layer) if isinstance(layer, int) else layer,
                "bias": draw(st.floats(-1, 1)), "squash": draw(st.sampled_from(["TANH", None, "FOO"]))}
               for layer in layers]
    count = len(neurons)
    pairs = draw(st.lists(st.tuples(st.integers(0, count - 1), st.integers(0, count - 1)), unique=True,
                          max_size=10))
    connections = [{"from": draw(dialect)(a), "to": draw(dialect)(b), "weight": draw(st.floats(-1, 1)),
                    "gater": draw(st.none() | st.integers(0, count - 1).map(draw(dialect)))} for a, b in pairs]
    doc: dict[str, Any] = {"neurons": neurons, "connections": connections}
    if draw(st.booleans()):
        doc["synjson"] = {"format_version": 1, "inputs": ["x"] * sizes[0], "outputs": ["y"] * sizes[-1]}
    target = draw(st.sampled_from([None, None, "neurons", "connections", "synjson", "duplicate"]))
    if target == "duplicate" and connections:
        connections.append(dict(draw(st.sampled_from(connections))))
    elif target in ("neurons", "connections") and doc[target]:
        item = draw(st.sampled_from(doc[target]))
        key = draw(st.sampled_from(sorted(item)))
        if draw(st.booleans()):
            del item[key]
        else:
            item[key] = draw(junk)
    elif target == "synjson":
        doc["synjson"] = draw(synjson_block | junk)
    return doc


documents = near_valid() | network | junk | network.map(lambda d: {k: v for k, v in d.items() if k != "neurons"})

@settings(max_examples=400, derandomize=True, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(doc=documents, allow_nan=st.booleans())
def test_only_format_errors_and_all_modes_agree(doc: Any, allow_nan: bool) -> None:
    original = copy.deepcopy(doc)
    try:
        validate(doc, allow_nan=allow_nan)
    except FormatError:
        valid = False
    else:
        valid = True
    accelerated = _collect(doc, allow_nan)
    assert messages(_collect(doc, allow_nan, full=True)) == messages(accelerated)
    with no_jsonschema():
        assert messages(_collect(doc, allow_nan)) == messages(accelerated)
    assert valid == (accelerated == [])
    if valid:
        build(doc)
    assert repr(doc) == repr(original)  # validate never changes the document


def test_a_file_of_many_bad_items_fails_fast_when_only_the_first_error_is_wanted():
    """A hostile file of 20 000 broken connections: validate stops after a bounded number of errors."""
    import time

    document = {
        "neurons": [{"bias": 0, "layer": "input"}, {"bias": 0, "layer": "output"}],
        "connections": [{} for _ in range(20_000)],
    }
    start = time.process_time()
    with pytest.raises(FormatError) as caught:
        validate(document)
    assert time.process_time() - start < 2.0
    assert caught.value.path == ("connections", 0)
    assert 1 <= len(caught.value.errors) <= 200
