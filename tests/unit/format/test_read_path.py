"""One read path (issue 23, item 3): every command that reads a model reads every format
``synjson.read`` reads, by ``--from``, suffix or content, through ``synjson.format.files.from_bytes``;
a JavaScript file given as a model is refused pointing at ``synjson import``."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pytest

import synjson
from synjson import FormatError, architect
from synjson.cli.main import main
from synjson.format import files

FILES = {"synaptic": "m.json", "onnx": "m.onnx", "brain.js": "brain.json", "neataptic": "neat.json"}


@pytest.fixture
def models(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """One perceptron saved in every format, in the working folder: format -> file name."""
    monkeypatch.chdir(tmp_path)
    net = architect.Perceptron(2, 3, 1, seed=4)
    for format, name in FILES.items():
        synjson.save(net, name, format=format)
    Path("data.jsonl").write_text('{"input": [0, 1], "output": [1]}\n{"input": [1, 1], "output": [0]}\n')
    return FILES


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def stdin(monkeypatch: pytest.MonkeyPatch, data: bytes) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))


@pytest.mark.parametrize("format", ["onnx", "brain.js", "neataptic"])
def test_every_command_reads_every_format(
    models: dict[str, str], format: str, capsys: pytest.CaptureFixture[str]
) -> None:
    name, synaptic = models[format], models["synaptic"]
    want = run(capsys, "activate", synaptic, "0.25", "0.5")
    assert want[0] == 0
    assert run(capsys, "activate", name, "0.25", "0.5") == want
    assert run(capsys, "dot", name) == run(capsys, "dot", synaptic)
    status, out, err = run(capsys, "info", name)
    assert (status, err) == (0, "") and "neurons" in out
    assert run(capsys, "validate", name) == (0, f"{name}: ok\n", "")
    assert run(capsys, "export", name, "-o", "page.js") == (0, "", "")
    assert run(capsys, "convert", name, "-o", "back.json") == (0, "", "")
    assert synjson.read("back.json").activate([0.25, 0.5]) == synjson.read(synaptic).activate([0.25, 0.5])
    status, _, err = run(capsys, "train", "--model", name, "-d", "data.jsonl", "--iterations", "1", "-o", "t.json")
    assert status == 5 and err.startswith("synjson: trained: error ")  # one iteration: above --error


def test_check_reads_a_brainjs_file(models: dict[str, str], capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run(capsys, "check", models["brain.js"], "--no-chromium")
    assert (status, err) == (0, "") and out.endswith("all agree\n")


def test_stdin_is_detected_by_content(
    models: dict[str, str], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    want = run(capsys, "activate", models["synaptic"], "0.25", "0.5")
    for format in ("onnx", "brain.js", "neataptic"):
        stdin(monkeypatch, Path(models[format]).read_bytes())
        assert run(capsys, "activate", "-", "0.25", "0.5") == want


def test_from_names_the_format(models: dict[str, str], capsys: pytest.CaptureFixture[str]) -> None:
    Path("brain.txt").write_bytes(Path(models["brain.js"]).read_bytes())
    assert run(capsys, "activate", "--from", "brain.js", "brain.txt", "1", "0")[0] == 0
    assert run(capsys, "info", "--from", "neataptic", models["synaptic"]) == (
        1, "", f'synjson: error: {models["synaptic"]}: missing required key "nodes"\n'
    )
    assert run(capsys, "validate", "--from", "neataptic", models["synaptic"]) == (
        1, f'{models["synaptic"]}::$: missing required key "nodes"\n', ""
    )
    assert run(capsys, "info", "--select", "a", models["brain.js"]) == (
        1, "", f"synjson: error: {models['brain.js']}: select applies to Synaptic JSON, not to brain.js\n"
    )


def test_validate_names_the_place_in_another_format(models: dict[str, str], capsys: pytest.CaptureFixture[str]) -> None:
    document = json.loads(Path(models["neataptic"]).read_text())
    document["nodes"][3]["squash"] = "SELU"
    Path("bad.json").write_text(json.dumps(document))
    assert run(capsys, "validate", "bad.json") == (
        1, "bad.json::nodes[3].squash: squash SELU: Synaptic has no such squash\n", ""
    )


def test_every_command_goes_through_from_bytes(
    models: dict[str, str], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    calls: list[str] = []
    real = files.from_bytes

    def spy(data: bytes, **options: object) -> synjson.Network:
        calls.append(str(options["name"]))
        return real(data, **options)

    monkeypatch.setattr(files, "from_bytes", spy)
    name = models["brain.js"]
    commands = [
        ["info", name], ["dot", name], ["activate", name, "1", "0"], ["validate", name],
        ["export", name, "-o", "p.html"], ["convert", name, "-o", "c.json"],
        ["train", "--model", name, "-d", "data.jsonl", "--iterations", "1", "-o", "t.json"],
    ]
    for argv in commands:
        del calls[:]
        main(argv)
        capsys.readouterr()
        assert calls == [name], argv
    del calls[:]
    synjson.read(name)
    assert calls == [name]


JS = "var net = " + json.dumps(synjson.to_json(architect.Perceptron(2, 2, 1, seed=1))) + ";\n"
HINT = "not JSON but JavaScript: take the network out of it with `synjson import {} -o {}` (in Python: synjson.import_js)"


def test_a_javascript_file_points_at_synjson_import(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("model.js").write_text(JS)
    hint = HINT.format("model.js", "model.json")
    for command in (["activate", "model.js", "1", "2"], ["info", "model.js"], ["convert", "model.js", "-o", "x.onnx"]):
        assert run(capsys, *command) == (1, "", f"synjson: error: model.js: {hint}\n")
    assert run(capsys, "validate", "model.js") == (1, f"model.js::$: {hint}\n", "")
    with pytest.raises(FormatError) as error:
        synjson.read("model.js")
    assert str(error.value) == hint
    stdin(monkeypatch, JS.encode())  # no name: known by its first word
    assert run(capsys, "info", "-") == (1, "", f"synjson: error: <stdin>: {HINT.format('FILE.js', 'FILE.json')}\n")
    # The advice works: import, then use it.
    assert run(capsys, "import", "model.js", "-o", "model.json")[0] == 0
    assert run(capsys, "activate", "model.json", "1", "2")[0] == 0
    # JSON in a .js file is JSON; a .json file that is not JSON keeps the JSON error.
    Path("plain.js").write_text(json.dumps(synjson.to_json(architect.Perceptron(2, 2, 1, seed=1))))
    assert run(capsys, "activate", "plain.js", "1", "2")[0] == 0
    Path("half.json").write_text("[1,")
    assert run(capsys, "info", "half.json")[2] == (
        "synjson: error: half.json: not JSON: Expecting value (line 1, column 4)\n"
    )


def test_the_parser_offers_every_format() -> None:
    from synjson.cli.common import MODEL_FORMATS

    assert MODEL_FORMATS == files.FORMATS
