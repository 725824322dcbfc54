'use strict';
// The cold-process counterpart of `synjson activate MODEL.json 1 0`: require Synaptic 1.1.4, load the
// JSON, activate it once, print the outputs. usage: node bench/synaptic_activate.js MODEL.json 1 0
const fs = require('fs');
const path = require('path');
const synaptic = require(path.join(__dirname, '..', 'node_modules', 'synaptic'));

const net = synaptic.Network.fromJSON(JSON.parse(fs.readFileSync(process.argv[2], 'utf8')));
process.stdout.write(net.activate(process.argv.slice(3).map(Number)).join(' ') + '\n');
