// synjson web runtime: runs a Synaptic 1.1.4 Network.toJSON() document exactly as Synaptic's
// default (optimized) mode does, in a browser or in Node. Written for synjson. The model is
// data: checked by plan.js, then held in typed arrays and index tables that a few loops run. No
// code is generated (no eval, no new Function). Quirks and deviations: docs/runtime.md.
// Pages inline plan.js and this file as one module (synjson/exporters/bundle.py).

import { FormatError, SQUASH_NAMES, LOGISTIC, TANH, IDENTITY, HLIM, OUTPUT, BOTH, GATES, describe, readDocument } from "./plan.js";

export { FormatError };

// ---------------------------------------------------------------------------
// The network

function checkVector(values, size, what) {
  if (values === null || typeof values !== "object" || typeof values.length !== "number") {
    throw new TypeError(`${what} must be an array of ${size} numbers`);
  }
  if (values.length !== size) throw new RangeError(`${what} has ${values.length} values, the network expects ${size}`);
  for (let i = 0; i < size; i++) {
    if (typeof values[i] !== "number") throw new TypeError(`${what}[${i}] is not a number: ${describe(values[i])}`);
  }
}

/** A loaded network: activate, propagate, clear, reset, toJSON (as Synaptic's would). */
class Network {
  constructor(plan, metadata) {
    const { N, C } = plan;
    this.plan = plan;
    this.metadata = metadata;
    this.inputs = plan.inputs.length;
    this.outputs = plan.outputs.length;
    this.size = { neurons: N, connections: C, hidden: plan.hiddenCount, traces: plan.traceSize };

    this.state = new Float64Array(N);
    this.old = new Float64Array(N);
    this.activation = new Float64Array(N);
    this.derivative = new Float64Array(N);
    this.bias = new Float64Array(N);
    this.responsibility = new Float64Array(N);
    this.weight = Float64Array.from(plan.weight);
    this.gain = new Float64Array(C).fill(1);
    this.eligibility = new Float64Array(C);
    this.extended = new Float64Array(plan.traceSize);
    this.influence = new Float64Array(plan.widest);
    for (let i = 0; i < N; i++) {
      const neuron = plan.neurons[i];
      this.state[i] = neuron.state;
      this.old[i] = neuron.old;
      this.activation[i] = neuron.activation;
      this.bias[i] = neuron.bias;
    }
    this.aux = 0; // Synaptic's one scratch variable: its leftover value matters (Q-AUX)
    this.compiled = false; // as Synaptic would be: changes what toJSON shows for inputs
  }

  compile() {
    if (this.compiled) return;
    this.compiled = true;
    // The generated code keeps no state, old or bias for input neurons: toJSON shows 0.
    for (const i of this.plan.inputs) this.state[i] = this.old[i] = this.bias[i] = 0;
  }

  /** Feeds `input` (one number per input neuron) forward and returns the outputs. */
  activate(input) {
    const plan = this.plan;
    checkVector(input, plan.inputs.length, "input");
    this.compile();
    for (let k = 0; k < plan.inputs.length; k++) this.activation[plan.inputs[k]] = input[k];
    const active = plan.active;
    for (let k = 0; k < active.length; k++) this.step(active[k]);
    const out = new Array(plan.outputs.length);
    for (let k = 0; k < out.length; k++) out[k] = this.activation[plan.outputs[k]];
    return out;
  }

  /** One neuron's forward step: state, squash, gains it controls, then its traces. */
  step(j) {
    const { selfConn, incoming, from } = this.plan;
    const { state, activation, weight, gain } = this;
    const self = selfConn[j];
    this.old[j] = state[j];
    // Eq. 15. An ungated connection has gain 1, and x * 1 === x, so multiplying by the
    // gain always gives the same bits as Synaptic's code, which omits it.
    let s = self < 0 ? this.bias[j] : gain[self] * weight[self] * state[j] + this.bias[j];
    for (let k = incoming.start[j]; k < incoming.start[j + 1]; k++) {
      const c = incoming.list[k];
      s += activation[from[c]] * weight[c] * gain[c];
    }
    state[j] = s;
    this.squash(j, s);
    // Q-GAIN: gains take the new activation before this neuron's traces are updated.
    const gated = this.plan.gated;
    for (let k = gated.start[j]; k < gated.start[j + 1]; k++) gain[gated.list[k]] = activation[j];
    this.traces(j);
  }

