#!/usr/bin/env node
'use strict';
// Writes the Synaptic.js conformance cases: tests/conformance/cases/<name>/*.json.
//
//   node tests/conformance/node/make_cases.js [OUTPUT_DIR]
//
// Every case is built with Synaptic's own Layer/Network API (Architect where the
// name says so), with Math.random replaced by a mulberry32 generator seeded from
// the case name, so reruns write identical files. Per case:
//   network.json   toJSON right after building, before any activation
//   inputs.json    INPUT_STEPS input vectors
//   activate.json  outputs over inputs.json, state carried between inputs, from
//                  Network.fromJSON(network.json) ("from_json") and from the object
//                  that was built ("original")
//   train.json     TRAIN_STEPS x (activate, propagate(rate, target)) on
//                  Network.fromJSON(network.json): rate, inputs, targets, outputs
//                  (before each propagate) and the final toJSON
//   tojson.json    JSON.stringify(Network.fromJSON(network.json).toJSON()), exact text
// All runs use Synaptic's default (optimized) mode. Python's tests only read these.

const fs = require('fs');
const path = require('path');
const common = require('./common');
const { synaptic, seed, prettyJSON } = common;
const { Layer, Network, Architect } = synaptic;
const { LOGISTIC, TANH, IDENTITY, HLIM, RELU } = synaptic.Neuron.squash;
const ALL_TO_ALL = Layer.connectionType.ALL_TO_ALL;
const ONE_TO_ONE = Layer.connectionType.ONE_TO_ONE;
const ALL_TO_ELSE = Layer.connectionType.ALL_TO_ELSE;
const GATE = Layer.gateType;

const INPUT_STEPS = 24;
const TRAIN_STEPS = 200;

function net(input, hidden, output) {
  return new Network({ input: input, hidden: hidden, output: output });
}

// A plain chain of fully connected layers; squashes[i] for hidden layer i, the last for the output.
function chain(sizes, squashes) {
  const layers = sizes.map((n) => new Layer(n));
  for (let i = 0; i + 1 < layers.length; i++) layers[i].project(layers[i + 1]);
  if (squashes) squashes.forEach((s, i) => layers[i + 1].set({ squash: s }));
  return net(layers[0], layers.slice(1, -1), layers[layers.length - 1]);
}

// One LSTM memory block per size, wired line by line as Architect.LSTM does.
function handLSTM(inputs, blocks, outputs, option) {
  const inputLayer = new Layer(inputs);
  const outputLayer = new Layer(outputs);
  const hidden = [];
  let previous = null;
  for (const size of blocks) {
    const inputGate = new Layer(size).set({ bias: 1 });
    const forgetGate = new Layer(size).set({ bias: 1 });
    const memoryCell = new Layer(size);
    const outputGate = new Layer(size).set({ bias: 1 });
    hidden.push(inputGate, forgetGate, memoryCell, outputGate);
    const input = inputLayer.project(memoryCell);
    inputLayer.project(inputGate);
    inputLayer.project(forgetGate);
    inputLayer.project(outputGate);
    let cell = null;
    if (previous) {
      cell = previous.project(memoryCell);
      previous.project(inputGate);
      previous.project(forgetGate);
      previous.project(outputGate);
    }
    const output = memoryCell.project(outputLayer);
    const self = memoryCell.project(memoryCell);
    if (option.hiddenToHidden) memoryCell.project(memoryCell, ALL_TO_ELSE);
    if (option.outputToHidden) outputLayer.project(memoryCell);
    if (option.outputToGates) {
      outputLayer.project(inputGate);
      outputLayer.project(outputGate);
      outputLayer.project(forgetGate);
    }
    memoryCell.project(inputGate, option.peepholes);
    memoryCell.project(forgetGate, option.peepholes);
    memoryCell.project(outputGate, option.peepholes);
    inputGate.gate(input, GATE.INPUT);
    forgetGate.gate(self, GATE.ONE_TO_ONE);
    outputGate.gate(output, GATE.OUTPUT);
    if (cell) inputGate.gate(cell, GATE.INPUT);
    previous = memoryCell;
  }
  if (option.inputToOutput) inputLayer.project(outputLayer);
  return net(inputLayer, hidden, outputLayer);
}

