"""What a new user tripped on (issue 23, items 4, 5, 6 and 9): a one-line JSON lines file, a task
after ``--perceptron``'s sizes, a squash name Synaptic does not know, the training time, page
titles, and the figures README.md and docs/export.md state."""

from __future__ import annotations

import json
import re
import warnings
from pathlib import Path

import pytest

import synjson
from synjson import SynjsonWarning
from synjson.cli.main import main
from synjson.cli.train import duration
from synjson.train.architect import Perceptron

ROOT = Path(__file__).resolve().parents[3]
# One input, one IDENTITY output: output = 2 * input + 0.5, exactly.
TINY = {
    "neurons": [
        {"bias": 0, "layer": "input", "squash": "LOGISTIC"},
        {"bias": 0.5, "layer": "output", "squash": "IDENTITY"},
    ],
    "connections": [{"from": 0, "to": 1, "weight": 2, "gater": None}],
}


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


# -- item 4: a JSON lines file of one row ------------------------------------------------------


def test_a_one_line_jsonl_file_is_one_row(here: Path, capsys: pytest.CaptureFixture[str]) -> None:
    Path("m.json").write_text(json.dumps(TINY))
    Path("one.jsonl").write_text('{"input": [1], "output": [3]}\n')
    assert run(capsys, "activate", "m.json", "-i", "one.jsonl") == (0, "2.5\n", "")
    status, _, _ = run(capsys, "train", "--model", "m.json", "-d", "one.jsonl", "--iterations", "1",
                       "--error", "1e-9", "-o", "t.json")
    net = synjson.loads(json.dumps(TINY))
    synjson.Trainer(net).train([{"input": [1], "output": [3]}], iterations=1, error=1e-9)
    assert status == 5 and Path("t.json").read_text() == synjson.dumps(net)
    # A row that is wrong says which line, as in any JSON lines file.
    Path("one.jsonl").write_text('{"input": [1, 2]}\n')
    assert run(capsys, "activate", "m.json", "-i", "one.jsonl")[2] == (
        "synjson: error: one.jsonl: line 1: input: m.json takes 1 input, got 2\n"
    )


# -- item 5: a task after the sizes --------------------------------------------------------------


def test_a_task_after_the_sizes_is_the_task(here: Path, capsys: pytest.CaptureFixture[str]) -> None:
    first = run(capsys, "train", "--perceptron", "2", "3", "1", "xor", "--seed", "1", "--iterations", "50",
                "-o", "a.json")
    second = run(capsys, "train", "xor", "--perceptron", "2", "3", "1", "--seed", "1", "--iterations", "50",
                 "-o", "b.json")
    assert first[0] == second[0] == 5
    assert Path("a.json").read_text() == Path("b.json").read_text()
    assert run(capsys, "train", "--lstm", "2", "2", "1", "xor", "--iterations", "2", "-o", "c.json")[0] == 5


