#!/usr/bin/env node
'use strict';
// The oracle scripts' answers from one long-lived Node process (tests/conformance/synaptic_oracle.py starts
// one per test process): starting Node and loading the packages cost more than most answers.
//
// One request a line on stdin:   {"script": "oracle.js", "stdin": "<the request's text>"}
// (a script of this folder that exports `answer` through common.js's `entry`; which ones are sent here is
// synaptic_oracle.py's SERVED)
// one reply a line on stdout:    {"status": 0, "stdout": "<what the script writes>", "stderr": "..."}
//
// Each request runs as in a new `node script < request` process: require's cache is emptied first, so the
// script, common.js (which seeds Math.random as it loads) and the npm packages (synaptic's neuron and
// connection counters among them) load afresh; console.log, which trainer_oracle.js replaces, is put back
// afterwards. Whatever else writes to stdout during the request (a package's console.info) comes first in
// the reply's "stdout", as it would come before the answer on a process's stdout.

const path = require('path');
const readline = require('readline');

const pristine = { log: console.log, write: process.stdout.write };

function reply(line) {
  let request;
  try {
    request = JSON.parse(line);
  } catch (e) {
    return { status: 2, stdout: '', stderr: 'serve.js: not one JSON request: ' + e.message + '\n' };
  }
  if (typeof request.script !== 'string' || path.basename(request.script) !== request.script) {
    return { status: 2, stdout: '', stderr: 'serve.js: not a script of this folder: ' + JSON.stringify(request.script) + '\n' };
  }
  for (const key of Object.keys(require.cache)) delete require.cache[key];
  const written = [];
  process.stdout.write = (chunk) => {
    written.push(String(chunk));
    return true;
  };
  let result;
  try {
    const script = require(path.join(__dirname, request.script));
    if (typeof script.answer !== 'function') throw new Error(request.script + ' does not export answer (common.entry)');
    result = script.answer(request.stdin);
  } catch (e) {
    // what Node prints for an uncaught exception, with the status it exits with
    result = { status: 1, stdout: '', stderr: String(e && e.stack ? e.stack : e) + '\n' };
  } finally {
    process.stdout.write = pristine.write;
    console.log = pristine.log;
  }
  return { ...result, stdout: written.join('') + result.stdout };
}

readline.createInterface({ input: process.stdin, crlfDelay: Infinity }).on('line', (line) => {
  process.stdout.write(JSON.stringify(reply(line)) + '\n');
});
