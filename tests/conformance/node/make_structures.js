#!/usr/bin/env node
'use strict';
// Writes the structure conformance cases: tests/conformance/structures/<name>.json (issue 22).
//
//   node tests/conformance/node/make_structures.js [OUTPUT_DIR]
//
// A structure case is a script of public Synaptic calls (neurons and layers outside a network,
// networks projecting into each other or sharing a layer, edits between calls and inside Trainer
// callbacks), run here on synaptic 1.1.4 with Math.random seeded from the case name (mulberry32,
// as make_cases.js). Each file holds the script and what Synaptic answered at each recording step;
// tests/conformance/structures.py runs the same script with synjson on every engine.
//
// Script steps (indices count objects of one kind in creation order; `new Layer(n)` also appends
// its n neurons to the neuron list):
//   ["layer", n]  ["neuron"]  ["squash", layer, "TANH"]  ["ladd", layer, neuron]
//   ["lproject", from, to, type|null] -> layer connection   ["lgate", layer, lc, gateType]
//   ["nproject", from, to, weight|null] -> connection        ["ngate", neuron, connection]
//   ["selfweight", neuron, w]        (weight 0 removes a self-connection)
//   ["network", input, [hidden...], output]
//   ["kproject", net, "layer"|"network", index, type|null] -> layer connection   ["kgate", net, lc, gateType]
//   ["activate", net, inputs]*  ["propagate", net, rate, targets]  ["clear", net]  ["reset", net]
//   ["nactivate", neuron, input|null]*  ["npropagate", neuron, rate, target|null]
//   ["train", net, set, {iterations, rate, edits: {iteration: [steps]}, every, scheduled: [steps]}]*
//   ["snapshot"]*  every neuron: activation, state, old, bias, derivative, responsibility, input
//                  weights, gains and traces, self weight and gain, extended traces
// Steps marked * record an answer.
//
// How networks run. Synaptic compiles a network once (optimize) into code over its own memory,
// and from then on ignores structural edits made through neurons and layers (docs/quirks.md
// Q-STALE), while its neuron objects go stale (Q-STORE); Network.project/gate even drop what was
// learnt since the compile (Q-PROJECTLOSS). synjson runs the current structure on current values.
// To ask Synaptic what its compiled code computes on the current structure, every network call
// here compiles afresh (optimize()), carries the scratch variable `aux` over from the network's
// last call (Q-AUX), runs, and copies every compiled value back to its object (sync below, unlike
// restore() it skips values the code does not hold, Q-RESTORE). Network clear/reset/project/gate
// recompile in Synaptic as well (Q-RECOMPILE): aux starts at 0 and gated self-connections read
// their gain, 1, from the object. checkDriver() proves the driver changes nothing on a plain case.

const fs = require('fs');
const path = require('path');
const common = require('./common');
const { synaptic, seed, prettyJSON } = common;
const { Layer, Network, Neuron, Trainer } = synaptic;

// -- the driver ----------------------------------------------------------------------------------

function sync(net, all) {
  const optimized = net.optimized;
  const vars = optimized.data.variables, memory = optimized.memory;
  const get = (id, apply) => {
    if (id in vars) apply(memory[vars[id].id]);
  };
  for (const neuron of all) {
    for (const prop of ['state', 'old', 'activation', 'bias', 'derivative'])
      get(prop + '_' + neuron.ID, (v) => (neuron[prop] = v));
    for (const prop of ['responsibility', 'projected', 'gated'])
      get(prop + '_error_' + neuron.ID, (v) => (neuron.error[prop] = v));
    for (const input in neuron.trace.elegibility)
      get(input + '_trace_elegibility_' + neuron.ID, (v) => (neuron.trace.elegibility[input] = v));
    for (const gated in neuron.trace.extended)
      for (const input in neuron.trace.extended[gated])
        get(input + '_trace_extended_' + gated + '_' + neuron.ID, (v) => (neuron.trace.extended[gated][input] = v));
    const connections = [neuron.selfconnection];
    for (const kind of ['inputs', 'projected', 'gated'])
      for (const id in neuron.connections[kind]) connections.push(neuron.connections[kind][id]);
    for (const c of connections) {
      get('weight_' + c.ID, (v) => (c.weight = v));
      get('gain_' + c.ID, (v) => (c.gain = v));
    }
  }
  // Input neurons: bias, state and old read 0 after an optimized run (Q-INPUT), derivative 0.
  for (const neuron of net.layers.input.list) neuron.bias = neuron.state = neuron.old = neuron.derivative = 0;
}

