"""synjson side of one benchmark, one measurement, in its own process: ``python -m bench.worker SPEC.json``.

It runs the code a user writes (``Network.from_json``, ``net.activate``/``net.propagate``,
``Trainer.train``, ``net.activate_batch``, ``synjson.dumps``/``loads``) on whichever engine
synjson picks by itself: the native kernel when it was built, the pure-Python program when
``SYNJSON_PURE=1`` is in this process's environment (bench/run.py sets it for the "pure" side).
Prints one JSON line with the same keys as ``synaptic_bench.js``: ``from_json`` (its seconds: the
first one in a process imports jsonschema), ``seconds`` (the timed code after it, the first call included),
``outputs`` (the last outputs, to check both sides ran the same numbers) and ``engine``.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Any


def _engine() -> str:
    from synjson.engine.native import kernel

    return "native" if kernel() is not None else "pure"


def per_call(doc: Any, data: dict[str, Any], rate: float, epochs: int) -> tuple[float, float, list[float]]:
    """``net = Network.from_json(doc)``, then ``net.activate(x); net.propagate(rate, t)`` per sample.

    Returns the seconds of ``from_json`` and of the loop (the first call, which compiles, included).
    """
    import synjson

    inputs, targets = data["inputs"], data["targets"]
    t0 = time.perf_counter()
    net = synjson.Network.from_json(doc)
    t1 = time.perf_counter()
    for _ in range(epochs):
        for x, t in zip(inputs, targets):
            last = net.activate(x)
            net.propagate(rate, t)
    return t1 - t0, time.perf_counter() - t1, last


def trainer(doc: Any, data: dict[str, Any], options: dict[str, Any]) -> tuple[float, float, list[float], dict[str, Any]]:
    """``Trainer(net).train(xor, **options)``, Synaptic's defaults otherwise (``error=0.005``)."""
    import synjson

    xor = [{"input": x, "output": t} for x, t in zip(data["inputs"], data["targets"])]
    t0 = time.perf_counter()
    net = synjson.Network.from_json(doc)
    t1 = time.perf_counter()
    result = synjson.Trainer(net).train(xor, **options)
    elapsed = time.perf_counter() - t1
    return t1 - t0, elapsed, net.activate(data["inputs"][0]), {"iterations": result.iterations, "error": result.error}


def batch(doc: Any, data: dict[str, Any]) -> tuple[float, float, float, list[float]]:
    """``net.activate_batch(X)`` on a numpy array of rows (X built before the clock starts), twice.

    Returns the seconds of ``from_json``, of the first call (it compiles the plan) and of the second.
    """
    import numpy as np

    import synjson

    X = np.asarray(data["inputs"], dtype=float)
    t0 = time.perf_counter()
    net = synjson.Network.from_json(doc)
    t1 = time.perf_counter()
    net.activate_batch(X)
    t2 = time.perf_counter()
    out = net.activate_batch(X)
    return t1 - t0, t2 - t1, time.perf_counter() - t2, out[-1].tolist()


def onnxruntime_batch(path: str, data: dict[str, Any]) -> dict[str, Any]:
    """onnxruntime on synjson's own ONNX export of the same model: ``session.run`` on the rows, twice.

    The rows are cast to the model's input type (float32 or float64) before the clock starts. Returns
    the seconds of the session's creation, of the first run and of the second (the one compared).
    """
    import numpy as np
    import onnxruntime

    t0 = time.perf_counter()
    session = onnxruntime.InferenceSession(path, providers=["CPUExecutionProvider"])
    t1 = time.perf_counter()
    feed = session.get_inputs()[0]
    X = np.asarray(data["inputs"], dtype=np.float32 if feed.type == "tensor(float)" else np.float64)
    t2 = time.perf_counter()
    session.run(None, {feed.name: X})
    t3 = time.perf_counter()
    out = session.run(None, {feed.name: X})[0]
    seconds = time.perf_counter() - t3
    return {"engine": "onnxruntime " + onnxruntime.__version__, "from_json": t1 - t0, "first": t3 - t2,
            "seconds": seconds, "outputs": [float(v) for v in out[-1]], "all": out.astype(float).tolist()}


