'use strict';
// Synaptic 1.1.4 side of one benchmark, one measurement: node bench/synaptic_bench.js SPEC.json
//
// SPEC: {"task": "loop" | "trainer" | "json" | "pickle", "model": path, "data": path, "epochs": n, "rate": r}.
// The code a Synaptic user writes, in its default (optimized) mode: Network.fromJSON(doc), then
// net.activate(x); net.propagate(rate, t) per sample; or new Trainer(net).train(set, {rate,
// iterations}); or JSON.stringify(net.toJSON()) and Network.fromJSON(JSON.parse(text)).
// Prints one JSON line: from_json and seconds (the code after it, the first call included), the
// last outputs (so the Python side can check both sides ran the same numbers); for "json": load,
// save and save_again (a second save of the same network); for "pickle" (how a Synaptic user sends a
// network to a worker: JSON.stringify(net.toJSON())), seconds is the median of 50 such saves after
// one activate, and outputs is the text's length.
const fs = require('fs');
const path = require('path');
const synaptic = require(path.join(__dirname, '..', 'node_modules', 'synaptic'));

const spec = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const now = () => Number(process.hrtime.bigint()) / 1e9;
const text = spec.model && spec.task !== 'memory' ? fs.readFileSync(spec.model, 'utf8') : '';
const data = spec.data ? JSON.parse(fs.readFileSync(spec.data, 'utf8')) : null;
const result = { engine: 'synaptic' };

// Peak resident memory (VmHWM; maxRSS would carry the parent's peak over fork and exec on Linux).
const peakRss = () => {
  const line = fs.readFileSync('/proc/self/status', 'utf8').split('\n').find((l) => l.startsWith('VmHWM:'));
  return line ? Number(line.split(/\s+/)[1]) * 1024 : process.resourceUsage().maxRSS * 1024;
};

if (spec.task === 'memory') {
  // Peak memory the read adds, as the Python side measures it.
  const before = peakRss();
  const net = synaptic.Network.fromJSON(JSON.parse(fs.readFileSync(spec.model, 'utf8')));
  const peak = peakRss() - before;
  Object.assign(result, { peak, bytes: fs.statSync(spec.model).size, outputs: [], neurons: net.neurons().length });
} else if (spec.task === 'build') {
  const t0 = now();
  new synaptic.Architect.Perceptron(...spec.sizes);
  Object.assign(result, { seconds: now() - t0, outputs: [] });
} else if (spec.task === 'json') {
  const t0 = now();
  const net = synaptic.Network.fromJSON(JSON.parse(text));
  const t1 = now();
  const saved = JSON.stringify(net.toJSON());
  const t2 = now();
  const again = JSON.stringify(net.toJSON());
  const t3 = now();
  Object.assign(result, {
    load: t1 - t0, save: t2 - t1, save_again: t3 - t2, same_text: saved === again && saved === text,
    outputs: [saved.length],
  });
} else if (spec.task === 'pickle') {
  const net = synaptic.Network.fromJSON(JSON.parse(text));
  net.activate(data.inputs[0]);
  const times = [];
  let saved = '';
  for (let i = 0; i < 51; i++) {
    const t0 = now();
    saved = JSON.stringify(net.toJSON());
    if (i > 0) times.push(now() - t0); // the first one warms the JIT up
  }
  times.sort((a, b) => a - b);
  Object.assign(result, { seconds: times[times.length >> 1], from_json: 0, outputs: [saved.length] });
} else {
  const doc = JSON.parse(text); // the user's doc: parsed before the clock, as in the Python worker
  let last = null;
  const set = data.inputs.map((input, i) => ({ input, output: data.targets[i] }));
  let t0 = now();
  const net = synaptic.Network.fromJSON(doc);
  result.from_json = now() - t0;
  t0 = now();
  if (spec.task === 'trainer') {
    const options = { rate: spec.rate, iterations: spec.epochs };
    if (spec.error !== undefined) options.error = spec.error;
    const trained = new synaptic.Trainer(net).train(set, options);
    result.seconds = now() - t0;
    Object.assign(result, { iterations: trained.iterations, error: trained.error });
    last = net.activate(data.inputs[0]);
  } else {
    for (let epoch = 0; epoch < spec.epochs; epoch++) {
      for (let i = 0; i < data.inputs.length; i++) {
        last = net.activate(data.inputs[i]);
        net.propagate(spec.rate, data.targets[i]);
      }
    }
    result.seconds = now() - t0;
  }
  result.outputs = Array.from(last);
}
process.stdout.write(JSON.stringify(result) + '\n');
