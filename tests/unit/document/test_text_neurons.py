"""encode's fast path for a document's neurons: the same bytes as the general encoder, or the general encoder."""

from __future__ import annotations

import math

import pytest

from synjson.document.text import _encode, _neurons, encode
from synjson.errors import SynjsonError


def neuron(**changes: object) -> dict[str, object]:
    plain: dict[str, object] = {"trace": {"elegibility": {}, "extended": {}}, "state": 0.0, "old": 0, "activation": 1.5,
                                "bias": -0.05240707458162173, "layer": "input", "squash": "LOGISTIC"}
    plain.update(changes)
    return plain


def general(value: object, allow_nan: bool = False) -> str:
    out: list[str] = []
    _encode(value, None, 0, allow_nan, out)
    return "".join(out)


PLAIN = [neuron(), neuron(layer=0, squash=None, state=-0.0, old=1e21, activation=1e-7, bias=5e-324),
         neuron(layer="h\u00e9\ud800", squash='TA"NH', bias=-3), neuron(layer=7, bias=123456789012345680000.0),
         neuron(layer="null", squash="input"), neuron(layer="LOGISTIC", squash=None), neuron(layer=0, squash="null")]


def test_plain_neurons_are_written_as_the_general_encoder_writes_them() -> None:
    document = {"neurons": PLAIN, "connections": [{"from": 0, "to": 1, "weight": 0.25, "gater": None}]}
    assert _neurons(PLAIN) == general(PLAIN)
    assert encode(document) == general(document)
    assert encode(document, connections_text='[{"from":0,"to":1,"weight":0.25,"gater":null}]') == general(document)
    assert _neurons(PLAIN).startswith('[{"trace":{"elegibility":{},"extended":{}},"state":0,"old":0,"activation":1.5,'
                                     '"bias":-0.05240707458162173,"layer":"input",')


@pytest.mark.parametrize("odd", [
    neuron(extra=1),  # a key to_json does not write
    dict(reversed(neuron().items())),  # another key order
    neuron(trace={"extended": {}, "elegibility": {}}),  # the trace's keys in another order
    neuron(trace={"elegibility": {"1": 0.5}, "extended": {}}),
    neuron(bias=math.nan), neuron(state=math.inf), neuron(old=True), neuron(activation="1"),
    neuron(layer=None), neuron(layer=True), neuron(squash=0),
])
def test_anything_else_goes_to_the_general_encoder(odd: dict[str, object]) -> None:
    assert _neurons([neuron(), odd]) is None
    document = {"neurons": [neuron(), odd], "connections": []}
    try:
        expected = general(document, allow_nan=True)
    except SynjsonError as error:
        with pytest.raises(SynjsonError, match=str(error)):
            encode(document, allow_nan=True)
    else:
        assert encode(document, allow_nan=True) == expected
