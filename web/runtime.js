// synjson web runtime: runs a Synaptic 1.1.4 Network.toJSON() document exactly as Synaptic's
// default (optimized) mode does, in a browser or in Node. Written for synjson. The model is
// data: checked, then held in typed arrays and index tables that a few loops run. No code is
// generated (no eval, no new Function). Quirks and deviations: docs/runtime.md.

const SQUASH_NAMES = ["LOGISTIC", "TANH", "IDENTITY", "HLIM", "RELU"];
const LOGISTIC = 0;
const TANH = 1;
const IDENTITY = 2;
const HLIM = 3;

/** What a neuron does when the error is propagated (Synaptic's optimizer branches). */
const INPUT = 0; // takes the input; no state, no traces, no learning
const OUTPUT = 1; // responsibility = target - activation
const BOTH = 2; // projects and gates
const PROJECTS = 3; // projects only (also: neither projects nor gates, see docs/runtime.md)
const GATES = 4; // gates only

/** A document that is not a network this runtime can run; `path` names the place. */
export class FormatError extends Error {
  constructor(path, message) {
    super(path ? `${path}: ${message}` : message);
    this.name = "FormatError";
    this.path = path;
    this.reason = message;
  }
}

// ---------------------------------------------------------------------------
// Reading and checking the document

function fail(path, message) {
  throw new FormatError(path, message);
}

function isObject(value) {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

function describe(value) {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "string") return JSON.stringify(value.length > 40 ? value.slice(0, 40) + "..." : value);
  return typeof value === "object" ? "an object" : String(value);
}

/** A neuron reference: an integer, or a string of digits (Synaptic 1.0.11 and earlier). */
function readNeuronRef(value, path, count) {
  let index = value;
  if (typeof value === "string" && /^(0|[1-9][0-9]*)$/.test(value)) index = Number(value);
  if (typeof index !== "number" || !Number.isInteger(index) || index < 0) {
    fail(path, `expected a neuron index, got ${describe(value)}`);
  }
  if (index >= count) fail(path, `neuron ${index} does not exist (${count} neurons)`);
  return index;
}

function readNumber(object, key, path, required) {
  if (!(key in object)) {
    if (required) fail(path, `missing "${key}"`);
    return 0;
  }
  const value = object[key];
  if (typeof value !== "number" || !Number.isFinite(value)) {
    fail(`${path}.${key}`, `expected a finite number, got ${describe(value)}`);
  }
  return value;
}

/** "input", "output", or a hidden layer index (number, or digit string in the old dialect). */
function readLayer(value, path) {
  if (value === "input") return -1;
  if (value === "output") return -2;
  if (typeof value === "string" && /^(0|[1-9][0-9]*)$/.test(value)) return Number(value);
  if (typeof value === "number" && Number.isInteger(value) && value >= 0) return value;
  fail(path, `expected "input", "output" or a hidden layer index, got ${describe(value)}`);
}

