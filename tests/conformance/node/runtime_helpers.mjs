// Shared helpers for the runtime conformance tests: a seeded random source, the nets to
// compare, and comparisons with a stated tolerance. The ground truth is synaptic@1.1.4
// (node_modules/synaptic) in its default, optimized mode.
import { createRequire } from "node:module";
import assert from "node:assert/strict";

const require = createRequire(import.meta.url);
export const synaptic = require("synaptic");
const { Layer, Network, Architect, Neuron } = synaptic;

/** mulberry32: a small seeded generator of numbers in [0, 1). */
export function seeded(seed) {
  let a = seed >>> 0;
  return function random() {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Runs `build` with Math.random replaced by a seeded generator, so Synaptic's draws repeat. */
export function withRandom(random, build) {
  const saved = Math.random;
  Math.random = random;
  try {
    return build();
  } finally {
    Math.random = saved;
  }
}

/** Relative tolerance for "equal": |a - b| <= TOLERANCE * max(1, |a|, |b|). */
export const TOLERANCE = 1e-9;

export function close(a, b) {
  if (Object.is(a, b)) return true;
  if (Number.isNaN(a) || Number.isNaN(b)) return false;
  return Math.abs(a - b) <= TOLERANCE * Math.max(1, Math.abs(a), Math.abs(b));
}

/** Deep comparison of two toJSON documents: same structure, numbers within TOLERANCE. */
export function assertDocsClose(actual, expected, where = "$") {
  if (typeof expected === "number") {
    assert.equal(typeof actual, "number", `${where}: expected a number`);
    assert.ok(close(actual, expected), `${where}: ${actual} != ${expected}`);
    return;
  }
  if (expected === null || typeof expected !== "object") {
    assert.equal(actual, expected, where);
    return;
  }
  assert.equal(Array.isArray(actual), Array.isArray(expected), `${where}: array vs object`);
  assert.deepEqual(Object.keys(actual), Object.keys(expected), `${where}: keys (and their order)`);
  for (const key of Object.keys(expected)) assertDocsClose(actual[key], expected[key], `${where}.${key}`);
}

/** Largest relative difference between two number lists (0 when bit-identical). */
export function maxDiff(a, b) {
  assert.equal(a.length, b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) {
    if (Object.is(a[i], b[i])) continue;
    worst = Math.max(worst, Math.abs(a[i] - b[i]) / Math.max(1, Math.abs(a[i]), Math.abs(b[i])));
    if (Number.isNaN(worst)) return Infinity;
  }
  return worst;
}

// ---------------------------------------------------------------------------
// The nets under test. Each builder returns a Synaptic network built with seeded weights.

function perceptron231() {
  return new Architect.Perceptron(2, 3, 1);
}

function perceptronMixed() {
  const net = new Architect.Perceptron(3, 5, 4, 2);
  const [h1, h2] = net.layers.hidden;
  const kinds = [Neuron.squash.TANH, Neuron.squash.RELU, Neuron.squash.LOGISTIC, Neuron.squash.IDENTITY, Neuron.squash.TANH];
  h1.list.forEach((neuron, i) => (neuron.squash = kinds[i]));
  h2.list.forEach((neuron, i) => (neuron.squash = [Neuron.squash.LOGISTIC, Neuron.squash.TANH, Neuron.squash.HLIM, Neuron.squash.RELU][i]));
  net.layers.output.list[0].squash = Neuron.squash.IDENTITY;
  return net;
}

function lstm() {
  return new Architect.LSTM(2, 4, 1);
}

function lstmOptions() {
  return new Architect.LSTM(2, 3, 3, 2, {
    peepholes: Layer.connectionType.ONE_TO_ONE,
    hiddenToHidden: true,
    outputToHidden: true,
    outputToGates: true,
    inputToOutput: false,
  });
}

/**
 * A hand-built gated net: a TANH layer H that projects to a self-connected layer A and gates
 * A's outgoing connections (H both projects and gates, and its TANH squash leaves a value in
 * the generated code's scratch variable); a gate layer G *after* A that gates A's
 * self-connections and the connections I -> A; one G neuron also projects to the output;
 * an output neuron gates a connection H -> A; an input neuron gates a connection H -> A.
 */
function gated() {
  const I = new Layer(2);
  const H = new Layer(3).set({ squash: Neuron.squash.TANH });
  const A = new Layer(3);
  const G = new Layer(3);
  const O = new Layer(2);
  O.list[1].squash = Neuron.squash.IDENTITY;
  const inToH = I.project(H);
  const inToA = I.project(A);
  I.project(G);
  H.project(A);
  const self = A.project(A);
  const aToO = A.project(O);
  H.project(G);
  G.list[1].project(O.list[0]);
  H.gate(aToO, Layer.gateType.OUTPUT);
  G.gate(self, Layer.gateType.ONE_TO_ONE);
  G.gate(inToA, Layer.gateType.INPUT);
  O.list[0].gate(H.list[2].connections.projected[Object.keys(H.list[2].connections.projected)[0]]);
  I.list[1].gate(H.list[0].connections.projected[Object.keys(H.list[0].connections.projected)[1]]);
  void inToH;
  return new Network({ input: I, hidden: [H, A, G], output: O });
}

export const NETS = {
  "perceptron 2-3-1": { build: perceptron231, rate: 0.3 },
  "perceptron 3-5-4-2, mixed squashes": { build: perceptronMixed, rate: 0.05 },
  "LSTM(2,4,1)": { build: lstm, rate: 0.1 },
  "LSTM(2,3,3,2) with options": { build: lstmOptions, rate: 0.1 },
  "hand-built gated net": { build: gated, rate: 0.1 },
};

/** A Synaptic network document for `name`, built with seeded weights. */
export function documentFor(name, seed = 1) {
  return withRandom(seeded(seed), () => NETS[name].build().toJSON());
}

/** Input and target sequences of numbers in [-1, 1) / [0, 1). */
export function sequences(size, inputs, outputs, seed) {
  const random = seeded(seed);
  const xs = [];
  const ys = [];
  for (let t = 0; t < size; t++) {
    xs.push(Array.from({ length: inputs }, () => random() * 2 - 1));
    ys.push(Array.from({ length: outputs }, () => random()));
  }
  return { xs, ys };
}

export { Network };
