"""One real ``python -m synjson`` process per command: entry point, exit status, stdout and stderr."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

import synjson
from synjson.train.architect import Perceptron

TINY = {
    "neurons": [
        {"bias": 0, "layer": "input", "squash": "LOGISTIC"},
        {"bias": 0.5, "layer": "output", "squash": "IDENTITY"},
    ],
    "connections": [{"from": 0, "to": 1, "weight": 2, "gater": None}],
}


def synjson_run(cwd: Path, *argv: str, stdin: str | None = None) -> tuple[int, str, str]:
    done = subprocess.run(
        [sys.executable, "-m", "synjson", *argv], cwd=cwd, input=stdin, capture_output=True, text=True, timeout=120
    )
    return done.returncode, done.stdout, done.stderr


@pytest.fixture
def work(tmp_path: Path) -> Path:
    (tmp_path / "m.json").write_text(json.dumps(TINY), encoding="utf-8")
    bad = json.loads(json.dumps(TINY))
    bad["connections"][0]["to"] = 40
    (tmp_path / "bad.json").write_text(json.dumps(bad), encoding="utf-8")
    return tmp_path


def test_validate(work):
    assert synjson_run(work, "validate", "m.json", "bad.json") == (
        1, "m.json: ok\nbad.json::connections[0].to: neuron 40 does not exist (2 neurons)\n", ""
    )


def test_info_invalid_model(work):
    assert synjson_run(work, "info", "bad.json") == (
        1, "", "synjson: error: bad.json: connections[0].to: neuron 40 does not exist (2 neurons)\n"
    )


def test_info_json(work):
    status, out, err = synjson_run(work, "info", "--json", "m.json")
    assert (status, err) == (0, "") and json.loads(out)["parameters"] == 2


def test_dot_unreadable_file(work):
    assert synjson_run(work, "dot", "gone.json") == (1, "", "synjson: error: gone.json: No such file or directory\n")


def test_dot(work):
    assert synjson_run(work, "dot", "m.json") == (0, "digraph nn {\n    rankdir = BT\n    0 -> 1 [label = 1]\n}\n", "")


def test_activate_stdin_and_bad_csv_row(work):
    assert synjson_run(work, "activate", "m.json", "-i", "-", stdin="1\n3\n") == (0, "2.5\n6.5\n", "")
    assert synjson_run(work, "activate", "m.json", "-i", "-", stdin="1\n3,4\n") == (
        1, "2.5\n", "synjson: error: <stdin>: line 2: m.json takes 1 input, got 2 columns\n"
    )


def test_unknown_option(work):
    status, out, err = synjson_run(work, "activate", "m.json", "1", "--frobnicate")
    assert (status, out) == (2, "")
    assert err.splitlines() == [
        "synjson activate: error: unrecognized arguments: --frobnicate", "Try 'synjson activate --help'."
    ]


def test_train(work):
    (work / "xor.csv").write_text("a,b,y\n0,0,0\n0,1,1\n1,0,1\n1,1,0\n1,1\n", encoding="utf-8")
    assert synjson_run(work, "train", "--perceptron", "2", "3", "1", "-d", "xor.csv", "-o", "x.json") == (
        1, "", "synjson: error: xor.csv: line 6: expected 3 columns (2 inputs, 1 output), got 2\n"
    )
    status, out, err = synjson_run(work, "train", "xor", "--seed", "1", "--iterations", "50", "-o", "x.json")
    net = Perceptron(2, 3, 1, seed=1)
    result = synjson.tasks.xor(net, seed=1, iterations=50)
    assert (status, out) == (5, "")  # stopped at --iterations above --error
    assert err.startswith(f"synjson: trained: error {result.error!r} after 50 iterations in ")
    assert err.endswith("the model was written to x.json (raise --iterations or --rate)\n")
    assert (work / "x.json").read_text(encoding="utf-8") == synjson.dumps(net)


def test_export(work):
    assert synjson_run(work, "export", "m.json", "-o", "m.mjs") == (0, "", "")
    assert (work / "m.mjs").read_text(encoding="utf-8").startswith("// synjson web runtime")


def test_help_and_entry_point(work):
    status, out, _ = synjson_run(work, "--help")
    assert status == 0 and out.startswith("usage: synjson [-h] [--version] [--debug] COMMAND ...")
    assert "validate" in out and "export" in out


# -- issue 16: what a new user tripped on, through the real command ---------------------------


def test_options_between_model_and_inputs(work):
    (work / "w.json").write_text(json.dumps({"network": TINY}), encoding="utf-8")
    assert synjson_run(work, "activate", "w.json", "--select", "network", "1") == (0, "2.5\n", "")
    assert synjson_run(work, "validate", "--select", "network", "w.json") == (0, "w.json: ok\n", "")


def test_usage_error_is_short(work):
    assert synjson_run(work, "train", "xor", "--rate", "-1") == (
        2, "", "synjson train: error: argument --rate: must be above 0: '-1'\nTry 'synjson train --help'.\n"
    )


def test_empty_input_and_new_output_folder(work):
    (work / "empty.json").write_text("", encoding="utf-8")
    assert synjson_run(work, "activate", "m.json", "-i", "empty.json") == (
        1, "", "synjson: error: empty.json: no input rows\n"
    )
    assert synjson_run(work, "export", "m.json", "-o", "site/m.html") == (0, "", "synjson: created folder site\n")
    assert "<title>m</title>" in (work / "site" / "m.html").read_text(encoding="utf-8")


def test_train_short_of_its_error_exits_5(work):
    status, out, err = synjson_run(work, "train", "xor", "--seed", "1", "--iterations", "5", "-o", "x.json")
    assert (status, out) == (5, "") and (work / "x.json").is_file()
    assert err.splitlines()[-1].startswith("synjson: error: stopped at 5 iterations with error ")
