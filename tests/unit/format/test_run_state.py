"""Run state through the bridges (issue 23, item 1): a recurrent network saved mid-sequence is
refused by a target that cannot carry its run state (neataptic), never written as if it had none.

brain.js takes feed-forward networks only and ONNX's step graph carries the state, so for them a
saved state is either irrelevant (it is never read) or kept; both are pinned here too.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import synjson
from synjson import FormatError, architect
from synjson.cli.main import main
from synjson.format.files import at_zero_state

SEQUENCE = ([0.3], [0.7], [0.1])


def mid_sequence() -> synjson.Network:
    """An LSTM that has run three steps: its memory cells hold state the next step reads."""
    net = architect.LSTM(1, 2, 1, seed=1)
    for row in SEQUENCE:
        net.activate(row)
    return net


def held(net: synjson.Network, index: int) -> str:
    neuron = net.neurons()[index][0]
    return (
        f"neuron {index} holds run state (state {neuron.state!r}, old {neuron.old!r},"
        f" activation {neuron.activation!r})"
    )


REFUSAL = (
    ", which neataptic's JSON cannot carry: neataptic starts from zero state, so its outputs may differ;"
    " pass {flag} to write the network as it starts from zero state (Synaptic JSON and ONNX keep the run state)"
)


def test_neataptic_refuses_a_network_saved_mid_sequence(tmp_path: Path) -> None:
    net = mid_sequence()
    target = tmp_path / "t.json"
    with pytest.raises(FormatError) as error:
        synjson.save(net, target, format="neataptic")
    assert str(error.value) == held(net, 1) + REFUSAL.format(flag="zero_state=True")
    assert not target.exists()


def test_cli_convert_refuses_it_in_one_line_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    net = mid_sequence()
    source = synjson.save(net, tmp_path / "lstm.json")
    target = tmp_path / "t.json"
    assert main(["convert", str(source), "--to", "neataptic", "-o", str(target)]) == 1
    assert capsys.readouterr().err == (
        f"synjson: error: {source}: {held(net, 1)}{REFUSAL.format(flag='--zero-state')}\n"
    )
    assert not target.exists()


def test_zero_state_writes_the_network_as_it_starts_from_zero(tmp_path: Path) -> None:
    net = mid_sequence()
    source = synjson.save(net, tmp_path / "lstm.json")
    assert main(["convert", str(source), "--to", "neataptic", "-o", str(tmp_path / "t.json"), "--zero-state"]) == 0
    converted = synjson.read(tmp_path / "t.json")
    fresh = architect.LSTM(1, 2, 1, seed=1)  # the same weights, never run
    for row in (*SEQUENCE, [0.9]):
        assert converted.activate(row) == pytest.approx(fresh.activate(row), abs=1e-15)
    # The API's copy: the network passed in keeps its state.
    before = [n.state for n, _ in net.neurons()]
    copy = at_zero_state(net)
    assert [n.state for n, _ in net.neurons()] == before
    assert {(n.state, n.old, n.activation) for n, _ in copy.neurons()} == {(0.0, 0.0, 0.0)}


def test_traces_and_gains_are_run_state_too(tmp_path: Path) -> None:
    net = architect.LSTM(1, 2, 1, seed=1)
    net.activate([0.5])
    net.propagate(0.1, [1.0])
    for neuron, _ in net.neurons():  # what is left: traces (and gains)
        neuron.state = neuron.old = neuron.activation = 0.0
    with pytest.raises(FormatError, match=r"^neuron 1 holds eligibility traces, which neataptic's JSON cannot carry"):
        synjson.save(net, tmp_path / "t.json", format="neataptic")
    net.clear()  # traces gone: the gains the gates set are left
    with pytest.raises(FormatError, match=r"^connection \d+ \(\d+ -> \d+\) holds gain [-0-9.e]+, which neataptic"):
        synjson.save(net, tmp_path / "t.json", format="neataptic")
    synjson.save(net, tmp_path / "t.json", format="neataptic", zero_state=True)


def test_a_feed_forward_network_converts_whatever_state_it_holds(tmp_path: Path) -> None:
    """Its next step reads no state: a trained perceptron converts to every format, outputs exact."""
    net = architect.Perceptron(2, 3, 1, seed=4)
    net.activate([0.2, 0.8])
    assert net.neurons()[3][0].state != 0
    want = net.activate([0.6, 0.1])
    for format, name in (("neataptic", "n.json"), ("brain.js", "b.json"), ("onnx", "o.onnx")):
        back = synjson.read(synjson.save(net, tmp_path / name, format=format))
        assert back.activate([0.6, 0.1]) == pytest.approx(want, abs=1e-15)


def test_brainjs_refuses_a_recurrent_network_before_its_state_matters(tmp_path: Path) -> None:
    with pytest.raises(FormatError, match=r"^connection 0 \(0 -> 5\) is gated: brain\.js has no gates$"):
        synjson.save(mid_sequence(), tmp_path / "b.json", format="brain.js")


def test_onnx_keeps_the_run_state_of_a_file_saved_mid_sequence(tmp_path: Path) -> None:
    ort = pytest.importorskip("onnxruntime")
    import numpy as np

    net = mid_sequence()
    source = synjson.save(net, tmp_path / "lstm.json")
    assert main(["convert", str(source), "-o", str(tmp_path / "t.onnx")]) == 0
    model = (tmp_path / "t.onnx").read_bytes()
    import onnx

    props = {p.key: p.value for p in onnx.load_from_string(model).metadata_props}
    state = {key: np.array([values]) for key, values in json.loads(props["synjson.state"]).items()}
    runner = ort.InferenceSession(model, providers=["CPUExecutionProvider"])
    got = runner.run(["output"], {"input": np.array([[0.9]]), **state})[0][0]
    assert got.tolist() == pytest.approx(synjson.read(source).activate([0.9]), abs=1e-15)
