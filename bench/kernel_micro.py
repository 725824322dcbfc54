"""The native kernel alone against Synaptic 1.1.4 in Node, same JSON, same data, same run.

    python bench/kernel_micro.py [--repeats 5] [--only xor,trainer,mid,lstm,batch]

Until the lead's store lands, Network does not run on the kernel yet: this times
``Program`` (and a ``Core`` subclass, the shape Network will take) over the tables of
``Network.plan()``. Models and data are bench/run.py's; the Synaptic side is
bench/synaptic_bench.js. Prints one table: medians of the repeats on each side, their ratio (synjson / Synaptic), and the
ratio of the best repeats (the machine is shared).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from array import array
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import synjson  # noqa: E402
from bench.run import TASKS, _models, _run  # noqa: E402
from synjson.engine import _kernel  # noqa: E402


class KernelNet(_kernel.Core):
    """A Network-shaped Core: ``net.activate(x)`` goes straight to C."""

    def __init__(self, path: str) -> None:
        self.net = synjson.read(path)
        self.version = array("q", [0])

    def _refresh(self) -> None:
        self.tables = self.net.plan()
        self._install(_kernel.Program(self.tables), self.version)


def per_call(spec: dict[str, Any], data: dict[str, Any], core: bool) -> tuple[float, list[float]]:
    net = KernelNet(spec["model"])
    net._refresh()
    run: Any = net if core else net._program
    inputs, targets, rate, epochs = data["inputs"], data["targets"], spec["rate"], spec["epochs"]
    run.activate(inputs[0])  # as synaptic_bench.js does before its loop (its optimize()); not timed
    t0 = time.perf_counter()
    for _ in range(epochs):  # the user's loop, as the seed's XOR example writes it
        for x, t in zip(inputs, targets):
            last = run.activate(x)
            run.propagate(rate, t)
    return time.perf_counter() - t0, last


def trainer(spec: dict[str, Any], data: dict[str, Any]) -> tuple[float, list[float]]:
    net = KernelNet(spec["model"])
    net._refresh()
    program = net._program
    program.activate(data["inputs"][0])  # as synaptic_bench.js does before training; not timed
    t0 = time.perf_counter()
    rows = array("d", [x for row in data["inputs"] for x in row])
    goals = array("d", [y for row in data["targets"] for y in row])
    history = array("d", bytes(8 * spec["epochs"]))
    program.train(rows, goals, len(data["inputs"]), spec["epochs"], spec["error"], "MSE", spec["rate"],
                  history=history)
    elapsed = time.perf_counter() - t0
    return elapsed, program.activate(data["inputs"][0])


def batch(spec: dict[str, Any], data: dict[str, Any]) -> tuple[float, list[float]]:
    import numpy as np

    net = KernelNet(spec["model"])
    net._refresh()
    rows = np.asarray(data["inputs"], dtype=float)
    out = np.empty((len(rows), net.net.outputs()))
    t0 = time.perf_counter()
    net._program.activate_batch(rows, len(rows), out)
    return time.perf_counter() - t0, out[-1].tolist()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--only", default="xor,trainer,mid,lstm,batch")
    parser.add_argument("--work", help="folder for models and data (default: a temporary one)")
    args = parser.parse_args(argv)
    work = Path(args.work or tempfile.mkdtemp(prefix="synjson-kernel-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    specs = _models(work)
    specs["batch"] = {**specs["batch"], "model": specs["mlp-mid"]["model"]}  # the untrained 64-128-10
    cases = {  # name: (spec, how synjson runs it, what)
        "xor": ("xor", lambda s, d: per_call(s, d, True), "XOR 2-3-1 per call (Core), 20 000 x 4, rate 0.3"),
        "xor-program": ("xor", lambda s, d: per_call(s, d, False), "the same on Program directly"),
        "trainer": ("trainer", trainer, "Program.train, XOR, 20 000 iterations"),
        "mid": ("mlp-mid", lambda s, d: per_call(s, d, True), "64-128-10 per call, 1 000 x 5"),
        "lstm": ("lstm", lambda s, d: per_call(s, d, True), "LSTM(2,8,1) per call, 2 000 steps"),
        "batch": ("batch", batch, "activate_batch, 10 000 rows, 64-128-10"),
    }
    chosen = args.only.split(",")
    if "xor" in chosen:
        chosen.insert(chosen.index("xor") + 1, "xor-program")
    lines = ["| benchmark | synjson kernel | Synaptic 1.1.4 | ratio (medians) | ratio (best) | synjson throughput"
             " | max output diff |", "|---|---|---|---|---|---|---|"]
    for name in chosen:
        key, run, what = cases[name]
        spec = specs[key]
        data = json.loads(Path(spec["data"]).read_text())
        ours, last = [], []
        for _ in range(args.repeats):
            elapsed, last = run(spec, data)
            ours.append(elapsed)
        theirs = _run(["node", str(ROOT / "bench" / "synaptic_bench.js")], {**spec, "repeats": min(args.repeats, TASKS[key][2])}, work,
                      f"kernel-{name}")
        a, b = statistics.median(ours), statistics.median(theirs["steady"])
        best_a, best_b = min(ours), min(theirs["steady"])  # the machine is shared: both figures
        steps = len(data["inputs"]) * spec.get("epochs", 1) if key != "trainer" else spec["epochs"] * 4
        unit = "rows/s" if key == "batch" else "steps/s"
        agree = max(abs(x - y) for x, y in zip(last, theirs["checksum"]))
        lines.append(f"| {name}: {what} | {a * 1000:,.2f} ms | {b * 1000:,.2f} ms | {a / b:.3f} | "
                     f"{best_a / best_b:.3f} | {steps / a:,.0f} {unit} | {agree:.1e} |")
        print(lines[-1], file=sys.stderr)
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
