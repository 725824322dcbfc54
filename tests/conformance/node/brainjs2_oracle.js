#!/usr/bin/env node
'use strict';
// Oracle for synjson.format.bridges.brainjs2: ask the real brain.js 2.0.0-beta.24 (npm alias
// `brain.js-2`) what a NeuralNetwork file computes, and what it writes.
//
// Reads one JSON request on stdin, writes one JSON answer on stdout:
//
//   {"cases": [{"json": <a NeuralNetwork toJSON object>,     load it with fromJSON, or
//               "build": {...}, "seed": 1,                    build and train one with Math.random seeded
//               "inputs": [[...], ...]}, ...]}                run in turn
//   -> {"version": "2.0.0-beta.24",
//       "results": [{"json": <toJSON of the model run>, "outputs": [[...], ...]}, ...]}
//
// Builds: {"hiddenLayers": [3], "activation": "tanh", "inputs": ["a", "b"] | 2, "outputs": ["x"] | 1,
//          "iterations": 20}: trained that long on a fixed data set.
// Inputs and outputs are arrays; named inputs and outputs go by the lookup's indices.
// The package's dist/index.js requires gpu.js (a native WebGL stack) at load; dist/browser.js is
// the same code bundled with gpu.js's pure-JavaScript CPU fallback, so NeuralNetwork runs from it.
// A case that throws answers {"error": message}.

const common = require('./common');
const brain = require('brain.js-2/dist/browser.js');
const version = require('brain.js-2/package.json').version;

function build(spec) {
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

function byIndex(lookup) {
  const names = [];
  for (const key of Object.keys(lookup)) names[lookup[key]] = key;
  return names;
}

function run(net, inputs) {
  const inKeys = net.inputLookup ? byIndex(net.inputLookup) : null;
  const outKeys = net.outputLookup ? byIndex(net.outputLookup) : null;
  return inputs.map((row) => {
    const input = inKeys ? Object.fromEntries(inKeys.map((key, k) => [key, row[k]])) : row;
    const output = net.run(input);
    return outKeys ? outKeys.map((key) => output[key]) : Array.from(output);
  });
}

function runCase(item) {
  if (item.seed !== undefined) common.seed(item.seed);
  const net = item.json ? new brain.NeuralNetwork().fromJSON(item.json) : build(item.build);
  return {json: net.toJSON(), outputs: run(net, item.inputs || [])};
}

common.entry(module, (text) => ({status: 0, stdout: JSON.stringify({version, results: common.runCases(text, runCase)})}));
