"""Column-wise load and save: the same plan, the same text and the same errors as the object path."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from test_engine_common import NETWORKS, data, train

import synjson
from synjson import Limits, architect, columnar
from synjson.errors import FormatError, LimitError
from synjson.plan import Plan, compile_network

DATA = Path(__file__).resolve().parents[1] / "data"
LOADABLE = sorted(set(NETWORKS) - {"reproject_both_ways"})  # Q-DUP: that one cannot load


def fields(plan: Plan) -> dict[str, object]:
    values = {name: getattr(plan, name) for name in plan.__dataclass_fields__}
    values["blocks"] = [vars(block) for block in plan.blocks]
    return values


def uses_fast_path(text: str | bytes) -> bool:
    try:
        columnar._fast([text.encode() if isinstance(text, str) else text], synjson.limits.DEFAULT_LIMITS)
    except columnar._Slow:
        return False
    return True


@pytest.mark.parametrize("name", LOADABLE)
def test_same_plan_as_the_object_path(name: str) -> None:
    net = NETWORKS[name]()
    train(net, data(net, 5, 1))  # states and activations in the file
    text = synjson.dumps(net)
    assert fields(columnar.loads_plan(text)) == fields(compile_network(synjson.loads(text))[0])


@pytest.mark.parametrize("name", LOADABLE)
def test_dumps_is_byte_identical(name: str) -> None:
    net = NETWORKS[name]()
    text = synjson.dumps(net)
    assert columnar.dumps_plan(columnar.loads_plan(text)) == text
    assert columnar.dumps_plan(compile_network(net)[0]) == text


def test_ungated_networks_take_the_fast_path_and_gated_ones_do_not() -> None:
    assert uses_fast_path(synjson.dumps(architect.Perceptron(5, 6, 2, seed=1)))
    assert uses_fast_path(synjson.dumps(NETWORKS["self_connected"]()))
    assert not uses_fast_path(synjson.dumps(NETWORKS["lstm_2_8_1"]()))


@pytest.mark.parametrize("path", sorted((DATA / "valid").glob("*.json")), ids=lambda p: p.name)
def test_valid_files(path: Path) -> None:
    assert fields(columnar.load_plan(path)) == fields(compile_network(synjson.read(path))[0])


@pytest.mark.parametrize("path", sorted((DATA / "invalid").glob("*.json")), ids=lambda p: p.name)
def test_invalid_files_raise_what_loads_raises(path: Path) -> None:
    with pytest.raises(FormatError) as expected:
        synjson.read(path)
    with pytest.raises(FormatError) as raised:
        columnar.load_plan(path)
    assert (type(raised.value), str(raised.value)) == (type(expected.value), str(expected.value))


def variants() -> dict[str, str]:
    net = architect.Perceptron(3, 4, 2, seed=2)
    text = synjson.dumps(net)
    document = json.loads(text)
    old = json.loads(text)
    for connection in old["connections"]:
        connection["from"], connection["to"] = str(connection["from"]), str(connection["to"])
    reordered = json.loads(text)
    reordered["connections"] = [{"to": c["to"], "from": c["from"], "weight": c["weight"], "gater": None}
                                for c in reordered["connections"]]
    return {
        "compact": text,
        "indented": json.dumps(document, indent=2),
        "spaces": json.dumps(document),
        "old dialect": json.dumps(old, separators=(",", ":")),
        "keys reordered": json.dumps(reordered),
        "exponents": text.replace('"weight":0.', '"weight":0.0e0').replace('"weight":-0.', '"weight":-1e-1'),
        "extra key before": '{"x":[{"from":0,"to":1,"weight":1,"gater":null}],' + text[1:],
        "extra key after": text[:-1] + ',"y":{"from":0,"to":1,"weight":1,"gater":null}}',
    }


@pytest.mark.parametrize("name", list(variants()))
def test_text_variants_load_as_the_object_path_loads_them(name: str) -> None:
    text = variants()[name]
    assert fields(columnar.loads_plan(text)) == fields(compile_network(synjson.loads(text))[0])


@pytest.mark.parametrize(
    "old, new",
    [
        ('"from":1,', '"from":01,'),
        ('"weight":0.', '"weight":.'),
        ('"weight":-0.', '"weight":+0.'),
        ('"gater":null}', '"gater":-1}'),
        ('"gater":null}', '"gater":null,}'),
        ('"to":5,', '"to":99,'),
        ('},{"from":1,', '}{"from":1,'),
        ('},{"from":1,', '},,{"from":1,'),
        ('"weight":0.', '"weight":1e999,"w":0.'),
    ],
)
def test_broken_connections_raise_what_loads_raises(old: str, new: str) -> None:
    text = synjson.dumps(architect.Perceptron(3, 4, 2, seed=2))
    assert old in text
    broken = text.replace(old, new, 1)
    with pytest.raises(FormatError) as expected:
        synjson.loads(broken)
    with pytest.raises(FormatError) as raised:
        columnar.loads_plan(broken)
    assert str(raised.value) == str(expected.value)


def test_a_pair_twice_is_refused() -> None:
    text = synjson.dumps(architect.Perceptron(2, 2, 1, seed=2))
    document = json.loads(text)
    document["connections"].append(dict(document["connections"][0]))
    broken = json.dumps(document, separators=(",", ":"))
    with pytest.raises(FormatError, match="second connection from neuron 0 to neuron 2"):
        columnar.loads_plan(broken)


def test_limits() -> None:
    text = synjson.dumps(architect.Perceptron(3, 4, 2, seed=2))
    with pytest.raises(LimitError, match="file has 20 connections, more than the limit of 10"):
        columnar.loads_plan(text, limits=Limits(max_connections=10))
    with pytest.raises(LimitError):
        columnar.loads_plan(text, limits=Limits(max_bytes=100))


def test_save_and_to_network(tmp_path: Path) -> None:
    net = architect.Perceptron(4, 6, 3, seed=5)
    path = tmp_path / "model.json"
    synjson.save(net, path)
    plan = columnar.load_plan(path)
    out = columnar.dump_plan(plan, tmp_path / "again.json")
    assert out.read_bytes() == path.read_bytes()
    assert synjson.dumps(columnar.to_network(plan)) == synjson.dumps(net)


def test_a_loaded_plan_runs_like_the_loaded_network() -> None:
    from synjson.engine.numpy import NumpyExecutor

    net = architect.Perceptron(10, 20, 3, seed=6)
    train(net, data(net, 20, 2))
    text = synjson.dumps(net)
    executor = NumpyExecutor(columnar.loads_plan(text))
    reference = synjson.loads(text)
    for inputs, targets in data(net, 50, 3):
        assert executor.activate(inputs) == pytest.approx(reference.activate(inputs), abs=1e-12)
        executor.propagate(0.1, targets)
        reference.propagate(0.1, targets)
