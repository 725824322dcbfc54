"""Random networks read by the pure connections reader (``synjson/document/scanner.py``) and by the
usual path (the text parsed into dicts) are the same network: equal text, equal outputs and
equal training bit for bit, on the pure engine (``SYNJSON_PURE=1``, as in Pyodide).
"""

from __future__ import annotations

import struct
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from synjson_strategies import any_network, networks_with_any_floats, run, steps_for

import synjson
from synjson import Network
from synjson.engine.native import PURE_VARIABLE
from synjson.format import synaptic


def _load(text: str, fast: bool) -> Any:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(PURE_VARIABLE, "1")
        if not fast:
            patch.setattr(synaptic, "_split", lambda *args: None)
        try:
            net = synjson.loads(text)
        except synjson.FormatError as error:
            return type(error), str(error)
        loaded = synjson.dumps(net)
        outputs = run(net, steps_for(net, seed=len(text)))  # activate and propagate
        return loaded, [struct.pack("<d", x) for x in outputs], synjson.dumps(net, allow_nan=True)


@settings(max_examples=150)
@given(any_network())
def test_built_networks_read_the_same(net: Network) -> None:
    text = synjson.dumps(net)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(PURE_VARIABLE, "1")
        assert synaptic._split(text, None, "refuse") is not None  # weights in [-0.1, 0.1): always taken
    fast = _load(text, fast=True)
    assert fast == _load(text, fast=False)
    assert fast[0] == text


@settings(max_examples=150)
@given(networks_with_any_floats())
def test_networks_with_any_floats_read_the_same(net: Network) -> None:
    """Subnormals, huge weights, -0.0: taken or left to the usual path, the same network."""
    text = synjson.dumps(net)
    assert _load(text, fast=True) == _load(text, fast=False)


#: Weights the reader always takes: 0, integers, and |x| in [1e-99, 1e19) (JavaScript writes them with
#: at most 20 integer digits and two exponent digits); both signs.
TAKEN = st.one_of(
    st.just(0.0),
    st.integers(-(10**6), 10**6).map(float),
    st.floats(1e-99, 1e19, exclude_max=True),
    st.floats(-1e19, -1e-99, exclude_min=True),
)


@st.composite
def networks_with_readable_weights(draw: st.DrawFn) -> Network:
    net = draw(any_network())
    for neuron, _ in net.neurons():
        for connection in neuron.projected:
            connection.weight = draw(TAKEN)
    return net


@settings(max_examples=150)
@given(networks_with_readable_weights())
def test_every_number_form_the_reader_takes_reads_as_json_reads_it(net: Network) -> None:
    """Exponents, integers, subnormal-free tiny and huge weights: taken, and the usual network."""
    text = synjson.dumps(net)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(PURE_VARIABLE, "1")
        assert synaptic._split(text, None, "refuse") is not None
    fast = _load(text, fast=True)
    assert fast == _load(text, fast=False)
    assert fast[0] == text
