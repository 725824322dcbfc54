"""synjson.read/save with format=, detection by content and suffix, and ``synjson convert``."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

import synjson
from synjson import FormatError, architect
from synjson.cli.main import main
from synjson.format.bridges import FORMATS, detect
from synjson.format.files import convert


@pytest.fixture
def perceptron() -> synjson.Network:
    return architect.Perceptron(2, 3, 1, seed=4)


def test_formats() -> None:
    assert FORMATS == ("synaptic", "onnx", "brain.js", "brain.js-2", "neataptic")


@pytest.mark.parametrize(("head", "name", "format"), [
    (b'{"neurons": [], "connections": []}', "m.json", "synaptic"),
    (b'\xef\xbb\xbf  {"connections": [], "neurons": []}', "m.json", "synaptic"),
    (b'{"sizes": [2, 1], "layers": []}', "m.json", "brain.js"),
    (b'{"activation": "relu", "inputLookup": false, "layers": [], "sizes": [1]}', "m.json", "brain.js"),
    (b'{"layers": []}', "m.json", "synaptic"),
    (b'{"nodes": []}', "m.json", "synaptic"),
    (b'{"nodes": [], "connections": [], "neurons": []}', "m.json", "synaptic"),
    (b'{"nodes": [], "connections": []}', "m.json", "neataptic"),
    (b'{"models": [{"net": {"neurons": []}}]}', "m.json", "synaptic"),
    (b'{"other": 1}', "m.json", "synaptic"),
    (b"\x08\x08\x12\x07pytorch", "m.bin", "onnx"),
    (b"{}", "m.onnx", "onnx"),
    (b"not json", "m.txt", "synaptic"),
])
def test_detect(head: bytes, name: str, format: str) -> None:
    assert detect(name, head) == format


def test_read_and_save_pick_the_format(perceptron: synjson.Network, tmp_path: Path) -> None:
    want = perceptron.activate([0.3, 0.9])
    for format, name in (("onnx", "a.onnx"), ("brain.js", "a.json"), ("neataptic", "b.json"), ("synaptic", "c.json")):
        path = synjson.save(perceptron, tmp_path / name, format=None if name.endswith(".onnx") else format)
        assert detect(path) == format
        assert synjson.read(path).activate([0.3, 0.9]) == pytest.approx(want, abs=1e-15)
        assert synjson.read(path, format=format).activate([0.3, 0.9]) == pytest.approx(want, abs=1e-15)


def test_synaptic_json_reads_and_writes_exactly_as_before(perceptron: synjson.Network, tmp_path: Path) -> None:
    path = synjson.save(perceptron, tmp_path / "net.json")
    assert path.read_text() == synjson.dumps(perceptron)
    assert synjson.dumps(synjson.read(path)) == synjson.dumps(synjson.read(path, format="synaptic"))
    assert synjson.save(perceptron, tmp_path / "x.onnx", format="synaptic").read_text() == synjson.dumps(perceptron)


def test_format_errors(perceptron: synjson.Network, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="unknown format 'keras'"):
        synjson.save(perceptron, tmp_path / "x", format="keras")
    path = synjson.save(perceptron, tmp_path / "net.json")
    with pytest.raises(ValueError, match="unknown format 'tf'"):
        synjson.read(path, format="tf")
    with pytest.raises(FormatError) as error:
        synjson.read(path, format="brain.js")
    assert str(error.value) == 'missing required key "sizes"'
    with pytest.raises(ValueError, match="select applies to Synaptic JSON, not to onnx"):
        synjson.read(path, format="onnx", select="a")
    lstm = architect.LSTM(2, 2, 1, seed=1)
    target = tmp_path / "kept.json"
    target.write_text("old")
    with pytest.raises(FormatError, match=r"is gated: brain\.js has no gates"):
        synjson.save(lstm, target, format="brain.js")
    assert target.read_text() == "old"  # refused before anything was written


def test_convert_api(perceptron: synjson.Network, tmp_path: Path) -> None:
    source = synjson.save(perceptron, tmp_path / "in.json")
    out = convert(source, tmp_path / "out.onnx")
    assert detect(out) == "onnx"
    back = convert(out, tmp_path / "back.json")
    assert json.loads(back.read_text())["neurons"][2]["bias"] == perceptron.hidden_layers[0].neurons[0].bias


def test_cli_convert_every_direction(perceptron: synjson.Network, tmp_path: Path) -> None:
    source = synjson.save(perceptron, tmp_path / "in.json")
    want = perceptron.activate([0.1, 0.2])
    for to, name in (("brain.js", "b.json"), ("neataptic", "n.json"), (None, "o.onnx"), ("onnx", "f32.bin")):
        args = ["convert", str(source), "-o", str(tmp_path / name)] + (["--to", to] if to else [])
        if name == "f32.bin":
            args.append("--float32")
        assert main(args) == 0
        assert main(["convert", str(tmp_path / name), "-o", str(tmp_path / f"{name}.json"),
                     *(["--from", "onnx"] if name == "f32.bin" else [])]) == 0
        got = synjson.read(tmp_path / f"{name}.json").activate([0.1, 0.2])
        assert got == pytest.approx(want, rel=1e-7 if name == "f32.bin" else 1e-15)


def test_cli_convert_refusal_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = synjson.save(architect.LSTM(2, 2, 1, seed=1), tmp_path / "lstm.json")
    assert main(["convert", str(source), "-o", str(tmp_path / "x.json"), "--to", "brain.js"]) == 1
    assert capsys.readouterr().err == (
        f"synjson: error: {source}: connection 0 (0 -> 6) is gated: brain.js has no gates\n"
    )
    assert not (tmp_path / "x.json").exists()


def test_cli_convert_subprocess(perceptron: synjson.Network, tmp_path: Path) -> None:
    source = synjson.save(perceptron, tmp_path / "in.json")
    completed = subprocess.run(
        [sys.executable, "-m", "synjson", "convert", str(source), "-o", str(tmp_path / "out.onnx")],
        capture_output=True, text=True, check=False,
    )
    assert (completed.returncode, completed.stderr) == (0, "")
    assert synjson.read(tmp_path / "out.onnx").activate([0.5, 0.5]) == pytest.approx(
        perceptron.activate([0.5, 0.5]), abs=1e-15
    )


