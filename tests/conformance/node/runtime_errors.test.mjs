// web/runtime.js: what it refuses, with which message, and the deliberate deviations from
// Synaptic 1.1.4 (docs/runtime.md). Messages are asserted exactly.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { FormatError, loadNetwork } from "../../../web/runtime.js";
import { Network, documentFor } from "./runtime_helpers.mjs";

function xor() {
  return documentFor("perceptron 2-3-1", 21);
}

function refuses(doc, message) {
  assert.throws(
    () => loadNetwork(doc),
    (error) => {
      assert.ok(error instanceof FormatError, `not a FormatError: ${error}`);
      assert.equal(error.message, message);
      return true;
    },
  );
}

test("format errors name the JSON path", () => {
  refuses([], 'expected an object with "neurons" and "connections", got an array');
  refuses({ neurons: {}, connections: [] }, "neurons: expected an array, got an object");
  refuses({ neurons: [], connections: [] }, 'neurons: no neuron has layer "input"; a network needs at least one input');
  refuses({ neurons: xor().neurons, connections: null }, "connections: expected an array, got null");
  let doc = xor();
  doc.connections[3].to = 40;
  refuses(doc, "connections[3].to: neuron 40 does not exist (6 neurons)");
  doc = xor();
  doc.connections[2].from = -1;
  refuses(doc, "connections[2].from: expected a neuron index, got -1");
  doc = xor();
  doc.connections[1].gater = 1.5;
  refuses(doc, "connections[1].gater: expected a neuron index, got 1.5");
  doc = xor();
  doc.connections[0].weight = "0.5";
  refuses(doc, 'connections[0].weight: expected a finite number, got "0.5"');
  doc = xor();
  delete doc.connections[4].weight;
  refuses(doc, 'connections[4]: missing "weight"');
  doc = xor();
  doc.neurons[5].bias = null;
  refuses(doc, "neurons[5].bias: expected a finite number, got null");
  doc = xor();
  doc.neurons[3].layer = "hidden";
  refuses(doc, 'neurons[3].layer: expected "input", "output" or a hidden layer index, got "hidden"');
  doc = xor();
  doc.neurons[3].layer = 2;
  refuses(doc, "neurons[3].layer: hidden layer 2 appears but hidden layer 1 does not; Synaptic would load a network that cannot activate");
  doc = xor();
  doc.neurons[5].layer = 0;
  refuses(doc, 'neurons: no neuron has layer "output"; a network needs at least one output');
  doc = xor();
  doc.neurons[2].squash = 3;
  refuses(doc, "neurons[2].squash: expected a squash name or null, got 3");
  doc = xor();
  doc.connections.push({ ...doc.connections[0] });
  refuses(doc, "connections[9]: second connection from neuron 0 to neuron 2 (first at connections[0]); Synaptic's fromJSON would silently overwrite the first");
});

test("a null or unknown squash is LOGISTIC, as in Synaptic", () => {
  const doc = xor();
  doc.neurons[2].squash = null;
  doc.neurons[3].squash = "SOFTMAX";
  const ours = loadNetwork(doc);
  assert.deepEqual(ours.activate([0.3, -0.2]), Network.fromJSON(doc).activate([0.3, -0.2]));
  assert.equal(ours.toJSON().neurons[2].squash, "LOGISTIC");
  assert.equal(ours.toJSON().neurons[3].squash, "LOGISTIC");
});

test("wrong input or target length and a missing rate throw (Synaptic gives NaN)", () => {
  const net = loadNetwork(xor());
  assert.throws(() => net.activate([1]), { name: "RangeError", message: "input has 1 values, the network expects 2" });
  assert.throws(() => net.activate([1, "2"]), { name: "TypeError", message: 'input[1] is not a number: "2"' });
  assert.throws(() => net.activate(null), { name: "TypeError", message: "input must be an array of 2 numbers" });
  net.activate([1, 0]);
  assert.throws(() => net.propagate(0.1, [1, 0]), { name: "RangeError", message: "target has 2 values, the network expects 1" });
  assert.throws(() => net.propagate(undefined, [1]), { name: "TypeError", message: "rate must be a number, got undefined" });
  // Synaptic's optimized propagate with no rate writes NaN into the weights.
  const theirs = Network.fromJSON(xor());
  theirs.activate([1, 0]);
  theirs.propagate(undefined, [1]);
  assert.ok(Number.isNaN(theirs.toJSON().connections[0].weight));
});