def pickled(doc: Any, data: dict[str, Any]) -> dict[str, Any]:
    """``pickle.dumps(net)`` of a network in use (one ``activate``): the first one and the median of 50 more.

    Also the pickle's size against the bytes of the numbers it carries (the store's columns in use),
    ``pickle.loads``, and that the copy activates to the same outputs (``==``).
    """
    import pickle
    import statistics

    import synjson

    net = synjson.Network.from_json(doc)
    x = data["inputs"][0]
    net.activate(x)
    t0 = time.perf_counter()
    blob = pickle.dumps(net, protocol=5)
    first = time.perf_counter() - t0
    times = []
    for _ in range(50):
        t0 = time.perf_counter()
        blob = pickle.dumps(net, protocol=5)
        times.append(time.perf_counter() - t0)
    t0 = time.perf_counter()
    copy = pickle.loads(blob)
    loads = time.perf_counter() - t0
    store = net.store
    numbers = 8 * (8 * len(store.neurons) + 3 * len(store.connections) + store.traces)
    if copy.activate(x) != net.activate(x):
        raise SystemExit("pickle: the copy's outputs differ from the original's")
    return {"first": first, "seconds": statistics.median(times), "loads": loads, "bytes": len(blob),
            "numbers": numbers, "from_json": 0.0, "outputs": [len(blob)]}


def peak_rss() -> int:
    """This process's peak resident memory in bytes: VmHWM (ru_maxrss would carry the parent's peak
    over fork and exec on Linux: the bench's own process builds the big models first)."""
    import resource

    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def memory(path: str) -> dict[str, Any]:
    """Peak memory ``synjson.read(path)`` adds: the peak resident size after it minus before it (a fresh process).

    Then, in the same process, tracemalloc's peak of a second read (Python's allocations only, for the notes).
    """
    import gc
    import os
    import tracemalloc

    import synjson

    gc.collect()
    before = peak_rss()
    net = synjson.read(path)
    peak = peak_rss() - before
    del net
    gc.collect()
    tracemalloc.start()
    again = synjson.read(path)
    traced = tracemalloc.get_traced_memory()[1]
    del again
    tracemalloc.stop()
    return {"peak": peak, "traced": traced, "bytes": os.path.getsize(path), "outputs": []}


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    spec = json.loads(Path(args[0]).read_text())
    import synjson

    synjson.Network, synjson.Trainer  # noqa: B018  (the lazy imports happen before the clock starts)
    if spec["task"] == "memory":  # before reading anything: the baseline is the interpreter with synjson imported
        print(json.dumps({"engine": _engine(), **memory(spec["model"])}))
        return 0
    if spec["task"] == "onnxruntime":
        data = json.loads(Path(spec["data"]).read_text())
        result = onnxruntime_batch(spec["onnx"], data)
        import numpy as np  # after the clock: synjson's outputs of the same rows, for the check column

        ours = synjson.loads(Path(spec["model"]).read_text()).activate_batch(np.asarray(data["inputs"], dtype=float))
        result["max_diff"] = float(np.abs(np.asarray(result.pop("all")) - ours).max())
        print(json.dumps(result))
        return 0
    if spec["task"] == "build":
        from synjson import architect

        t0 = time.perf_counter()
        architect.Perceptron(*spec["sizes"])
        print(json.dumps({"engine": _engine(), "seconds": time.perf_counter() - t0, "outputs": []}))
        return 0
    text = Path(spec["model"]).read_text()
    data = json.loads(Path(spec["data"]).read_text()) if spec.get("data") else None
    result: dict[str, Any] = {"engine": _engine()}
    task = spec["task"]
    if task == "json":  # load: synjson.loads(text); save: synjson.dumps(net), twice (the first compiles the plan)
        t0 = time.perf_counter()
        net = synjson.loads(text)
        t1 = time.perf_counter()
        saved = synjson.dumps(net)
        t2 = time.perf_counter()
        again = synjson.dumps(net)
        t3 = time.perf_counter()
        result.update(load=t1 - t0, save=t2 - t1, save_again=t3 - t2, same_text=saved == again == text,
                      outputs=[len(saved)])
    elif task == "pickle":
        result.update(pickled(json.loads(text), data))
    else:
        doc = json.loads(text)  # the user's doc: parsed before the clock, as in the Node worker
        if task == "loop":
            from_json, seconds, outputs = per_call(doc, data, spec["rate"], spec["epochs"])
        elif task == "trainer":
            options = {"rate": spec["rate"], "iterations": spec["epochs"]}
            if "error" in spec:
                options["error"] = spec["error"]
            from_json, seconds, outputs, extra = trainer(doc, data, options)
            result.update(extra)
        else:
            from_json, result["first"], seconds, outputs = batch(doc, data)
        result.update(from_json=from_json, seconds=seconds, outputs=list(outputs))
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
