/* A Synaptic model exported as a CommonJS module, written by hand (JSON5-style). */
const { Network } = require('synaptic');

module.exports = {
  neurons: [
    { trace: { elegibility: {}, extended: {} }, state: 0, old: 0, activation: 0, bias: 0, layer: 'input', squash: 'LOGISTIC' },
    // the output neuron
    { trace: { elegibility: {}, extended: {} }, state: 0, old: 0, activation: 0, bias: -2, layer: 'output', squash: 'LOGISTIC', },
  ],
  connections: [{ from: 0, to: 1, weight: 7, gater: null, },],
};
