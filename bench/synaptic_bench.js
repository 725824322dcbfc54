'use strict';
// Synaptic 1.1.4 side of the benchmarks: node bench/synaptic_bench.js SPEC.json
//
// SPEC: {"task": "train" | "json" | "batch", "model": path, "data": path, "repeats": n,
//        "epochs": n, "rate": r}. Prints one JSON line: per-repeat timings in seconds,
// the process's peak resident memory (bytes) and a checksum of the outputs so the
// Python side can check both ran the same numbers. Models load with Network.fromJSON,
// so both sides start from the same JSON text.
const fs = require('fs');
const path = require('path');
const synaptic = require(path.join(__dirname, '..', 'node_modules', 'synaptic'));

const spec = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const now = () => Number(process.hrtime.bigint()) / 1e9;
const text = fs.readFileSync(spec.model, 'utf8');
const data = spec.data ? JSON.parse(fs.readFileSync(spec.data, 'utf8')) : null;
const result = { task: spec.task, cold: [], steady: [], load: [], save: [] };

for (let repeat = 0; repeat < spec.repeats; repeat++) {
  if (spec.task === 'json') {
    let t0 = now();
    const net = synaptic.Network.fromJSON(JSON.parse(text));
    result.load.push(now() - t0);
    t0 = now();
    const out = JSON.stringify(net.toJSON());
    result.save.push(now() - t0);
    result.bytes = out.length;
    continue;
  }
  let t0 = now();
  const net = synaptic.Network.fromJSON(JSON.parse(text));
  net.activate(data.inputs[0]); // compiles (optimize)
  result.cold.push(now() - t0);
  let last = null;
  t0 = now();
  if (spec.task === 'trainer') { // Trainer.train over the set, every iteration (error never reached)
    const set = data.inputs.map((input, i) => ({ input, output: data.targets[i] }));
    new synaptic.Trainer(net).train(set, {
      rate: spec.rate, iterations: spec.epochs, error: spec.error, shuffle: false,
      cost: synaptic.Trainer.cost.MSE,
    });
    result.steady.push(now() - t0);
    result.checksum = Array.from(net.activate(data.inputs[0]));
    continue;
  }
  if (spec.task === 'train') {
    for (let epoch = 0; epoch < spec.epochs; epoch++) {
      for (let i = 0; i < data.inputs.length; i++) {
        last = net.activate(data.inputs[i]);
        net.propagate(spec.rate, data.targets[i]);
      }
    }
  } else {
    last = [];
    for (let i = 0; i < data.inputs.length; i++) last = net.activate(data.inputs[i]);
  }
  result.steady.push(now() - t0);
  result.checksum = Array.from(last);
}
// VmHWM: this process's own peak (maxRSS would carry the parent's across exec).
const status = fs.readFileSync('/proc/self/status', 'utf8').match(/VmHWM:\s+(\d+)/);
result.peak_rss = status ? Number(status[1]) * 1024 : process.resourceUsage().maxRSS * 1024;
process.stdout.write(JSON.stringify(result) + '\n');