  /** Eq. 16 and f'(s), with the formulas of Synaptic's generated code. */
  squash(j, s) {
    const kind = this.plan.squash[j];
    let a;
    let d;
    if (kind === LOGISTIC) {
      a = 1 / (1 + Math.exp(-s));
      d = a * (1 - a);
    } else if (kind === TANH) {
      // exp overflows for |s| > ~709.78 and the quotient is then NaN, as in Synaptic.
      this.aux = Math.exp(s);
      const negative = 1 / this.aux;
      a = (this.aux - negative) / (this.aux + negative);
      d = 1 - a * a;
    } else if (kind === IDENTITY) {
      a = s;
      d = 1;
    } else if (kind === HLIM) {
      a = +(s > 0);
      d = 1;
    } else {
      a = s > 0 ? s : 0;
      d = s > 0 ? 1 : 0;
    }
    this.activation[j] = a;
    this.derivative[j] = d;
  }

  /**
   * How much the gater's activation moves a gated neighbour's state (Synaptic's "influence"):
   * the neighbour's old state if the gater gates its self-connection, plus weight x activation
   * over the gated connections into it (Q-SELFINF: a gated self-connection counts as one).
   * `first` mirrors the generated code, which assigns the first term instead of adding it to 0.
   */
  influenceOf(p, first) {
    const { nb_old, inf_ptr, inf_conn, from, nb_neuron } = this.plan;
    let value = 0;
    let started = !first;
    if (nb_old[p]) {
      value = this.old[nb_neuron[p]];
      started = true;
    }
    for (let q = inf_ptr[p]; q < inf_ptr[p + 1]; q++) {
      const c = inf_conn[q];
      const term = this.weight[c] * this.activation[from[c]];
      if (started) value += term;
      else {
        value = term;
        started = true;
      }
    }
    return value;
  }

  /** Eq. 17 (eligibility traces) and eq. 18 (extended traces, one set per gated neighbour). */
  traces(j) {
    const { selfConn, incoming, from, nb_ptr, nb_neuron, nb_xtrace } = this.plan;
    const { weight, gain, activation, eligibility, extended, influence } = this;
    const first = nb_ptr[j];
    const last = nb_ptr[j + 1];
    const self = selfConn[j];
    if (first === last && self < 0) {
      // The common case (no gates, no self-connection): eq. 17 reduces to gain x activation.
      for (let k = incoming.start[j]; k < incoming.start[j + 1]; k++) {
        const c = incoming.list[k];
        eligibility[c] = gain[c] * activation[from[c]];
      }
      return;
    }
    for (let p = first; p < last; p++) influence[p - first] = this.influenceOf(p, true);
    const derivative = this.derivative[j];
    const base = incoming.start[j];
    for (let k = base; k < incoming.start[j + 1]; k++) {
      const c = incoming.list[k];
      const e =
        self < 0
          ? gain[c] * activation[from[c]]
          : gain[self] * weight[self] * eligibility[c] + gain[c] * activation[from[c]];
      eligibility[c] = e;
      for (let p = first; p < last; p++) {
        const t = nb_xtrace[p] + (k - base);
        const ns = selfConn[nb_neuron[p]];
        const term = derivative * e * influence[p - first];
        extended[t] = ns < 0 ? term : gain[ns] * weight[ns] * extended[t] + term;
      }
    }
  }

  /** Trains one step toward `target` (one number per output neuron) with learning rate `rate`. */
  propagate(rate, target) {
    if (typeof rate !== "number") throw new TypeError(`rate must be a number, got ${describe(rate)}`);
    const plan = this.plan;
    checkVector(target, plan.outputs.length, "target");
    this.compile();
    const active = plan.active;
    let slot = plan.outputs.length;
    for (let k = active.length - 1; k >= 0; k--) {
      const j = active[k];
      const kind = plan.kind[j];
      if (kind === OUTPUT) this.learnOutput(j, rate, target[--slot]);
      else if (kind === BOTH) this.learnBoth(j, rate);
      else if (kind === GATES) this.learnGates(j, rate);
      else this.learnProjects(j, rate);
      this.bias[j] += rate * this.responsibility[j];
    }
  }