function readNeurons(list) {
  if (!Array.isArray(list)) fail("neurons", `expected an array, got ${describe(list)}`);
  const neurons = [];
  let hiddenCount = 0;
  for (let i = 0; i < list.length; i++) {
    const path = `neurons[${i}]`;
    const item = list[i];
    if (!isObject(item)) fail(path, `expected an object, got ${describe(item)}`);
    if (!("layer" in item)) fail(path, 'missing "layer"');
    const layer = readLayer(item.layer, `${path}.layer`);
    hiddenCount = Math.max(hiddenCount, layer + 1);
    const squash = item.squash;
    if (squash !== undefined && squash !== null && typeof squash !== "string") {
      fail(`${path}.squash`, `expected a squash name or null, got ${describe(squash)}`);
    }
    // Synaptic loads an unknown or null squash as LOGISTIC.
    const code = SQUASH_NAMES.indexOf(squash);
    neurons.push({
      layer,
      squash: code < 0 ? LOGISTIC : code,
      bias: readNumber(item, "bias", path, true),
      state: readNumber(item, "state", path, false),
      old: readNumber(item, "old", path, false),
      activation: readNumber(item, "activation", path, false),
    });
  }
  // Synaptic keeps hidden layers in an array indexed by "layer": a gap breaks activate.
  const first = new Int32Array(hiddenCount).fill(-1);
  const seen = new Set();
  neurons.forEach((neuron, i) => {
    if (neuron.layer >= 0 && first[neuron.layer] < 0) first[neuron.layer] = i;
    seen.add(neuron.layer);
  });
  if (!seen.has(-1)) fail("neurons", 'no neuron has layer "input"; a network needs at least one input');
  if (!seen.has(-2)) fail("neurons", 'no neuron has layer "output"; a network needs at least one output');
  for (let k = 1; k < hiddenCount; k++) {
    if (first[k] >= 0 && first[k - 1] < 0) {
      fail(`neurons[${first[k]}].layer`, `hidden layer ${k} appears but hidden layer ${k - 1} does not; Synaptic would load a network that cannot activate`);
    }
  }
  return { neurons, hiddenCount };
}

function readConnections(list, count) {
  if (!Array.isArray(list)) fail("connections", `expected an array, got ${describe(list)}`);
  const connections = [];
  const seen = new Map();
  for (let i = 0; i < list.length; i++) {
    const path = `connections[${i}]`;
    const item = list[i];
    if (!isObject(item)) fail(path, `expected an object, got ${describe(item)}`);
    for (const key of ["from", "to"]) if (!(key in item)) fail(path, `missing "${key}"`);
    const from = readNeuronRef(item.from, `${path}.from`, count);
    const to = readNeuronRef(item.to, `${path}.to`, count);
    const weight = readNumber(item, "weight", path, true);
    const gater = item.gater === undefined || item.gater === null ? -1 : readNeuronRef(item.gater, `${path}.gater`, count);
    // Synaptic's fromJSON would merge a repeated pair into one connection; refuse it (Q-DUP).
    const key = from * count + to;
    if (seen.has(key)) {
      fail(path, `second connection from neuron ${from} to neuron ${to} (first at connections[${seen.get(key)}]); Synaptic's fromJSON would silently overwrite the first`);
    }
    seen.set(key, i);
    connections.push({ from, to, weight, gater });
  }
  return connections;
}

// ---------------------------------------------------------------------------
// Index tables

/** Groups `items` (in their order) by `ownerOf(item)`: CSR start offsets and the grouped items. */
function group(count, items, ownerOf) {
  const start = new Int32Array(count + 1);
  for (const item of items) start[ownerOf(item) + 1]++;
  for (let i = 0; i < count; i++) start[i + 1] += start[i];
  const list = new Int32Array(items.length);
  const fill = start.slice(0, count);
  for (const item of items) list[fill[ownerOf(item)]++] = item;
  return { start, list };
}

function range(n) {
  const list = new Array(n);
  for (let i = 0; i < n; i++) list[i] = i;
  return list;
}

