// Load a synjson-written model with the real Synaptic.js 1.1.4 and print its outputs.
// usage: node examples/synaptic_activate.js MODEL.json '[[0,0],[0,1],[1,0],[1,1]]'
'use strict';
const fs = require('fs');
const path = require('path');
const synaptic = require(path.join(__dirname, '..', 'node_modules', 'synaptic'));

const model = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const inputs = JSON.parse(process.argv[3]);
const network = synaptic.Network.fromJSON(model);
const outputs = inputs.map((input) => network.activate(input));
process.stdout.write(JSON.stringify(outputs) + '\n');
