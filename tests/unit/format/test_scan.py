"""Reading a file's connections straight into columns (``format/synaptic.py::_split``, kernel
``scan_connections``): the same network, or the same error, as parsing the whole text.
"""

from __future__ import annotations

import json

import pytest

import synjson
from synjson.engine.native import kernel
from synjson.format import synaptic

pytestmark = pytest.mark.skipif(kernel() is None, reason="the scan is the native kernel's")


def _usual(text: str | bytes, monkeypatch: pytest.MonkeyPatch, **options: object) -> object:
    """``loads`` down the usual path (the scan switched off), or the error it raises."""
    with monkeypatch.context() as patch:
        patch.setattr(synaptic, "_split", lambda *args: None)
        try:
            return synjson.dumps(synjson.loads(text, **options))
        except synjson.FormatError as error:
            return type(error), str(error)


def _scanned(text: str | bytes, **options: object) -> object:
    try:
        return synjson.dumps(synjson.loads(text, **options))
    except synjson.FormatError as error:
        return type(error), str(error)


def _text(seed: int = 4) -> str:
    net = synjson.architect.Perceptron(4, 6, 3, seed=seed)
    net.hidden_layers[0].neurons[2].project(net.hidden_layers[0].neurons[2])  # a self-connection
    return synjson.dumps(net)


def test_a_plain_file_is_scanned_and_loads_the_same(monkeypatch: pytest.MonkeyPatch) -> None:
    text = _text()
    assert synaptic._split(text, None, "refuse") is not None
    assert synaptic._split(text.encode(), None, "refuse") is not None
    assert _scanned(text) == _usual(text, monkeypatch) == text
    indented = synjson.dumps(synjson.loads(text), indent=2)
    assert synaptic._split(indented, None, "refuse") is not None  # white space is fine
    assert _scanned(indented) == _usual(indented, monkeypatch) == text


def _variants() -> list[str]:
    doc = json.loads(_text())
    out = []
    for change in (
        lambda d: d["connections"][3].update({"from": str(d["connections"][3]["from"])}),  # 1.0.x dialect
        lambda d: d["connections"][3].update({"to": 99}),  # no such neuron
        lambda d: d["connections"].append(dict(d["connections"][0])),  # a repeated pair
        lambda d: d["connections"][1].update({"weight": 1e400}),  # past the doubles
        lambda d: d["connections"][1].update({"weight": -0}),
        lambda d: d["connections"][1].update({"weight": 12345678901234567890123}),
        lambda d: d["connections"][1].update({"gater": 2}),
        lambda d: d.update({"extra": {"connections": []}}),  # the key twice
        lambda d: d.update({"note": 'a "connections": [] string'}),
        lambda d: d.update({"connections": d.pop("connections")}),  # last in the object
        lambda d: d.pop("neurons"),
    ):
        changed = json.loads(json.dumps(doc))
        change(changed)
        out.append(json.dumps(changed, separators=(",", ":")))
    return out


@pytest.mark.parametrize("text", _variants())
def test_anything_else_gives_the_usual_network_or_error(text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    for options in ({}, {"duplicates": "synaptic"}):
        assert _scanned(text, **options) == _usual(text, monkeypatch, **options)


def test_limits_and_escapes(monkeypatch: pytest.MonkeyPatch) -> None:
    text = _text()
    for limits in (synjson.Limits(max_connections=5), synjson.Limits(max_neurons=3), synjson.Limits(max_depth=2)):
        assert _scanned(text, limits=limits) == _usual(text, monkeypatch, limits=limits)
        assert _scanned(text, limits=limits)[0] is synjson.LimitError
    escaped = text.replace('"connections"', '"\\u0063onnections"')
    assert synaptic._split(escaped, None, "refuse") is None
    assert _scanned(escaped) == _usual(escaped, monkeypatch)


def test_scan_connections_reads_numbers_as_json_does() -> None:
    body = '[{"from":0,"to":1,"weight":-0},{"from":1,"to":0,"weight":-0.0,"gater":null},' \
           '{"from":2,"to":0,"weight":1E5,"gater":1},{"from":0,"to":2,"weight":0.1000000000000000055511151231257827}]'
    end, _source, _target, gater, weight, unique = kernel().scan_connections(body.encode(), 0)
    assert end == len(body) and unique
    from array import array

    column = array("d")
    column.frombytes(weight)
    expected = [float(c["weight"]) for c in json.loads(body)]
    assert [repr(x) for x in column] == [repr(x) for x in expected]
    assert list(array("i", gater)) == [-1, -1, 1, -1]
    for bad in ('[{"from":0,"to":1}]', '[{"to":1,"from":0,"weight":1}]', '[{"from":-1,"to":1,"weight":1}]',
                '[{"from":0,"to":1,"weight":NaN}]', '[{"from":0,"to":1,"weight":1.}]', '[{"from":0,"to":1,"weight":1}'):
        assert kernel().scan_connections(bad.encode(), 0) is None, bad