// name -> {rate, build}. Keep tests/conformance/builders.py in step with this table.
const CASES = {
  perceptron_2_3_1: { rate: 0.3, build: () => chain([2, 3, 1]) },
  perceptron_3_5_4_2: { rate: 0.1, build: () => chain([3, 5, 4, 2]) },

  // One squash per layer: TANH, IDENTITY, HLIM, RELU hidden layers, LOGISTIC output.
  squash_chain: { rate: 0.1, build: () => chain([3, 4, 4, 4, 4, 2], [TANH, IDENTITY, HLIM, RELU, LOGISTIC]) },
  // One small net per squash (hidden and output layers).
  squash_logistic: { rate: 0.1, build: () => chain([2, 3, 2], [LOGISTIC, LOGISTIC]) },
  squash_tanh: { rate: 0.1, build: () => chain([2, 3, 2], [TANH, TANH]) },
  squash_identity: { rate: 0.05, build: () => chain([2, 3, 2], [IDENTITY, IDENTITY]) },
  squash_hlim: { rate: 0.1, build: () => chain([2, 3, 2], [HLIM, HLIM]) },
  squash_relu: { rate: 0.1, build: () => chain([2, 3, 2], [RELU, RELU]) },

  // ONE_TO_ONE between layers and an ALL_TO_ELSE lateral projection of a layer onto itself.
  one_to_one_all_to_else: {
    rate: 0.1,
    build: () => {
      const input = new Layer(3), a = new Layer(4), b = new Layer(4), output = new Layer(2);
      input.project(a);
      a.project(b, ONE_TO_ONE);
      b.project(b, ALL_TO_ELSE);
      b.project(output);
      return net(input, [a, b], output);
    },
  },

  // layer.project(layer): every neuron gets an ungated self-connection (weight 1).
  self_connected: {
    rate: 0.1,
    build: () => {
      const input = new Layer(2), h = new Layer(3), output = new Layer(2);
      input.project(h);
      h.project(h);
      h.project(output);
      return net(input, [h], output);
    },
  },

  // Gate type INPUT: gater i gates every connection into h[i].
  gate_input: {
    rate: 0.1,
    build: () => {
      const input = new Layer(2), gater = new Layer(3), h = new Layer(3), output = new Layer(2);
      input.project(gater);
      const lc = input.project(h);
      gater.gate(lc, GATE.INPUT);
      h.project(output);
      return net(input, [gater, h], output);
    },
  },

  // Gate type OUTPUT: gater i gates every connection out of h[i].
  gate_output: {
    rate: 0.1,
    build: () => {
      const input = new Layer(2), h = new Layer(3), gater = new Layer(3), output = new Layer(2);
      input.project(h);
      input.project(gater);
      const lc = h.project(output);
      gater.gate(lc, GATE.OUTPUT);
      return net(input, [h, gater], output);
    },
  },

  // Gate type ONE_TO_ONE: gater i gates connection i of a ONE_TO_ONE projection.
  gate_one_to_one: {
    rate: 0.1,
    build: () => {
      const input = new Layer(2), gater = new Layer(3), h = new Layer(3), k = new Layer(3);
      const output = new Layer(2);
      input.project(gater);
      input.project(h);
      const lc = h.project(k, ONE_TO_ONE);
      gater.gate(lc, GATE.ONE_TO_ONE);
      k.project(output);
      return net(input, [gater, h, k], output);
    },
  },

  // A gater layer gating a layer's ONE_TO_ONE self-projection (quirk 4).
  gated_self_connection: {
    rate: 0.1,
    build: () => {
      const input = new Layer(2), gater = new Layer(3), m = new Layer(3), output = new Layer(2);
      input.project(gater);
      input.project(m);
      const self = m.project(m);
      gater.gate(self, GATE.ONE_TO_ONE);
      m.project(output);
      return net(input, [gater, m], output);
    },
  },

  // Hidden neurons that both project and gate (quirk 2: their projected error starts
  // from the scratch variable's leftover). The TANH layer, activated first, writes
  // that scratch variable in every activation; nothing else writes it before the
  // gaters' propagation, so the leftover is exp(state) of the last TANH neuron.
  project_and_gate: {
    rate: 0.1,
    build: () => {
      const input = new Layer(2), t = new Layer(3).set({ squash: TANH });
      const g = new Layer(2), h = new Layer(2), output = new Layer(2);
      input.project(t);
      t.project(g);
      const lc = t.project(h);
      g.gate(lc, GATE.INPUT);
      g.project(output);
      h.project(output);
      return net(input, [t, g, h], output);
    },
  },

  // An output layer that gates hidden connections (quirk 3).
  output_gater: {
    rate: 0.1,
    build: () => {
      const input = new Layer(2), h = new Layer(3), k = new Layer(2), output = new Layer(2);
      input.project(h);
      const lc = h.project(k);
      k.project(output);
      output.gate(lc, GATE.INPUT);
      return net(input, [h, k], output);
    },
  },

  // a -> b, b -> a, then a -> b again: Neuron.connected finds b -> a among a's inputs
  // first, so Synaptic makes a second set of a -> b connections. Network.fromJSON merges
  // them again (the later weight wins), so toJSON(fromJSON(network.json)) != network.json.
  reproject_both_ways: {
    rate: 0.1,
    build: () => {
      const input = new Layer(2), a = new Layer(2), b = new Layer(2), output = new Layer(2);
      input.project(a);
      a.project(b);
      b.project(a);
      a.project(b);
      b.project(output);
      return net(input, [a, b], output);
    },
  },

  // An LSTM built from Layers by hand: one block of 3 cells, ONE_TO_ONE peepholes,
  // cell-to-cell (ALL_TO_ELSE) recurrence, input-to-output shortcut.
  lstm_layers: {
    rate: 0.1,
    build: () =>
      handLSTM(2, [3], 1, { peepholes: ONE_TO_ONE, hiddenToHidden: true, inputToOutput: true }),
  },

  architect_lstm_2_4_1: { rate: 0.1, build: () => new Architect.LSTM(2, 4, 1) },
  architect_lstm_1_3_3_1: { rate: 0.1, build: () => new Architect.LSTM(1, 3, 3, 1) },

  // Random topology among hidden neurons: self-connections, repeated projections,
  // connections gated twice (quirk 7). No Python builder: its draws are Synaptic's.
  architect_liquid_2_8_2: { rate: 0.1, build: () => new Architect.Liquid(2, 8, 2, 14, 6) },
  architect_hopfield_4: { rate: 0.1, build: () => new Architect.Hopfield(4) },
};