/** Everything the loops need, as typed arrays indexed by neuron or connection (document order). */
function buildPlan(doc) {
  const { neurons, hiddenCount } = readNeurons(doc.neurons);
  const N = neurons.length;
  const links = readConnections(doc.connections, N);
  const C = links.length;

  // Network order: input layer, hidden layers in order, output layer; document order inside each.
  const rank = (layer) => (layer === -1 ? 0 : layer === -2 ? hiddenCount + 1 : layer + 1);
  const order = Int32Array.from(range(N).sort((a, b) => rank(neurons[a].layer) - rank(neurons[b].layer) || a - b));

  const from = new Int32Array(C);
  const to = new Int32Array(C);
  const gater = new Int32Array(C);
  const weight = new Float64Array(C);
  const selfConn = new Int32Array(N).fill(-1);
  for (let c = 0; c < C; c++) {
    const link = links[c];
    from[c] = link.from;
    to[c] = link.to;
    gater[c] = link.gater;
    // Synaptic's project(self) ignores the weight given: a self-connection weighs 1.
    weight[c] = link.from === link.to ? 1 : link.weight;
    if (link.from === link.to) selfConn[link.from] = c;
  }

  const plain = range(C).filter((c) => from[c] !== to[c]);
  const incoming = group(N, plain, (c) => to[c]);
  const outgoing = group(N, plain, (c) => from[c]);
  const gatedConns = range(C).filter((c) => gater[c] >= 0);
  const gated = group(N, gatedConns, (c) => gater[c]);

  // Gated neighbours of each gater (ascending neuron index), and per (gater, neighbour) pair
  // the connections into the neighbour that the gater gates, in document (gating) order.
  const pairsOf = new Array(N);
  for (let g = 0; g < N; g++) pairsOf[g] = new Map();
  for (const c of gatedConns) {
    const pairs = pairsOf[gater[c]];
    if (!pairs.has(to[c])) pairs.set(to[c], []);
    pairs.get(to[c]).push(c);
  }
  const neighbourStart = new Int32Array(N + 1);
  const neighbours = [];
  const pairSelfGated = [];
  const influenceStart = [0];
  const influenceConns = [];
  const traceStart = [];
  let traceSize = 0;
  let widest = 0;
  for (let g = 0; g < N; g++) {
    const ids = [...pairsOf[g].keys()].sort((a, b) => a - b);
    for (const n of ids) {
      neighbours.push(n);
      pairSelfGated.push(selfConn[n] >= 0 && gater[selfConn[n]] === g ? 1 : 0);
      influenceConns.push(...pairsOf[g].get(n));
      influenceStart.push(influenceConns.length);
      traceStart.push(traceSize);
      traceSize += incoming.start[g + 1] - incoming.start[g];
    }
    neighbourStart[g + 1] = neighbours.length;
    widest = Math.max(widest, ids.length);
  }

  const layer = new Int32Array(N);
  const squash = new Uint8Array(N);
  const kind = new Uint8Array(N);
  const inputs = [];
  const outputs = [];
  for (let i = 0; i < N; i++) {
    layer[i] = neurons[i].layer;
    squash[i] = neurons[i].squash;
  }
  for (const i of order) {
    const projects = outgoing.start[i + 1] > outgoing.start[i];
    const gates = gated.start[i + 1] > gated.start[i];
    if (layer[i] === -1) {
      kind[i] = INPUT;
      inputs.push(i);
    } else if (layer[i] === -2) {
      kind[i] = OUTPUT;
      outputs.push(i);
    } else {
      kind[i] = projects && gates ? BOTH : gates ? GATES : PROJECTS;
    }
  }
  const active = Int32Array.from(order).filter((i) => kind[i] !== INPUT);
  // reset() draws gated connections by Synaptic's connection ID: self-connections have the lowest.
  const gatedById = Int32Array.from(gated.list);
  for (let g = 0; g < N; g++) {
    const part = gatedById.subarray(gated.start[g], gated.start[g + 1]);
    part.sort((a, b) => (from[a] === to[a] ? -1e9 + from[a] : a) - (from[b] === to[b] ? -1e9 + from[b] : b));
  }

  return {
    N,
    C,
    hiddenCount,
    neurons,
    order,
    layer,
    squash,
    kind,
    inputs: Int32Array.from(inputs),
    outputs: Int32Array.from(outputs),
    active,
    from,
    to,
    gater,
    weight,
    selfConn,
    incoming,
    outgoing,
    gated,
    gatedById,
    neighbourStart,
    neighbours: Int32Array.from(neighbours),
    pairSelfGated: Uint8Array.from(pairSelfGated),
    influenceStart: Int32Array.from(influenceStart),
    influenceConns: Int32Array.from(influenceConns),
    traceStart: Int32Array.from(traceStart),
    traceSize,
    widest,
  };
}

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
    this.aux = 0; // Synaptic's one scratch variable: its leftover value matters (quirk 2)
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
    // Quirk 1: gains take the new activation before this neuron's traces are updated.
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
   * over the gated connections into it (quirk 4: a gated self-connection counts as one).
   * `first` mirrors the generated code, which assigns the first term instead of adding it to 0.
   */
  influenceOf(p, first) {
    const { pairSelfGated, influenceStart, influenceConns, from, neighbours } = this.plan;
    let value = 0;
    let started = !first;
    if (pairSelfGated[p]) {
      value = this.old[neighbours[p]];
      started = true;
    }
    for (let q = influenceStart[p]; q < influenceStart[p + 1]; q++) {
      const c = influenceConns[q];
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
    const { selfConn, incoming, from, neighbourStart, neighbours, traceStart } = this.plan;
    const { weight, gain, activation, eligibility, extended, influence } = this;
    const first = neighbourStart[j];
    const last = neighbourStart[j + 1];
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
        const t = traceStart[p] + (k - base);
        const ns = selfConn[neighbours[p]];
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

  /** Eq. 10, and eq. 24 without extended traces (quirk 3). */
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
    const { incoming, neighbourStart, neighbours, traceStart } = this.plan;
    const first = neighbourStart[j];
    const last = neighbourStart[j + 1];
    let r = 0;
    for (let p = first; p < last; p++) {
      this.aux = this.influenceOf(p, false);
      r += this.responsibility[neighbours[p]] * this.aux; // eq. 22
    }
    r *= this.derivative[j];
    this.responsibility[j] = r;
    const base = incoming.start[j];
    for (let k = base; k < incoming.start[j + 1]; k++) {
      this.aux = 0;
      for (let p = first; p < last; p++) {
        this.aux += this.responsibility[neighbours[p]] * this.extended[traceStart[p] + (k - base)];
      }
      this.weight[incoming.list[k]] += rate * this.aux;
    }
  }

  /** Quirk 2: the projected error starts from the scratch variable's leftover value. */
  learnBoth(j, rate) {
    const { incoming, neighbourStart, neighbours, traceStart } = this.plan;
    const derivative = this.derivative[j];
    const projected = derivative * this.projectedError(j, this.aux);
    const first = neighbourStart[j];
    const last = neighbourStart[j + 1];
    this.aux = 0;
    for (let p = first; p < last; p++) {
      this.aux += this.responsibility[neighbours[p]] * this.influenceOf(p, false);
    }
    const gatedError = derivative * this.aux;
    this.responsibility[j] = projected + gatedError; // eq. 23
    const base = incoming.start[j];
    for (let k = base; k < incoming.start[j + 1]; k++) {
      const c = incoming.list[k];
      this.aux = projected * this.eligibility[c];
      for (let p = first; p < last; p++) {
        this.aux += this.responsibility[neighbours[p]] * this.extended[traceStart[p] + (k - base)];
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

  /** Synaptic recompiles after clear/reset: aux is 0, gated self-connection gains 1 (quirk 6). */
  forget() {
    this.aux = 0;
    this.compiled = false;
    const { selfConn, gater } = this.plan;
    for (let i = 0; i < selfConn.length; i++) if (selfConn[i] >= 0 && gater[selfConn[i]] >= 0) this.gain[selfConn[i]] = 1;
  }

  /**
   * Clears, then draws every weight and bias in [-0.1, 0.1) from `random()` (default
   * Math.random) in Synaptic's order (quirk 7), gated self-connections included.
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
  const doc = typeof json === "string" ? JSON.parse(json) : json;
  if (!isObject(doc)) fail("", `expected an object with "neurons" and "connections", got ${describe(doc)}`);
  const plan = buildPlan(doc);
  const metadata = isObject(doc.synjson) ? doc.synjson : {};
  return new Network(plan, metadata);
}

export const squashNames = SQUASH_NAMES.slice();
