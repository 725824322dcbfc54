"""synjson.cli.main: what a new user trips on (issue 16): options anywhere, --select everywhere, folders,
empty inputs, option ranges, training short of its target, names, the error curve."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import synjson
from synjson.cli import main as cli
from synjson.cli.main import main
from synjson.train.architect import Perceptron
from synjson.train.trainer import TrainResult

TINY = {
    "neurons": [
        {"bias": 0, "layer": "input", "squash": "LOGISTIC"},
        {"bias": 0, "layer": "input", "squash": "LOGISTIC"},
        {"bias": 0.5, "layer": "output", "squash": "IDENTITY"},
    ],
    "connections": [{"from": 0, "to": 2, "weight": 2, "gater": None}, {"from": 1, "to": 2, "weight": -1, "gater": None}],
}
WRAPPED = {"network": TINY, "trainedOn": "nothing"}


@pytest.fixture
def at(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)

    def write(name: str, content: object) -> str:
        Path(name).write_text(content if isinstance(content, str) else json.dumps(content), encoding="utf-8")
        return name

    return write


def run(capsys, *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def usage(capsys, *argv: str) -> list[str]:
    with pytest.raises(SystemExit) as raised:
        main(list(argv))
    assert raised.value.code == cli.EXIT_USAGE
    return capsys.readouterr().err.splitlines()


# -- options anywhere ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "argv",
    [
        ["activate", "w.json", "--select", "network", "1", "0"],
        ["activate", "--select", "network", "w.json", "1", "0"],
        ["activate", "w.json", "1", "0", "--select", "network"],
        ["activate", "w.json", "1", "--select", "network", "0"],
        ["activate", "w.json", "--select", "network", "--duplicates", "synaptic", "--allow-nan", "--clear", "1", "0"],
        ["activate", "w.json", "--select", "network", "--debug", "1", "0"],
        ["--debug", "activate", "w.json", "--select=network", "--", "1", "0"],
    ],
)
def test_options_go_anywhere(at, capsys, argv):
    at("w.json", WRAPPED)
    assert run(capsys, *argv) == (0, "2.5\n", "")


def test_negative_inputs_after_options(at, capsys):
    at("w.json", WRAPPED)
    assert run(capsys, "activate", "w.json", "--select", "network", "--", "-1e-3", "2") == (0, "-1.502\n", "")


def test_the_hint_for_a_wrapped_file_works_as_printed(at, capsys):
    at("w.json", WRAPPED)
    status, _, err = run(capsys, "activate", "w.json", "1", "0")
    assert status == 1 and err.endswith("pass --select network\n")
    assert run(capsys, *["activate", "w.json", "--select", "network", "1", "0"]) == (0, "2.5\n", "")


def test_a_usage_error_is_two_lines(capsys):
    assert usage(capsys, "train", "--rate") == [
        "synjson train: error: argument --rate: expected at least one argument",
        "Try 'synjson train --help'.",
    ]


# -- validate --select -----------------------------------------------------------------------


def test_validate_applies_select_and_prints_paths_from_the_top(at, capsys):
    at("w.json", WRAPPED)
    broken = json.loads(json.dumps(WRAPPED))
    broken["network"]["connections"][1]["to"] = 7
    at("b.json", broken)
    assert run(capsys, "validate", "--select", "network", "w.json") == (0, "w.json: ok\n", "")
    assert run(capsys, "validate", "w.json", "b.json", "--select", "network") == (
        1, "w.json: ok\nb.json::network.connections[1].to: neuron 7 does not exist (3 neurons)\n", ""
    )
    status, out, _ = run(capsys, "validate", "w.json")
    assert (status, out) == (1, "w.json::$: not a network itself: found a network at `network`; pass --select network\n")
    status, out, _ = run(capsys, "validate", "--select", "nets.0", "w.json")
    assert status == 1 and out.startswith("w.json::$: select path `nets.0` does not exist")


# -- files -----------------------------------------------------------------------------------


@pytest.mark.parametrize("content", ["", "\n\n", "[]", "x,y\n"])
def test_activate_with_an_empty_input_file_is_an_error(at, capsys, content):
    at("m.json", TINY)
    at("empty.json", content)
    assert run(capsys, "activate", "m.json", "-i", "empty.json") == (1, "", "synjson: error: empty.json: no input rows\n")


def test_export_creates_the_folder_and_says_so(at, capsys):
    at("m.json", TINY)
    assert run(capsys, "export", "m.json", "-o", "site/a/m.html") == (0, "", "synjson: created folder site/a\n")
    assert run(capsys, "export", "m.json", "-o", "site/a/m.mjs") == (0, "", "")
    assert Path("site/a/m.html").is_file() and Path("site/a/m.mjs").is_file()


def test_the_docs_offline_example_runs_without_the_folder(at):
    at("xor.json", synjson.dumps(Perceptron(2, 3, 1, seed=1)))
    # docs/export.md: synjson.export(synjson.read('xor.json'), 'site/xor.html', 'pyodide', bundle_pyodide=True)
    synjson.export(synjson.read("xor.json"), "site/xor.html", "pyodide", bundle_pyodide=True)
    assert Path("site/xor.html").is_file() and Path("site/pyodide/pyodide.mjs").is_file()


# -- option ranges ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--rate", "-1"], "argument --rate: must be above 0: '-1'"),
        (["--rate", "0"], "argument --rate: must be above 0: '0'"),
        (["--rate", "0.3", "nan"], "argument --rate: not a finite number: 'nan'"),
        (["--rate", "fast"], "argument --rate: not a number: 'fast'"),
        (["--error", "-1"], "argument --error: must be 0 or more: '-1'"),
        (["--error", "inf"], "argument --error: not a finite number: 'inf'"),
    ],
)
def test_rate_and_error_are_checked(capsys, argv, message):
    assert usage(capsys, "train", "xor", *argv)[0] == f"synjson train: error: {message}"


# -- train: the exit status says whether the target was reached ------------------------------


def test_train_reaching_the_error_exits_0(at, capsys):
    status, _, err = run(capsys, "train", "xor", "--seed", "1", "--error", "0.2", "-o", "m.json")
    assert status == 0 and err.startswith("synjson: trained: error ") and "error:" not in err


def test_train_short_of_the_error_exits_5_and_still_writes(at, capsys):
    status, out, err = run(capsys, "train", "xor", "--seed", "1", "--iterations", "2")
    assert status == cli.EXIT_UNFINISHED == 5
    assert synjson.loads(out).inputs() == 2  # the model is written (here to stdout)
    assert err.splitlines()[-1].startswith("synjson: error: stopped at 2 iterations with error ")
    assert err.endswith("above --error 0.005; the model was written to stdout (raise --iterations or --rate)\n")


# -- names -----------------------------------------------------------------------------------


def test_csv_header_names_inputs_and_outputs(at, capsys):
    at("xor.csv", "left,right,left xor right\n0,0,0\n0,1,1\n1,0,1\n1,1,0\n")
    run(capsys, "train", "--perceptron", "2", "3", "1", "-d", "xor.csv", "--iterations", "3", "-o", "m.json")
    assert synjson.read("m.json").metadata["inputs"] == ["left", "right"]
    assert synjson.read("m.json").metadata["outputs"] == ["left xor right"]
    status, out, _ = run(capsys, "info", "m.json")
    assert status == 0 and "inputs             2 (left, right)\noutputs            1 (left xor right)\n" in out
    info = json.loads(run(capsys, "info", "m.json", "--json")[1])
    assert (info["input_names"], info["output_names"], info["name"]) == (["left", "right"], ["left xor right"], None)


def test_names_and_title_from_options(at, capsys):
    at("xor.csv", "a,b,c\n0,0,0\n0,1,1\n1,0,1\n1,1,0\n")
    argv = ["train", "--perceptron", "2", "3", "1", "-d", "xor.csv", "--iterations", "3", "-o", "m.json",
            "--input-names", "x, y", "--output-names", "x xor y", "--name", "XOR <net>"]
    assert run(capsys, *argv)[0] == cli.EXIT_UNFINISHED
    net = synjson.read("m.json")
    assert (net.metadata["inputs"], net.metadata["outputs"], net.metadata["name"]) == (
        ["x", "y"], ["x xor y"], "XOR <net>"
    )
    assert run(capsys, "info", "m.json")[1].startswith("name               XOR <net>\n")
    run(capsys, "export", "m.json", "-o", "m.html")
    assert "<title>XOR &lt;net&gt;</title>" in Path("m.html").read_text(encoding="utf-8")
    status, _, err = run(capsys, *argv[:-6], "--input-names", "x")
    assert (status, err) == (1, "synjson: error: --input-names: the network has 2 inputs, got 1 names\n")


def test_export_title_is_the_file_name_when_the_model_has_none(at, capsys):
    at("digits-784.json", TINY)
    run(capsys, "export", "digits-784.json", "-o", "d.html")
    assert "<title>digits-784</title>" in Path("d.html").read_text(encoding="utf-8")
    run(capsys, "export", "digits-784.json", "-o", "t.html", "--title", "Mine")
    assert "<title>Mine</title>" in Path("t.html").read_text(encoding="utf-8")


# -- the error curve -------------------------------------------------------------------------

HISTORY = (0.5, 0.25, 0.125, 0.0625, 0.03125, 0.015625, 0.0078125, 0.00390625)


@pytest.fixture
def with_history(monkeypatch):
    """Training as the lead's trainer will report it: a TrainResult carrying a history."""

    def fake(net, **options):
        return TrainResult(error=HISTORY[-1], iterations=800, time=0.5, history=HISTORY)

    monkeypatch.setattr("synjson.train.tasks.xor", fake)
    monkeypatch.setattr("synjson.train.trainer.Trainer.train", lambda self, data, **options: fake(self.network))