  /** Eq. 10, and eq. 24 without extended traces (Q-OUTX). */
  learnOutput(j, rate, target) {
    const { incoming } = this.plan;
    const r = target - this.activation[j];
    this.responsibility[j] = r;
    for (let k = incoming.start[j]; k < incoming.start[j + 1]; k++) {
      const c = incoming.list[k];
      this.weight[c] += rate * (r * this.eligibility[c]);
    }
  }

  /** Eq. 21: the error sent back through the connections this neuron projects, added to `sum`. */
  projectedError(j, sum) {
    const { outgoing, to } = this.plan;
    for (let k = outgoing.start[j]; k < outgoing.start[j + 1]; k++) {
      const c = outgoing.list[k];
      sum += this.responsibility[to[c]] * this.gain[c] * this.weight[c];
    }
    return sum;
  }

  learnProjects(j, rate) {
    const { incoming } = this.plan;
    const r = this.projectedError(j, 0) * this.derivative[j];
    this.responsibility[j] = r;
    for (let k = incoming.start[j]; k < incoming.start[j + 1]; k++) {
      const c = incoming.list[k];
      this.weight[c] += rate * (r * this.eligibility[c]);
    }
  }

  learnGates(j, rate) {
    const { incoming, nb_ptr, nb_neuron, nb_xtrace } = this.plan;
    const first = nb_ptr[j];
    const last = nb_ptr[j + 1];
    let r = 0;
    for (let p = first; p < last; p++) {
      this.aux = this.influenceOf(p, false);
      r += this.responsibility[nb_neuron[p]] * this.aux; // eq. 22
    }
    r *= this.derivative[j];
    this.responsibility[j] = r;
    const base = incoming.start[j];
    for (let k = base; k < incoming.start[j + 1]; k++) {
      this.aux = 0;
      for (let p = first; p < last; p++) {
        this.aux += this.responsibility[nb_neuron[p]] * this.extended[nb_xtrace[p] + (k - base)];
      }
      this.weight[incoming.list[k]] += rate * this.aux;
    }
  }

  /** Q-AUX: the projected error starts from the scratch variable's leftover value. */
  learnBoth(j, rate) {
    const { incoming, nb_ptr, nb_neuron, nb_xtrace } = this.plan;
    const derivative = this.derivative[j];
    const projected = derivative * this.projectedError(j, this.aux);
    const first = nb_ptr[j];
    const last = nb_ptr[j + 1];
    this.aux = 0;
    for (let p = first; p < last; p++) {
      this.aux += this.responsibility[nb_neuron[p]] * this.influenceOf(p, false);
    }
    const gatedError = derivative * this.aux;
    this.responsibility[j] = projected + gatedError; // eq. 23
    const base = incoming.start[j];
    for (let k = base; k < incoming.start[j + 1]; k++) {
      const c = incoming.list[k];
      this.aux = projected * this.eligibility[c];
      for (let p = first; p < last; p++) {
        this.aux += this.responsibility[nb_neuron[p]] * this.extended[nb_xtrace[p] + (k - base)];
      }
      this.weight[c] += rate * this.aux;
    }
  }

  /** Forgets the context (traces, responsibilities); weights, states and activations stay. */
  clear() {
    this.eligibility.fill(0);
    this.extended.fill(0);
    this.responsibility.fill(0);
    this.forget();
  }

  /** Synaptic recompiles after clear/reset: aux is 0, gated self-connection gains 1 (Q-RECOMPILE). */
  forget() {
    this.aux = 0;
    this.compiled = false;
    const { selfConn, gater } = this.plan;
    for (let i = 0; i < selfConn.length; i++) if (selfConn[i] >= 0 && gater[selfConn[i]] >= 0) this.gain[selfConn[i]] = 1;
  }