function round4(x) {
  return Math.round(x * 1e4) / 1e4;
}

function vectors(count, size, low, high) {
  const out = [];
  for (let i = 0; i < count; i++) {
    const v = [];
    for (let j = 0; j < size; j++) v.push(round4(low + (high - low) * Math.random()));
    out.push(v);
  }
  return out;
}

function checkFinite(value, where) {
  const text = JSON.stringify(value, (k, v) => {
    if (typeof v === 'number' && !Number.isFinite(v)) throw new Error(where + ': non-finite number ' + v);
    return v;
  });
  return text;
}

function activateAll(network, inputs) {
  return inputs.map((x) => Array.from(network.activate(x)));
}

function makeCase(name, spec) {
  seed(name);
  const built = spec.build();
  const network = built.toJSON();
  const nIn = built.inputs();
  const nOut = built.outputs();

  const inputs = vectors(INPUT_STEPS, nIn, -1, 1);
  const trainInputs = vectors(TRAIN_STEPS, nIn, -1, 1);
  const targets = vectors(TRAIN_STEPS, nOut, 0, 1);

  const activate = {
    from_json: activateAll(Network.fromJSON(network), inputs),
    original: activateAll(built, inputs),
  };

  const trained = Network.fromJSON(network);
  const outputs = [];
  for (let i = 0; i < TRAIN_STEPS; i++) {
    outputs.push(Array.from(trained.activate(trainInputs[i])));
    trained.propagate(spec.rate, targets[i]);
  }
  const train = {
    rate: spec.rate,
    inputs: trainInputs,
    targets: targets,
    outputs: outputs,
    final: trained.toJSON(),
  };

  const tojson = JSON.stringify(Network.fromJSON(network).toJSON());

  const files = {
    'network.json': network,
    'inputs.json': inputs,
    'activate.json': activate,
    'train.json': train,
  };
  const texts = {};
  for (const file of Object.keys(files)) {
    checkFinite(files[file], name + '/' + file);
    texts[file] = prettyJSON(files[file]) + '\n';
  }
  texts['tojson.json'] = tojson; // exact text, no newline: compared byte for byte
  return texts;
}

function main(argv) {
  const outDir = path.resolve(argv[0] || path.join(__dirname, '..', 'cases'));
  fs.mkdirSync(outDir, { recursive: true });
  let total = 0;
  for (const name of Object.keys(CASES)) {
    const texts = makeCase(name, CASES[name]);
    const dir = path.join(outDir, name);
    fs.mkdirSync(dir, { recursive: true });
    for (const file of Object.keys(texts)) {
      fs.writeFileSync(path.join(dir, file), texts[file]);
      total += Buffer.byteLength(texts[file]);
    }
  }
  process.stderr.write(
    `wrote ${Object.keys(CASES).length} cases (${(total / 1024).toFixed(0)} KiB) to ${outDir}\n`
  );
  return 0;
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));

module.exports = { CASES };
