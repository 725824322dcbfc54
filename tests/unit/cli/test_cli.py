"""synjson.cli.main: every command and every error, through main([...]), with exact output."""

from __future__ import annotations

import io
import json
import re
import sys
from pathlib import Path

import pytest

import synjson
from synjson.cli import main as cli
from synjson.cli.main import main
from synjson.train.architect import LSTM, Perceptron

# One input, one IDENTITY output: output = 2 * input + 0.5, exactly.
TINY = {
    "neurons": [
        {"bias": 0, "layer": "input", "squash": "LOGISTIC"},
        {"bias": 0.5, "layer": "output", "squash": "IDENTITY"},
    ],
    "connections": [{"from": 0, "to": 1, "weight": 2, "gater": None}],
}
# An output neuron with a self-connection: it sums its inputs over time (state = state + x).
COUNTER = {
    "neurons": [
        {"bias": 0, "layer": "input", "squash": "IDENTITY"},
        {"bias": 0, "layer": "output", "squash": "IDENTITY", "state": 0, "old": 0, "activation": 0},
    ],
    "connections": [
        {"from": 0, "to": 1, "weight": 1, "gater": None},
        {"from": 1, "to": 1, "weight": 1, "gater": None},
    ],
}
BROKEN = {
    "neurons": TINY["neurons"],
    "connections": [
        {"from": 0, "to": 1, "weight": 2, "gater": None},
        {"from": 0, "to": 40, "weight": 2, "gater": None},
        {"from": "x", "to": 1, "weight": 2, "gater": None},
    ],
}


@pytest.fixture
def at(tmp_path, monkeypatch):
    """Run in tmp_path and write files there: at(name, text_or_document) -> name."""
    monkeypatch.chdir(tmp_path)

    def write(name: str, content: object) -> str:
        text = content if isinstance(content, str) else json.dumps(content)
        Path(name).write_text(text, encoding="utf-8")
        return name

    return write


def run(capsys, *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def usage_error(capsys, *argv: str) -> str:
    with pytest.raises(SystemExit) as raised:
        main(list(argv))
    assert raised.value.code == 2
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 2 and err[1].startswith("Try 'synjson") and err[1].endswith(" --help'."), err
    return err[0]


def stdin(monkeypatch, text: str) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(text.encode())))


# -- validate -------------------------------------------------------------------------------------


def test_validate_ok(at, capsys):
    at("m.json", TINY)
    assert run(capsys, "validate", "m.json") == (0, "m.json: ok\n", "")
    assert run(capsys, "validate", "-q", "m.json") == (0, "", "")


def test_validate_lists_every_error_with_its_path(at, capsys):
    at("ok.json", TINY)
    at("bad.json", BROKEN)
    status, out, err = run(capsys, "validate", "ok.json", "bad.json", "gone.json")
    assert status == 1 and err == ""
    assert out.splitlines() == [
        "ok.json: ok",
        "bad.json::connections[1].to: neuron 40 does not exist (2 neurons)",
        "bad.json::connections[2].from: expected a neuron index (an integer >= 0, or a string of digits), "
        'got the string "x"',
        "gone.json::$: No such file or directory",
    ]


def test_validate_not_json_and_allow_nan(at, capsys):
    at("half.json", "[1,2")
    nan = json.loads(json.dumps(TINY))
    nan["neurons"][1]["bias"] = float("nan")
    at("nan.json", json.dumps(nan))
    assert run(capsys, "validate", "half.json") == (
        1, "half.json::$: not JSON: Expecting ',' delimiter (line 1, column 5)\n", ""
    )
    assert run(capsys, "validate", "nan.json") == (
        1, "nan.json::neurons[1].bias: NaN is not allowed (pass --allow-nan to accept)\n", ""
    )
    assert run(capsys, "validate", "--allow-nan", "nan.json") == (0, "nan.json: ok\n", "")


def test_validate_reads_stdin(at, capsys, monkeypatch):
    stdin(monkeypatch, json.dumps(BROKEN))
    status, out, _ = run(capsys, "validate", "-")
    assert status == 1 and out.startswith("<stdin>::connections[1].to: neuron 40 does not exist")


