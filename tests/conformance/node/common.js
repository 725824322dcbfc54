'use strict';
// Shared helpers for the conformance scripts (oracle.js, make_cases.js, serve.js).
//
// Synaptic draws every new weight and bias from Math.random, so the scripts
// replace Math.random with a seeded mulberry32 generator *before* requiring
// synaptic. `seed(n)` restarts the stream; each case seeds from its own name
// so adding a case never changes the others.

function mulberry32(a) {
  return function () {
    a |= 0;
    a = (a + 0x6d2b79f5) | 0;
    var t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// FNV-1a, 32 bits: a stable seed from a case name.
function hashSeed(text) {
  var h = 0x811c9dc5;
  for (var i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

function seed(value) {
  Math.random = mulberry32(typeof value === 'string' ? hashSeed(value) : value >>> 0);
}

seed(1);
const synaptic = require('synaptic');

// Build one of Synaptic's named architectures: {kind, args, options}.
function buildArchitecture(spec) {
  const Architect = synaptic.Architect;
  const args = (spec.args || []).slice();
  switch (spec.kind) {
    case 'Perceptron':
      return new Architect.Perceptron(...args);
    case 'LSTM':
      if (spec.options) args.push(translateOptions(spec.options));
      return new Architect.LSTM(...args);
    case 'Liquid':
      return new Architect.Liquid(...args);
    case 'Hopfield':
      return new Architect.Hopfield(...args);
    default:
      throw new Error('unknown architecture kind: ' + JSON.stringify(spec.kind));
  }
}

// LSTM options may name a connection type by its key ("ONE_TO_ONE") or by
// Synaptic's value ("ONE TO ONE").
function translateOptions(options) {
  const out = Object.assign({}, options);
  const types = synaptic.Layer.connectionType;
  if (typeof out.peepholes === 'string' && out.peepholes in types) out.peepholes = types[out.peepholes];
  return out;
}

// JSON text in which NaN and +-Infinity appear as the bare tokens Python's
// json module reads (JSON.stringify would write null and lose them).
function stringifyNonFinite(value, indent) {
  const marker = '__synjson_nonfinite__';
  const text = JSON.stringify(
    value,
    function (key, v) {
      if (typeof v === 'number' && !Number.isFinite(v)) return marker + String(v);
      return v;
    },
    indent
  );
  return text.replace(new RegExp('"' + marker + '(NaN|Infinity|-Infinity)"', 'g'), '$1');
}

// Readable yet compact JSON for committed case files: a value whose compact
// text fits in `width` characters stays on one line.
function prettyJSON(value, width, indent) {
  width = width || 160;
  indent = indent || '';
  const flat = JSON.stringify(value);
  if (flat.length + indent.length <= width || value === null || typeof value !== 'object') return flat;
  const inner = indent + '  ';
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    return '[\n' + value.map((v) => inner + prettyJSON(v, width, inner)).join(',\n') + '\n' + indent + ']';
  }
  const keys = Object.keys(value);
  if (keys.length === 0) return '{}';
  return (
    '{\n' +
    keys.map((k) => inner + JSON.stringify(k) + ': ' + prettyJSON(value[k], width, inner)).join(',\n') +
    '\n' +
    indent +
    '}'
  );
}

// An oracle script's entry: `answer(text)` maps one request's text to {status, stdout, stderr}. Run as a
// script (`node oracle.js < request`), it reads stdin and writes the result; required (serve.js), it
// exports `answer` for the server to call with each request.
function entry(module, answer) {
  if (require.main !== module) {
    module.exports = { answer };
    return;
  }
  const result = answer(require('fs').readFileSync(0, 'utf8'));
  process.stdout.write(result.stdout);
  process.stderr.write(result.stderr || '');
  process.exitCode = result.status;
}

// The answer of an oracle whose request is one JSON object: `answer(request)` gives the object written back
// (NaN and infinities as bare tokens); a request that is not JSON, or that `answer` throws on, is status 2
// with the message on stderr, prefixed with the script's name.
function jsonAnswer(name, answer) {
  return (text) => {
    let request;
    try {
      request = JSON.parse(text);
    } catch (e) {
      return { status: 2, stdout: '', stderr: name + ': stdin is not one JSON request: ' + e.message + '\n' };
    }
    try {
      return { status: 0, stdout: stringifyNonFinite(answer(request)) + '\n' };
    } catch (e) {
      return { status: 2, stdout: '', stderr: name + ': ' + (e && e.stack ? e.stack : e) + '\n' };
    }
  };
}

// The bridge oracles' request, {"cases": [...]}: each case run by `runCase`; a case that throws answers
// {"error": message}.
function runCases(text, runCase) {
  return JSON.parse(text).cases.map((item) => {
    try {
      return runCase(item);
    } catch (error) {
      return { error: String(error && error.message) };
    }
  });
}

module.exports = {
  synaptic, seed, mulberry32, hashSeed, buildArchitecture, stringifyNonFinite, prettyJSON, entry, jsonAnswer, runCases,
};
