"""schema/network.schema.json on its own: well-formed, documented, shipped, and what it accepts."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

ROOT = Path(__file__).parents[3]
SCHEMA_PATH = ROOT / "schema" / "network.schema.json"
DATA = ROOT / "tests" / "data"
SCHEMA = json.loads(SCHEMA_PATH.read_text("utf-8"))

# Invalid files whose problem no JSON Schema can express: synjson.validate's semantic checks find them.
SEMANTIC_ONLY = {
    "activation-1e400.json",  # Python reads 1e400 as inf; JSON Schema has no NaN or Infinity
    "bias-huge-integer.json",  # a number, but no double holds it
    "bias-nan.json",
    "weight-minus-infinity.json",
    "duplicate-after-reverse.json",
    "duplicate-connection.json",
    "duplicate-self-connection-twice.json",
    "empty-network.json",
    "no-input-neuron.json",
    "no-output-neuron.json",
    "hidden-layer-gap.json",
    "hidden-layer-not-from-zero.json",
    "to-out-of-range.json",
    "gater-out-of-range.json",
    "synjson-newer-format.json",
    "synjson-name-count.json",
    "from-float.json",  # 1.0 is an integer to JSON Schema
    # Python's re.search lets "$" match before a final newline; an ECMA-262 validator refuses these.
    "from-digit-newline.json",
    "layer-digit-newline.json",
}


def test_schema_is_valid_draft_2020_12() -> None:
    assert SCHEMA["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    Draft202012Validator.check_schema(SCHEMA)


def test_wheel_copy_is_byte_identical() -> None:
    shipped = ROOT / "synjson" / "data" / "network.schema.json"
    assert shipped.read_bytes() == SCHEMA_PATH.read_bytes()


def _undocumented(node: Any, where: str) -> list[str]:
    """Every property, $defs entry and anyOf branch must carry a description."""
    missing = []
    if isinstance(node, dict):
        for key in ("properties", "$defs"):
            for name, sub in node.get(key, {}).items():
                if "description" not in sub:
                    missing.append(f"{where}/{key}/{name}")
        for i, sub in enumerate(node.get("anyOf", [])):
            if "description" not in sub:
                missing.append(f"{where}/anyOf/{i}")
        for key, sub in node.items():
            missing += _undocumented(sub, f"{where}/{key}")
    elif isinstance(node, list):
        for i, sub in enumerate(node):
            missing += _undocumented(sub, f"{where}/{i}")
    return missing


def test_every_field_has_a_description() -> None:
    assert "description" in SCHEMA
    assert _undocumented(SCHEMA, "#") == []


def _network(**changes: Any) -> dict[str, Any]:
    neuron = {"bias": 0.5, "layer": "input"}
    connection = {"from": 0, "to": 1, "weight": 0.25, "gater": None}
    doc = {"neurons": [neuron, {"bias": 0.5, "layer": "output"}], "connections": [connection]}
    for key, value in changes.items():
        where, field = key.split("__")
        target = doc["neurons"][0] if where == "neuron" else doc["connections"][0]
        target[field] = value
    return doc


@pytest.mark.parametrize(
    "changes",
    [
        {"connection__weight": True},
        {"connection__from": True},
        {"connection__to": False},
        {"connection__gater": True},
        {"neuron__bias": False},
        {"neuron__state": True},
        {"neuron__layer": True},
    ],
)
def test_booleans_are_not_numbers_or_integers(changes: dict[str, Any]) -> None:
    validator = Draft202012Validator(SCHEMA)
    assert validator.is_valid(_network())
    assert not validator.is_valid(_network(**changes))


def test_format_version_refuses_a_boolean() -> None:
    validator = Draft202012Validator(SCHEMA)
    assert validator.is_valid({**_network(), "synjson": {"format_version": 1}})
    assert not validator.is_valid({**_network(), "synjson": {"format_version": True}})


@pytest.mark.parametrize("value", [0, 7, "0", "7", "4294967294", 4294967294, None])
def test_gater_accepts_both_dialects_and_null(value: object) -> None:
    assert Draft202012Validator(SCHEMA).is_valid(_network(connection__gater=value))


@pytest.mark.parametrize("value", [-1, "-1", "07", " 7", "7.0", 1.5, "", 4294967295, "٣"])
def test_index_refuses(value: object) -> None:
    assert not Draft202012Validator(SCHEMA).is_valid(_network(connection__to=value))


@pytest.mark.parametrize("path", sorted((DATA / "valid").glob("*.json")), ids=lambda p: p.name)
def test_schema_accepts_valid_files(path: Path) -> None:
    assert list(Draft202012Validator(SCHEMA).iter_errors(json.loads(path.read_text()))) == []


INVALID = sorted(p for p in (DATA / "invalid").glob("*.json") if p.name != "expected.json")


@pytest.mark.parametrize("path", INVALID, ids=lambda p: p.name)
def test_schema_refuses_structural_problems(path: Path) -> None:
    valid = Draft202012Validator(SCHEMA).is_valid(json.loads(path.read_text()))
    assert valid == (path.name in SEMANTIC_ONLY)
