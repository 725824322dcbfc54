// synjson web runtime, part 1 of 2: reads and checks a Synaptic 1.1.4 Network.toJSON() document
// and compiles it into the index tables (the plan) that runtime.js runs. Written for synjson.
// Nothing here runs a network; every refusal is a FormatError naming the path of the problem.
// Quirks and deviations: docs/runtime.md.

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
class FormatError extends Error {
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

  // The tables are named as synjson.model.plan names them (facts.PLAN_INT_TABLES), indexed here by neuron index.
  // Gated neighbours of each gater (ascending neuron index), and per (gater, neighbour) pair
  // the connections into the neighbour that the gater gates, in document (gating) order.
  const pairsOf = new Array(N);
  for (let g = 0; g < N; g++) pairsOf[g] = new Map();
  for (const c of gatedConns) {
    const pairs = pairsOf[gater[c]];
    if (!pairs.has(to[c])) pairs.set(to[c], []);
    pairs.get(to[c]).push(c);
  }
  const nb_ptr = new Int32Array(N + 1);
  const nb_neuron = [];
  const nb_old = [];
  const inf_ptr = [0];
  const inf_conn = [];
  const nb_xtrace = [];
  let traceSize = 0;
  let widest = 0;
  for (let g = 0; g < N; g++) {
    const ids = [...pairsOf[g].keys()].sort((a, b) => a - b);
    for (const n of ids) {
      nb_neuron.push(n);
      nb_old.push(selfConn[n] >= 0 && gater[selfConn[n]] === g ? 1 : 0);
      inf_conn.push(...pairsOf[g].get(n));
      inf_ptr.push(inf_conn.length);
      nb_xtrace.push(traceSize);
      traceSize += incoming.start[g + 1] - incoming.start[g];
    }
    nb_ptr[g + 1] = nb_neuron.length;
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
    nb_ptr,
    nb_neuron: Int32Array.from(nb_neuron),
    nb_old: Uint8Array.from(nb_old),
    inf_ptr: Int32Array.from(inf_ptr),
    inf_conn: Int32Array.from(inf_conn),
    nb_xtrace: Int32Array.from(nb_xtrace),
    traceSize,
    widest,
  };
}

/** The plan and the metadata block of a document (an object, or its JSON text); FormatError if invalid. */
function readDocument(json) {
  const doc = typeof json === "string" ? JSON.parse(json) : json;
  if (!isObject(doc)) fail("", `expected an object with "neurons" and "connections", got ${describe(doc)}`);
  return { plan: buildPlan(doc), metadata: isObject(doc.synjson) ? doc.synjson : {} };
}

// One export list, which exporters/bundle.py drops when it inlines this module into a page.
export { FormatError, SQUASH_NAMES, LOGISTIC, TANH, IDENTITY, HLIM, OUTPUT, BOTH, GATES, describe, readDocument };
