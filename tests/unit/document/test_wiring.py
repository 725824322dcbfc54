"""synjson.document.wiring: connections checked as columns give the full validation's verdict.

The pure path is the specification; the native kernel's ``connection_table`` must answer the same.
A table is returned only for documents ``validate`` accepts, so a file gets the same verdict and
messages either way.
"""

from __future__ import annotations

import copy
import random

import pytest

import synjson
from synjson.document.validate import validate
from synjson.document.wiring import connection_table
from synjson.engine.native import kernel

SCANS = [pytest.param(None, id="pure")]
if kernel() is not None:
    SCANS.append(pytest.param(kernel().connection_table, id="native"))


def _document() -> dict:
    return synjson.to_json(synjson.architect.Perceptron(3, 4, 2, seed=7))


def _validates(doc: dict, **options: object) -> bool:
    try:
        validate(doc, **options)
    except synjson.FormatError:
        return False
    return True


PLAIN_BREAKERS = [
    ("from", -1), ("from", 9), ("from", 1.0), ("from", True), ("from", None), ("from", "01"), ("from", "x"),
    ("from", "١"), ("to", 2**40), ("to", "12345678901"), ("gater", -1), ("gater", 9), ("gater", False),
    ("weight", None), ("weight", "0.5"), ("weight", True), ("weight", float("nan")), ("weight", float("inf")),
    ("weight", 10**400), ("weight", [1]),
]


@pytest.mark.parametrize("scan", SCANS)
def test_a_valid_document_gives_its_columns(scan: object) -> None:
    doc = _document()
    table = connection_table(doc["connections"], len(doc["neurons"]), scan=scan)
    assert table is not None
    assert list(table.source) == [c["from"] for c in doc["connections"]]
    assert list(table.target) == [c["to"] for c in doc["connections"]]
    assert list(table.gater) == [-1] * len(doc["connections"])
    assert list(table.weight) == [c["weight"] for c in doc["connections"]]
    assert (table.gated, table.unique) == (0, True)


@pytest.mark.parametrize("scan", SCANS)
def test_string_indices_and_integer_weights_are_plain(scan: object) -> None:
    doc = _document()
    doc["connections"][0].update({"from": "0", "to": "3", "weight": 2, "gater": "8"})
    table = connection_table(doc["connections"], len(doc["neurons"]), scan=scan)
    assert table is not None and _validates(doc)
    assert (table.source[0], table.target[0], table.gater[0], table.weight[0], table.gated) == (0, 3, 8, 2.0, 1)


@pytest.mark.parametrize("scan", SCANS)
@pytest.mark.parametrize(("key", "value"), PLAIN_BREAKERS)
def test_anything_validate_refuses_is_not_plain(scan: object, key: str, value: object) -> None:
    doc = _document()
    doc["connections"][5][key] = value
    assert not _validates(doc)
    assert connection_table(doc["connections"], len(doc["neurons"]), scan=scan) is None


@pytest.mark.parametrize("scan", SCANS)
def test_missing_keys_and_non_objects_are_not_plain(scan: object) -> None:
    doc = _document()
    for broken in ({"from": 0, "to": 3}, {"to": 3, "weight": 0.1}, [0, 3, 0.1], None):
        bad = copy.deepcopy(doc)
        bad["connections"][2] = broken
        assert connection_table(bad["connections"], len(bad["neurons"]), scan=scan) is None
    assert connection_table({"0": {}}, 3, scan=scan) is None


@pytest.mark.parametrize("scan", SCANS)
def test_repeated_pairs(scan: object) -> None:
    doc = _document()
    doc["connections"].append(dict(doc["connections"][0]))
    count = len(doc["neurons"])
    assert connection_table(doc["connections"], count, scan=scan) is None  # refused: validate says where
    table = connection_table(doc["connections"], count, duplicates="synaptic", scan=scan)
    assert table is not None and table.unique is False


@pytest.mark.parametrize("scan", SCANS)
def test_nan_with_allow_nan(scan: object) -> None:
    doc = _document()
    doc["connections"][1]["weight"] = float("nan")
    table = connection_table(doc["connections"], len(doc["neurons"]), allow_nan=True, scan=scan)
    assert table is not None and table.weight[1] != table.weight[1]


@pytest.mark.skipif(kernel() is None, reason="needs the native kernel (the pure path is checked above)")
def test_native_and_pure_agree_on_random_mutations() -> None:
    rng = random.Random(24)
    values = [0, 1, 8, 9, -1, "3", "03", None, True, 0.5, 1e308, float("inf"), 10**30, "x", [], {}]
    base = _document()
    for _ in range(400):
        doc = copy.deepcopy(base)
        for _ in range(rng.randrange(1, 3)):
            item = rng.choice(doc["connections"])
            item[rng.choice(["from", "to", "weight", "gater"])] = rng.choice(values)
        count = len(doc["neurons"])
        for duplicates in ("refuse", "synaptic"):
            pure = connection_table(doc["connections"], count, duplicates=duplicates)
            native = connection_table(doc["connections"], count, duplicates=duplicates,
                                      scan=kernel().connection_table)
            assert (pure is None) == (native is None)
            if pure is not None:
                assert pure == native
                assert _validates(doc, duplicates=duplicates)