# -- errors common to every command ----------------------------------------------------------------


@pytest.mark.parametrize("command", ["info", "dot", "activate", "export"])
def test_a_model_error_is_one_line(at, capsys, command):
    at("bad.json", BROKEN)
    extra = {"activate": ["1"], "export": ["-o", "x.html"]}.get(command, [])
    assert run(capsys, command, "bad.json", *extra) == (
        1, "", "synjson: error: bad.json: connections[1].to: neuron 40 does not exist (2 neurons)\n"
    )
    assert run(capsys, command, "gone.json", *extra) == (1, "", "synjson: error: gone.json: No such file or directory\n")
    at("text.json", "neurons")
    assert run(capsys, command, "text.json", *extra)[2] == (
        "synjson: error: text.json: not JSON: Expecting value (line 1, column 1)\n"
    )
    assert not Path("x.html").exists()


def test_usage_errors_exit_2(capsys):
    assert usage_error(capsys, "frobnicate") == (
        "synjson: error: argument COMMAND: invalid choice: 'frobnicate' "
        "(choose from 'validate', 'info', 'dot', 'activate', 'train', 'export', 'check', 'import', 'convert')"
    )
    assert usage_error(capsys) == "synjson: error: the following arguments are required: COMMAND"
    assert usage_error(capsys, "info", "m.json", "--colour") == (
        "synjson info: error: unrecognized arguments: --colour"
    )
    assert usage_error(capsys, "validate") == "synjson validate: error: the following arguments are required: FILE"


def test_help_of_every_command_shows_its_own_exit_status(capsys):
    epilogs = {}
    for command in ["validate", "info", "dot", "activate", "export", "train", "check", "import"]:
        with pytest.raises(SystemExit) as raised:
            main([command, "--help"])
        assert raised.value.code == 0
        out = capsys.readouterr().out
        assert out.startswith(f"usage: synjson {command} ")
        epilogs[command] = out[out.index("exit status:\n"):]
        assert "  2    usage error: unknown option, missing or malformed argument\n" in out
        assert ("training diverged" in out) == (command == "train")
    assert "  1    some file is not valid or cannot be read\n" in epilogs["validate"]
    assert "  5    training stopped at --iterations above --error; the model is still written\n" in epilogs["train"]
    assert "  0    every runtime agrees within --tolerance\n" in epilogs["check"]
    assert epilogs["info"] == epilogs["dot"] == epilogs["export"] == epilogs["import"]


def test_version(capsys):
    with pytest.raises(SystemExit):
        main(["--version"])
    assert capsys.readouterr().out == f"synjson {synjson.__version__}\n"


def test_unexpected_errors_are_one_line_unless_debug(at, capsys, monkeypatch):
    at("m.json", TINY)

    def crash(net, *, neurons=False):
        raise RuntimeError("boom")

    monkeypatch.setattr("synjson.exporters.dot.to_dot", crash)
    assert run(capsys, "dot", "m.json") == (
        4, "", "synjson: internal error: RuntimeError: boom (rerun with --debug for the traceback)\n"
    )
    with pytest.raises(RuntimeError, match="boom"):
        main(["--debug", "dot", "m.json"])
    with pytest.raises(RuntimeError, match="boom"):
        main(["dot", "m.json", "--debug"])


def test_debug_shows_the_model_error(at, capsys):
    at("bad.json", BROKEN)
    with pytest.raises(cli.CommandError, match=r"bad\.json: connections"):
        main(["info", "bad.json", "--debug"])


def test_interrupt_exits_130(at, capsys, monkeypatch):
    at("m.json", TINY)

    def interrupted(net, *, neurons=False):
        raise KeyboardInterrupt

    monkeypatch.setattr("synjson.exporters.dot.to_dot", interrupted)
    assert run(capsys, "dot", "m.json") == (130, "", "synjson: interrupted\n")


