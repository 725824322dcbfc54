"""synjson side of one benchmark, run in its own process: ``python -m bench.worker SPEC.json``.

Prints one JSON line with the same keys as ``synaptic_bench.js``: per-repeat timings in
seconds (``cold``: load + compile + first activation; ``steady``: the timed loop), the
import time, the process's peak resident memory and the last outputs (``checksum``).
"""

from __future__ import annotations

import json
import resource
import sys
import time
from pathlib import Path
from typing import Any


def _peak() -> int:
    """This process's peak resident memory in bytes (VmHWM: ru_maxrss carries the parent's across exec)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    spec = json.loads(Path(args[0]).read_text())
    started = time.perf_counter()
    import numpy as np

    import synjson
    from synjson import columnar

    result: dict[str, Any] = {"task": spec["task"], "cold": [], "steady": [], "load": [], "save": []}
    result["import"] = time.perf_counter() - started
    data = json.loads(Path(spec["data"]).read_text()) if spec.get("data") else None
    for _ in range(spec["repeats"]):
        if spec["task"] == "json":
            before = _peak()
            t0 = time.perf_counter()
            plan = columnar.load_plan(spec["model"])
            result["load"].append(time.perf_counter() - t0)
            result.setdefault("load_peak_growth", _peak() - before)  # VmHWM only grows: the first load tells
            t0 = time.perf_counter()
            text = columnar.dumps_plan(plan)
            result["save"].append(time.perf_counter() - t0)
            result["bytes"] = len(text)
            del plan, text
            continue
        if spec["task"] == "trainer":  # Trainer.train on a fresh network; training compiles it itself
            t0 = time.perf_counter()
            net = synjson.read(spec["model"])
            if spec.get("preload_kernel"):
                from synjson.engine import accel

                accel.kernel()  # loaded: Trainer then fuses each iteration into one kernel call
            result["cold"].append(time.perf_counter() - t0)
            samples = [{"input": x, "output": y} for x, y in zip(data["inputs"], data["targets"])]
            t0 = time.perf_counter()
            synjson.Trainer(net, engine=spec.get("engine")).train(
                samples, rate=spec["rate"], iterations=spec["epochs"], error=spec["error"]
            )
            result["steady"].append(time.perf_counter() - t0)
            result["executor"] = net._compiled.executor if net._compiled is not None else "reference"
            result["checksum"] = net.activate(data["inputs"][0])
            continue
        t0 = t0_cold = time.perf_counter()
        net = synjson.read(spec["model"])
        compiled = net.compile(spec.get("engine", "auto"))
        inputs = data["inputs"]
        last = compiled.activate(inputs[0])
        if compiled.executor == "python" and not spec.get("per_call"):
            from synjson.engine import accel

            accel.kernel()  # numba's kernel (compiled once, then loaded from its disk cache) is part of cold
        result["cold"].append(time.perf_counter() - t0)
        result["executor"] = compiled.executor
        if spec["task"] == "train":
            targets, rate = data["targets"], spec["rate"]
            t0 = time.perf_counter()
            if spec.get("per_call"):  # activate and propagate called once per sample, as the JS loop does
                activate, propagate = compiled.activate, compiled.propagate
                for _ in range(spec["epochs"]):
                    for x, y in zip(inputs, targets):
                        last = activate(x)
                        propagate(rate, y)
            else:  # the same loop, fused (numba, when installed, runs it for the python executor)
                last = compiled.train_steps(inputs, targets, rate, spec["epochs"])
            result["steady"].append(time.perf_counter() - t0)
            if spec.get("save_trained"):
                synjson.save(net, spec["save_trained"])
        else:  # batch
            rows = np.asarray(inputs, dtype=float)
            compiled.activate_batch(rows[:100])  # cold: starts BLAS's threads (the network has no state)
            result["cold"][-1] = time.perf_counter() - t0_cold
            t0 = time.perf_counter()
            out = compiled.activate_batch(rows)
            result["steady"].append(time.perf_counter() - t0)
            last = out[-1].tolist()
        result["checksum"] = list(last)
    result["peak_rss"] = _peak()
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
