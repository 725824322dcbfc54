// The module target of synjson.export in Node: Python exports a Synaptic-built network as an ES
// module; Node imports it and runs it against synaptic@1.1.4's Network.fromJSON of the same
// document. Expected bit-identical outputs over 200 activate + propagate steps, and weights that
// survive Python's writing bit for bit. Python: $SYNJSON_PYTHON, default .venv/bin/python.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { NETS, Network, documentFor, sequences } from "./runtime_helpers.mjs";

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const PYTHON = process.env.SYNJSON_PYTHON || join(ROOT, ".venv/bin/python");
const EXPORT = "import sys, synjson\nfrom synjson import export\nexport(synjson.read(sys.argv[1]), sys.argv[2], 'module')\n";

function hex(x) {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  return view.getBigUint64(0).toString(16);
}

for (const name of ["perceptron 2-3-1", "LSTM(2,4,1)", "hand-built gated net"]) {
  test(`module target: ${name}`, async () => {
    const folder = mkdtempSync(join(tmpdir(), "synjson-module-"));
    try {
      const doc = documentFor(name, 31);
      doc.synjson = { name: "</script>\u2028", outputs: Array.from({ length: doc.neurons.filter((n) => n.layer === "output").length }, (_, i) => `out ${i}`) };
      writeFileSync(join(folder, "model.json"), JSON.stringify(doc));
      execFileSync(PYTHON, ["-c", EXPORT, join(folder, "model.json"), join(folder, "model.mjs")], { cwd: ROOT });
      assert.ok(readFileSync(join(folder, "model.mjs"), "utf8").includes("export function activate(input)"));
      const module = await import(pathToFileURL(join(folder, "model.mjs")).href);
      const { network, activate } = module;
      assert.equal(module.default.activate, activate);
      assert.deepEqual(network.metadata, doc.synjson);
      // Every weight and bias arrives with the same bits.
      const loaded = network.toJSON();
      assert.deepEqual(loaded.connections.map((c) => hex(c.weight)), doc.connections.map((c) => hex(c.from === c.to ? 1 : c.weight)));
      assert.deepEqual(loaded.neurons.map((n) => hex(n.bias)), doc.neurons.map((n) => hex(n.bias)));
      const theirs = Network.fromJSON(doc);
      const { xs, ys } = sequences(200, network.inputs, network.outputs, 32);
      for (let t = 0; t < xs.length; t++) {
        assert.deepEqual(activate(xs[t]), theirs.activate(xs[t]), `step ${t}`);
        network.propagate(NETS[name].rate, ys[t]);
        theirs.propagate(NETS[name].rate, ys[t]);
      }
      assert.equal(JSON.stringify(network.toJSON()), JSON.stringify(theirs.toJSON()));
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
}