def test_library_errors_become_one_line(at, capsys, monkeypatch):
    at("m.json", TINY)
    for error, line in [
        (synjson.SynjsonError("no"), "synjson: error: no"),
        (ValueError("bad value"), "synjson: error: bad value"),
        (PermissionError(13, "Permission denied", "x.html"), "synjson: error: x.html: Permission denied"),
    ]:

        def fail(net, *, neurons=False, error=error):
            raise error

        monkeypatch.setattr("synjson.exporters.dot.to_dot", fail)
        assert run(capsys, "dot", "m.json") == (1, "", line + "\n")


def test_importing_the_cli_imports_no_numpy():
    import subprocess

    code = "import sys, synjson.cli; print(sorted(m for m in ('numpy', 'jsonschema', 'tqdm') if m in sys.modules))"
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True).stdout == "[]\n"


# -- info -------------------------------------------------------------------------------------------


def test_info_text(at, capsys):
    at("m.json", COUNTER)
    assert run(capsys, "info", "m.json") == (
        0,
        "inputs             1\n"
        "outputs            1\n"
        "neurons            2\n"
        "connections        2\n"
        "self-connections   1\n"
        "gated connections  0\n"
        "gaters             0\n"
        "parameters         2 (1 weights, 1 biases)\n"
        "squash             IDENTITY 1\n"
        "recurrent          yes\n"
        "layers             2\n"
        "  input   1  IDENTITY 1\n"
        "  output  1  IDENTITY 1\n",
        "",
    )


def test_info_json_is_summary(at, capsys):
    net = LSTM(2, 3, 1, seed=7)
    at("m.json", synjson.dumps(net))
    status, out, _ = run(capsys, "info", "--json", "m.json")
    assert status == 0 and json.loads(out) == synjson.summary(synjson.read("m.json"))
    assert json.loads(out)["architecture"]["type"] == "LSTM"


# -- dot --------------------------------------------------------------------------------------------


def test_dot_is_synapticss_to_dot(at, capsys):
    at("m.json", synjson.dumps(Perceptron(2, 3, 1, seed=1)))
    # Synaptic 1.1.4: new Architect.Perceptron(2, 3, 1).toDot().code
    synaptic = "digraph nn {\n    rankdir = BT\n    0 -> 1 [label = 6]\n    1 -> 2 [label = 3]\n}\n"
    assert run(capsys, "dot", "m.json") == (0, synaptic, "")


def test_dot_neurons(at, capsys):
    at("m.json", COUNTER)
    status, out, _ = run(capsys, "dot", "--neurons", "m.json")
    assert (status, out) == (0, synjson.to_dot(synjson.loads(json.dumps(COUNTER)), neurons=True))
    assert "    1 -> 1\n" in out


# -- activate ---------------------------------------------------------------------------------------


def test_activate_arguments(at, capsys):
    at("m.json", TINY)
    assert run(capsys, "activate", "m.json", "3") == (0, "6.5\n", "")
    assert run(capsys, "activate", "m.json", "--", "-1e-3") == (0, "0.498\n", "")
    assert run(capsys, "activate", "m.json", "-1") == (0, "-1.5\n", "")


def test_activate_full_precision(at, capsys):
    net = Perceptron(2, 3, 2, seed=3)
    at("m.json", synjson.dumps(net))
    expected = synjson.read("m.json").activate([0.25, 1])
    assert run(capsys, "activate", "m.json", "0.25", "1") == (0, " ".join(map(repr, expected)) + "\n", "")


def test_activate_input_errors(at, capsys):
    at("m.json", TINY)
    assert run(capsys, "activate", "m.json", "1", "2") == (1, "", "synjson: error: m.json takes 1 input, got 2\n")
    assert run(capsys, "activate", "m.json", "one") == (1, "", "synjson: error: input 1: not a number: 'one'\n")
    assert run(capsys, "activate", "m.json", "nan") == (1, "", "synjson: error: input 1: not a finite number: 'nan'\n")
    assert usage_error(capsys, "activate", "m.json") == "synjson activate: error: give input values or --input FILE"
    at("rows.csv", "1\n")
    assert usage_error(capsys, "activate", "m.json", "1", "-i", "rows.csv") == (
        "synjson activate: error: give input values or --input FILE, not both"
    )


