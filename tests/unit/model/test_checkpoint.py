"""Lossless checkpoints (synjson.checkpoint): save mid-sequence with state=True, load, continue exactly.

Bit for bit means ``==`` on floats: every output and the final document. Synaptic.js must still
load a checkpoint file unchanged and compute the same as without the block (checked in Node).
"""

from __future__ import annotations

import copy
import json
import random
import sys
from pathlib import Path
from typing import Any

import pytest

import synjson
from synjson import FormatError, Layer, Network
from synjson.model.layer import GateType
from synjson.model.squash import TANH
from synjson.train.architect import LSTM, Hopfield, Perceptron

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "conformance"))
from synaptic_oracle import run_oracle


def _steps(count: int, inputs: int, outputs: int, seed: int = 5) -> list[tuple[list[float], list[float]]]:
    rng = random.Random(seed)
    return [
        ([rng.uniform(-1, 1) for _ in range(inputs)], [rng.random() for _ in range(outputs)])
        for _ in range(count)
    ]


def _train(
    net: Network, steps: list[tuple[list[float], list[float]]], rate: float = 0.1
) -> list[list[float]]:
    outputs = []
    for x, t in steps:
        outputs.append(net.activate(x))
        net.propagate(rate, t)
    return outputs


def _project_and_gate(seed: int = 7) -> Network:
    """A hidden layer that projects and gates (Q-AUX: its error starts from the scratch value)."""
    rng = random.Random(seed)
    inp, t, g, h, out = (
        Layer(2, rng=rng),
        Layer(3, rng=rng),
        Layer(2, rng=rng),
        Layer(2, rng=rng),
        Layer(2, rng=rng),
    )
    t.set(squash=TANH)
    inp.project(t)
    t.project(g)
    lc = t.project(h)
    assert lc is not None
    g.gate(lc, GateType.INPUT)
    g.project(out)
    h.project(out)
    h.project(h)
    return Network(input=inp, hidden=[t, g, h], output=out)


def _without_block(doc: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in doc.items() if key != "synjson"}


def _lstm_reset() -> Network:
    """An LSTM after ``reset``: its gated self-connections (the memory cells') weigh a random number (Q-RESET)."""
    net = LSTM(2, 4, 1, seed=3)
    net.reset(seed=9)
    return net


BUILDERS = {
    "lstm": lambda: LSTM(2, 4, 1, seed=3),
    "lstm-reset": _lstm_reset,
    "lstm-2-blocks": lambda: LSTM(1, 3, 2, 1, seed=4, peepholes="ONE_TO_ONE", hidden_to_hidden=True),
    "project-and-gate": _project_and_gate,
}


@pytest.mark.parametrize("name", sorted(BUILDERS))
def test_resume_is_bit_for_bit(name: str, tmp_path: Path) -> None:
    build = BUILDERS[name]
    net = build()
    steps = _steps(200, net.inputs(), net.outputs())
    uninterrupted = build()
    expected = _train(uninterrupted, steps)

    first = _train(net, steps[:100])
    path = synjson.save(net, tmp_path / "checkpoint.json", state=True)
    resumed = synjson.read(path)
    second = _train(resumed, steps[100:])
    assert first + second == expected
    assert _without_block(synjson.to_json(resumed)) == _without_block(synjson.to_json(uninterrupted))
    assert synjson.to_json(resumed, state=True) == synjson.to_json(uninterrupted, state=True)


def test_self_connections_that_do_not_weigh_1_are_kept() -> None:
    """Files load every self-connection with weight 1 (Q-SELF1); the block keeps the others (Q-RESET)."""
    net = _lstm_reset()
    _train(net, _steps(5, 2, 1))
    doc = synjson.to_json(net, state=True)
    selfs = {i: c for i, c in enumerate(doc["connections"]) if c["from"] == c["to"]}
    weights = {i: net.neurons()[c["from"]][0].selfconnection.weight for i, c in selfs.items()}
    assert doc["synjson"]["state"]["selfweight"] == {str(i): w for i, w in weights.items() if w != 1}
    assert len(doc["synjson"]["state"]["selfweight"]) == 4  # the memory cells'
    resumed = synjson.from_json(doc)
    assert [n.selfconnection.weight for n, _ in resumed.neurons()] == [n.selfconnection.weight for n, _ in net.neurons()]


def test_without_state_a_recurrent_net_continues_differently() -> None:
    """What the checkpoint is for: Synaptic's plain JSON loses the traces (Q-NOTRACE)."""
    net, uninterrupted = LSTM(2, 4, 1, seed=3), LSTM(2, 4, 1, seed=3)
    steps = _steps(120, 2, 1)
    expected = _train(uninterrupted, steps)
    _train(net, steps[:100])
    assert _train(synjson.loads(synjson.dumps(net)), steps[100:]) != expected[100:]


