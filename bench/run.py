"""Benchmarks: the code synjson users write, against Synaptic 1.1.4 (Node), same JSON, same data, same run.

    python -m bench                  # or: python bench/run.py (from the repository root); ~6 minutes
    python -m bench --quick          # one round of everything but the slow pure-Python batches
    python -m bench --only xor,cli --rounds 15 --json results.json
    python -m bench --full           # also the pure-Python 100 000-row batch (about 6 minutes per run)

Every measurement is a fresh process: ``bench/worker.py`` for synjson (twice: with the native
kernel, and with ``SYNJSON_PURE=1`` in its environment, the pure-Python fallback),
``bench/synaptic_bench.js`` for Synaptic. All start from the same model JSON (written here by
synjson with fixed seeds) and the same data. The machine is shared, so the sides are
interleaved: each round runs every side once, in an order that rotates from round to round,
and a ratio is taken within a round (synjson / Synaptic of the same round). The table shows
medians with the range (min-max) over the rounds.
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
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# name: what, the rows it reports, rounds, rounds of the pure-Python side (None: as many)
TASKS: dict[str, dict[str, Any]] = {
    "xor": {"what": "the seed's XOR loop: `Network.from_json(doc)`, then `net.activate(x); net.propagate(0.3, t)`"
                    " per sample, 20 000 x 4", "target": 1.0, "rounds": 9},
    "trainer": {"what": "`Trainer(net).train(xor, rate=0.3, iterations=20000)` (Synaptic: `new Trainer(net)"
                        ".train(set, {rate: 0.3, iterations: 20000})`)", "target": 0.25, "rounds": 9},
    "trainer-all": {"what": "the same with `error=1e-300` on both sides: all 20 000 iterations run (with the default"
                            " error 0.005 both sides stop after the same few hundred)", "target": 0.25, "rounds": 9},
    "mlp-mid": {"what": "mlp 64-128-10, 1 000 samples x 5 epochs, the same per-sample loop (rate 0.1)",
                "target": 0.02, "rounds": 3, "pure_rounds": 2},
    "lstm": {"what": "`architect.LSTM(2, 8, 1)`, 2 000 steps, the same per-step loop (rate 0.1)",
             "target": 0.1, "rounds": 9},
    "batch-10k": {"what": "`net.activate_batch(X)`, mlp-mid model, X a 10 000 x 64 numpy array (rows/s of the"
                          " second call; the first compiles the plan)",
                  "target": 2e6, "rounds": 9, "pure_rounds": 1},
    "batch-100k": {"what": "the same, 100 000 rows (rows/s)", "target": 2e6, "rounds": 5, "pure_rounds": 0},
    "onnx-10k": {"what": "batch-10k's `net.activate_batch(X)` against onnxruntime running synjson's own ONNX export"
                         " of the same model (`synjson convert mid.json -o mid.onnx`, and `--float32`):"
                         " `session.run` on the same rows, rows/s of the second run; ratio = synjson's time /"
                         " onnxruntime's", "target": 0.4, "rounds": 9},
    "onnx-100k": {"what": "the same, 100 000 rows", "target": 0.4, "rounds": 5},
    "cli": {"what": "`synjson activate xor.json 1 0`, a cold process, against a cold `node` that requires"
                    " synaptic, loads the same JSON and activates it", "target": 1.0, "rounds": 21},
    "json": {"what": "784-256-10 (203 264 connections): save `synjson.dumps(net)` against"
                     " `JSON.stringify(net.toJSON())`; load `synjson.loads(text)` against"
                     " `Network.fromJSON(JSON.parse(text))`", "target": 1.0, "rounds": 7},
    "json-1m": {"what": "the same for 1000-1000-1 (1 001 000 connections, 66 MB of JSON)", "target": 1.0, "rounds": 3,
                "pure_rounds": 1},
    "build": {"what": "`architect.Perceptron(784, 256, 10)` against `new Architect.Perceptron(784, 256, 10)`",
              "target": 0.25, "rounds": 7},
    "memory": {"what": "peak memory added by `synjson.read(path)` (peak resident size, VmHWM, after minus before,"
                       " a fresh process)"
                       " against the file's size, 784-256-10; Synaptic: `Network.fromJSON(JSON.parse(fs.readFileSync"
                       "(path)))`, measured the same way", "target": 3.0, "rounds": 3},
    "memory-1m": {"what": "the same for 1000-1000-1 (1 001 000 connections)", "target": 3.0, "rounds": 2,
                  "pure_rounds": 1},
    "pickle": {"what": "`pickle.dumps(net)` of the mlp-mid model (64-128-10) after one `activate`, the median of"
                       " 50 (the first in the notes), against `JSON.stringify(net.toJSON())`; target 2 ms and at most"
                       " 1.2x the bytes of its numbers", "target": None, "rounds": 5},
}

SIDES = ("synaptic", "native", "pure")


def _models(work: Path, names: list[str] | None = None) -> dict[str, dict[str, Any]]:
    """Write the model and data files; returns each task's spec for the workers.

    The 1 M-connection model (a minute to build and save) is written only when ``names`` asks for it.
    """
    import synjson
    from synjson import architect

    def model(make: Any, name: str) -> str:
        path = work / f"{name}.json"
        if not path.exists():
            path.write_text(synjson.dumps(make()))
        return str(path)

    def write(obj: Any, name: str) -> str:
        path = work / f"{name}.json"
        path.write_text(json.dumps(obj))
        return str(path)

    rng = random.Random(2026)
    xor = {"inputs": [[0, 0], [0, 1], [1, 0], [1, 1]], "targets": [[0], [1], [1], [0]]}
    mid = {"inputs": [[rng.random() for _ in range(64)] for _ in range(1000)],
           "targets": [[rng.random() for _ in range(10)] for _ in range(1000)]}
    lstm = {"inputs": [[rng.random(), rng.random()] for _ in range(2000)],
            "targets": [[rng.random()] for _ in range(2000)]}
    rows = [[rng.random() for _ in range(64)] for _ in range(100_000)]
    xor_model = model(lambda: architect.Perceptron(2, 3, 1, seed=1), "xor")
    mid_model = model(lambda: architect.Perceptron(64, 128, 10, seed=2), "mid")
    big_model = model(lambda: architect.Perceptron(784, 256, 10, seed=3), "big")
    huge = names is None or any(name.endswith("-1m") for name in names)
    huge_model = model(lambda: architect.Perceptron(1000, 1000, 1, seed=5), "huge") if huge else ""
    return {
        "xor": {"task": "loop", "model": xor_model, "data": write(xor, "xor-data"), "epochs": 20000, "rate": 0.3},
        "trainer": {"task": "trainer", "model": xor_model, "data": str(work / "xor-data.json"),
                    "epochs": 20000, "rate": 0.3},
        "trainer-all": {"task": "trainer", "model": xor_model, "data": str(work / "xor-data.json"),
                        "epochs": 20000, "rate": 0.3, "error": 1e-300},
        "mlp-mid": {"task": "loop", "model": mid_model, "data": write(mid, "mid-data"), "epochs": 5, "rate": 0.1},
        "lstm": {"task": "loop", "model": model(lambda: architect.LSTM(2, 8, 1, seed=4), "lstm"),
                 "data": write(lstm, "lstm-data"), "epochs": 1, "rate": 0.1},
        "batch-10k": {"task": "batch", "model": mid_model, "data": write({"inputs": rows[:10_000]}, "rows-10k"),
                      "rows": 10_000},
        "batch-100k": {"task": "batch", "model": mid_model, "data": write({"inputs": rows}, "rows-100k"),
                       "rows": 100_000},
        "onnx-10k": {"task": "onnx", "model": mid_model, "data": str(work / "rows-10k.json"), "rows": 10_000,
                     "onnx": _onnx(mid_model, names)},
        "onnx-100k": {"task": "onnx", "model": mid_model, "data": str(work / "rows-100k.json"), "rows": 100_000,
                      "onnx": _onnx(mid_model, names)},
        "cli": {"task": "cli", "model": xor_model},
        "json": {"task": "json", "model": big_model, "label": "784-256-10"},
        "json-1m": {"task": "json", "model": huge_model, "label": "1000-1000-1"},
        "build": {"task": "build", "sizes": [784, 256, 10]},
        "memory": {"task": "memory", "model": big_model, "label": "784-256-10"},
        "memory-1m": {"task": "memory", "model": huge_model, "label": "1000-1000-1"},
        "pickle": {"task": "pickle", "model": mid_model, "data": str(work / "mid-data.json")},
    }


def _onnx(model: str, names: list[str] | None) -> dict[str, str]:
    """synjson's own ONNX exports of ``model``, float64 and float32, written by the CLI a user would run
    (``synjson convert MODEL -o OUT [--float32]``); only when an onnx row is asked for."""
    paths = {"float64": model.replace(".json", "-float64.onnx"), "float32": model.replace(".json", "-float32.onnx")}
    if names is not None and not any(name.startswith("onnx") for name in names):
        return paths
    command = str(Path(sys.executable).parent / "synjson")
    for dtype, path in paths.items():
        if not Path(path).exists():
            subprocess.run([command, "convert", model, "-o", path, *(["--float32"] if dtype == "float32" else [])],
                           check=True, capture_output=True)
    return paths


def _env(pure: bool = False) -> dict[str, str]:
    """The environment of every timed process: bytecode caches on (as after ``pip install``), the engine chosen."""
    env = {k: v for k, v in os.environ.items() if k not in ("SYNJSON_PURE", "PYTHONDONTWRITEBYTECODE")}
    if pure:
        env["SYNJSON_PURE"] = "1"
    return env


def _compile_bytecode() -> None:
    """Write the ``.pyc`` files ``pip install`` would have written (an editable install or a checkout has none,
    and a process started with PYTHONDONTWRITEBYTECODE=1 would compile the package at every start)."""
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "synjson"), str(ROOT / "bench")],
                   env=_env(), check=True, capture_output=True)


def _worker(side: str, spec: dict[str, Any], work: Path, name: str) -> dict[str, Any]:
    path = work / f"spec-{name}.json"
    path.write_text(json.dumps(spec))
    env = _env(pure=side == "pure")
    if side == "synaptic":
        command = ["node", str(ROOT / "bench" / "synaptic_bench.js")]
    elif side == "onnxruntime":
        command = [sys.executable, "-m", "bench.worker"]
    else:
        command = [sys.executable, "-m", "bench.worker"]
    done = subprocess.run([*command, str(path)], cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"{name} ({side}): {' '.join(command)} failed:\n{done.stderr}")
    result = json.loads(done.stdout.strip().splitlines()[-1])
    if side in ("native", "pure") and result["engine"] != side:
        raise SystemExit(f"{name}: the {side} side ran on the {result['engine']} engine")
    return result


CLI_COMMANDS = {  # (row, side): the command, SYNJSON_PURE
    ("console script", "native"): ([str(Path(sys.executable).parent / "synjson")], False),
    ("console script", "pure"): ([str(Path(sys.executable).parent / "synjson")], True),
    ("python -m synjson", "native"): ([sys.executable, "-m", "synjson"], False),
    ("python -m synjson", "pure"): ([sys.executable, "-m", "synjson"], True),
    ("node", "synaptic"): (["node", str(ROOT / "bench" / "synaptic_activate.js")], False),
}


def _cli_round(model: str, order: int) -> dict[tuple[str, str], float]:
    """One cold run of each command (wall clock of the whole process), in a rotated order."""
    keys = list(CLI_COMMANDS)
    keys = keys[order % len(keys):] + keys[:order % len(keys)]
    times, outputs = {}, {}
    for key in keys:
        command, pure = CLI_COMMANDS[key]
        env = _env(pure)
        if key[0] != "node":
            command = [*command, "activate"]
        t0 = time.perf_counter()
        done = subprocess.run([*command, model, "1", "0"], env=env, capture_output=True, text=True, check=False)
        times[key] = time.perf_counter() - t0
        if done.returncode != 0:
            raise SystemExit(f"cli: {command} failed:\n{done.stderr}")
        outputs[key] = [float(v) for v in done.stdout.split()]
    first = outputs[keys[0]]
    if any(abs(a - b) > 1e-15 for out in outputs.values() for a, b in zip(first, out)):
        raise SystemExit(f"cli: the outputs differ: {outputs}")
    return times


def _spread(values: list[float], scale: float = 1.0, fmt: str = "{:,.1f}") -> str:
    if not values:
        return "not run"
    med = statistics.median(values) * scale
    lo, hi = min(values) * scale, max(values) * scale
    return (fmt.format(med) + f" ({fmt.format(lo)}-{fmt.format(hi)})") if len(values) > 1 else fmt.format(med)


def _ms(values: list[float]) -> str:
    return _spread(values, 1000) + " ms" if values else "not run"


def _ratio(ours: list[float], theirs: list[float]) -> tuple[str, float | None]:
    pairs = [a / b for a, b in zip(ours, theirs)]
    if not pairs:
        return "not run", None
    return "**" + _spread(pairs, fmt="{:.3f}").replace(" (", "** (", 1) if len(pairs) > 1 else \
        f"**{pairs[0]:.3f}**", statistics.median(pairs)


def run_task(name: str, spec: dict[str, Any], work: Path, rounds: int, pure_rounds: int) -> list[dict[str, Any]]:
    """Interleaved rounds of one benchmark; returns its table rows."""
    task = TASKS[name]
    if spec["task"] == "cli":
        series: dict[tuple[str, str], list[float]] = {key: [] for key in CLI_COMMANDS}
        _cli_round(spec["model"], 0)  # not timed: the files into the page cache
        for r in range(rounds):
            for key, value in _cli_round(spec["model"], r).items():
                series[key].append(value)
        node = series[("node", "synaptic")]
        return [{"benchmark": f"cli: `{label}`", "what": task["what"], "target": task["target"], "unit": "s",
                 "synaptic": node, "native": series[(label, "native")], "pure": series[(label, "pure")]}
                for label in ("console script", "python -m synjson")]
    if spec["task"] == "onnx":
        return _onnx_rows(name, spec, work, rounds)
    sides = [s for s in SIDES if not (spec["task"] == "batch" and s == "synaptic")]
    results: dict[str, list[dict[str, Any]]] = {side: [] for side in sides}
    for r in range(rounds):
        order = sides[r % len(sides):] + sides[:r % len(sides)]
        for side in order:
            if side == "pure" and r >= pure_rounds:
                continue
            results[side].append(_worker(side, spec, work, f"{name}-{side}"))
            print(f"  {name} round {r + 1} {side}: "
                  + ", ".join(f"{k} {v:.4f}" for k, v in results[side][-1].items()
                            if k in ("seconds", "load", "save", "save_again")),
                  file=sys.stderr)
    if spec["task"] == "pickle":
        same = {x["bytes"] for side in ("native", "pure") for x in results.get(side, [])}
        return [_pickle_row(task, results, "native and pure pickles the same size" if len(same) == 1 else "")]
    check = _agreement(results)
    if spec["task"] == "json":
        shape = spec["label"]
        labels = {"save": f"save {shape} (first `dumps` after `loads`)",
                  "save_again": f"save {shape} (second `dumps`)",
                  "load": f"load {shape}"}
        targets = {"save": 0.5, "save_again": 0.5, "load": 0.1}  # issue 24
        return [{"benchmark": label, "what": task["what"], "target": targets[key],
                 "unit": "s", "check": check, **{side: [x[key] for x in results[side]] for side in sides}}
                for key, label in labels.items()]
    if spec["task"] == "build":
        return [{"benchmark": "build " + "-".join(map(str, spec["sizes"])), "what": task["what"],
                 "target": task["target"], "unit": "s", "check": "",
                 **{side: [x["seconds"] for x in results[side]] for side in sides}}]
    if spec["task"] == "memory":
        return [_memory_row(spec, task, results, sides)]
    row = {"benchmark": name, "what": task["what"], "target": task["target"], "check": check,
           **{side: [x["seconds"] for x in results[side]] for side in sides},
           "from_json": {side: [x["from_json"] for x in results[side]] for side in sides}}
    if spec["task"] == "batch":
        row.update(unit="rows/s", rows=spec["rows"], synaptic=[],
                   first={side: [x["first"] for x in results[side]] for side in sides})
    else:
        row["unit"] = "s"
    if spec["task"] == "trainer":
        row["iterations"] = {side: sorted({x["iterations"] for x in results[side]}) for side in sides}
    return [row]


ONNX_SIDES = ("native", "float64", "float32")


def _onnx_rows(name: str, spec: dict[str, Any], work: Path, rounds: int) -> list[dict[str, Any]]:
    """synjson's batch against onnxruntime on synjson's ONNX exports (float64, float32), interleaved by round:
    each round runs the three in a rotated order, each in a fresh process; a ratio is synjson's time over
    onnxruntime's in the same round."""
    task = TASKS[name]
    runs: dict[str, list[dict[str, Any]]] = {side: [] for side in ONNX_SIDES}
    for r in range(rounds):
        for side in ONNX_SIDES[r % 3:] + ONNX_SIDES[:r % 3]:
            if side == "native":
                worker_spec = {"task": "batch", "model": spec["model"], "data": spec["data"], "rows": spec["rows"]}
                runs[side].append(_worker("native", worker_spec, work, f"{name}-native"))
            else:
                worker_spec = {"task": "onnxruntime", "model": spec["model"], "data": spec["data"],
                               "onnx": spec["onnx"][side]}
                runs[side].append(_worker("onnxruntime", worker_spec, work, f"{name}-{side}"))
            print(f"  {name} round {r + 1} {side}: seconds {runs[side][-1]['seconds']:.4f}", file=sys.stderr)
    rows = []
    for dtype in ("float64", "float32"):
        peer = runs[dtype]
        diff = max(x["max_diff"] for x in peer)
        rows.append({"benchmark": f"batch-{spec['rows'] // 1000}k against onnxruntime {dtype}", "what": task["what"],
                     "target": task["target"] if dtype == "float64" else None, "unit": "rows/s",
                     "rows": spec["rows"], "peer": peer[-1]["engine"] + " " + dtype,
                     "synaptic": [x["seconds"] for x in peer], "native": [x["seconds"] for x in runs["native"]],
                     "pure": [], "check": f"max diff from synjson's outputs {diff:.1e}; onnxruntime's session"
                     f" {statistics.median(x['from_json'] for x in peer) * 1000:.1f} ms, first run"
                     f" {_rows_per_s(spec['rows'] / statistics.median(x['first'] for x in peer))}"})
    return rows