def test_activate_csv_rows(at, capsys):
    at("m.json", TINY)
    at("rows.csv", "x\n1\n\n 2 \n-0.25\n")
    assert run(capsys, "activate", "m.json", "--input", "rows.csv") == (0, "2.5\n4.5\n0.0\n", "")


def test_activate_bad_csv_row_names_the_line(at, capsys):
    at("m.json", TINY)
    at("rows.csv", "1\n2\n3,4\n")
    assert run(capsys, "activate", "m.json", "-i", "rows.csv") == (
        1, "2.5\n4.5\n", "synjson: error: rows.csv: line 3: m.json takes 1 input, got 2 columns\n"
    )
    at("rows.csv", "1\nx\n")
    assert run(capsys, "activate", "m.json", "-i", "rows.csv") == (
        1, "2.5\n", "synjson: error: rows.csv: line 2, column 1: not a number: 'x'\n"
    )
    assert run(capsys, "activate", "m.json", "-i", "gone.csv") == (
        1, "", "synjson: error: gone.csv: No such file or directory\n"
    )
    Path("latin1.csv").write_bytes(b"1\n\xe9\n")
    assert run(capsys, "activate", "m.json", "-i", "latin1.csv") == (
        1, "", "synjson: error: latin1.csv: not UTF-8 text: invalid byte at offset 2\n"
    )


def test_activate_json_lines_and_json(at, capsys):
    at("m.json", TINY)
    at("rows.jsonl", '[1]\n\n{"input": [2], "output": [0]}\n')
    assert run(capsys, "activate", "m.json", "-i", "rows.jsonl") == (0, "2.5\n4.5\n", "")
    at("set.json", json.dumps([{"input": [1], "output": [0]}, {"input": [3], "output": [1]}], indent=1))
    assert run(capsys, "activate", "m.json", "-i", "set.json") == (0, "2.5\n6.5\n", "")
    at("one.json", "[3]")
    assert run(capsys, "activate", "m.json", "-i", "one.json", "--format", "json") == (0, "6.5\n", "")
    at("rows.jsonl", "[1]\n[1, 2]\n")
    assert run(capsys, "activate", "m.json", "-i", "rows.jsonl") == (
        1, "2.5\n", "synjson: error: rows.jsonl: line 2: m.json takes 1 input, got 2\n"
    )
    at("rows.jsonl", '[1]\n{"input": [true]}\n')
    assert run(capsys, "activate", "m.json", "-i", "rows.jsonl")[2] == (
        "synjson: error: rows.jsonl: line 2: input[0]: not a finite number: true\n"
    )
    at("rows.jsonl", "[1]\n[1\n")
    assert run(capsys, "activate", "m.json", "-i", "rows.jsonl")[2] == (
        "synjson: error: rows.jsonl: line 2: not JSON: Expecting ',' delimiter (column 3)\n"
    )
    at("set.json", json.dumps([{"input": [1]}, {"output": [1]}]))
    assert run(capsys, "activate", "m.json", "-i", "set.json")[2] == 'synjson: error: set.json: [1]: missing "input"\n'
    at("set.json", json.dumps([{"input": [1]}, {"input": "2"}]))
    assert run(capsys, "activate", "m.json", "-i", "set.json")[2] == (
        "synjson: error: set.json: [1].input: expected an array of numbers, got a string\n"
    )
    at("set.json", '{"input": [1]}')
    assert run(capsys, "activate", "m.json", "-i", "set.json", "--format", "json")[2] == (
        "synjson: error: set.json: expected an array of rows, got an object\n"
    )


def test_activate_stdin(at, capsys, monkeypatch):
    at("m.json", TINY)
    stdin(monkeypatch, "1\n2\n")
    assert run(capsys, "activate", "m.json", "-i", "-") == (0, "2.5\n4.5\n", "")
    stdin(monkeypatch, "[1]\n[2]\n")
    assert run(capsys, "activate", "m.json", "-i", "-", "--format", "jsonl") == (0, "2.5\n4.5\n", "")
    stdin(monkeypatch, "1\nx\n")
    assert run(capsys, "activate", "m.json", "-i", "-", "--format", "csv") == (
        1, "2.5\n", "synjson: error: <stdin>: line 2, column 1: not a number: 'x'\n"
    )


