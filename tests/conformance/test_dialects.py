"""Both JSON dialects (issue 8): files written by the real synaptic@1.0.11 load and run as in 1.1.4.

``node/make_old_dialect.js`` wrote ``tests/data/dialect-1.0.11/*.json`` with synaptic 1.0.11
(neuron and hidden layer indices as strings). Here synjson loads each file and runs a sequence
(activations with state carried, then training steps); Synaptic 1.1.4 runs the same file through
``node/oracle.js``. Tolerances: outputs within 1e-12, final weights, biases and states after 50
training steps within 1e-9 (as in test_synaptic_parity.py). synjson re-saves every file in the
1.1.x dialect, whose text equals Synaptic 1.1.4's ``JSON.stringify(fromJSON(file).toJSON())``.
"""

from __future__ import annotations

import json
import random
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from synaptic_oracle import NODE_DIR, REPO_ROOT, node_executable, run_oracle

import synjson

pytestmark = pytest.mark.node

DIALECT_DIR = REPO_ROOT / "tests" / "data" / "dialect-1.0.11"
NAMES = ["perceptron-2-3-1", "lstm-1-3-1", "gated"]
ACTIVATE_TOL = 1e-12
TRAIN_TOL = 1e-9


def _document(name: str) -> dict[str, Any]:
    return json.loads((DIALECT_DIR / f"{name}.json").read_text(encoding="utf-8"))


def _steps(doc: dict[str, Any], count: int, train: int, seed: int) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    inputs = sum(1 for n in doc["neurons"] if n["layer"] == "input")
    outputs = sum(1 for n in doc["neurons"] if n["layer"] == "output")
    steps: list[dict[str, Any]] = [
        {"input": [rng.uniform(-1, 1) for _ in range(inputs)]} for _ in range(count)
    ]
    for _ in range(train):
        steps.append(
            {
                "input": [rng.uniform(-1, 1) for _ in range(inputs)],
                "target": [rng.random() for _ in range(outputs)],
                "rate": 0.1,
            }
        )
    return steps


def _run(net: synjson.Network, steps: list[dict[str, Any]]) -> list[list[float]]:
    outputs = []
    for step in steps:
        outputs.append(net.activate(step["input"]))
        if "target" in step:
            net.propagate(step["rate"], step["target"])
    return outputs


def _max_diff(a: Any, b: Any) -> float:
    if isinstance(a, dict):
        assert a.keys() == b.keys()
        return max((_max_diff(a[k], b[k]) for k in a), default=0.0)
    if isinstance(a, list):
        assert len(a) == len(b)
        return max((_max_diff(x, y) for x, y in zip(a, b)), default=0.0)
    if isinstance(a, (int, float)) and not isinstance(a, bool):
        return abs(a - b)
    assert a == b
    return 0.0


@pytest.mark.parametrize("name", NAMES)
def test_fixture_is_the_old_dialect(name: str) -> None:
    doc = _document(name)
    indices = [c[key] for c in doc["connections"] for key in ("from", "to")]
    assert indices and all(isinstance(i, str) and i.isdigit() for i in indices)
    gaters = [c["gater"] for c in doc["connections"] if c["gater"] is not None]
    assert all(isinstance(g, str) for g in gaters)
    hidden = [n["layer"] for n in doc["neurons"] if n["layer"] not in ("input", "output")]
    assert hidden and all(isinstance(layer, str) for layer in hidden)
    if name != "perceptron-2-3-1":
        assert gaters, "the LSTM and the gated net must exercise string gater indices"
    # the files are not at rest: training and activation left numbers everywhere
    assert any(n["state"] != 0 for n in doc["neurons"]) and any(n["old"] != 0 for n in doc["neurons"])


@pytest.mark.parametrize("name", NAMES)
def test_old_dialect_runs_as_synaptic_1_1_4(name: str) -> None:
    doc = _document(name)
    steps = _steps(doc, count=20, train=50, seed=len(name))
    answer = run_oracle({"network": doc, "steps": steps})
    net = synjson.read(DIALECT_DIR / f"{name}.json")
    ours = _run(net, steps)
    assert _max_diff(ours[:20], answer["outputs"][:20]) <= ACTIVATE_TOL
    assert _max_diff(ours[20:], answer["outputs"][20:]) <= TRAIN_TOL
    assert _max_diff(synjson.to_json(net), answer["final"]) <= TRAIN_TOL


def test_old_dialect_resaved_in_the_new_dialect() -> None:
    # Synaptic 1.1.4's own re-save of each file, for the exact text.
    script = (
        "const s = require('synaptic'); const fs = require('fs');"
        "const out = {}; for (const f of process.argv.slice(1)) "
        "out[f] = JSON.stringify(s.Network.fromJSON(JSON.parse(fs.readFileSync(f, 'utf8'))).toJSON());"
        "process.stdout.write(JSON.stringify(out));"
    )
    paths = [str(DIALECT_DIR / f"{name}.json") for name in NAMES]
    completed = subprocess.run(
        [node_executable(), "-e", script, *paths], cwd=REPO_ROOT, capture_output=True, text=True, check=True
    )
    theirs = json.loads(completed.stdout)
    for path in paths:
        text = synjson.dumps(synjson.read(path))
        assert text == theirs[path]
        doc = json.loads(text)
        assert all(isinstance(c[k], int) for c in doc["connections"] for k in ("from", "to"))
        assert all(isinstance(n["layer"], (int, str)) for n in doc["neurons"])
        assert not any(isinstance(n["layer"], str) and n["layer"].isdigit() for n in doc["neurons"])
        assert synjson.validate(doc) is None


def test_fixtures_are_fresh(tmp_path: Path) -> None:
    """The committed files are what make_old_dialect.js writes (it is seeded, so reruns agree)."""
    subprocess.run(
        [node_executable(), str(NODE_DIR / "make_old_dialect.js"), str(tmp_path)],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    for name in NAMES:
        assert (tmp_path / f"{name}.json").read_bytes() == (DIALECT_DIR / f"{name}.json").read_bytes()