def _pickle_row(task: dict[str, Any], results: dict[str, list[dict[str, Any]]], check: str) -> dict[str, Any]:
    """The pickle row: time against ``JSON.stringify(net.toJSON())``; its targets are absolute (2 ms, 1.2x bytes)."""
    native = results["native"]
    ratio = statistics.median(x["bytes"] / x["numbers"] for x in native)
    median_ms = statistics.median(x["seconds"] for x in native) * 1000
    notes = [f"{native[-1]['bytes']:,} bytes = **{ratio:.3f}x** its numbers' {native[-1]['numbers']:,} (<= 1.2: "
             + ("met" if ratio <= 1.2 else "**missed**") + ")",
             f"<= 2 ms: {'met' if median_ms <= 2 else '**missed**'}",
             f"JSON text {results['synaptic'][-1]['outputs'][0]:,} bytes" if results.get("synaptic") else "",
             "first dumps " + ", ".join(f"{side} {statistics.median(x['first'] for x in results[side]) * 1000:.2f}"
                                        for side in ("native", "pure") if results.get(side)) + " ms",
             "loads " + ", ".join(f"{side} {statistics.median(x['loads'] for x in results[side]) * 1000:.1f}"
                                  for side in ("native", "pure") if results.get(side)) + " ms"]
    return {"benchmark": "pickle 64-128-10", "what": task["what"], "target": None, "unit": "s",
            "check": "; ".join(note for note in (check, *notes) if note),
            **{side: [x["seconds"] for x in results[side]] for side in results}}


