#!/usr/bin/env node
'use strict';
// Command-line oracle: ask the real Synaptic.js 1.1.4 what a network does.
//
// Reads one JSON request on stdin and writes one JSON answer on stdout.
//
//   {"network": <toJSON object>,           load with synaptic.Network.fromJSON
//    "steps": [{"input": [...]},           activate
//              {"input": [...], "target": [...], "rate": 0.1},
//              {"clear": true}, ...],      activate, then propagate(rate, target); net.clear()
//    "clear_before": false,                net.clear() before the first step
//    "optimized": true,                    false: net.setOptimize(false) first
//    "softsign": [3, 4]}                   these neurons (toJSON indices) get the custom squash
//                                          softsign (x / (1 + |x|)); needs "optimized": false
//   -> {"outputs": [[...], ...], "final": <toJSON after the steps>}
//
//   {"build": {"kind": "Perceptron" | "LSTM" | "Liquid" | "Hopfield",
//              "args": [...], "options": {...}},   (options: LSTM only)
//    "seed": 1,                            seeds Math.random (mulberry32) for the build
//    "steps": [...]}                       optional: run them on the built object
//   -> {"network": <toJSON right after building>, "outputs": [...], "final": ...}
//
// A step without "rate" calls propagate(undefined, target), as Synaptic would
// (NaN weights in the optimized mode). Numbers keep full precision; NaN and
// Infinity are written as the bare tokens Python's json module accepts.
// On a bad request: a message on stderr and exit status 2.

const common = require('./common');
const synaptic = common.synaptic;

// A custom squash as Synaptic's unoptimized Neuron calls it: squash(x) and squash(x, true).
function softsign(x, derivate) {
  const d = 1 + Math.abs(x);
  return derivate ? 1 / (d * d) : x / d;
}

function runSteps(net, request) {
  if (request.optimized === false) net.setOptimize(false);
  if (request.clear_before) net.clear();
  const outputs = [];
  const steps = request.steps || [];
  for (let i = 0; i < steps.length; i++) {
    const step = steps[i];
    if (step.clear === true) {
      net.clear();
      continue;
    }
    if (!Array.isArray(step.input)) throw new Error('steps[' + i + '].input must be an array');
    // Network.activate returns the optimized network's own array: copy it.
    outputs.push(Array.from(net.activate(step.input)));
    if (step.target !== undefined && step.target !== null) net.propagate(step.rate, step.target);
  }
  return outputs;
}

function answer(request) {
  if (request.build) {
    common.seed(request.seed === undefined ? 1 : request.seed);
    const net = common.buildArchitecture(request.build);
    const result = { network: net.toJSON() };
    if (request.steps) {
      result.outputs = runSteps(net, request);
      result.final = net.toJSON();
    }
    return result;
  }
  if (!request.network) throw new Error('request needs "network" or "build"');
  const net = synaptic.Network.fromJSON(request.network);
  if (request.softsign) {
    const neurons = net.neurons();
    for (const index of request.softsign) neurons[index].neuron.squash = softsign;
  }
  const outputs = runSteps(net, request);
  return { outputs: outputs, final: net.toJSON() };
}

common.entry(module, common.jsonAnswer('oracle.js', answer));
