"""synjson.exporters.check: one model in every runtime, the largest difference per pair.

Needs Node.js and ``npm ci`` (Synaptic.js 1.1.4); the Chromium test needs /usr/bin/chromium and
Playwright. Tolerances are check()'s defaults: 1e-12 for activation, 1e-9 with training.
"""

from __future__ import annotations

import math
import shutil
from pathlib import Path

import pytest

import synjson
from synjson.cli.main import main
from synjson.exporters.check import ACTIVATE_TOLERANCE, TRAIN_TOLERANCE, CheckReport, check, find_runtime
from synjson.train.architect import LSTM, Perceptron

pytestmark = pytest.mark.node

NODE_RUNTIMES = ["reference", "engine:python", "runtime.js", "synaptic"]
ORIGINAL = "a = 1 / (1 + Math.exp(-s));"


def _pairs(report: CheckReport) -> dict[tuple[str, str], float]:
    return {(pair.a, pair.b): pair.largest for pair in report.pairs}


def _altered(
    tmp_path: Path, source: str = ORIGINAL, replacement: str = "a = 1 / (1.0000001 + Math.exp(-s));"
) -> Path:
    text = find_runtime().read_text(encoding="utf-8")
    assert text.count(source) == 1
    path = tmp_path / "runtime.js"
    path.write_text(text.replace(source, replacement), encoding="utf-8")
    shutil.copyfile(find_runtime().with_name("plan.js"), tmp_path / "plan.js")  # the module it imports
    return path


def test_all_runtimes_agree_while_training() -> None:
    report = check(LSTM(2, 4, 1, seed=3), steps=30, runtimes=NODE_RUNTIMES)
    assert report.ok, report.table()
    assert report.tolerance == TRAIN_TOLERANCE
    assert [run.name for run in report.runs if run.outputs is not None] == NODE_RUNTIMES
    assert len(report.pairs) == 6
    assert max(_pairs(report).values()) <= 1e-15  # measured: 1.1e-16 (exp's last bit)
    assert _pairs(report)[("runtime.js", "synaptic")] == 0.0
    text = report.table()
    assert text.startswith("compared 4 runtimes over 30 training steps\n")
    assert text.endswith("tolerance 1e-09: all agree\n")


def test_activation_with_given_inputs() -> None:
    report = check(
        Perceptron(2, 3, 1, seed=1), inputs=[[0, 0], [0, 1], [1, 0], [1, 1]], runtimes=NODE_RUNTIMES
    )
    assert report.ok and report.rows == 4 and report.tolerance == ACTIVATE_TOLERANCE
    reference = report.runs[0]
    assert reference.outputs == [
        Perceptron(2, 3, 1, seed=1).activate(x) for x in ([0, 0], [0, 1], [1, 0], [1, 1])
    ]


def test_an_altered_runtime_fails(tmp_path: Path) -> None:
    report = check(LSTM(1, 3, 1, seed=2), steps=5, runtime=_altered(tmp_path), runtimes=NODE_RUNTIMES)
    assert not report.ok
    pairs = _pairs(report)
    assert pairs[("reference", "synaptic")] <= 1e-15
    assert pairs[("reference", "runtime.js")] > 1e-9
    assert pairs[("runtime.js", "synaptic")] > 1e-9
    text = report.table()
    assert "DIFFERENT" in text and text.endswith("tolerance 1e-09: runtimes disagree\n")
    assert f"runtime.js: {tmp_path / 'runtime.js'}" in text


def test_a_broken_runtime_is_a_failure(tmp_path: Path) -> None:
    broken = _altered(
        tmp_path,
        "export function loadNetwork(json) {",
        "export function loadNetwork(json) { throw new Error('boom');",
    )
    report = check(Perceptron(1, 1, 1, seed=1), runtime=broken, runtimes=["reference", "runtime.js"])
    assert not report.ok
    assert report.runs[1].error is not None and "boom" in report.runs[1].error


def test_synaptic_missing_says_how_to_install(tmp_path: Path) -> None:
    report = check(Perceptron(1, 1, 1, seed=1), synaptic=tmp_path, runtimes=["reference", "synaptic"])
    assert report.ok  # a runtime that is not installed is reported, not failed
    assert report.runs[1].skipped == "Synaptic.js is not installed; to include it: npm install synaptic@1.1.4"
    assert (
        "synaptic: skipped: Synaptic.js is not installed; to include it: npm install synaptic@1.1.4"
        in report.table()
    )


def test_nan_agrees_with_nan() -> None:
    doc = synjson.to_json(Perceptron(1, 1, 1, seed=1))
    doc["neurons"][1]["squash"] = "TANH"
    doc["connections"][0]["weight"] = 1000.0  # TANH of |s| > 709.78 is NaN in Synaptic's formula (Q-TANH)
    report = check(doc, inputs=[[1.0]], runtimes=NODE_RUNTIMES)
    assert report.ok, report.table()
    assert all(math.isnan(run.outputs[0][0]) for run in report.runs if run.outputs)


def test_bad_arguments() -> None:
    with pytest.raises(ValueError, match="inputs row 1 has 3 values; the model takes 2"):
        check(Perceptron(2, 2, 1, seed=1), inputs=[[0, 0], [1, 2, 3]])
    with pytest.raises(ValueError, match="unknown runtime 'java'"):
        check(Perceptron(2, 2, 1, seed=1), runtimes=["java"])


@pytest.mark.chromium
def test_chromium() -> None:
    report = check(LSTM(2, 3, 1, seed=5), steps=10, runtimes=["reference", "runtime.js", "chromium"])
    assert report.ok, report.table()
    assert _pairs(report)[("runtime.js", "chromium")] == 0.0


# -- the command ----------------------------------------------------------------------------


def test_cli_check(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    model = synjson.save(LSTM(2, 3, 1, seed=4), tmp_path / "model.json")
    inputs = tmp_path / "inputs.csv"
    inputs.write_text("a,b\n0,1\n1,0\n0.5,-0.5\n")
    assert main(["check", str(model), "--inputs", str(inputs), "--steps", "12", "--no-chromium"]) == 0
    out = capsys.readouterr().out
    assert out.startswith(
        ("compared 5 runtimes over 12 training steps\n", "compared 4 runtimes over 12 training steps\n")
    )
    assert out.endswith("tolerance 1e-09: all agree\n")


def test_cli_check_fails_on_an_altered_runtime(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    model = synjson.save(Perceptron(2, 3, 1, seed=4), tmp_path / "model.json")
    runtime = _altered(tmp_path)
    assert main(["check", str(model), "--runtime", str(runtime), "--no-chromium"]) == 1
    assert "runtimes disagree" in capsys.readouterr().out


def test_a_checkpoint_is_checked_from_what_synaptic_loads() -> None:
    net = LSTM(1, 2, 1, seed=6)
    for x in ([0.5], [0.2], [-0.4]):
        net.activate(x)
        net.propagate(0.1, [1.0])
    report = check(synjson.to_json(net, state=True), steps=5, runtimes=NODE_RUNTIMES)
    assert report.ok, report.table()


def test_cli_check_in_a_subprocess(tmp_path: Path) -> None:
    import subprocess
    import sys

    model = synjson.save(Perceptron(2, 2, 1, seed=8), tmp_path / "model.json")
    done = subprocess.run(
        [sys.executable, "-m", "synjson", "check", str(model), "--no-chromium", "--steps", "3"],
        capture_output=True,
        text=True,
        check=False,
        cwd=Path(__file__).resolve().parents[3],
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.endswith("tolerance 1e-09: all agree\n")