def _memory_row(spec: dict[str, Any], task: dict[str, Any], results: dict[str, list[dict[str, Any]]],
                sides: list[str]) -> dict[str, Any]:
    """Peak memory added by a read, as a multiple of the file's size (absolute target: 3x)."""
    size = results[sides[0]][-1]["bytes"]
    notes = [f"file {size / 1e6:.1f} MB"] + [
        f"{side} {statistics.median(x['peak'] for x in results[side]) / 1e6:.0f} MB added"
        + (f" (tracemalloc peak {statistics.median(x['traced'] for x in results[side]) / 1e6:.0f} MB)"
           if side != "synaptic" else "")
        for side in sides if results[side]]
    return {"benchmark": f"peak memory of a read, {spec['label']} (x file size)", "what": task["what"],
            "target": task["target"], "unit": "x", "check": "; ".join(notes),
            **{side: [x["peak"] / x["bytes"] for x in results[side]] for side in sides}}


def _agreement(results: dict[str, list[dict[str, Any]]]) -> str:
    """native == pure bit for bit, and the largest difference from Synaptic's outputs."""
    outs = {side: results[side][-1]["outputs"] for side in results if results[side]}
    if not outs or not all(outs.values()):
        return ""
    if "same_text" in next(iter(results.values()))[-1]:
        same = all(x["same_text"] for side in ("native", "pure") for x in results[side])
        note = "synjson writes back the text it read, byte for byte" if same else "synjson's texts differ"
        if "synaptic" in outs:  # Synaptic drops the top-level "synjson" key (the architecture) synjson adds
            note += f"; Synaptic's is {outs['native'][0] - outs['synaptic'][0]} bytes shorter (no `synjson` key)"
        return note
    notes = []
    if "pure" in outs:
        notes.append("native == pure" if outs["native"] == outs["pure"] else "native != pure")
    if "synaptic" in outs:
        diff = max(abs(a - b) for a, b in zip(outs["native"], outs["synaptic"]))
        notes.append(f"max diff vs Synaptic {diff:.1e}")
    return ", ".join(notes)


