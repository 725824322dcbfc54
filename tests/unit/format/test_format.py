"""synjson.format.synaptic: dumps byte for byte, js_number, loads' error messages, and the file verbs.

The expected texts below were checked once against Node 20's ``JSON.stringify``
(``tests/property/test_node_agreement.py`` keeps checking random networks).
"""

from __future__ import annotations

import io
import json
import math
from pathlib import Path

import pytest

import synjson
from synjson import FormatError, Limits, SynjsonError
from synjson.format.synaptic import js_number, parse

# Old dialect in, new dialect out: string indices, a null squash (LOGISTIC), a self-connection
# whose weight loads as 1 (Q-SELF1), a gated connection, an extra key kept for the round trip.
TINY = {
    "neurons": [
        {"bias": 0, "layer": "input", "squash": "LOGISTIC"},
        {"bias": -0.25, "layer": "0", "squash": "TANH", "state": 1.5e-7, "old": -0.0, "activation": 1e21},
        {"bias": 0.1, "layer": "output", "squash": None},
    ],
    "connections": [
        {"from": "0", "to": "1", "weight": 0.5, "gater": None},
        {"from": 1, "to": 2, "weight": -1e-7, "gater": 2},
        {"from": 1, "to": 1, "weight": 0.3},
    ],
    "name": "tiny",
}
TRACE = '"trace":{"elegibility":{},"extended":{}}'
TINY_TEXT = (
    '{"neurons":['
    f'{{{TRACE},"state":0,"old":0,"activation":0,"bias":0,"layer":"input","squash":"LOGISTIC"}},'
    f'{{{TRACE},"state":1.5e-7,"old":0,"activation":1e+21,"bias":-0.25,"layer":0,"squash":"TANH"}},'
    f'{{{TRACE},"state":0,"old":0,"activation":0,"bias":0.1,"layer":"output","squash":"LOGISTIC"}}'
    '],"connections":['
    '{"from":0,"to":1,"weight":0.5,"gater":null},'
    '{"from":1,"to":2,"weight":-1e-7,"gater":2},'
    '{"from":1,"to":1,"weight":1,"gater":null}'
    '],"name":"tiny"}'
)


def test_dumps_is_byte_exact() -> None:
    assert synjson.dumps(synjson.from_json(TINY)) == TINY_TEXT


def test_dumps_with_indent_matches_json_stringify_with_a_space_argument() -> None:
    net = synjson.from_json(TINY)
    indented = synjson.dumps(net, indent=2)
    assert indented.startswith('{\n  "neurons": [\n    {\n      "trace": {\n        "elegibility": {},')
    assert "".join(line.strip() for line in indented.splitlines()).replace('": ', '":') == TINY_TEXT
    assert synjson.dumps(net, indent="\t").startswith(
        '{\n\t"neurons": [\n\t\t{\n\t\t\t"trace": {\n\t\t\t\t"elegibility": {},'
    )


def test_dumps_refuses_nan_unless_allowed() -> None:
    net = synjson.from_json(TINY)
    net.output_layer.neurons[0].bias = math.nan
    with pytest.raises(SynjsonError) as raised:
        synjson.dumps(net)
    assert str(raised.value) == "cannot write nan: JSON has no NaN or Infinity (pass allow_nan=True)"
    assert '"bias":NaN' in synjson.dumps(net, allow_nan=True)


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (0.0, "0"),
        (-0.0, "0"),
        (1.0, "1"),
        (-1.5, "-1.5"),
        (100.0, "100"),
        (0.1, "0.1"),
        (1 / 3, "0.3333333333333333"),
        (4.35, "4.35"),
        (2.0**53, "9007199254740992"),
        (1e16, "10000000000000000"),
        (1e20, "100000000000000000000"),
        (123456789012345680000.0, "123456789012345680000"),
        (1e21, "1e+21"),
        (-1.5e21, "-1.5e+21"),
        (1.7976931348623157e308, "1.7976931348623157e+308"),
        (1e-6, "0.000001"),
        (1.2345e-5, "0.000012345"),
        (0.000123, "0.000123"),
        (1e-7, "1e-7"),
        (1.5e-7, "1.5e-7"),
        (-2.5e-8, "-2.5e-8"),
        (5e-324, "5e-324"),
        (2.2250738585072014e-308, "2.2250738585072014e-308"),
    ],
)
def test_js_number(value: float, text: str) -> None:
    assert js_number(value) == text
    assert float(text) == value


@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf])
def test_js_number_refuses_non_finite(value: float) -> None:
    with pytest.raises(ValueError, match="has no JSON representation"):
        js_number(value)


def test_lone_surrogates_are_escaped_and_pairs_joined() -> None:
    net = synjson.from_json(TINY)
    net.extra = {"s": "a\ud800b\ud83d\ude00c", "\udfff": 1}
    text = synjson.dumps(net)
    assert text.endswith('"s":"a\\ud800b\U0001f600c","\\udfff":1}')
    text.encode("utf-8")  # strict: the text is valid UTF-8
    assert synjson.loads(text).extra == {"s": "a\ud800b\U0001f600c", "\udfff": 1}


# -- loads: every failure is a FormatError with a stated message ---------------------------------


