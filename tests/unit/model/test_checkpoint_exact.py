"""Every architecture's lossless checkpoint (``dumps(net, state=True)``) comes back exactly.

Failing first: a Liquid's checkpoint did not load (its repeated pair merged on loading, so the
per-connection state had one value too many), and a connection gated twice came back with one gater.
"""

from __future__ import annotations

import json
import random

import pytest
from test_pickling import BUILDERS, assert_continue_alike, warmed

import synjson
from synjson.architect import Liquid


@pytest.mark.parametrize("kind", list(BUILDERS))
def test_a_checkpoint_continues_exactly(kind: str) -> None:
    net = warmed(BUILDERS[kind])
    back = synjson.loads(
        synjson.dumps(net, state=True), duplicates="synaptic", squashes={"TEST_SOFTPLUS": _squash(net)}
    )
    back.engine = net.engine
    assert_continue_alike(net, back)


def _squash(net: synjson.Network) -> synjson.squash.Squash:
    return next(
        (n.squash for n, _ in net.neurons() if n.squash.name == "TEST_SOFTPLUS"), synjson.squash.LOGISTIC
    )


def test_the_liquid_of_the_issue_loads() -> None:
    net = Liquid(2, 8, 1, 20, 6, seed=1)
    back = synjson.loads(synjson.dumps(net, state=True), duplicates="synaptic")
    assert sum(len(n.projected) + n.selfconnected() for n, _ in back.neurons()) == 43  # the repeated pair kept
    assert_continue_alike(net, back)


def test_a_liquid_with_double_gates_records_them() -> None:
    net = Liquid(3, 10, 2, 40, 15, seed=3)  # two connections gated twice (Q-DOUBLEGATE)
    rng = random.Random(4)
    for _ in range(4):
        net.activate([rng.random() for _ in range(3)])
        net.propagate(0.2, [0.5, 0.5])
    state = json.loads(synjson.dumps(net, state=True))["synjson"]["state"]
    assert sum(len(listed) for listed in state["gates"].values()) == 2
    assert_continue_alike(net, synjson.loads(synjson.dumps(net, state=True), duplicates="synaptic"))


def test_a_checkpoint_without_double_gates_writes_no_gates() -> None:
    state = json.loads(synjson.dumps(warmed(BUILDERS["lstm"]), state=True))["synjson"]["state"]
    assert "gates" not in state


@pytest.mark.parametrize(
    ("gates", "message"),
    [
        ([], "synjson.state.gates: expected an object"),
        ({"0": []}, "synjson.state.gates.0: expected a non-empty array of connection indices"),
        ({"0": [True]}, "synjson.state.gates.0[0]: expected a connection index below 43, got True"),
        ({"0": [43]}, "synjson.state.gates.0[0]: expected a connection index below 43, got 43"),
        ({"0": [0]}, "synjson.state.gates.0[0]: connection 0 is not gated by another neuron in the file (Q-DOUBLEGATE)"),
        ({"99": [0]}, "synjson.state.gates.99: neuron 99 does not exist (11 neurons)"),
    ],
)
def test_a_bad_gates_block_is_a_format_error(gates: object, message: str) -> None:
    document = json.loads(synjson.dumps(Liquid(2, 8, 1, 20, 6, seed=1), state=True))
    document["synjson"]["state"]["gates"] = gates
    with pytest.raises(synjson.FormatError) as caught:
        synjson.from_json(document, duplicates="synaptic")
    assert str(caught.value) == message
