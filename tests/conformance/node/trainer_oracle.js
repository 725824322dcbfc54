#!/usr/bin/env node
'use strict';
// Ask Synaptic.js 1.1.4's Trainer what it does. One JSON request on stdin, one answer on stdout.
//
//   {"op": "train", "network": <toJSON>, "set": [{input, output}, ...], "seed": 1,
//    "options": {"rate": 0.3 | [..], "rate_js": "(i, e) => ...", "iterations": n, "error": e,
//                "shuffle": bool, "cost": "MSE" | "CROSS_ENTROPY" | "BINARY", "log": n,
//                "schedule_every": k, "abort_at": n, "crossValidate": {testSize, testError}}}
//   -> {"result": {error, iterations}, "trace": [{error, iterations, rate}, ...],
//       "log": [console.log lines], "final": <toJSON>, "set": <the set after training>}
//   {"op": "test", "network", "set", "options": {"cost"}} -> {"result": {error}}
//   {"op": "cost", "name": "MSE", "pairs": [[target, output], ...]} -> {"values": [...]}
//   {"op": "XOR" | "DSR" | "ERG" | "timingTask", "network", "seed", "options": {...}, "generate": n}
//   -> {"result": ..., "log": [...], "final": <toJSON>, "generated": [n ERG strings]}
//   {"op": "Hopfield", "size": n, "seed": 1, "patterns": [[...], ...], "feed": [[...], ...]}
//   -> {"network": <toJSON as built>, "result": learn(...), "fed": [feed(p), ...], "final": <toJSON>}
//
// Math.random is the seeded mulberry32 of common.js, reseeded with "seed" after
// the network is loaded (fromJSON draws biases). console.log is captured.

const common = require('./common');
const synaptic = common.synaptic;
const { Trainer, Network } = synaptic;

function translate(options, trace) {
  const out = Object.assign({}, options || {});
  if (typeof out.cost === 'string') out.cost = Trainer.cost[out.cost];
  if (out.rate_js) {
    out.rate = eval(out.rate_js); // test-only: the request comes from our own test files
    delete out.rate_js;
  }
  if (out.schedule_every) {
    const abortAt = out.abort_at;
    out.schedule = {
      every: out.schedule_every,
      do: function (data) {
        trace.push(Object.assign({}, data));
        return abortAt !== undefined && data.iterations >= abortAt;
      },
    };
    delete out.schedule_every;
    delete out.abort_at;
  }
  return out;
}

function answer(request) {
  const lines = [];
  console.log = function () {
    lines.push(Array.from(arguments).map(String).join(' '));
  };
  if (request.op === 'cost') {
    const f = Trainer.cost[request.name];
    return { values: request.pairs.map((p) => f(p[0], p[1])) };
  }
  if (request.op === 'Hopfield') {
    common.seed(request.seed === undefined ? 1 : request.seed);
    const hopfield = new synaptic.Architect.Hopfield(request.size);
    const built = hopfield.toJSON();
    const learned = hopfield.learn(request.patterns);
    delete learned.time;
    const fed = request.feed.map((p) => hopfield.feed(p));
    return { network: built, result: learned, fed: fed, final: hopfield.toJSON(), log: lines };
  }
  const net = Network.fromJSON(request.network);
  common.seed(request.seed === undefined ? 1 : request.seed);
  const trainer = new Trainer(net);
  const trace = [];
  const options = translate(request.options, trace);
  let result;
  const answer = { log: lines, trace: trace };
  if (request.op === 'train') {
    result = trainer.train(request.set, options);
    answer.set = request.set;
  } else if (request.op === 'test') {
    result = trainer.test(request.set, options);
  } else if (['XOR', 'DSR', 'ERG', 'timingTask'].includes(request.op)) {
    result = trainer[request.op](options);
    if (request.op === 'ERG') {
      answer.generated = [];
      for (let i = 0; i < (request.generate || 0); i++) answer.generated.push(result.generate());
      answer.tested = answer.generated.map((s) => result.test(s)).concat([result.test('BPBTSXSEPE'), result.test('BTBPVVETE')]);
      delete result.generate;
      delete result.test;
    }
  } else {
    throw new Error('unknown op: ' + JSON.stringify(request.op));
  }
  const strip = (r) => {
    const copy = Object.assign({}, r);
    delete copy.time;
    return copy;
  };
  if (request.op === 'timingTask') answer.result = { train: strip(result.train), test: strip(result.test) };
  else answer.result = strip(result);
  answer.final = net.toJSON();
  return answer;
}

common.entry(module, common.jsonAnswer('trainer_oracle.js', answer));