def _cell(row: dict[str, Any], side: str) -> tuple[str, str]:
    """The side's figure and its ratio to Synaptic."""
    values = row[side]
    if row["unit"] == "rows/s":
        per = [row["rows"] / v for v in values]
        if not per:
            return "not run", ""
        if statistics.median(per) < 1e5:
            return _spread(per, 1e-3, "{:.2f}") + " k rows/s", ""
        return _spread(per, 1e-6, "{:.2f}") + " M rows/s", ""
    if row["unit"] == "x":
        return (_spread(values, fmt="{:.2f}") + "x" if values else "not run"), ""
    if side == "synaptic":
        return _ms(values), ""
    return _ms(values), _ratio(values, row["synaptic"])[0]


def _rows_per_s(value: float) -> str:
    return f"{value / 1e6:.2f} M rows/s" if value >= 1e5 else f"{value / 1e3:.2f} k rows/s"


def _met(row: dict[str, Any]) -> str:
    if row["target"] is None:
        return "(no target)"
    if row.get("peer"):
        if row["target"] is None:
            return "(no target)"
        ratio = _ratio(row["native"], row["synaptic"])[1]
        return f"<= {row['target']:g}: " + ("met" if ratio is not None and ratio <= row["target"] else "**missed**")
    if row["unit"] == "rows/s":
        value = row["rows"] / statistics.median(row["native"])
        return f">= {row['target'] / 1e6:g} M: " + ("met" if value >= row["target"] else "**missed**")
    if row["unit"] == "x":
        value = statistics.median(row["native"])
        return f"<= {row['target']:g}x: " + ("met" if value <= row["target"] else "**missed**")
    ratio = _ratio(row["native"], row["synaptic"])[1]
    return f"<= {row['target']:g}: " + ("met" if ratio is not None and ratio <= row["target"] else "**missed**")


