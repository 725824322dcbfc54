"""The seed's example, end to end.

Train a 2-3-1 perceptron on XOR (20 000 iterations of the four samples at rate
0.3), print its four outputs, save ``xor.json``, show that the real Synaptic.js
loads that file and prints the same outputs, and export the model's pages.

Run it with ``make demo`` (which also does the set-up) or ``.venv/bin/python examples/xor.py``.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import synjson
from synjson import Network
from synjson.train.architect import Perceptron

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = [([0.0, 0.0], [0.0]), ([0.0, 1.0], [1.0]), ([1.0, 0.0], [1.0]), ([1.0, 1.0], [0.0])]


def build(seed: int) -> Network:
    """A 2-3-1 perceptron, wired as Synaptic's ``Architect.Perceptron(2, 3, 1)``."""
    net = Perceptron(2, 3, 1, seed=seed)
    net.metadata.update({"format_version": 1, "tool": "synjson", "inputs": ["a", "b"], "outputs": ["a xor b"]})
    return net


def main(out_dir: Path = ROOT / "out") -> int:
    net = build(seed=1)
    for _ in range(20_000):
        for inputs, target in SAMPLES:
            net.activate(inputs)
            net.propagate(0.3, target)
    outputs = [net.activate(inputs)[0] for inputs, _ in SAMPLES]
    print("synjson outputs:    ", " ".join(f"{value:.6f}" for value in outputs))

    out_dir.mkdir(parents=True, exist_ok=True)
    model = synjson.save(net, out_dir / "xor.json")
    print(f"saved {model.relative_to(ROOT) if model.is_relative_to(ROOT) else model}")

    node = shutil.which("node")
    if node is None:
        print("node is not installed: skipping the Synaptic.js check", file=sys.stderr)
        return 1
    reply = subprocess.run(
        [node, str(ROOT / "examples" / "synaptic_activate.js"), str(model), json.dumps([s[0] for s in SAMPLES])],
        check=True,
        capture_output=True,
        text=True,
    )
    # The saved file holds no traces, so Synaptic starts from a cleared state; a
    # feed-forward net gives the same outputs regardless.
    reloaded = synjson.read(model)
    expected = [reloaded.activate(inputs)[0] for inputs, _ in SAMPLES]
    synaptic_outputs = [row[0] for row in json.loads(reply.stdout)]
    print("Synaptic.js outputs:", " ".join(f"{value:.6f}" for value in synaptic_outputs))
    difference = max(abs(a - b) for a, b in zip(expected, synaptic_outputs))
    print(f"largest difference: {difference:.3g}")

    try:
        from synjson.exporters.pages import export
    except ImportError:
        print("synjson.exporters.pages is not available in this build: no pages written", file=sys.stderr)
    else:
        for target, name in (("html", "xor.html"), ("module", "xor.mjs"), ("pyodide", "xor-pyodide.html")):
            page = export(net, out_dir / name, target=target)
            print(f"exported {target:8} -> {page}")
    return 0 if difference <= 1e-12 else 1


if __name__ == "__main__":
    sys.exit(main())
