// web/runtime.js against every case in tests/conformance/cases/ (written by make_cases.js from
// synaptic@1.1.4's default, optimized mode): outputs over the activation sequence, outputs over
// 200 training steps and the final toJSON. Expected: bit-identical (asserted as such; a
// failure message also reports the largest relative difference).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync, existsSync } from "node:fs";
import { loadNetwork } from "../../../web/runtime.js";
import { maxDiff } from "./runtime_helpers.mjs";

const CASES = new URL("../cases/", import.meta.url);
const read = (name, file) => JSON.parse(readFileSync(new URL(`${name}/${file}`, CASES), "utf8"));
const names = readdirSync(CASES).filter((name) => existsSync(new URL(`${name}/train.json`, CASES)));

test("there are cases to run", () => assert.ok(names.length >= 10, `${names.length} cases`));

// Cases whose file holds two connections between one pair of neurons: refused (Q-DUP), as
// synjson.from_json refuses them.
const DUPLICATES = new Set(["reproject_both_ways"]);

for (const name of names) {
  test(`case ${name}`, () => {
    const doc = read(name, "network.json");
    if (DUPLICATES.has(name)) {
      assert.throws(() => loadNetwork(doc), { name: "FormatError", message: /^connections\[\d+\]: second connection from neuron \d+ to neuron \d+/ });
      return;
    }
    const inputs = read(name, "inputs.json");
    const expected = read(name, "activate.json").from_json;
    const net = loadNetwork(doc);
    inputs.forEach((x, t) => {
      const y = net.activate(x);
      assert.deepEqual(y, expected[t], `activate step ${t}: max relative difference ${maxDiff(y, expected[t])}`);
    });
    const train = read(name, "train.json");
    const learner = loadNetwork(doc);
    train.inputs.forEach((x, t) => {
      const y = learner.activate(x);
      assert.deepEqual(y, train.outputs[t], `train step ${t}: max relative difference ${maxDiff(y, train.outputs[t])}`);
      learner.propagate(train.rate, train.targets[t]);
    });
    assert.equal(JSON.stringify(learner.toJSON()), JSON.stringify(train.final));
  });
}