  /**
   * Clears, then draws every weight and bias in [-0.1, 0.1) from `random()` (default
   * Math.random) in Synaptic's order (Q-RESET), gated self-connections included.
   */
  reset(random = Math.random) {
    if (typeof random !== "function") throw new TypeError("random must be a function returning numbers in [0, 1)");
    const { order, incoming, outgoing, gated, gatedById } = this.plan;
    const draw = () => random() * 0.2 - 0.1;
    this.clear();
    for (const i of order) {
      for (let k = incoming.start[i]; k < incoming.start[i + 1]; k++) this.weight[incoming.list[k]] = draw();
      for (let k = outgoing.start[i]; k < outgoing.start[i + 1]; k++) this.weight[outgoing.list[k]] = draw();
      for (let k = gated.start[i]; k < gated.start[i + 1]; k++) this.weight[gatedById[k]] = draw();
      this.bias[i] = draw();
      this.old[i] = this.state[i] = this.activation[i] = 0;
    }
    this.forget();
  }

  /** Synaptic's Network.toJSON() document (neurons in network order, traces left empty). */
  toJSON() {
    const { order, layer, squash, outgoing, selfConn, gater, to, N } = this.plan;
    const position = new Int32Array(N);
    for (let k = 0; k < N; k++) position[order[k]] = k;
    const neurons = [];
    const connections = [];
    const link = (c, target) => ({
      from: position[this.plan.from[c]],
      to: position[target],
      weight: this.weight[c],
      gater: gater[c] >= 0 ? position[gater[c]] : null,
    });
    for (const i of order) {
      neurons.push({
        trace: { elegibility: {}, extended: {} },
        state: this.state[i],
        old: this.old[i],
        activation: this.activation[i],
        bias: this.bias[i],
        layer: layer[i] === -1 ? "input" : layer[i] === -2 ? "output" : layer[i],
        squash: SQUASH_NAMES[squash[i]],
      });
    }
    for (const i of order) {
      for (let k = outgoing.start[i]; k < outgoing.start[i + 1]; k++) connections.push(link(outgoing.list[k], to[outgoing.list[k]]));
      if (selfConn[i] >= 0) connections.push(link(selfConn[i], i));
    }
    return { neurons, connections };
  }

  /**
   * The layers as lists of document indices, and counts as `synjson info` gives them:
   * `connections` is every connection (self-connections too), `weights` the trainable ones,
   * `parameters` weights plus non-input biases; `recurrent` is true when a connection loops
   * (a self-connection, or one to the same or an earlier layer).
   */
  describe() {
    const { order, layer, squash, hiddenCount, selfConn, gater, from, to, C } = this.plan;
    const layers = { input: [], hidden: Array.from({ length: hiddenCount }, () => []), output: [] };
    const squashes = {};
    for (const i of order) {
      if (layer[i] === -1) layers.input.push(i);
      else if (layer[i] === -2) layers.output.push(i);
      else layers.hidden[layer[i]].push(i);
      if (layer[i] !== -1) squashes[SQUASH_NAMES[squash[i]]] = (squashes[SQUASH_NAMES[squash[i]]] || 0) + 1;
    }
    const rank = (i) => (layer[i] === -1 ? 0 : layer[i] === -2 ? hiddenCount + 1 : layer[i] + 1);
    let selfConnections = 0;
    let gatedConnections = 0;
    let recurrent = false;
    const gaters = new Set();
    for (let i = 0; i < selfConn.length; i++) if (selfConn[i] >= 0) selfConnections++;
    for (let c = 0; c < C; c++) {
      if (gater[c] >= 0) {
        gatedConnections++;
        gaters.add(gater[c]);
      }
      if (rank(to[c]) <= rank(from[c])) recurrent = true;
    }
    const weights = C - selfConnections;
    const biases = this.plan.N - layers.input.length;
    return {
      layers,
      squashes,
      connections: C,
      selfConnections,
      gatedConnections,
      gaters: gaters.size,
      weights,
      biases,
      parameters: weights + biases,
      recurrent,
      edges: { from, to, gater },
    };
  }
}

/**
 * Checks a Synaptic network document (an object, or its JSON text) and returns a runnable
 * network. Throws FormatError naming the path of the first problem found.
 */
export function loadNetwork(json) {
  const { plan, metadata } = readDocument(json);
  return new Network(plan, metadata);
}

export const squashNames = SQUASH_NAMES.slice();
