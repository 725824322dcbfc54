// web/runtime.js against synaptic@1.1.4 in its default (optimized) mode.
// Each net is built in Synaptic with seeded weights and saved with toJSON(); Synaptic's
// Network.fromJSON(doc) and the runtime's loadNetwork(doc) then run the same inputs.
// Tolerance: relative 1e-9 (see runtime_helpers.mjs); the runtime is in fact expected to be
// bit-identical, which the "exact" tests check separately.
import { test } from "node:test";
import assert from "node:assert/strict";
import { loadNetwork } from "../../../web/runtime.js";
import { NETS, Network, documentFor, sequences, seeded, withRandom, assertDocsClose, maxDiff } from "./runtime_helpers.mjs";

const ACTIVATE_STEPS = 25;
const TRAIN_STEPS = 200;

function pair(name, seed = 1) {
  const doc = documentFor(name, seed);
  return { doc, theirs: Network.fromJSON(doc), ours: loadNetwork(doc) };
}

for (const name of Object.keys(NETS)) {
  const { rate } = NETS[name];

  test(`${name}: ${ACTIVATE_STEPS} activations, state carried`, () => {
    const { theirs, ours } = pair(name);
    const { xs } = sequences(ACTIVATE_STEPS, ours.inputs, ours.outputs, 11);
    for (let t = 0; t < xs.length; t++) {
      const expected = theirs.activate(xs[t]);
      const actual = ours.activate(xs[t]);
      assert.ok(maxDiff(actual, expected) <= 1e-9, `step ${t}: ${actual} vs ${expected}`);
      assert.deepEqual(actual, expected, `step ${t}: not bit-identical`);
    }
    assertDocsClose(ours.toJSON(), theirs.toJSON());
  });

  test(`${name}: ${TRAIN_STEPS} activate + propagate steps`, () => {
    const { theirs, ours } = pair(name, 2);
    const { xs, ys } = sequences(TRAIN_STEPS, ours.inputs, ours.outputs, 12);
    let worst = 0;
    for (let t = 0; t < TRAIN_STEPS; t++) {
      const expected = theirs.activate(xs[t]);
      const actual = ours.activate(xs[t]);
      worst = Math.max(worst, maxDiff(actual, expected));
      assert.ok(worst <= 1e-9, `step ${t}: ${actual} vs ${expected}`);
      theirs.propagate(rate, ys[t]);
      ours.propagate(rate, ys[t]);
    }
    assert.equal(worst, 0, "outputs bit-identical over the run");
    assertDocsClose(ours.toJSON(), theirs.toJSON());
    assert.equal(JSON.stringify(ours.toJSON()), JSON.stringify(theirs.toJSON()), "toJSON text identical");
  });

  test(`${name}: clear() mid-sequence, then more training`, () => {
    const { theirs, ours } = pair(name, 3);
    const { xs, ys } = sequences(60, ours.inputs, ours.outputs, 13);
    for (let t = 0; t < 60; t++) {
      if (t === 30) {
        theirs.clear();
        ours.clear();
        assert.equal(JSON.stringify(ours.toJSON()), JSON.stringify(theirs.toJSON()), "after clear");
      }
      const expected = theirs.activate(xs[t]);
      assert.deepEqual(ours.activate(xs[t]), expected, `step ${t}`);
      theirs.propagate(rate, ys[t]);
      ours.propagate(rate, ys[t]);
    }
    assert.equal(JSON.stringify(ours.toJSON()), JSON.stringify(theirs.toJSON()));
  });

  test(`${name}: toJSON before any activation and round trip`, () => {
    const { doc, ours } = pair(name, 4);
    assert.equal(JSON.stringify(ours.toJSON()), JSON.stringify(Network.fromJSON(doc).toJSON()));
    const again = loadNetwork(JSON.stringify(ours.toJSON()));
    assert.equal(JSON.stringify(again.toJSON()), JSON.stringify(ours.toJSON()));
  });

  test(`${name}: reset(random) draws what Synaptic draws`, () => {
    const { theirs, ours } = pair(name, 5);
    const { xs, ys } = sequences(10, ours.inputs, ours.outputs, 14);
    for (let t = 0; t < 10; t++) {
      theirs.activate(xs[t]);
      ours.activate(xs[t]);
      theirs.propagate(rate, ys[t]);
      ours.propagate(rate, ys[t]);
    }
    withRandom(seeded(99), () => theirs.reset());
    ours.reset(seeded(99));
    assert.equal(JSON.stringify(ours.toJSON()), JSON.stringify(theirs.toJSON()), "after reset");
    // Without gated self-connections the two nets go on identically.
    for (let t = 0; t < 10; t++) {
      assert.deepEqual(ours.activate(xs[t]), theirs.activate(xs[t]), `after reset, step ${t}`);
      theirs.propagate(rate, ys[t]);
      ours.propagate(rate, ys[t]);
    }
    assert.equal(JSON.stringify(ours.toJSON()), JSON.stringify(theirs.toJSON()));
  });
}

test("a document whose neurons are not in network order is reordered as Synaptic does", () => {
  const doc = documentFor("hand-built gated net", 6);
  // Move the input neurons to the end and renumber the connections to match.
  const n = doc.neurons.length;
  const moved = (i) => (i < 2 ? n - 2 + i : i - 2);
  const shuffled = {
    neurons: [...doc.neurons.slice(2), ...doc.neurons.slice(0, 2)],
    connections: doc.connections.map((c) => ({ ...c, from: moved(c.from), to: moved(c.to), gater: c.gater === null ? null : moved(c.gater) })),
  };
  const theirs = Network.fromJSON(shuffled);
  const ours = loadNetwork(shuffled);
  const { xs, ys } = sequences(20, 2, 2, 15);
  for (let t = 0; t < 20; t++) {
    assert.deepEqual(ours.activate(xs[t]), theirs.activate(xs[t]), `step ${t}`);
    theirs.propagate(0.1, ys[t]);
    ours.propagate(0.1, ys[t]);
  }
  assert.equal(JSON.stringify(ours.toJSON()), JSON.stringify(theirs.toJSON()));
});

test("old dialect (synaptic 1.0.11: string layer and neuron indices) loads the same", () => {
  const doc = documentFor("LSTM(2,4,1)", 7);
  const old = {
    neurons: doc.neurons.map((x) => ({ ...x, layer: typeof x.layer === "number" ? String(x.layer) : x.layer })),
    connections: doc.connections.map((c) => ({ ...c, from: String(c.from), to: String(c.to), gater: c.gater === null ? null : String(c.gater) })),
  };
  const a = loadNetwork(doc);
  const b = loadNetwork(old);
  const { xs } = sequences(12, 2, 1, 16);
  for (const x of xs) assert.deepEqual(b.activate(x), a.activate(x));
  assert.equal(JSON.stringify(b.toJSON()), JSON.stringify(a.toJSON()));
});

test("TANH overflows to NaN above |state| ~ 709.78, as in Synaptic", () => {
  const doc = documentFor("perceptron 2-3-1", 8);
  doc.neurons[2].squash = "TANH";
  doc.neurons[2].bias = 710;
  const theirs = Network.fromJSON(doc);
  const ours = loadNetwork(doc);
  const expected = theirs.activate([0, 0]);
  assert.deepEqual(ours.activate([0, 0]), expected);
  assert.ok(Number.isNaN(ours.toJSON().neurons[2].activation));
});