def test_train_plot_draws_the_history(at, capsys, with_history):
    status, _, err = run(capsys, "train", "xor", "--plot", "-o", "m.json")
    assert status == 0
    lines = err.splitlines()
    assert lines[0] == "error (log scale), 8 points over 800 iterations"
    assert lines[1:-1] == [  # halving each time: a straight line on the log scale
        "     0.5 |*", "         |", "         | *", "         |  *", "         |", "         |   *",
        "         |    *", "         |", "         |     *", "         |      *", "         |",
        "0.003906 |       *", "         +--------", "          100  800",
    ]
    assert lines[-1].startswith("synjson: trained: error 0.00390625 after 800 iterations")


def test_train_history_writes_csv(at, capsys, with_history):
    at("set.json", [{"input": [0, 0], "output": [0]}, {"input": [1, 1], "output": [1]}])
    status, _, _ = run(capsys, "train", "--perceptron", "2", "2", "1", "-d", "set.json", "--history", "h.csv")
    assert status == 0
    rows = Path("h.csv").read_text(encoding="utf-8").splitlines()
    assert rows[0] == "iteration,error" and len(rows) == 9
    assert rows[1] == "100,0.5" and rows[-1] == "800,0.00390625"


def test_no_history_says_so(at, capsys, monkeypatch):
    monkeypatch.setattr("synjson.train.tasks.xor", lambda net, **o: TrainResult(error=0.001, iterations=3, time=0.1))
    status, _, err = run(capsys, "train", "xor", "--plot", "--history", "h.csv", "-o", "m.json")
    assert status == 0 and err.startswith("no error history to plot\n")
    assert Path("h.csv").read_text(encoding="utf-8") == "iteration,error\n"


def test_train_report_is_the_models_page_with_its_curve(at, capsys, with_history):
    status, _, _ = run(capsys, "train", "xor", "--name", "XOR", "-o", "m.json", "--report", "out/report.html")
    assert status == 0
    text = Path("out/report.html").read_text(encoding="utf-8")
    assert "<title>Training report: XOR</title>" in text
    start = text.index('id="synjson-model">') + len('id="synjson-model">')
    model = json.loads(text[start:text.index("</script>", start)])
    assert model["synjson"]["training"] == {
        "history": [[100 * (k + 1), e] for k, e in enumerate(HISTORY)],
        "iterations": 800, "error": HISTORY[-1], "time": 0.5, "cost": "MSE",
    }
    assert "training" not in synjson.read("m.json").metadata  # the saved model stays lean
    assert "default-src &#x27;none&#x27;" in text and "connect-src" not in text  # the page's own CSP