class Driver {
  constructor() {
    this.aux = new Map();
    this.all = []; // every neuron the script made
  }
  call(net, run) {
    if (net.optimized) net.optimized.reset();
    net.optimize();
    const vars = net.optimized.data.variables, memory = net.optimized.memory;
    if ('aux' in vars) memory[vars.aux.id] = this.aux.get(net) || 0;
    const result = run();
    if ('aux' in vars) this.aux.set(net, memory[vars.aux.id]);
    sync(net, this.all);
    net.optimized.reset();
    return result;
  }
  recompiled(net) {
    // Q-RECOMPILE, as Synaptic's own recompilation does it.
    this.aux.set(net, 0);
    for (const { neuron } of net.neurons()) if (neuron.selfconnection.gater) neuron.selfconnection.gain = 1;
  }
  activate(net, x) {
    return this.call(net, () => Array.from(net.activate(x)));
  }
  propagate(net, rate, t) {
    this.call(net, () => net.propagate(rate, t));
  }
}

// -- the interpreter -----------------------------------------------------------------------------

const CONNECTION = Layer.connectionType;
const GATE = Layer.gateType;

function runScript(script) {
  const driver = new Driver();
  const o = { neuron: driver.all, layer: [], lc: [], connection: [], net: [] };
  const answers = [];
  const type = (name) => (name === null ? undefined : CONNECTION[name]);
  function step(s) {
    const [op, a, b, c, d] = s;
    switch (op) {
      case 'layer': {
        const layer = new Layer(a);
        o.layer.push(layer);
        for (const neuron of layer.list) o.neuron.push(neuron);
        break;
      }
      case 'neuron':
        o.neuron.push(new Neuron());
        break;
      case 'squash':
        o.layer[a].set({ squash: Neuron.squash[b] });
        break;
      case 'ladd':
        o.layer[a].add(o.neuron[b]);
        break;
      case 'lproject':
        o.lc.push(o.layer[a].project(o.layer[b], type(c)));
        break;
      case 'lgate':
        o.layer[a].gate(o.lc[b], GATE[c]);
        break;
      case 'nproject':
        o.connection.push(o.neuron[a].project(o.neuron[b], c === null ? undefined : c));
        break;
      case 'ngate':
        o.neuron[a].gate(o.connection[b]);
        break;
      case 'selfweight':
        o.neuron[a].selfconnection.weight = b;
        break;
      case 'network':
        o.net.push(new Network({ input: o.layer[a], hidden: b.map((k) => o.layer[k]), output: o.layer[c] }));
        break;
      case 'kproject': {
        const unit = b === 'layer' ? o.layer[c] : o.net[c];
        o.lc.push(o.net[a].project(unit, type(d)));
        driver.recompiled(o.net[a]);
        break;
      }
      case 'kgate':
        o.net[a].gate(o.lc[b], GATE[c]);
        driver.recompiled(o.net[a]);
        break;
      case 'activate':
        answers.push(driver.activate(o.net[a], b));
        break;
      case 'propagate':
        driver.propagate(o.net[a], b, c);
        break;
      case 'clear':
        o.net[a].clear();
        driver.recompiled(o.net[a]);
        break;
      case 'reset':
        o.net[a].reset();
        driver.recompiled(o.net[a]);
        break;
      case 'nactivate':
        answers.push(b === null ? o.neuron[a].activate() : o.neuron[a].activate(b));
        break;
      case 'npropagate':
        if (c === null) o.neuron[a].propagate(b);
        else o.neuron[a].propagate(b, c);
        break;
      case 'train': {
        const net = o.net[a];
        const proxy = {
          activate: (x) => driver.activate(net, x),
          propagate: (rate, t) => driver.propagate(net, rate, t),
        };
        const options = { iterations: c.iterations, error: 1e-12 };
        options.rate = (iteration) => {
          for (const edit of (c.edits || {})[iteration] || []) step(edit);
          return c.rate;
        };
        if (c.every)
          options.schedule = {
            every: c.every,
            do: () => {
              for (const edit of c.scheduled) step(edit);
            },
          };
        const result = new Trainer(proxy).train(b, options);
        answers.push([result.error, result.iterations]);
        break;
      }
      case 'snapshot':
        answers.push(o.neuron.map(snapshot));
        break;
      default:
        throw new Error('unknown step ' + JSON.stringify(s));
    }
  }
  for (const s of script) step(s);
  return answers;
}

function snapshot(n) {
  const inputs = Object.keys(n.connections.inputs).map((id) => n.connections.inputs[id]);
  const extended = [];
  for (const gated in n.trace.extended)
    for (const c of inputs) extended.push(n.trace.extended[gated][c.ID]);
  return [
    n.activation, n.state, n.old, n.bias, n.derivative, n.error.responsibility,
    inputs.map((c) => c.weight), inputs.map((c) => c.gain), inputs.map((c) => n.trace.elegibility[c.ID]),
    n.selfconnection.weight, n.selfconnection.gain, extended,
  ];
}

