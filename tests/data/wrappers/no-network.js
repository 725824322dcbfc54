// This file builds its network in code: there is no literal to read.
var synaptic = require('synaptic');
var options = { rate: 0.3, iterations: 2000 };
var net = new synaptic.Architect.Perceptron(2, 3, 1);
module.exports = { net: net, options: options };
