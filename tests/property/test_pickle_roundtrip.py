"""Pickled and deep-copied random networks continue bit for bit as the originals (synjson.model.pickling).

Networks come from ``synjson_strategies`` (perceptrons, randomly wired and gated layers, LSTMs);
each runs a few training steps first, so traces, gains and errors are set when it is copied.
"""

from __future__ import annotations

import copy
import pickle

from hypothesis import given, settings
from hypothesis import strategies as st
from synjson_strategies import any_network, assert_same_floats, run, steps_for

import synjson
from synjson import Network


@settings(max_examples=60, deadline=None)
@given(net=any_network(), seed=st.integers(0, 2**32 - 1), protocol=st.integers(2, pickle.HIGHEST_PROTOCOL))
def test_a_pickled_network_continues_bit_for_bit(net: Network, seed: int, protocol: int) -> None:
    run(net, steps_for(net, seed))  # traces, gains and errors set
    twin = pickle.loads(pickle.dumps(net, protocol=protocol))
    deep = copy.deepcopy(net)
    later = steps_for(net, seed + 1, count=6)
    expected = run(net, later)
    assert_same_floats(run(twin, later), expected)
    assert_same_floats(run(deep, later), expected)
    assert synjson.dumps(twin, state=True, allow_nan=True) == synjson.dumps(net, state=True, allow_nan=True)