// -- the cases -----------------------------------------------------------------------------------

function round4(x) {
  return Math.round(x * 1e4) / 1e4;
}

// Steps of activate + propagate on net k with fresh inputs and targets in [0, 1); `between` runs
// after each step.
function steps(k, count, nIn, nOut, rate, between) {
  const out = [];
  for (let i = 0; i < count; i++) {
    out.push(['activate', k, Array.from({ length: nIn }, () => round4(Math.random()))]);
    out.push(['propagate', k, rate, Array.from({ length: nOut }, () => round4(Math.random()))]);
    if (between) out.push(...between(i));
  }
  return out;
}

// A 2-3-2 perceptron: layers 0 (input), 1 (hidden), 2 (output); neurons 0-1, 2-4, 5-6; net 0.
const PERCEPTRON = [
  ['layer', 2], ['layer', 3], ['layer', 2],
  ['lproject', 0, 1, null], ['lproject', 1, 2, null],
  ['network', 0, [1], 2],
];

const XOR = [
  { input: [0, 0], output: [0] }, { input: [0, 1], output: [1] },
  { input: [1, 0], output: [1] }, { input: [1, 1], output: [0] },
];

// name -> () => script (built with the case's Math.random stream: inputs and targets are drawn).
const CASES = {
  // Outside neuron 7 projects into hidden neuron 2 and output neuron 6; its activation changes
  // between calls (it is never run by the network).
  outside_into: () => [
    ...PERCEPTRON, ['neuron'], ['nproject', 7, 2, null], ['nproject', 7, 6, null], ['nactivate', 7, 0.3],
    ...steps(0, 20, 2, 2, 0.3, (i) => (i % 5 === 4 ? [['nactivate', 7, round4(Math.random())]] : [])),
    ['snapshot'],
  ],
  // Hidden neuron 4 projects out to neuron 7, which is activated and propagated by hand: the
  // network reads its responsibility.
  outside_out_of: () => [
    ...PERCEPTRON, ['neuron'], ['nproject', 4, 7, null],
    ...steps(0, 20, 2, 2, 0.3, (i) => [['nactivate', 7, null], ['npropagate', 7, 0.2, round4(Math.random())]]),
    ['snapshot'],
  ],
  // Outside neuron 7 gates the connection 3 -> 5 inside the network; it runs by hand.
  outside_gater: () => [
    ...PERCEPTRON, ['neuron'], ['layer', 1], // neuron 8 feeds neuron 7
    ['nproject', 3, 5, null], ['ngate', 7, 0], ['nproject', 8, 7, null], ['nactivate', 8, 0.8],
    ['nactivate', 7, null],
    ...steps(0, 20, 2, 2, 0.3, (i) => [['nactivate', 8, round4(Math.random())], ['nactivate', 7, null]]),
    ['snapshot'],
  ],
  // Hidden neuron 2 gates 7 -> 8 (both outside) and 7 -> 6 (into the output): it keeps extended
  // traces for neighbours the network does not run.
  gated_by_network: () => [
    ...PERCEPTRON, ['neuron'], ['neuron'],
    ['nproject', 7, 8, null], ['nproject', 7, 6, null], ['ngate', 2, 0], ['ngate', 2, 1], ['nactivate', 7, 0.4],
    ...steps(0, 20, 2, 2, 0.3, (i) => [['nactivate', 8, null], ['npropagate', 8, 0.1, 0.25]]),
    ['snapshot'],
  ],
  // net.project(Layer(2)): layer 3 is outside; it is run by hand between calls.
  project_layer: () => [
    ...PERCEPTRON, ['layer', 2], ['kproject', 0, 'layer', 3, null],
    ...steps(0, 20, 2, 2, 0.3, (i) => [
      ['nactivate', 7, null], ['nactivate', 8, null], ['npropagate', 8, 0.1, 1], ['npropagate', 7, 0.1, 0],
    ]),
    ['snapshot'],
  ],
  // net.project(other): the output layer of net 0 feeds the input layer of net 1; both train.
  project_network: () => [
    ...PERCEPTRON,
    ['layer', 2], ['layer', 2], ['layer', 1], ['lproject', 3, 4, null], ['lproject', 4, 5, null],
    ['network', 3, [4], 5], ['kproject', 0, 'network', 1, null],
    ...steps(0, 15, 2, 2, 0.3, (i) => steps(1, 1, 2, 1, 0.2)),
    ['snapshot'],
  ],
  // Two networks share hidden layer 1: net 0 = (0, [1], 2), net 1 = (3, [1], 4). Each network's
  // input and output neurons are outside the other.
  shared_layer: () => [
    ...PERCEPTRON, ['layer', 2], ['layer', 1], ['lproject', 3, 1, null], ['lproject', 1, 4, null],
    ['network', 3, [1], 4],
    ...steps(0, 15, 2, 2, 0.3, (i) => steps(1, 1, 2, 1, 0.2)),
    ['snapshot'],
  ],
  // Edits between calls: a neuron added to the hidden layer and wired, a gate, a self-connection
  // made and removed, a layer connection, clear and reset.
  edits_between_calls: () => [
    ...PERCEPTRON, ['squash', 1, 'TANH'],
    ...steps(0, 5, 2, 2, 0.3),
    ['neuron'], ['ladd', 1, 7], ['nproject', 0, 7, null], ['nproject', 7, 5, null], ['nproject', 7, 6, null],
    ...steps(0, 5, 2, 2, 0.3),
    ['nproject', 3, 3, null], ['ngate', 4, 0],
    ...steps(0, 5, 2, 2, 0.3),
    ['selfweight', 3, 0], ['layer', 1], ['lproject', 0, 3, null], ['lproject', 3, 2, null], ['ladd', 1, 8],
    ...steps(0, 5, 2, 2, 0.3),
    ['clear', 0],
    ...steps(0, 3, 2, 2, 0.3),
    ['reset', 0],
    ...steps(0, 3, 2, 2, 0.3),
    ['snapshot'],
  ],
  // Trainer callbacks that edit the network: the rate function adds an outside neuron feeding the
  // hidden layer at iteration 3 and wires a new hidden neuron at iteration 6.
  trainer_rate_edits: () => [
    ...PERCEPTRON.slice(0, 2), ['layer', 1], ['lproject', 0, 1, null], ['lproject', 1, 2, null],
    ['network', 0, [1], 2], // neurons 0-1, 2-4, 5
    ['neuron'], ['nactivate', 6, 0.5], ['neuron'],
    ['train', 0, XOR, {
      iterations: 12, rate: 0.3,
      edits: {
        3: [['nproject', 6, 2, null], ['nproject', 6, 3, null]],
        6: [['ladd', 1, 7], ['nproject', 0, 7, null], ['nproject', 1, 7, null], ['nproject', 7, 5, null]],
      },
    }],
    ['snapshot'],
  ],
  // A schedule callback adds gates and connections every 4 iterations.
  trainer_schedule_edits: () => [
    ...PERCEPTRON.slice(0, 2), ['layer', 1], ['lproject', 0, 1, null], ['lproject', 1, 2, null],
    ['network', 0, [1], 2], ['neuron'], ['nactivate', 6, 0.7],
    ['train', 0, XOR, {
      iterations: 12, rate: 0.3, every: 4,
      scheduled: [['nproject', 6, 5, null]],
      edits: { 5: [['nproject', 2, 5, null], ['ngate', 4, 1]] },
    }],
    ['snapshot'],
  ],
};

