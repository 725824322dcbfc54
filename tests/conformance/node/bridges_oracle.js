#!/usr/bin/env node
'use strict';
// Oracle for synjson.format.bridges: ask the real brain.js 1.6.1 and neataptic 1.4.7 what a model computes.
//
// Reads one JSON request on stdin, writes one JSON answer on stdout:
//
//   {"cases": [{"runtime": "brain.js" | "neataptic",
//               "json": <the runtime's toJSON object>,     load it with fromJSON, or
//               "build": {...}, "seed": 1,                  build one (see below) with Math.random seeded
//               "inputs": [[...], ...]}, ...]}              run (brain.js) / activate (neataptic) in turn
//   -> {"results": [{"json": <toJSON of the model run>, "outputs": [[...], ...]}, ...]}
//
// brain.js builds: {"hiddenLayers": [3], "activation": "tanh", "inputs": ["a", "b"] | 2,
//                   "outputs": ["x"] | 1, "iterations": 20}: trained that long on a fixed data set.
// neataptic builds: {"kind": "Perceptron" | "LSTM" | "GRU" | "NARX", "args": [...]}, or
//                   {"kind": "mutated", "args": [inputs, outputs], "mutations": ["ADD_NODE", ...],
//                    "squash": "TANH"} (every hidden node's squash, optional).
// Inputs and outputs are arrays; named brain.js inputs and outputs follow the lookup order.
// A case that throws answers {"error": message}.

const common = require('./common');
const brain = require('brain.js');
const neataptic = require('neataptic');

function brainBuild(spec) {
  const net = new brain.NeuralNetwork({hiddenLayers: spec.hiddenLayers, activation: spec.activation});
  const names = (side) => (Array.isArray(spec[side]) ? spec[side] : null);
  const width = (side) => (Array.isArray(spec[side]) ? spec[side].length : spec[side]);
  const data = [];
  for (let i = 0; i < 4; i++) {
    const row = (n, offset) => Array.from({length: n}, (_, k) => ((i + k + offset) % 3) / 2);
    let input = row(width('inputs'), 0);
    let output = row(width('outputs'), 1);
    if (names('inputs')) input = Object.fromEntries(names('inputs').map((key, k) => [key, input[k]]));
    if (names('outputs')) output = Object.fromEntries(names('outputs').map((key, k) => [key, output[k]]));
    data.push({input, output});
  }
  net.train(data, {iterations: spec.iterations || 20});
  return net;
}

function brainRun(net, inputs) {
  const inKeys = net.inputLookup ? Object.keys(net.inputLookup) : null;
  const outKeys = net.outputLookup ? Object.keys(net.outputLookup) : null;
  return inputs.map((row) => {
    const input = inKeys ? Object.fromEntries(inKeys.map((key, k) => [key, row[k]])) : row;
    const output = net.run(input);
    return outKeys ? outKeys.map((key) => output[key]) : Array.from(output);
  });
}

function neatapticBuild(spec) {
  const A = neataptic.architect;
  const args = spec.args || [];
  switch (spec.kind) {
    case 'Perceptron': return new A.Perceptron(...args);
    case 'LSTM': return new A.LSTM(...args);
    case 'GRU': return new A.GRU(...args);
    case 'NARX': return new A.NARX(...args);
    case 'mutated': {
      const net = new neataptic.Network(args[0], args[1]);
      for (const name of spec.mutations) net.mutate(neataptic.methods.mutation[name]);
      if (spec.squash) {  // ADD_NODE draws a random squash: pin the hidden ones
        for (const node of net.nodes) if (node.type === 'hidden') node.squash = neataptic.methods.activation[spec.squash];
      }
      return net;
    }
    default: throw new Error('unknown neataptic build ' + JSON.stringify(spec.kind));
  }
}

function runCase(item) {
  if (item.seed !== undefined) common.seed(item.seed);
  if (item.runtime === 'brain.js') {
    const net = item.json ? new brain.NeuralNetwork().fromJSON(item.json) : brainBuild(item.build);
    const json = net.toJSON();
    return {json, outputs: brainRun(net, item.inputs || [])};
  }
  if (item.runtime === 'neataptic') {
    const net = item.json ? neataptic.Network.fromJSON(item.json) : neatapticBuild(item.build);
    const json = net.toJSON();
    const fresh = item.json ? net : neataptic.Network.fromJSON(json); // run what the JSON holds, from zero state
    return {json, outputs: (item.inputs || []).map((row) => fresh.activate(row))};
  }
  throw new Error('unknown runtime ' + JSON.stringify(item.runtime));
}

common.entry(module, (text) => ({status: 0, stdout: JSON.stringify({results: common.runCases(text, runCase)})}));