def test_save_between_activate_and_propagate() -> None:
    net, uninterrupted = _project_and_gate(), _project_and_gate()
    steps = _steps(30, 2, 2)
    expected = _train(uninterrupted, steps)
    outputs = _train(net, steps[:10])
    x, t = steps[10]
    outputs.append(net.activate(x))
    resumed = synjson.loads(synjson.dumps(net, state=True))
    resumed.propagate(0.1, t)  # needs "activated" from the checkpoint
    assert outputs + _train(resumed, steps[11:]) == expected


def test_block_layout_is_position_based() -> None:
    net = _project_and_gate()
    _train(net, _steps(3, 2, 2))
    doc = synjson.to_json(net, state=True)
    block = doc["synjson"]
    assert block["format_version"] == 1
    state = block["state"]
    neurons, connections = len(doc["neurons"]), len(doc["connections"])
    assert set(state) == {
        "aux", "activated", "derivative", "responsibility", "projected", "gated",
        "gain", "eligibility", "extended", "selfweight", "order",
    }  # fmt: skip
    assert state["activated"] is True and state["aux"] != 0  # the TANH layer leaves exp(state) there
    assert all(len(state[k]) == neurons for k in ("derivative", "responsibility", "projected", "gated"))
    assert len(state["gain"]) == len(state["eligibility"]) == connections
    selfs = [i for i, c in enumerate(doc["connections"]) if c["from"] == c["to"]]
    assert selfs and all(state["eligibility"][i] is None for i in selfs)
    # the gaters (neurons 5 and 6) keep one extended trace per input connection (from neurons 2-4)
    assert sorted(state["extended"]) == ["5", "6"]
    inputs_of_5 = {str(i) for i, c in enumerate(doc["connections"]) if c["to"] == 5}
    assert set(state["extended"]["5"]["7"]) == inputs_of_5
    assert json.loads(synjson.dumps(net, state=True)) == doc
    assert net.metadata == {}  # writing a checkpoint does not touch the network


def test_loaded_checkpoint_does_not_keep_stale_state() -> None:
    net = LSTM(1, 2, 1, seed=1)
    _train(net, _steps(5, 1, 1))
    loaded = synjson.loads(synjson.dumps(net, state=True))
    assert "state" not in loaded.metadata
    assert "state" not in synjson.to_json(loaded)["synjson"]


def test_synaptic_loads_a_checkpoint_unchanged() -> None:
    net = LSTM(2, 3, 1, seed=2)
    _train(net, _steps(20, 2, 1))
    with_block = synjson.to_json(net, state=True)
    assert with_block["synjson"]["state"]["extended"]  # the LSTM's gates keep traces
    steps = [{"input": x, "target": t, "rate": 0.1} for x, t in _steps(10, 2, 1, seed=9)]
    plain = run_oracle({"network": _without_block(with_block), "steps": steps})
    block = run_oracle({"network": with_block, "steps": steps})
    assert block["outputs"] == plain["outputs"]
    assert block["final"] == plain["final"]


def test_architecture_class_comes_back() -> None:
    for net, cls in ((LSTM(2, 3, 1, seed=1), LSTM), (Perceptron(2, 3, 1, seed=1), Perceptron)):
        loaded = synjson.loads(synjson.dumps(net))
        assert type(loaded) is cls
        assert loaded.metadata["architecture"] == net.metadata["architecture"]
    hopfield = Hopfield(4, seed=1)
    loaded = synjson.loads(synjson.dumps(hopfield, state=True))
    assert type(loaded) is Hopfield
    loaded.learn([[0, 1, 0, 1], [1, 1, 0, 0]], iterations=2000)
    assert loaded.feed([0, 1, 0, 1]) == [0, 1, 0, 1]


def test_unknown_architecture_loads_as_network() -> None:
    doc = synjson.to_json(Perceptron(1, 1, 1, seed=1))
    doc["synjson"]["architecture"] = {"type": "MyOwnThing"}
    assert type(synjson.from_json(doc)) is Network
    doc["synjson"]["architecture"] = {"type": "ARCHITECTURES"}
    assert type(synjson.from_json(doc)) is Network


def test_explicit_class_wins() -> None:
    doc = synjson.to_json(LSTM(1, 1, 1, seed=1))
    assert type(Perceptron.from_json(doc)) is Perceptron


# -- a block that disagrees with the network ---------------------------------------------------


def _checkpoint() -> dict[str, Any]:
    net = _project_and_gate()
    _train(net, _steps(3, 2, 2))
    return synjson.to_json(net, state=True)


def _broken(change: Any) -> str:
    doc = copy.deepcopy(_checkpoint())
    change(doc["synjson"]["state"], doc)
    with pytest.raises(FormatError) as raised:
        synjson.from_json(doc)
    return str(raised.value)