// The driver recompiles at every call: on a case without outside neurons or edits it must give
// exactly what Synaptic gives when it compiles once.
function checkDriver() {
  const build = () => {
    const i = new Layer(2), g = new Layer(2), m = new Layer(2), o = new Layer(1);
    i.project(g);
    const input = i.project(m);
    const self = m.project(m);
    g.gate(input, GATE.INPUT);
    g.gate(self, GATE.ONE_TO_ONE);
    m.project(o);
    g.project(o);
    m.set({ squash: Neuron.squash.TANH });
    return new Network({ input: i, hidden: [g, m], output: o });
  };
  seed('driver');
  const plain = build();
  seed('driver');
  const driven = build();
  const driver = new Driver();
  for (const { neuron } of driven.neurons()) driver.all.push(neuron);
  seed('driver-data');
  for (let k = 0; k < 100; k++) {
    const x = [Math.random(), Math.random()], t = [Math.random()];
    const a = Array.from(plain.activate(x));
    const b = driver.activate(driven, x);
    plain.propagate(0.2, t);
    driver.propagate(driven, 0.2, t);
    if (a[0] !== b[0]) throw new Error('the driver changed Synaptic\'s numbers at step ' + k);
  }
}

function main(argv) {
  checkDriver();
  const outDir = path.resolve(argv[0] || path.join(__dirname, '..', 'structures'));
  fs.mkdirSync(outDir, { recursive: true });
  for (const name of Object.keys(CASES)) {
    seed(name);
    const script = CASES[name]();
    seed(name + '/run');
    const answers = runScript(script);
    const text = prettyJSON({ script: script, synaptic: answers }) + '\n';
    if (/null|NaN|Infinity/.test(JSON.stringify(answers))) throw new Error(name + ': a non-finite answer');
    fs.writeFileSync(path.join(outDir, name + '.json'), text);
  }
  process.stderr.write(`wrote ${Object.keys(CASES).length} structure cases to ${outDir}\n`);
  return 0;
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));

module.exports = { CASES, runScript };
