#!/usr/bin/env node
'use strict';
// Writes model files in the old JSON dialect with the real synaptic@1.0.11:
// tests/data/dialect-1.0.11/{perceptron-2-3-1,lstm-1-3-1,gated}.json
//
//   node tests/conformance/node/make_old_dialect.js [OUTPUT_DIR]
//
// synaptic 1.0.11 (installed as the npm alias `synaptic-1.0.11`) wrote neuron
// indices and hidden layer indices as strings ("layer": "0", "from": "3"):
// its toJSON walks arrays with `for (var i in list)`. 1.0.12 and later write
// numbers. Math.random is a mulberry32 stream seeded from each file's name, so
// reruns write identical files. Each network is built, trained a few steps and
// activated a few more, so weights, biases, states and activations are all
// non-trivial, as in a model file found in the wild.

const fs = require('fs');
const path = require('path');
const { mulberry32, hashSeed } = require('./common');

function seed(name) {
  Math.random = mulberry32(hashSeed(name));
}

seed('synaptic-1.0.11');
const old = require('synaptic-1.0.11');
if (require('synaptic-1.0.11/package.json').version !== '1.0.11') throw new Error('synaptic-1.0.11 is not 1.0.11');
const { Layer, Network, Architect } = old;
const GATE = Layer.gateType;

const out = process.argv[2] || path.join(__dirname, '..', '..', 'data', 'dialect-1.0.11');

const MODELS = {
  'perceptron-2-3-1': () => new Architect.Perceptron(2, 3, 1),
  'lstm-1-3-1': () => new Architect.LSTM(1, 3, 1),
  // A hidden layer that gates another's input connections and also projects.
  gated: () => {
    const input = new Layer(2), t = new Layer(3), g = new Layer(2), h = new Layer(2), output = new Layer(1);
    t.set({ squash: old.Neuron.squash.TANH });
    input.project(t);
    t.project(g);
    const lc = t.project(h);
    g.gate(lc, GATE.INPUT);
    g.project(output);
    h.project(output);
    h.project(h);
    return new Network({ input: input, hidden: [t, g, h], output: output });
  },
};

function run(name, build) {
  seed(name);
  const net = build();
  const n = net.inputs();
  const m = net.outputs();
  for (let step = 0; step < 5; step++) {
    net.activate(Array.from({ length: n }, () => Math.random() * 2 - 1));
    net.propagate(0.1, Array.from({ length: m }, () => Math.random()));
  }
  for (let step = 0; step < 3; step++) net.activate(Array.from({ length: n }, () => Math.random() * 2 - 1));
  const doc = net.toJSON();
  const text = JSON.stringify(doc, null, 1);
  // A fixture that does not show the old dialect would prove nothing.
  if (typeof doc.connections[0].from !== 'string') throw new Error(name + ': indices are not strings');
  fs.writeFileSync(path.join(out, name + '.json'), text + '\n');
  console.log(name, text.length, 'bytes');
}

fs.mkdirSync(out, { recursive: true });
for (const name of Object.keys(MODELS)) run(name, MODELS[name]);