def _json_message(text: str) -> str:
    """The json module's own wording and place, which changed in Python 3.13 (trailing commas)."""
    try:
        json.loads(text)
    except json.JSONDecodeError as error:
        return f"{error.msg} (line {error.lineno}, column {error.colno})"
    raise AssertionError(f"{text!r} parsed")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ("", "not JSON: Expecting value (line 1, column 1)"),
        ("{", "not JSON: Expecting property name enclosed in double quotes (line 1, column 2)"),
        ('{"a":1,}', "not JSON: " + _json_message('{"a":1,}')),
        ("{}\n]", "not JSON: Extra data (line 2, column 1)"),
        ("\ufeff{}", "not JSON: Unexpected UTF-8 BOM (decode using utf-8-sig) (line 1, column 1)"),
        (b"\xff{}", "not UTF-8 text: invalid byte at offset 0"),
        (b'{"a": "\xed\xa0\x80"}', "not UTF-8 text: invalid byte at offset 7"),
        (b'{"a": "\xc3', "not UTF-8 text: invalid byte at offset 7"),
        ("[]", "expected an object, got an array"),
        (123, "expected JSON text, got int"),
        (None, "expected JSON text, got NoneType"),
        (
            '{"neurons": [], "connections": [], "x": ' + "9" * 5000 + "}",
            "not a network: an integer has more than 4300 digits",
        ),
    ],
)
def test_loads_error_messages(data: object, message: str) -> None:
    with pytest.raises(FormatError) as raised:
        synjson.loads(data)  # type: ignore[arg-type]
    assert str(raised.value) == message


def test_loads_names_the_place_of_a_bad_value() -> None:
    document = json.loads(TINY_TEXT)
    document["connections"][1]["weight"] = "heavy"
    with pytest.raises(FormatError) as raised:
        synjson.loads(json.dumps(document))
    assert raised.value.path == ("connections", 1, "weight")
    assert str(raised.value) == 'connections[1].weight: expected a number, got the string "heavy"'


def test_nan_and_infinity_need_allow_nan() -> None:
    text = TINY_TEXT.replace('"bias":0.1', '"bias":NaN').replace('"weight":0.5', '"weight":-Infinity')
    with pytest.raises(FormatError) as raised:
        synjson.loads(text)
    assert str(raised.value) == "neurons[2].bias: NaN is not allowed (pass allow_nan=True to accept)"
    net = synjson.loads(text, allow_nan=True)
    assert math.isnan(net.output_layer.neurons[0].bias)
    assert synjson.dumps(net, allow_nan=True) == text


def test_a_utf8_bom_is_accepted_in_bytes() -> None:
    assert synjson.dumps(synjson.loads(b"\xef\xbb\xbf" + TINY_TEXT.encode())) == TINY_TEXT


def test_recursion_error_from_a_deep_stack_is_a_format_error() -> None:
    """With max_depth raised past Python's recursion limit, json.loads' RecursionError is mapped."""
    # deep enough for every supported Python's json module (3.12+ allow far more than 3.11)
    text = '{"neurons": [], "connections": [], "x": ' + "[" * 200_000 + "]" * 200_000 + "}"
    with pytest.raises(FormatError) as raised:
        synjson.loads(text, limits=Limits(max_depth=200_001))
    assert str(raised.value) == "not a network: JSON nested too deeply"


def test_parse_returns_plain_json() -> None:
    assert parse(b'{"a": [1, 2.5, null]}') == {"a": [1, 2.5, None]}


# -- from_json, and the file verbs ------------------------------------------------------------------


def test_from_json_reads_both_dialects_and_keeps_extra_keys() -> None:
    net = synjson.from_json(TINY)
    assert (net.inputs(), len(net.hidden_layers), net.outputs()) == (1, 1, 1)
    assert net.extra == {"name": "tiny"}
    hidden = net.hidden_layers[0].neurons[0]
    assert hidden.selfconnection.weight == 1.0  # Q-SELF1: the file said 0.3
    assert hidden.projected[0].gater is net.output_layer.neurons[0]


def test_from_json_does_not_change_its_argument() -> None:
    before = json.dumps(TINY)
    synjson.from_json(TINY)
    assert json.dumps(TINY) == before


def test_dump_and_load_through_file_objects() -> None:
    net = synjson.from_json(TINY)
    buffer = io.StringIO()
    synjson.dump(net, buffer)
    assert buffer.getvalue() == TINY_TEXT
    buffer.seek(0)
    assert synjson.dumps(synjson.load(buffer)) == TINY_TEXT
    assert synjson.dumps(synjson.load(io.BytesIO(TINY_TEXT.encode()))) == TINY_TEXT


def test_save_and_read(tmp_path: Path) -> None:
    net = synjson.from_json(TINY)
    path = synjson.save(net, tmp_path / "tiny.json")
    assert path == tmp_path / "tiny.json"
    assert path.read_text("utf-8") == TINY_TEXT
    assert synjson.dumps(synjson.read(path)) == TINY_TEXT
    synjson.save(net, path, indent=2)
    assert synjson.dumps(synjson.read(str(path))) == TINY_TEXT


def test_read_of_a_missing_file_raises_file_not_found(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        synjson.read(tmp_path / "missing.json")


@pytest.mark.parametrize(
    "path", sorted((Path(__file__).parents[2] / "data" / "valid").glob("*.json")), ids=str
)
def test_every_valid_file_round_trips(path: Path) -> None:
    net = synjson.read(path)
    text = synjson.dumps(net)
    assert synjson.dumps(synjson.loads(text)) == text


def test_load_takes_a_path_too(tmp_path: Path) -> None:
    path = tmp_path / "xor.json"
    path.write_text(TINY_TEXT, encoding="utf-8")
    assert synjson.dumps(synjson.load(str(path))) == TINY_TEXT
    assert synjson.dumps(synjson.load(path)) == TINY_TEXT
    with pytest.raises(FileNotFoundError):
        synjson.load(str(tmp_path / "missing.json"))
    with pytest.raises(TypeError, match=r"^load\(\) takes a file object or a path, got int$"):
        synjson.load(3)
