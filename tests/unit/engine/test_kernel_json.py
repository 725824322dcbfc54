"""The native kernel's JSON writer: byte for byte what the pure-Python path writes."""

from __future__ import annotations

import random
import struct

import pytest
from test_engine_common import NETWORKS

import synjson
from synjson import architect
from synjson.document.text import _encode, js_number
from synjson.engine import _kernel

SPECIAL = [0.0, -0.0, 1.0, -1.0, 0.1, 100.0, 123.45, 1e-6, 1e-7, 1.5e-7, 1e16, 1.5e16, 1e20, 1e21, 1e22, 1.5e21,
           123456789012345680000.0, 5e-324, 2.2250738585072014e-308, 1.7976931348623157e308, -0.001, 0.000123,
           1 / 3, -2 / 3, 9007199254740993.0, 4.35, 0.3]


def test_numbers_are_written_as_format_js_number_writes_them() -> None:
    rng = random.Random(14)
    values = list(SPECIAL)
    while len(values) < 50_000:
        value = struct.unpack("<d", rng.getrandbits(64).to_bytes(8, "little"))[0]
        if value == value and abs(value) != float("inf"):
            values.append(value)
    values += [rng.uniform(-1, 1) * 10 ** rng.randint(-30, 30) for _ in range(20_000)]
    assert [_kernel.js_number(v) for v in values] == [js_number(v) for v in values]
    for bad in (float("nan"), float("inf"), -float("inf")):
        with pytest.raises(ValueError) as expected:
            js_number(bad)
        with pytest.raises(ValueError) as got:
            _kernel.js_number(bad)
        assert str(got.value) == str(expected.value)


def general(net: synjson.Network) -> str:
    """The general encoder over to_json's dict: what dumps wrote before any fast path."""
    out: list[str] = []
    _encode(synjson.to_json(net), None, 0, False, out)
    return "".join(out)


@pytest.mark.parametrize("name", sorted(NETWORKS))
def test_saving_writes_the_same_bytes(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    net = NETWORKS[name]()
    net.activate([0.5] * net.inputs())
    native = synjson.dumps(net)
    monkeypatch.setenv("SYNJSON_PURE", "1")
    assert synjson.dumps(net) == native == general(net)


def test_a_big_trained_model_writes_the_same_bytes(monkeypatch: pytest.MonkeyPatch) -> None:
    net = architect.Perceptron(40, 60, 5, seed=3)
    rng = random.Random(1)
    for _ in range(20):
        net.activate([rng.random() for _ in range(40)])
        net.propagate(0.3, [rng.random() for _ in range(5)])
    net.hidden_layers[0].neurons[0].inputs[0].weight = 1e-300
    net.hidden_layers[0].neurons[0].inputs[1].weight = -3e21
    native = synjson.dumps(net)
    monkeypatch.setenv("SYNJSON_PURE", "1")
    assert synjson.dumps(net) == native == general(net)


def test_a_non_finite_weight_is_refused_as_before(monkeypatch: pytest.MonkeyPatch) -> None:
    net = architect.Perceptron(2, 3, 1, seed=1)
    net.hidden_layers[0].neurons[0].inputs[0].weight = float("nan")
    message = r"^cannot write nan: JSON has no NaN or Infinity \(pass allow_nan=True\)$"
    with pytest.raises(synjson.SynjsonError, match=message):
        synjson.dumps(net)
    assert '"weight":NaN' in synjson.dumps(net, allow_nan=True)
    monkeypatch.setenv("SYNJSON_PURE", "1")
    with pytest.raises(synjson.SynjsonError, match=message):
        synjson.dumps(net)
