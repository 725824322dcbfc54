"""Figures for the browser export (issue 4). Not a test: it prints numbers.

    .venv/bin/python bench/export_figures.py            # XOR and 784-256-10, ~1 minute
    .venv/bin/python bench/export_figures.py --quick    # XOR only

For each model: the size of each export target, then activations per second of the exported ES
module in Node against Synaptic 1.1.4's ``standalone()`` function built from the same JSON, in
the same Node process, on the same inputs (after a warm-up round; best of six rounds). It also
checks that both give the same outputs. Note that ``standalone()`` only activates, while the
module's ``activate`` also updates the eligibility traces (so ``network.propagate`` can follow),
as Synaptic's default compiled ``Network.activate`` does; that one is printed too.
Needs Node 20 and ``npm ci`` (synaptic, pyodide).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import synjson  # noqa: E402
from synjson.exporters.pages import render  # noqa: E402
from synjson.train.architect import Perceptron  # noqa: E402

NODE_BENCH = r"""
import { createRequire } from "node:module";
import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
const [, , root, modulePath, jsonPath, budgetText] = process.argv;
const require = createRequire(root + "/"); // finds the repository's node_modules/synaptic
const { Network } = require("synaptic");
const budget = Number(budgetText); // milliseconds per round
const ROUNDS = 7; // the first warms up; the best of the rest is reported (the machine may be busy)
const doc = JSON.parse(readFileSync(jsonPath, "utf8"));
let started = performance.now();
const exported = await import(pathToFileURL(modulePath).href);
const loadModule = performance.now() - started;
started = performance.now();
const standalone = Network.fromJSON(doc).standalone();
const loadStandalone = performance.now() - started;
const n = exported.network.inputs;
let seed = 7;
const random = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
const inputs = Array.from({ length: 64 }, () => Array.from({ length: n }, () => random() * 2 - 1));
// Same answers first (a fresh module state each: the nets here are feed-forward).
const a = exported.activate(inputs[0]);
const b = standalone(inputs[0]);
const diff = Math.max(...a.map((v, i) => Math.abs(v - b[i])));
function rateModule(inputs) {
  let best = 0;
  for (let round = 0; round < ROUNDS; round++) {
    let count = 0;
    const t0 = performance.now();
    while (performance.now() - t0 < budget) {
      for (let k = 0; k < 16; k++) exported.activate(inputs[(count + k) & 63]);
      count += 16;
    }
    if (round > 0) best = Math.max(best, count / ((performance.now() - t0) / 1000)); // round 0 warms up
  }
  return best;
}
// The same loop, copied so that each call site only ever sees one function.
function rateStandalone(inputs) {
  let best = 0;
  for (let round = 0; round < ROUNDS; round++) {
    let count = 0;
    const t0 = performance.now();
    while (performance.now() - t0 < budget) {
      for (let k = 0; k < 16; k++) standalone(inputs[(count + k) & 63]);
      count += 16;
    }
    if (round > 0) best = Math.max(best, count / ((performance.now() - t0) / 1000));
  }
  return best;
}
function rateOptimized(inputs) {
  let best = 0;
  for (let round = 0; round < ROUNDS; round++) {
    let count = 0;
    const t0 = performance.now();
    while (performance.now() - t0 < budget) {
      for (let k = 0; k < 16; k++) optimized.activate(inputs[(count + k) & 63]);
      count += 16;
    }
    if (round > 0) best = Math.max(best, count / ((performance.now() - t0) / 1000));
  }
  return best;
}
const moduleRate = rateModule(inputs);
const standaloneRate = rateStandalone(inputs);
const optimized = Network.fromJSON(doc);
started = performance.now();
optimized.activate(inputs[0]); // compiles
const compileOptimized = performance.now() - started;
const optimizedRate = rateOptimized(inputs);
console.log(JSON.stringify({
  loadModule, loadStandalone, compileOptimized, diff, moduleRate, standaloneRate, optimizedRate,
}));
"""


def sizes(net: synjson.Network) -> dict[str, int]:
    return {target: len(render(net, target).encode("utf-8")) for target in ("html", "module", "pyodide")}


def node_rates(net: synjson.Network, budget_ms: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as folder:
        module = Path(folder) / "model.mjs"
        model = Path(folder) / "model.json"
        synjson.export(net, module, "module")
        model.write_text(synjson.dumps(net))
        script = Path(folder) / "bench.mjs"
        script.write_text(NODE_BENCH)
        out = subprocess.run(
            ["node", str(script), str(ROOT), str(module), str(model), str(budget_ms)],
            cwd=ROOT, capture_output=True, text=True,
        )
        if out.returncode:
            raise SystemExit(f"node failed:\n{out.stderr}")
        return json.loads(out.stdout)


def report(name: str, net: synjson.Network, budget_ms: int) -> None:
    started = time.perf_counter()
    found = sizes(net)
    took = time.perf_counter() - started
    print(f"\n{name}: {net.inputs()} inputs, {net.outputs()} outputs, {len(net.neurons())} neurons")
    for target, size in found.items():
        print(f"  {target:8s} {size:>12,d} bytes  ({size / 1024:,.1f} KiB)")
    print(f"  (rendering the three targets took {took:.2f} s in Python)")
    rates = node_rates(net, budget_ms)
    print(f"  Node {subprocess.run(['node', '--version'], capture_output=True, text=True).stdout.strip()}:"
          f" load exported module {rates['loadModule']:.0f} ms,"
          f" Synaptic fromJSON + standalone() {rates['loadStandalone']:.0f} ms")
    ratio = rates["moduleRate"] / rates["standaloneRate"]
    print(
        f"  activations/s: exported module {rates['moduleRate']:,.0f},"
        f" Synaptic standalone() {rates['standaloneRate']:,.0f} (ratio {ratio:.2f});"
        f" max output difference {rates['diff']:.1e}"
    )
    print(f"  for reference, Synaptic's default Network.activate (compiled, keeps traces like the module):"
          f" {rates['optimizedRate']:,.0f}/s after {rates['compileOptimized']:.0f} ms compiling")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="XOR only")
    args = parser.parse_args(argv)
    xor = Perceptron(2, 3, 1, seed=1)
    xor.metadata = {"inputs": ["x", "y"], "outputs": ["x xor y"], "name": "XOR"}
    report("XOR perceptron 2-3-1", xor, 300)
    if not args.quick:
        started = time.perf_counter()
        wide = Perceptron(784, 256, 10, seed=2)
        print(f"\n(building 784-256-10 in Python took {time.perf_counter() - started:.1f} s)")
        report("perceptron 784-256-10", wide, 1500)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