test("deviation: a hidden neuron with no incoming connections is an ordinary neuron", () => {
  const doc = xor();
  doc.connections = doc.connections.filter((c) => c.to !== 2); // neuron 2 (hidden) loses its inputs
  const ours = loadNetwork(doc);
  const out = ours.activate([0.5, 0.5]);
  // Its activation is the squash of its bias alone (Synaptic would take an input value for it).
  assert.equal(ours.toJSON().neurons[2].activation, 1 / (1 + Math.exp(-doc.neurons[2].bias)));
  assert.equal(out.length, 1);
});

test("deviation: a hidden neuron that neither projects nor gates gets responsibility 0", () => {
  const doc = xor();
  doc.connections = doc.connections.filter((c) => c.from !== 4); // neuron 4 (hidden) projects nowhere
  const ours = loadNetwork(doc);
  const before = ours.toJSON();
  ours.activate([1, 0]);
  ours.propagate(0.5, [1]);
  const after = ours.toJSON();
  assert.equal(after.neurons[4].bias, before.neurons[4].bias);
  const into4 = (d) => d.connections.filter((c) => c.to === 4).map((c) => c.weight);
  assert.deepEqual(into4(after), into4(before));
  assert.equal(ours.outputs, 1); // Synaptic would make it a second output
});

test("input neurons: bias, state and old read 0 once the net has run, as Synaptic's toJSON shows", () => {
  const doc = xor();
  doc.neurons[0].bias = 0.05;
  doc.neurons[0].state = 0.5;
  const ours = loadNetwork(doc);
  const theirs = Network.fromJSON(doc);
  assert.equal(JSON.stringify(ours.toJSON()), JSON.stringify(theirs.toJSON()));
  ours.activate([0.25, 1]);
  theirs.activate([0.25, 1]);
  assert.deepEqual(ours.toJSON().neurons[0], { trace: { elegibility: {}, extended: {} }, state: 0, old: 0, activation: 0.25, bias: 0, layer: "input", squash: "LOGISTIC" });
  assert.equal(JSON.stringify(ours.toJSON()), JSON.stringify(theirs.toJSON()));
});

test("the runtime source has no eval, no Function constructor, and imports only plan.js", () => {
  const read = (name) => readFileSync(new URL(`../../../web/${name}`, import.meta.url), "utf8");
  const runtime = read("runtime.js");
  const plan = read("plan.js");
  const imports = runtime.match(/^import .*$/gm);
  assert.equal(imports.length, 1);
  assert.match(imports[0], /^import \{ [A-Za-z_, ]+ \} from "\.\/plan\.js";$/);
  for (const source of [runtime.replace(imports[0], ""), plan]) {
    for (const banned of [/\beval\s*\(/, /\bFunction\s*\(/, /\bimport\s*\(/, /^\s*import\s/m, /setTimeout|setInterval/]) {
      assert.doesNotMatch(source, banned);
    }
  }
  assert.ok(runtime.length + plan.length < 40000, `runtime.js and plan.js are ${runtime.length + plan.length} bytes`);
  for (const [name, source] of [["runtime.js", runtime], ["plan.js", plan]]) {
    const lines = source.split("\n").length - 1;
    assert.ok(lines <= 600, `${name} has ${lines} lines (house rule: at most 600)`);
  }
});

test("metadata block and sizes are exposed", () => {
  const doc = xor();
  doc.synjson = { inputs: ["a", "b"], outputs: ["a xor b"] };
  const net = loadNetwork(doc);
  assert.deepEqual(net.metadata, { inputs: ["a", "b"], outputs: ["a xor b"] });
  assert.equal(net.inputs, 2);
  assert.equal(net.outputs, 1);
  assert.deepEqual(net.size, { neurons: 6, connections: 9, hidden: 1, traces: 0 });
  const info = net.describe();
  assert.deepEqual(info.layers, { input: [0, 1], hidden: [[2, 3, 4]], output: [5] });
  assert.equal(info.parameters, 13);
  assert.deepEqual(info.squashes, { LOGISTIC: 4 });
});
