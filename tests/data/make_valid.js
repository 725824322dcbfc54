// Writes the Synaptic-made files in tests/data/valid/. Run from the repo root:
//   node tests/data/make_valid.js
// Weights are random (Synaptic draws them from Math.random), so a rerun
// changes the numbers but not the shape; the committed files are the reference.
'use strict';
const fs = require('fs');
const path = require('path');
const current = require('synaptic');          // 1.1.4: numeric indices
const old = require('synaptic-1.0.11');        // 1.0.11: indices written as strings

const out = path.join(__dirname, 'valid');

function save(name, net) {
  // Activate a few times so state, old and activation are not all zero.
  const inputs = net.inputs();
  for (let step = 0; step < 3; step++)
    net.activate(Array.from({ length: inputs }, (_, i) => (i + step) % 2));
  const text = JSON.stringify(net.toJSON());
  fs.writeFileSync(path.join(out, name), text + '\n');
  console.log(name, text.length, 'bytes');
}

save('perceptron-2-3-1.json', new current.Architect.Perceptron(2, 3, 1));
save('perceptron-2-3-2-1.json', new current.Architect.Perceptron(2, 3, 2, 1));
save('lstm-2-3-1.json', new current.Architect.LSTM(2, 3, 1));
save('hopfield-4.json', new current.Architect.Hopfield(4));
save('old-1.0.11-perceptron-2-3-1.json', new old.Architect.Perceptron(2, 3, 1));
save('old-1.0.11-lstm-1-2-1.json', new old.Architect.LSTM(1, 2, 1));