def table(rows: list[dict[str, Any]]) -> str:
    lines = ["| benchmark | Synaptic 1.1.4 | synjson native | ratio native | synjson pure | ratio pure | target"
             " (native) | check |", "|" + "---|" * 8]
    for row in rows:
        synaptic = _cell(row, "synaptic")[0] if row["unit"] in ("s", "x") or row.get("peer") else "-"
        native, native_ratio = _cell(row, "native")
        if row.get("peer"):  # the peer (onnxruntime) stands in Synaptic's column
            synaptic = f"{row['peer']}: {synaptic}"
            native_ratio = _ratio(row["native"], row["synaptic"])[0]
        pure, pure_ratio = _cell(row, "pure")
        notes = [row["check"]] if row.get("check") else []
        if row.get("from_json"):
            notes.append("from_json " + ", ".join(f"{s} {statistics.median(v) * 1000:.1f}" for s, v in
                                                  row["from_json"].items() if v) + " ms")
        if row.get("first"):
            notes.append("the first call (it compiles the plan): " + ", ".join(
                f"{s} {_rows_per_s(row['rows'] / statistics.median(v))}" for s, v in row["first"].items() if v))
        if row.get("iterations"):
            notes.append("iterations " + " / ".join(f"{s} {v}" for s, v in row["iterations"].items()))
        check = "; ".join(notes)
        lines.append(f"| {row['benchmark']} | {synaptic} | {native} | {native_ratio} | {pure} | {pure_ratio}"
                     f" | {_met(row)} | {check} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--only", help="comma-separated benchmarks: " + ", ".join(TASKS))
    parser.add_argument("--rounds", type=int, help="rounds of every benchmark (default: each one's own)")
    parser.add_argument("--quick", action="store_true", help="one round, no pure-Python batches (a smoke test)")
    parser.add_argument("--full", action="store_true", help="also the pure-Python 100 000-row batch")
    parser.add_argument("--work", help="folder for models and data (default: a temporary one, kept)")
    parser.add_argument("--json", help="also write the measurements as JSON to this file")
    args = parser.parse_args(argv)
    names = args.only.split(",") if args.only else list(TASKS)
    for name in names:
        if name not in TASKS:
            parser.error(f"unknown benchmark {name!r}")
    work = Path(args.work or tempfile.mkdtemp(prefix="synjson-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    print(f"models and data in {work}; load average {os.getloadavg()[0]:.1f}", file=sys.stderr)
    specs = _models(work, names)
    _compile_bytecode()
    rows: list[dict[str, Any]] = []
    started = time.perf_counter()
    for name in names:
        task = TASKS[name]
        rounds = args.rounds or (1 if args.quick else task["rounds"])
        pure = task.get("pure_rounds", rounds)
        if args.quick:
            pure = min(pure, 1) if spec_is_fast(name) else 0
        if args.full and name == "batch-100k":
            pure = max(pure, 1)
        print(f"running {name} ({rounds} rounds, pure {min(pure, rounds)}): {task['what']}", file=sys.stderr)
        rows += run_task(name, specs[name], work, rounds, min(pure, rounds) if args.rounds is None else
                         min(rounds, pure if pure < task["rounds"] else rounds))
    print(f"{time.perf_counter() - started:.0f} s; load average {os.getloadavg()[0]:.1f}", file=sys.stderr)
    print(table(rows))
    if args.json:
        Path(args.json).write_text(json.dumps(rows, indent=2))
    return 0


def spec_is_fast(name: str) -> bool:
    """Benchmarks whose pure-Python side takes seconds, not minutes."""
    return name not in ("mlp-mid", "batch-10k", "batch-100k")


if __name__ == "__main__":
    raise SystemExit(main())
