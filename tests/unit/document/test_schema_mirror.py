"""The schema owns the format (issue 21, item 3): the validator's hand-written mirror agrees with it rule by rule.

``synjson.document.validate`` checks structure with a fast mirror of schema/network.schema.json
(``_walk``; Pyodide has no jsonschema, and the mirror is 15x faster on big files). This test walks
the schema itself: for every place a value can sit (every property, array item and the
``synjson`` block, each reached through its ``$ref``), it tries the values each rule there is
about (every JSON type, the enum members and a stranger, both sides of every minimum and maximum,
strings for every pattern, the members of every ``not``), and removes each required key in turn.
For each resulting document jsonschema and the mirror must give the same verdict at the same
paths. Editing either one alone (a new property, type, bound, pattern, enum member or required
key) makes a case disagree; and every rule of the schema must have been exercised, so a rule the
walk cannot reach fails too.

Two differences are by design and listed in ``STRICTER`` (the semantic checks refuse the same
files, see tests/unit/document/test_schema.py ``SEMANTIC_ONLY``).
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from synjson.document.validate import _walk

ROOT = Path(__file__).resolve().parents[3]
SCHEMA = json.loads((ROOT / "schema" / "network.schema.json").read_text("utf-8"))
VALIDATOR = Draft202012Validator(SCHEMA)
RULES = ("type", "enum", "pattern", "minimum", "maximum", "required", "not", "anyOf", "items", "properties")
Location = tuple[str | int, ...]

#: (probe, why): values jsonschema (Python) accepts where the mirror refuses, on purpose.
STRICTER = {
    # JSON Schema calls 1.0 an integer; as an index or a hidden layer Synaptic's 1.0.11 dialect never
    # writes it, and the mirror asks for an int or a string of digits.
    repr(1.0): "1.0 is an integer to JSON Schema",
    # Python's re.search lets "$" match before a final newline; ECMA-262 (the schema's dialect) does not.
    repr("7\n"): 'Python\'s "$" matches before a final newline',
}


def deref(node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        target: Any = SCHEMA
        for part in node["$ref"].removeprefix("#/").split("/"):
            target = target[part]
        node = {**{k: v for k, v in node.items() if k != "$ref"}, **target}
    return node


def example(node: dict[str, Any]) -> Any:
    """A value the schema accepts at ``node``, with every optional property present."""
    node = deref(node)
    if "examples" in node:
        return node["examples"][0]
    if "enum" in node:
        return node["enum"][0]
    if "anyOf" in node:
        return example(node["anyOf"][0])
    kind = node.get("type")
    kind = kind[0] if isinstance(kind, list) else kind
    if kind == "object":
        return {key: example(sub) for key, sub in node.get("properties", {}).items() if "type" in deref(sub)
                or "anyOf" in deref(sub) or "enum" in deref(sub)}
    if kind == "array":
        return [example(node["items"])]
    if kind == "integer":
        return node.get("minimum", 0)
    if kind == "number":
        return 0.5
    if kind == "string":
        return "0" if "pattern" in node else "name"
    return None


def document() -> dict[str, Any]:
    """A valid network with every property the schema describes: the first neuron has them all."""
    doc = example(SCHEMA)
    doc["neurons"].append({"bias": 0, "layer": "output"})
    doc["connections"][0].update({"from": 0, "to": 1})
    return doc


def locations(node: dict[str, Any], where: Location = ()) -> Iterator[tuple[Location, dict[str, Any]]]:
    """Every place in a document the schema says something about, with the (dereferenced) rules there."""
    node = deref(node)
    yield where, node
    for key, sub in node.get("properties", {}).items():
        yield from locations(sub, (*where, key))
    if "items" in node:
        yield from locations(node["items"], (*where, 0))


PALETTE: list[Any] = [None, True, False, 0, 1, -1, 7, 0.5, 1.0, "", "0", "7", "07", "-1", " 7", "7\n", "x",
                      [], ["a"], [1], {}, {"type": 1}]


def probes(node: dict[str, Any]) -> list[Any]:
    """The palette plus the values the rules at ``node`` name: enum members, bounds, examples."""
    values = list(PALETTE)
    for rules in [node, *node.get("anyOf", []), node.get("not", {})]:
        rules = deref(rules)
        values += rules.get("enum", []) + rules.get("examples", []) + ["not " + str(m) for m in rules.get("enum", [])]
        for bound, step in (("minimum", -1), ("maximum", 1)):
            if bound in rules:
                values += [rules[bound], rules[bound] + step, str(rules[bound]), str(rules[bound] + step)]
    unique: dict[str, Any] = {}
    for value in values:
        unique.setdefault(repr(value), value)
    return list(unique.values())


def put(doc: dict[str, Any], where: Location, value: Any) -> dict[str, Any]:
    changed = copy.deepcopy(doc)
    target: Any = changed
    for part in where[:-1]:
        target = target[part]
    target[where[-1]] = value
    return changed


def without(doc: dict[str, Any], where: Location, key: str) -> dict[str, Any]:
    changed = copy.deepcopy(doc)
    target: Any = changed
    for part in where:
        target = target[part]
    del target[key]
    return changed


def schema_paths(doc: Any) -> set[Location]:
    return {tuple(error.absolute_path) for error in VALIDATOR.iter_errors(doc)}


def mirror_paths(doc: Any) -> set[Location]:
    return {error.path for error in _walk(doc, "document", ())}


def cases() -> Iterator[tuple[str, Any]]:
    base = document()
    yield "valid", base
    for where, node in locations(SCHEMA):
        for value in probes(node):
            yield f"{'.'.join(map(str, where)) or 'document'}={value!r}", put(base, where, value) if where else value
        for key in node.get("required", []):
            yield f"{'.'.join(map(str, where)) or 'document'} without {key}", without(base, where, key)


CASES = list(cases())


def test_the_example_document_is_valid_and_complete() -> None:
    doc = document()
    assert schema_paths(doc) == set() == mirror_paths(doc)
    assert set(doc["neurons"][0]) == set(deref(SCHEMA["$defs"]["neuron"])["properties"])
    assert set(doc["connections"][0]) == set(deref(SCHEMA["$defs"]["connection"])["properties"])


@pytest.mark.parametrize(("name", "doc"), CASES, ids=[name for name, _ in CASES])
def test_mirror_and_schema_agree(name: str, doc: Any) -> None:
    by_schema, by_mirror = schema_paths(doc), mirror_paths(doc)
    if by_schema != by_mirror and name.endswith(tuple("=" + key for key in STRICTER)):
        assert by_schema < by_mirror, f"{name}: the mirror may only be stricter here ({STRICTER[name.split('=')[-1]]})"
        return
    assert by_schema == by_mirror, f"{name}: jsonschema finds problems at {by_schema}, the mirror at {by_mirror}"


def exercised(errors: Any) -> Iterator[tuple[Location, str]]:
    for error in errors:
        yield tuple(error.absolute_path), error.validator
        yield from exercised(error.context or ())


def test_every_rule_of_the_schema_is_exercised() -> None:
    """Each rule at each place refused at least one case: the walk reaches the whole schema."""
    seen = {rule for _, doc in CASES for rule in exercised(VALIDATOR.iter_errors(doc))}
    wanted = set()
    for where, node in locations(SCHEMA):
        for rules in [node, *node.get("anyOf", [])]:
            rules = deref(rules)
            wanted |= {(where, rule) for rule in RULES if rule in rules and rule not in ("items", "properties")}
    assert wanted, "the schema has no rules?"
    assert wanted - seen == set()


@pytest.mark.parametrize(
    "edit",
    [
        lambda s: s["$defs"]["neuron"]["required"].append("state"),
        lambda s: s["$defs"]["connection"]["properties"]["weight"].update({"minimum": 0}),
        lambda s: s["$defs"]["synjson"]["properties"].update({"tool": {"description": "x", "type": "integer"}}),
        lambda s: s["$defs"]["index"]["anyOf"][0].update({"maximum": 99}),
        lambda s: s["$defs"]["neuron"]["properties"]["squash"]["not"]["enum"].append("LOGISTIC"),
    ],
    ids=["required", "minimum", "type", "maximum", "not-enum"],
)
def test_a_schema_edited_alone_is_caught(edit: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """The same walk over a schema changed without the mirror finds a disagreement."""
    edited = copy.deepcopy(SCHEMA)
    edit(edited)
    monkeypatch.setitem(globals(), "SCHEMA", edited)
    validator = Draft202012Validator(edited)
    disagreement = next(
        (
            name for name, doc in cases()
            if {tuple(e.absolute_path) for e in validator.iter_errors(doc)} != mirror_paths(doc)
            and not name.endswith(tuple("=" + key for key in STRICTER))
        ),
        None,
    )
    assert disagreement is not None