def test_activate_carries_recurrent_state_unless_clear(at, capsys):
    at("m.json", COUNTER)
    at("rows.csv", "1\n2\n3\n")
    assert run(capsys, "activate", "m.json", "-i", "rows.csv") == (0, "1.0\n3.0\n6.0\n", "")
    assert run(capsys, "activate", "m.json", "-i", "rows.csv", "--clear") == (0, "1.0\n2.0\n3.0\n", "")


def test_activate_clear_equals_fresh_loads_for_an_lstm(at, capsys):
    net = LSTM(2, 3, 1, seed=5)
    net.activate([1, 0])  # a saved mid-sequence state
    at("m.json", synjson.dumps(net))
    rows = [[0, 1], [1, 1], [0.5, -1]]
    at("rows.jsonl", "\n".join(map(json.dumps, rows)))
    fresh = [" ".join(map(repr, synjson.read("m.json").activate(row))) for row in rows]
    assert run(capsys, "activate", "m.json", "-i", "rows.jsonl", "--clear") == (0, "\n".join(fresh) + "\n", "")
    carried = synjson.read("m.json")
    expected = [" ".join(map(repr, carried.activate(row))) for row in rows]
    assert expected != fresh
    assert run(capsys, "activate", "m.json", "-i", "rows.jsonl") == (0, "\n".join(expected) + "\n", "")


# -- export -----------------------------------------------------------------------------------------


def test_export_html_and_module(at, capsys):
    at("m.json", TINY)
    assert run(capsys, "export", "m.json", "-o", "page.html") == (0, "", "")
    # Titled by the model's name, else by its file's: m.json gives "m"
    assert Path("page.html").read_text(encoding="utf-8") == synjson_render("m.json", "html", title="m")
    assert run(capsys, "export", "m.json", "-o", "model.mjs") == (0, "", "")
    assert Path("model.mjs").read_text(encoding="utf-8") == synjson_render("m.json", "module")
    assert run(capsys, "export", "m.json", "-o", "m.txt", "--target", "module", "--title", "T") == (0, "", "")


def synjson_render(path: str, target: str, **options: str) -> str:
    from synjson.exporters.pages import render

    return render(synjson.read(path), target, **options)