@pytest.mark.parametrize(("argv", "message"), [
    (["--perceptron", "2", "xor", "3", "1"], "argument --perceptron: a task goes once, after the sizes: "
                                             "--perceptron 2 xor 3 1"),
    (["xor", "--perceptron", "2", "3", "1", "xor"], "argument --perceptron: a task goes once, after the sizes: "
                                                    "--perceptron 2 3 1 xor"),
    (["--perceptron", "2", "3", "1", "dsr"], "argument --perceptron: not an integer: 'dsr'"),
])
def test_a_misplaced_task_is_a_usage_error(
    here: Path, capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    with pytest.raises(SystemExit) as raised:
        main(["train", *argv])
    assert raised.value.code == 2
    assert capsys.readouterr().err == f"synjson train: error: {message}\nTry 'synjson train --help'.\n"


# -- item 6: a squash Synaptic does not know -----------------------------------------------------

SOFTMAX = "\"SOFTMAX\" is not a Synaptic squash; Synaptic.js loads it as LOGISTIC"


def softmax_document() -> dict[str, object]:
    document = synjson.to_json(Perceptron(2, 3, 2, seed=1))
    for index in (3, 6):
        document["neurons"][index]["squash"] = "SOFTMAX"
    document["neurons"][4]["squash"] = "tanh"
    return document


def test_loading_warns_once_per_unknown_name_and_loads_logistic() -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        net = synjson.from_json(softmax_document())
    assert [(w.category, str(w.message)) for w in caught] == [
        (SynjsonWarning, f"neurons[3].squash: {SOFTMAX} (and 1 more neuron)"),
        (SynjsonWarning, 'neurons[4].squash: "tanh" is not a Synaptic squash; Synaptic.js loads it as LOGISTIC'),
    ]
    assert caught[0].message.path == ("neurons", 3, "squash")
    assert caught[0].filename == __file__  # attributed to the code that loads, not to synjson's insides
    assert {net.neurons()[i][0].squash for i in (3, 4, 6)} == {synjson.squash.LOGISTIC}
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert synjson.validate(softmax_document()) is None
        synjson.from_json(synjson.to_json(Perceptron(2, 3, 1, seed=1)))  # known names: no warning
    assert len(caught) == 2


def test_the_warning_is_a_userwarning_of_synjson() -> None:
    assert issubclass(SynjsonWarning, UserWarning) and not issubclass(SynjsonWarning, synjson.SynjsonError)


def test_synaptic_squash_names_are_the_models() -> None:
    from synjson.document.squashes import SYNAPTIC_SQUASHES
    from synjson.model.plan import SQUASH_NAMES
    from synjson.model.squash import SQUASHES

    assert SYNAPTIC_SQUASHES == tuple(SQUASHES) == SQUASH_NAMES


def test_cli_validate_and_loading_print_the_warning(here: Path, capsys: pytest.CaptureFixture[str]) -> None:
    Path("soft.json").write_text(json.dumps(softmax_document()))
    Path("wrap.json").write_text(json.dumps({"network": softmax_document()}))
    tanh = 'neurons[4].squash: warning: "tanh" is not a Synaptic squash; Synaptic.js loads it as LOGISTIC'
    assert run(capsys, "validate", "soft.json") == (
        0, f"soft.json::neurons[3].squash: warning: {SOFTMAX} (and 1 more neuron)\nsoft.json::{tanh}\nsoft.json: ok\n",
        "",
    )
    status, out, _ = run(capsys, "validate", "-q", "--select", "network", "wrap.json")
    assert status == 0 and out.splitlines()[0] == (
        f"wrap.json::network.neurons[3].squash: warning: {SOFTMAX} (and 1 more neuron)"
    )
    status, out, err = run(capsys, "activate", "soft.json", "1", "0")
    assert status == 0 and len(out.split()) == 2
    assert err.splitlines() == [
        f"synjson: warning: soft.json: neurons[3].squash: {SOFTMAX} (and 1 more neuron)",
        'synjson: warning: soft.json: neurons[4].squash: "tanh" is not a Synaptic squash;'
        " Synaptic.js loads it as LOGISTIC",
    ]


# -- item 9: what train prints, page titles, figures in the docs ---------------------------------


@pytest.mark.parametrize(("seconds", "text"), [
    (0.0000412, "0.041 ms"), (0.0061234, "6.12 ms"), (0.04178, "41.8 ms"), (0.3456, "346 ms"),
    (1.5234, "1.52 s"), (12.34, "12.3 s"), (0.0, "0.000 ms"),
])
def test_duration(seconds: float, text: str) -> None:
    assert duration(seconds) == text


def test_train_prints_a_real_duration(here: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, _, err = run(capsys, "train", "xor", "--seed", "1", "--iterations", "20", "-o", "m.json")
    assert status == 5
    match = re.search(r" in (\d+(?:\.\d+)?) (ms|s)\n", err.splitlines(keepends=True)[0])
    assert match and float(match[1]) > 0, err


def title(page: Path) -> str:
    found = re.search(r"<title>(.*?)</title>", page.read_text(encoding="utf-8"))
    assert found
    return found[1]


def test_pages_are_titled_by_the_model_or_the_file(here: Path, capsys: pytest.CaptureFixture[str]) -> None:
    net = Perceptron(2, 3, 1, seed=1)
    assert title(synjson.export(net, "xor.html")) == "xor"
    assert title(synjson.export(net, "xor-py.html", "pyodide")) == "xor-py"
    assert title(synjson.export(net, "t.html", title="Mine")) == "Mine"
    assert title(synjson.export(synjson.to_json(net), "doc.html")) == "doc"  # a document, too
    net.metadata["name"] = "XOR gate"
    assert title(synjson.export(net, "named.html")) == "XOR gate"
    assert title(synjson.export(synjson.to_json(net), "doc.html")) == "XOR gate"
    # --report: by --name, else the model file written, else the one trained
    run(capsys, "train", "xor", "--iterations", "5", "-o", "gate.json", "--report", "r.html")
    assert title(Path("r.html")) == "Training report: gate"
    Path("set.jsonl").write_text('{"input": [0, 1], "output": [1]}\n')
    run(capsys, "train", "--model", "gate.json", "-d", "set.jsonl", "--iterations", "5", "--report", "r2.html")
    assert title(Path("r2.html")) == "Training report: gate"  # the model went to stdout
    run(capsys, "train", "xor", "--iterations", "5", "--name", "My XOR", "-o", "x.json", "--report", "r3.html")
    assert title(Path("r3.html")) == "Training report: My XOR"


def stated(page: str, pattern: str) -> float:
    found = re.search(pattern, (ROOT / page).read_text(encoding="utf-8"))
    assert found, (page, pattern)
    return float(found[1])


def near(actual: int, figure: float, unit: int) -> bool:
    """Whether ``actual`` bytes is the stated figure, give or take 15 % (the figures say "about")."""
    return abs(actual - figure * unit) <= 0.15 * figure * unit


def test_readme_page_size(here: Path) -> None:
    page = synjson.export(Perceptron(2, 3, 1, seed=3), "xor.html")
    figure = stated("README.md", r"`out/xor\.html` is one self-contained file \(about (\d+) KB\)")
    assert near(page.stat().st_size, figure, 1000), (page.stat().st_size, figure)


def test_export_md_sizes() -> None:
    from synjson.exporters.pages import build_wheel

    stdlib = ROOT / "node_modules" / "pyodide" / "python_stdlib.zip"
    figure = stated("docs/export.md", r"`python_stdlib\.zip` \((\d+(?:\.\d+)?) MB\)")
    assert near(stdlib.stat().st_size, figure, 1000**2), (stdlib.stat().st_size, figure)
    wheel = len(build_wheel()) * 4 // 3  # embedded as base64
    figure = stated("docs/export.md", r"synjson's own wheel \(base64, about (\d+) KB\)")
    assert near(wheel, figure, 1000), (wheel, figure)


def test_cli_md_lists_every_command() -> None:
    from synjson.cli.main import build_parser

    table = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8").split("\n## ", 1)[0]
    listed = re.findall(r"^\| `(\w+)", table, re.MULTILINE)
    commands = next(a for a in build_parser()._actions if a.dest == "command").choices
    assert listed == list(commands)