def test_wrong_lengths() -> None:
    assert _broken(lambda s, d: s["derivative"].pop()) == (
        "synjson.state.derivative: expected 11 values (one per neuron), got 10"
    )
    assert _broken(lambda s, d: s["gain"].append(1.0)) == (
        "synjson.state.gain: expected 28 values (one per connection), got 29"
    )


def test_trace_for_a_connection_that_does_not_exist() -> None:
    def change(state: dict[str, Any], doc: dict[str, Any]) -> None:
        state["extended"]["5"]["7"]["99"] = 0.5

    assert _broken(change) == "synjson.state.extended.5.7.99: connection 99 does not exist (28 connections)"


def test_trace_for_a_connection_that_is_not_an_input() -> None:
    def change(state: dict[str, Any], doc: dict[str, Any]) -> None:
        state["extended"]["5"]["7"]["0"] = 0.5

    assert _broken(change) == "synjson.state.extended.5.7.0: connection 0 is not an input of neuron 5"


def test_extended_trace_for_a_neuron_not_gated() -> None:
    def change(state: dict[str, Any], doc: dict[str, Any]) -> None:
        state["extended"]["5"]["9"] = {}

    assert _broken(change) == (
        "synjson.state.extended.5.9: neuron 5 gates no connection into neuron 9: it has no extended trace"
    )


def test_missing_traces() -> None:
    def drop_one(state: dict[str, Any], doc: dict[str, Any]) -> None:
        del state["extended"]["5"]["7"]["6"]

    assert _broken(drop_one) == "synjson.state.extended.5.7: missing the trace of connection 6 (1 missing)"
    assert _broken(lambda s, d: s["extended"].pop("6")) == (
        "synjson.state.extended: missing the extended traces of neuron 6 for neuron 8"
    )


def test_self_connection_has_no_eligibility() -> None:
    def change(state: dict[str, Any], doc: dict[str, Any]) -> None:
        index = next(i for i, c in enumerate(doc["connections"]) if c["from"] == c["to"])
        state["eligibility"][index] = 0.25

    assert _broken(change) == (
        "synjson.state.eligibility[24]: connection 24 is a self-connection: it has no eligibility trace"
        " (expected null)"
    )


def test_bad_values() -> None:
    assert _broken(lambda s, d: s.__setitem__("aux", "x")) == "synjson.state.aux: expected a number, got str"
    assert (
        _broken(lambda s, d: s.__setitem__("activated", 1))
        == "synjson.state.activated: expected true or false"
    )
    assert _broken(lambda s, d: s.__setitem__("traces", {})) == 'synjson.state: unknown key "traces"'
    assert _broken(lambda s, d: s.pop("gain")) == 'synjson.state: missing "gain"'
    assert _broken(lambda s, d: s["selfweight"].__setitem__("0", 0.5)) == (
        "synjson.state.selfweight.0: connection 0 is not a self-connection"
    )
    assert _broken(lambda s, d: s["order"].__setitem__("inputs", {"7": [0, 1]})) == (
        "synjson.state.order.inputs.7: expected the connections [8, 12, 16] in some order, got [0, 1]"
    )


def test_nan_in_state_needs_allow_nan() -> None:
    doc = _checkpoint()
    doc["synjson"]["state"]["aux"] = float("nan")
    with pytest.raises(FormatError, match=r"^synjson\.state\.aux: NaN is not allowed"):
        synjson.from_json(doc)
    assert synjson.from_json(doc, allow_nan=True)._scratch.aux != 0


def test_newer_format_version_fails_clearly() -> None:
    doc = _checkpoint()
    doc["synjson"]["format_version"] = 2
    with pytest.raises(FormatError) as raised:
        synjson.from_json(doc)
    assert str(raised.value) == (
        "synjson.format_version: this file was written by a newer synjson (format 2); this version reads format 1"
    )


def test_checkpoint_text_is_byte_stable_when_connections_were_made_out_of_file_order():
    """Found by the fuzzer: a gater's inputs created after it gates must not reorder the text."""
    document = {
        "neurons": [{"bias": 0, "layer": "input"}, {"bias": 0, "layer": 0}, {"bias": 0, "layer": "output"}],
        "connections": [
            {"from": 0, "to": 2, "weight": 0.5, "gater": 1},
            {"from": 2, "to": 1, "weight": 0.25},
            {"from": 0, "to": 1, "weight": 0.75},
        ],
    }
    net = synjson.from_json(document)
    for x in ([0.3], [0.7], [0.1]):
        net.activate(x)
        net.propagate(0.1, [0.5])
    text = synjson.dumps(net, state=True)
    assert synjson.dumps(synjson.loads(text), state=True) == text