def test_export_errors(at, capsys):
    at("m.json", TINY)
    assert usage_error(capsys, "export", "m.json") == (
        "synjson export: error: the following arguments are required: -o/--output"
    )
    assert usage_error(capsys, "export", "m.json", "-o", "p.html", "--pyodide-url", "https://x/") == (
        "synjson export: error: --pyodide-url and --bundle-pyodide need --target pyodide (target is html)"
    )
    assert usage_error(
        capsys, "export", "m.json", "-o", "p.html", "-t", "pyodide", "--pyodide-url", "https://x/", "--bundle-pyodide"
    ) == "synjson export: error: give --pyodide-url or --bundle-pyodide, not both"
    assert run(capsys, "export", "m.json", "-o", "new/dir/p.html") == (0, "", "synjson: created folder new/dir\n")
    assert Path("new/dir/p.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    at("file", "")
    assert run(capsys, "export", "m.json", "-o", "file/p.html") == (
        1, "", "synjson: error: file/p.html: Not a directory\n"
    )
    assert usage_error(capsys, "export", "m.json", "-o", "p.html", "-t", "svg").startswith(
        "synjson export: error: argument -t/--target: invalid choice: 'svg'"
    )


# -- train ------------------------------------------------------------------------------------------

XOR_CSV = "a,b,xor\n0,0,0\n1,0,1\n0,1,1\n1,1,0\n"
TRAINED = re.compile(r"synjson: trained: error (\S+) after (\d+) iterations in \d+(\.\d+)? m?s\n")


def trained(err: str) -> tuple[float, int]:
    match = TRAINED.fullmatch(err)
    assert match, err
    return float(match[1]), int(match[2])


def test_train_xor_task_is_tasks_xor(at, capsys):
    status, out, err = run(capsys, "train", "xor", "--seed", "1", "--iterations", "300", "-o", "m.json")
    net = Perceptron(2, 3, 1, seed=1)
    result = synjson.tasks.xor(net, seed=1, iterations=300)
    assert (status, out) == (cli.EXIT_UNFINISHED, "")  # 300 iterations do not reach the error 0.005
    done, message = err.splitlines(keepends=True)
    assert trained(done) == (result.error, result.iterations)
    assert message == (
        f"synjson: error: stopped at 300 iterations with error {result.error:.6g}, above --error 0.005; "
        "the model was written to m.json (raise --iterations or --rate)\n"
    )
    assert Path("m.json").read_text(encoding="utf-8") == synjson.dumps(net)


def test_train_perceptron_on_csv_is_the_trainer(at, capsys):
    at("xor.csv", XOR_CSV)
    argv = ["train", "--perceptron", "2", "3", "1", "-d", "xor.csv", "--rate", "0.3", "0.1", "--iterations", "200",
            "--error", "0.01", "--cost", "cross-entropy", "--shuffle", "--seed", "4", "--log", "100"]
    status, out, err = run(capsys, *argv)
    net = Perceptron(2, 3, 1, seed=4)
    result = synjson.Trainer(net).train(
        synjson.tasks.XOR_SET, rate=[0.3, 0.1], iterations=200, error=0.01, cost=synjson.cost.CROSS_ENTROPY,
        shuffle=True, seed=4,
    )
    net.metadata.update(inputs=["a", "b"], outputs=["xor"])  # the CSV header names them
    assert status == cli.EXIT_UNFINISHED and out == synjson.dumps(net) + "\n"  # no -o: stdout
    lines = err.splitlines(keepends=True)
    assert [line.split(" error ")[0] for line in lines[:2]] == ["iterations 100", "iterations 200"]
    assert trained(lines[2]) == (result.error, result.iterations)


def test_train_lstm_with_every_option(at, capsys):
    at("set.json", json.dumps([{"input": [0], "output": [1]}, {"input": [1], "output": [0]}]))
    status, _, _ = run(
        capsys, "train", "--lstm", "1", "2", "1", "--peepholes", "ONE_TO_ONE", "--hidden-to-hidden",
        "--output-to-hidden", "--output-to-gates", "--no-input-to-output", "-d", "set.json", "--iterations", "5",
        "--seed", "9", "-o", "m.json", "--indent", "1",
    )
    net = LSTM(1, 2, 1, peepholes="ONE_TO_ONE", hidden_to_hidden=True, output_to_hidden=True, output_to_gates=True,
               input_to_output=False, seed=9)
    synjson.Trainer(net).train([{"input": [0], "output": [1]}, {"input": [1], "output": [0]}], iterations=5)
    assert status == 5 and Path("m.json").read_text(encoding="utf-8") == synjson.dumps(net, indent=1)


def test_train_continues_a_saved_model(at, capsys):
    at("xor.csv", XOR_CSV)
    at("m.json", synjson.dumps(Perceptron(2, 3, 1, seed=2)))
    at("set.jsonl", "\n".join(json.dumps(sample) for sample in synjson.tasks.XOR_SET))
    assert run(capsys, "train", "--model", "m.json", "-d", "set.jsonl", "--iterations", "7", "-o", "m.json")[0] == 5
    net = Perceptron(2, 3, 1, seed=2)
    synjson.Trainer(net).train(synjson.tasks.XOR_SET, iterations=7)
    assert Path("m.json").read_text(encoding="utf-8") == synjson.dumps(net)


def test_train_bad_data_names_the_row(at, capsys):
    at("xor.csv", "0,0,0\n1,0\n")
    argv = ["train", "--perceptron", "2", "3", "1", "-o", "m.json", "-d"]
    assert run(capsys, *argv, "xor.csv") == (
        1, "", "synjson: error: xor.csv: line 2: expected 3 columns (2 inputs, 1 output), got 2\n"
    )
    at("xor.csv", "0,0,0\n1,0,one\n")
    assert run(capsys, *argv, "xor.csv")[2] == "synjson: error: xor.csv: line 2, column 3: not a number: 'one'\n"
    at("set.json", json.dumps([{"input": [0, 0], "output": [0]}, {"input": [0, 1]}]))
    assert run(capsys, *argv, "set.json")[2] == 'synjson: error: set.json: [1]: missing "output"\n'
    at("set.json", json.dumps([[0, 0, 0]]))
    assert run(capsys, *argv, "set.json")[2] == (
        'synjson: error: set.json: [0]: expected an object with "input" and "output", got an array\n'
    )
    at("set.json", json.dumps([{"input": [0, 0], "output": [0, 1]}]))
    assert run(capsys, *argv, "set.json")[2] == "synjson: error: set.json: [0].output: the network takes 1 output, got 2\n"
    at("empty.csv", "a,b,c\n")
    assert run(capsys, *argv, "empty.csv")[2] == "synjson: error: empty.csv: no samples\n"
    assert run(capsys, *argv, "gone.csv")[2] == "synjson: error: gone.csv: No such file or directory\n"
    assert not Path("m.json").exists()


def test_train_usage_errors(at, capsys):
    at("d.csv", "0,0,0\n")
    assert usage_error(capsys, "train", "--perceptron", "2", "1") == (
        "synjson train: error: give a data file (--data FILE) or a built-in task (xor)"
    )
    assert usage_error(capsys, "train", "--perceptron", "2", "1", "-d", "d.csv") == (
        "synjson train: error: --perceptron needs at least 3 sizes (input, hidden..., output), got 2"
    )
    assert usage_error(capsys, "train", "--perceptron", "2", "0", "1", "-d", "d.csv") == (
        "synjson train: error: argument --perceptron: must be at least 1: '0'"
    )
    assert usage_error(capsys, "train", "--perceptron", "2", "3", "1", "--lstm", "2", "3", "1", "-d", "d.csv") == (
        "synjson train: error: give one of --perceptron, --lstm, --model (got --perceptron, --lstm)"
    )
    assert usage_error(capsys, "train", "--perceptron", "2", "3", "1", "--output-to-gates", "-d", "d.csv") == (
        "synjson train: error: --output-to-gates needs --lstm"
    )
    assert usage_error(capsys, "train", "-d", "d.csv") == (
        "synjson train: error: give an architecture (--perceptron or --lstm SIZES) or --model FILE"
    )
    assert usage_error(capsys, "train", "xor", "-d", "d.csv") == (
        "synjson train: error: give a data file or a built-in task, not both (task xor)"
    )
    assert usage_error(capsys, "train", "dsr").startswith("synjson train: error: argument TASK: invalid choice: 'dsr'")
    assert usage_error(capsys, "train", "xor", "--cost", "hinge") == (
        "synjson train: error: argument --cost: invalid choice: 'HINGE' (choose from 'MSE', 'CROSS_ENTROPY', 'BINARY')"
    )


def test_train_library_refusals_are_one_line(at, capsys):
    assert run(capsys, "train", "xor", "--perceptron", "3", "2", "1") == (
        1, "", "synjson: error: Incompatible network (2 inputs, 1 output)\n"
    )
    assert run(capsys, "train", "xor", "--rate", "0.1", "0.2", "0.3", "--iterations", "2") == (
        1, "", "synjson: error: a rate list longer than the iterations (3 > 2)\n"
    )


def test_train_diverged_exits_3_and_writes_nothing(at, capsys):
    at("xor.csv", XOR_CSV)
    status, out, err = run(
        capsys, "train", "--perceptron", "2", "3", "1", "-d", "xor.csv", "--rate", "1e300", "--seed", "1", "-o", "m.json"
    )
    assert (status, out) == (3, "")
    assert err == (
        "synjson: error: training diverged at iteration 1: neuron 2 has a non-finite state; "
        "the network is left as it was before this iteration\n"
    )
    assert not Path("m.json").exists()


def test_train_progress_bar(at, capsys):
    status, _, err = run(capsys, "train", "xor", "--iterations", "3", "--seed", "1", "--progress", "-o", "m.json")
    assert status == 5 and "training: 100%" in err and "3/3" in err
    assert run(capsys, "train", "xor", "--iterations", "3", "--seed", "1", "-o", "m.json")[2].startswith(
        "synjson: trained:"  # no bar: stderr is not a terminal
    )
