"""Benchmarks: synjson against Synaptic 1.1.4 (Node), same JSON, same data, same run.

    python -m bench            # or: python bench/run.py     (from the repository root)
    python -m bench --quick    # one repeat each, a smoke test
    python -m bench --only xor,lstm --json results.json

Each benchmark runs in a fresh process per side (so peak memory is the benchmark's own):
``bench/worker.py`` for synjson, ``bench/synaptic_bench.js`` for Synaptic. Both start from
the same model file, written here by synjson with fixed seeds, and the same data. Times are
medians over the repeats; ``cold`` (load + compile + first activation, plus imports for
synjson) is reported apart from the steady-state loop.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# name: (what, synjson repeats, Synaptic repeats)
TASKS: dict[str, tuple[str, int, int]] = {
    "xor": ("2-3-1, 20 000 x 4 samples, rate 0.3", 5, 5),
    "xor-per-call": ("the same, one activate and one propagate call per sample", 5, 5),
    "trainer": ("Trainer.train, XOR 2-3-1, 20 000 iterations, rate 0.3", 5, 5),
    "trainer-fused": ("the same with numba's kernel loaded: one kernel call per iteration", 5, 5),
    "trainer-reference": ("the same on the reference path (engine=\"reference\")", 3, 5),
    "mlp-mid": ("64-128-10, 1 000 samples x 5 epochs, rate 0.1", 5, 1),
    "mlp-big": ("784-256-10, 200 samples x 2 epochs, rate 0.1", 3, 1),
    "lstm": ("LSTM(2,8,1), 2 000-step sequence", 5, 5),
    "lstm-per-call": ("the same, one activate and one propagate call per step", 5, 5),
    "json-big": ("784-256-10 model (203 264 connections)", 5, 3),
    "json-1m": ("1 000-1 000-1 model (1 001 000 connections)", 3, 1),
    "batch": ("10 000 rows through the trained 64-128-10", 5, 1),
}


def _models(work: Path) -> dict[str, Any]:
    """Write every model and data file; returns the per-task specs (without repeats)."""
    import synjson
    from synjson import architect

    def save(net: Any, name: str) -> str:
        path = work / f"{name}.json"
        if not path.exists():
            synjson.save(net, path)
        return str(path)

    def write(obj: Any, name: str) -> str:
        path = work / f"{name}.json"
        path.write_text(json.dumps(obj))
        return str(path)

    rng = random.Random(2026)
    xor = {"inputs": [[0, 0], [0, 1], [1, 0], [1, 1]], "targets": [[0], [1], [1], [0]]}
    mid = {"inputs": [[rng.random() for _ in range(64)] for _ in range(1000)],
           "targets": [[rng.random() for _ in range(10)] for _ in range(1000)]}
    big = {"inputs": [[rng.random() for _ in range(784)] for _ in range(200)],
           "targets": [[rng.random() for _ in range(10)] for _ in range(200)]}
    lstm = {"inputs": [[rng.random(), rng.random()] for _ in range(2000)],
            "targets": [[rng.random()] for _ in range(2000)]}
    rows = {"inputs": [[rng.random() for _ in range(64)] for _ in range(10000)]}
    return {
        "xor": {"task": "train", "model": save(architect.Perceptron(2, 3, 1, seed=1), "xor"),
                "data": write(xor, "xor-data"), "epochs": 20000, "rate": 0.3},
        "trainer": {"task": "trainer", "model": str(work / "xor.json"), "data": str(work / "xor-data.json"),
                    "epochs": 20000, "rate": 0.3, "error": 1e-300},
        "trainer-fused": {"task": "trainer", "model": str(work / "xor.json"), "data": str(work / "xor-data.json"),
                          "epochs": 20000, "rate": 0.3, "error": 1e-300, "preload_kernel": True},
        "trainer-reference": {"task": "trainer", "model": str(work / "xor.json"),
                              "data": str(work / "xor-data.json"), "epochs": 20000, "rate": 0.3,
                              "error": 1e-300, "engine": "reference"},
        "mlp-mid": {"task": "train", "model": save(architect.Perceptron(64, 128, 10, seed=2), "mid"),
                    "data": write(mid, "mid-data"), "epochs": 5, "rate": 0.1,
                    "save_trained": str(work / "mid-trained.json")},
        "mlp-big": {"task": "train", "model": save(architect.Perceptron(784, 256, 10, seed=3), "big"),
                    "data": write(big, "big-data"), "epochs": 2, "rate": 0.1},
        "lstm": {"task": "train", "model": save(architect.LSTM(2, 8, 1, seed=4), "lstm"),
                 "data": write(lstm, "lstm-data"), "epochs": 1, "rate": 0.1},
        "json-big": {"task": "json", "model": str(work / "big.json")},
        "xor-per-call": {"task": "train", "model": str(work / "xor.json"),
                         "data": str(work / "xor-data.json"), "epochs": 20000, "rate": 0.3, "per_call": True},
        "lstm-per-call": {"task": "train", "model": str(work / "lstm.json"),
                          "data": str(work / "lstm-data.json"), "epochs": 1, "rate": 0.1, "per_call": True},
        "json-1m": {"task": "json", "model": save(architect.Perceptron(1000, 1000, 1, seed=5), "1m")},
        "batch": {"task": "batch", "model": str(work / "mid-trained.json"), "data": write(rows, "rows")},
    }


def _run(command: list[str], spec: dict[str, Any], work: Path, name: str) -> dict[str, Any]:
    path = work / f"spec-{name}.json"
    path.write_text(json.dumps(spec))
    done = subprocess.run([*command, str(path)], cwd=ROOT, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"{name}: {' '.join(command)} failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def _median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


Row = dict[str, Any]


def _rows(name: str, ours: Row, theirs: Row, spec: Row) -> list[Row]:
    mb = 1024 * 1024
    if spec["task"] == "json":
        size = os.path.getsize(spec["model"])
        rows = []
        for key in ("load", "save"):
            a, b = _median(ours[key]), _median(theirs[key])
            rows.append({
                "benchmark": f"{name} {key}", "synjson_s": a, "synaptic_s": b, "ratio": a / b,
                "throughput": f"{size / a / mb:.0f} MB/s", "cold_s": ours["import"], "synaptic_cold_s": None,
                "peak_mb": ours["peak_rss"] / mb, "synaptic_peak_mb": theirs["peak_rss"] / mb,
                "load_peak_x_text": ours["load_peak_growth"] / size if key == "load" else None, "agree": None,
            })
        return rows
    a, b = _median(ours["steady"]), _median(theirs["steady"])
    data = json.loads(Path(spec["data"]).read_text())
    steps = len(data["inputs"]) * spec.get("epochs", 1)
    unit = "rows/s" if spec["task"] == "batch" else "steps/s"
    agree = max(abs(x - y) for x, y in zip(ours["checksum"], theirs["checksum"]))
    return [{
        "benchmark": name, "synjson_s": a, "synaptic_s": b, "ratio": a / b,
        "throughput": f"{steps / a:,.0f} {unit}", "cold_s": ours["import"] + _median(ours["cold"]),
        "synaptic_cold_s": _median(theirs["cold"]), "peak_mb": ours["peak_rss"] / mb,
        "synaptic_peak_mb": theirs["peak_rss"] / mb, "load_peak_x_text": None, "agree": agree,
        "executor": ours.get("executor"),
    }]


def _table(rows: list[dict[str, Any]]) -> str:
    head = ("| benchmark | synjson | Synaptic | ratio | synjson throughput | cold synjson / Synaptic"
            " | peak MB synjson / Synaptic | max output diff |")
    lines = [head, "|" + "---|" * 8]
    for row in rows:
        cold = f"{row['cold_s']:.2f} s"
        if row["synaptic_cold_s"]:
            cold += f" / {row['synaptic_cold_s']:.2f} s"
        peak = f"{row['peak_mb']:.0f} / {row['synaptic_peak_mb']:.0f}"
        if row["load_peak_x_text"]:
            peak += f" (load: {row['load_peak_x_text']:.1f}x text)"
        agree = "" if row["agree"] is None else f"{row['agree']:.1e}"
        name = row["benchmark"] + (f" ({row['executor']})" if row.get("executor") else "")
        lines.append(f"| {name} | {row['synjson_s'] * 1000:,.1f} ms | {row['synaptic_s'] * 1000:,.1f} ms"
                     f" | {row['ratio']:.3f} | {row['throughput']} | {cold} | {peak} | {agree} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--only", help="comma-separated benchmarks: " + ", ".join(TASKS))
    parser.add_argument("--quick", action="store_true", help="one repeat of everything (a smoke test)")
    parser.add_argument("--work", help="folder for models and data (default: a temporary one, kept)")
    parser.add_argument("--json", help="also write the rows as JSON to this file")
    args = parser.parse_args(argv)
    names = args.only.split(",") if args.only else list(TASKS)
    for name in names:
        if name not in TASKS:
            parser.error(f"unknown benchmark {name!r}")
    if "batch" in names and "mlp-mid" not in names:
        names.insert(0, "mlp-mid")  # batch runs the model mlp-mid trained
    if "json-big" in names and "mlp-big" not in names and not args.work:
        pass  # the big model file is written by _models anyway
    work = Path(args.work or tempfile.mkdtemp(prefix="synjson-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    print(f"models and data in {work}", file=sys.stderr)
    specs = _models(work)
    rows: list[dict[str, Any]] = []
    for name in names:
        _, ours_n, theirs_n = TASKS[name]
        spec = dict(specs[name])
        print(f"running {name}: {TASKS[name][0]}", file=sys.stderr)
        ours = _run([sys.executable, "-m", "bench.worker"],
                    {**spec, "repeats": 1 if args.quick else ours_n}, work, name + "-synjson")
        theirs = _run(["node", str(ROOT / "bench" / "synaptic_bench.js")],
                      {**spec, "repeats": 1 if args.quick else theirs_n}, work, name + "-synaptic")
        rows += _rows(name, ours, theirs, spec)
    print(_table(rows))
    if args.json:
        Path(args.json).write_text(json.dumps(rows, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
