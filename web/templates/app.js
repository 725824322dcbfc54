
// ---------------------------------------------------------------------------
// synjson page UI, appended to runtime.js in one module script. Model text is only ever read
// from the JSON data blocks and shown with textContent or SVG attributes, never as markup.
//
// Two copies of the model run: the one the page shows (the fields, the outputs, Clear context)
// and the one scripts get through window.synjson. Typing never moves the state a script sees.
// A recurrent page steps only when asked (Enter, Step, a row button), so N steps are N
// activations in Python; a feed-forward one updates as you type.

const MAX_NEURONS_DRAWN = 24; // per layer; the rest is counted
const MAX_LINKS_DRAWN = 2500;
const MANY_INPUTS = 32; // above this, the one-field-per-input list is folded away
const SVG = "http://www.w3.org/2000/svg";
const ROLES = ["input gate", "forget gate", "memory cell", "output gate"];

function readBlock(id) {
  return JSON.parse(document.getElementById(id).textContent);
}

function element(tag, attributes = {}, text = "") {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, value);
  if (text) node.textContent = text;
  return node;
}

function svgElement(tag, attributes = {}) {
  const node = document.createElementNS(SVG, tag);
  for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, String(value));
  return node;
}

/** Names from the model's "synjson" block when it has the right number of strings. */
function names(metadata, key, count, prefix) {
  const given = metadata && Array.isArray(metadata[key]) ? metadata[key] : [];
  const list = [];
  for (let i = 0; i < count; i++) list.push(typeof given[i] === "string" && given[i] ? given[i] : `${prefix}${i + 1}`);
  return list;
}

/** A number as typed by a person: decimal or exponent notation, nothing else. */
function parseNumber(text) {
  const trimmed = text.trim();
  if (trimmed === "") return { error: "enter a number" };
  if (!/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(trimmed)) return { error: "not a number" };
  const value = Number(trimmed);
  if (!Number.isFinite(value)) return { error: "number too large" };
  return { value };
}

/** Rows of numbers from pasted or dropped text: CSV/TSV/space separated lines, or JSON rows. */
function parseRows(text, size) {
  const trimmed = text.trim();
  let rows;
  if (trimmed.startsWith("[") || trimmed.startsWith("{")) {
    let doc;
    try {
      doc = JSON.parse(trimmed);
    } catch (error) {
      return { error: `not JSON: ${error.message}` };
    }
    if (!Array.isArray(doc)) doc = [doc];
    if (doc.length && typeof doc[0] === "number") doc = [doc];
    rows = doc.map((row) => (row && !Array.isArray(row) && Array.isArray(row.input) ? row.input : row));
    for (let r = 0; r < rows.length; r++) {
      if (!Array.isArray(rows[r]) || !rows[r].every((v) => typeof v === "number" && Number.isFinite(v))) {
        return { error: `row ${r + 1}: expected an array of numbers` };
      }
    }
  } else {
    rows = [];
    const lines = trimmed.split(/\r?\n/).filter((line) => line.trim() !== "");
    for (let l = 0; l < lines.length; l++) {
      const cells = lines[l].trim().split(/[\s,;]+/);
      const values = cells.map((cell) => parseNumber(cell));
      if (values.some((v) => v.error)) {
        if (l === 0 && lines.length > 1) continue; // a header line
        const bad = cells[values.findIndex((v) => v.error)];
        return { error: `line ${l + 1}: not a number: ${JSON.stringify(bad.slice(0, 20))}` };
      }
      rows.push(values.map((v) => v.value));
    }
  }
  if (!rows.length) return { error: "no rows" };
  for (let r = 0; r < rows.length; r++) {
    // A row may carry the targets after the inputs (a training file): they are left out.
    if (rows[r].length < size) return { error: `row ${r + 1} has ${rows[r].length} values, the network takes ${size}` };
    rows[r] = rows[r].slice(0, size);
  }
  return { rows };
}

/** A short form of `value` for the page; the exact one goes in title and data-value. */
function shortNumber(value) {
  if (value === 0) return "0";
  const size = Math.abs(value);
  if (size >= 1e-4 && size < 1e6) return String(Number(value.toPrecision(4)));
  return value.toExponential(3);
}

/**
 * The role of each hidden layer: an LSTM block's four layers by what they gate (the rules of
 * synjson/roles.py), else "hidden N".
 */
function layerRoles(network, info) {
  const { hiddenCount, layer, selfConn, gater, from, to, incoming, outgoing } = network.plan;
  const names = Array.from({ length: hiddenCount }, (_, i) => `hidden ${i}`);
  const layerOf = (i) => (layer[i] >= 0 ? layer[i] : null);
  const blocks = [];
  info.layers.hidden.forEach((members, cell) => {
    const forget = new Set();
    const into = new Set();
    const out = new Set();
    for (const i of members) {
      const self = selfConn[i];
      if (self < 0 || gater[self] < 0) return;
      forget.add(layerOf(gater[self]));
      for (let k = incoming.start[i]; k < incoming.start[i + 1]; k++) {
        const c = incoming.list[k];
        if (gater[c] >= 0) into.add(layerOf(gater[c]));
      }
      for (let k = outgoing.start[i]; k < outgoing.start[i + 1]; k++) {
        const c = outgoing.list[k];
        if (layer[to[c]] < 0 && gater[c] >= 0 && from[c] === i) out.add(layerOf(gater[c]));
      }
    }
    if (!members.length) return;
    const found = [into, forget, new Set([cell]), out];
    if (!found.every((set) => set.size === 1 && !set.has(null))) return;
    const block = found.map((set) => [...set][0]);
    if (new Set(block).size === 4) blocks.push(block);
  });
  blocks.forEach((block, number) => {
    block.forEach((hidden, r) => {
      names[hidden] = ROLES[r] + (blocks.length > 1 ? ` ${number + 1}` : "");
    });
  });
  return names;
}

function buildSummary(network, info, roles, table) {
  const hidden = info.layers.hidden.map((list, i) => `${roles[i]} ${list.length}`);
  const squashes = Object.entries(info.squashes).map(([name, count]) => `${name} \u00d7 ${count}`).join(", ");
  const rows = [
    ["Inputs", String(network.inputs)],
    ["Hidden layers", hidden.length ? `${hidden.length} (${hidden.join(", ")})` : "none"],
    ["Outputs", String(network.outputs)],
    ["Neurons", String(network.size.neurons)],
    ["Connections", `${info.connections} (${info.gatedConnections || "none"} gated)`],
    ["Self-connections", String(info.selfConnections)],
    ["Parameters", `${info.parameters} (${info.weights} weights, ${info.biases} biases)`],
    ["Squashes", squashes || "none"],
    ["Recurrent", info.recurrent ? "yes: each activation carries state to the next" : "no"],
  ];
  for (const [label, value] of rows) {
    const row = element("tr");
    row.append(element("th", { scope: "row" }, label), element("td", {}, value));
    table.append(row);
  }
}

/** Layers as columns, neurons as circles; gated connections dashed, self-connections as loops. */
function buildDiagram(info, roles, box) {
  const columns = [
    ["input", info.layers.input],
    ...info.layers.hidden.map((layer, i) => [roles[i], layer]),
    ["output", info.layers.output],
  ];
  const spacing = 34;
  const columnWidth = 150;
  const tallest = Math.max(1, ...columns.map(([, list]) => Math.min(list.length, MAX_NEURONS_DRAWN) + (list.length > MAX_NEURONS_DRAWN ? 1 : 0)));
  const width = columns.length * columnWidth;
  const height = tallest * spacing + 90;
  const svg = svgElement("svg", { width, height, viewBox: `0 0 ${width} ${height}`, role: "img", "aria-label": "Network diagram" });
  const where = new Map();
  columns.forEach(([label, list], c) => {
    const x = c * columnWidth + columnWidth / 2;
    const shown = Math.min(list.length, MAX_NEURONS_DRAWN);
    const top = (height + 10 - shown * spacing) / 2 + spacing / 2;
    for (let k = 0; k < shown; k++) where.set(list[k], { x, y: top + k * spacing, input: c === 0 });
    const caption = svgElement("text", { x, y: height - 12, "text-anchor": "middle", class: "caption" });
    caption.textContent = `${label} (${list.length})`;
    svg.append(caption);
    if (list.length > shown) {
      const more = svgElement("text", { x, y: top + shown * spacing, "text-anchor": "middle" });
      more.textContent = `+${list.length - shown} more`;
      svg.append(more);
    }
  });
  const links = svgElement("g");
  const { from, to, gater } = info.edges;
  let drawn = 0;
  let skipped = 0;
  for (let c = 0; c < from.length; c++) {
    const a = where.get(from[c]);
    const b = where.get(to[c]);
    if (!a || !b) continue;
    if (drawn >= MAX_LINKS_DRAWN) {
      skipped++;
      continue;
    }
    drawn++;
    const kind = gater[c] >= 0 ? "link gated" : "link";
    if (from[c] === to[c]) {
      const path = `M ${a.x + 8} ${a.y - 6} a 9 9 0 1 1 0 12`;
      links.append(svgElement("path", { d: path, class: gater[c] >= 0 ? "self gated" : "self" }));
    } else {
      // Neighbouring columns: a straight line. Same column: a curve out to the side. Further
      // (skips or recurrences): an arc over the columns in between.
      const span = Math.round(Math.abs(b.x - a.x) / columnWidth);
      let d = `M ${a.x} ${a.y} L ${b.x} ${b.y}`;
      if (span === 0) d = `M ${a.x} ${a.y} C ${a.x + 40} ${a.y} ${b.x + 40} ${b.y} ${b.x} ${b.y}`;
      else if (span > 1) d = `M ${a.x} ${a.y} Q ${(a.x + b.x) / 2} ${Math.min(a.y, b.y) - 18 * span} ${b.x} ${b.y}`;
      links.append(svgElement("path", { d, class: kind }));
    }
  }
  svg.prepend(links);
  for (const [, point] of where) {
    svg.append(svgElement("circle", { cx: point.x, cy: point.y, r: 7, class: point.input ? "neuron input" : "neuron" }));
  }
  box.append(svg);
  const hidden = from.length - drawn;
  if (skipped || hidden) box.append(element("p", { class: "note" }, `${hidden} of ${from.length} connections not drawn.`));
}

/**
 * The error curve from the model's metadata (`synjson train --report` writes it):
 * `training.history` is a list of [iteration, error] pairs. Drawn as an SVG polyline, on a log
 * scale when every error is positive and they span more than a factor of 10.
 */
function buildCurve(training, section) {
  const points = (Array.isArray(training.history) ? training.history : []).filter(
    (p) => Array.isArray(p) && p.length === 2 && Number.isFinite(p[0]) && Number.isFinite(p[1]),
  );
  const figures = [];
  if (Number.isFinite(training.error)) figures.push(`final error ${training.error}`);
  if (Number.isFinite(training.iterations)) figures.push(`${training.iterations} iterations`);
  if (Number.isFinite(training.time)) figures.push(`${training.time.toFixed(3)} s`);
  if (typeof training.cost === "string") figures.push(`cost ${training.cost}`);
  if (points.length < 2) figures.push("no error history kept");
  section.querySelector("#training-figures").textContent = figures.join(", ");
  section.hidden = false;
  if (points.length < 2) return;
  const errors = points.map((p) => p[1]);
  const low = Math.min(...errors);
  const high = Math.max(...errors);
  const log = low > 0 && high / low > 10;
  const scale = log ? Math.log10 : (v) => v;
  const [bottom, top] = [scale(low), scale(high)];
  const first = points[0][0];
  const last = points[points.length - 1][0];
  const width = 640;
  const height = 260;
  const left = 70;
  const right = 16;
  const pad = 16;
  const x = (i) => left + ((i - first) / (last - first || 1)) * (width - left - right);
  const y = (e) => pad + (1 - (scale(e) - bottom) / (top - bottom || 1)) * (height - 2 * pad - 24);
  const svg = svgElement("svg", { id: "curve", viewBox: `0 0 ${width} ${height}`, role: "img", "aria-label": `Error curve over ${last} iterations, from ${high} to ${low}${log ? " (log scale)" : ""}` });
  svg.append(svgElement("path", { d: `M ${left} ${pad} V ${height - pad - 24} H ${width - right}`, class: "axis" }));
  svg.append(svgElement("polyline", { points: points.map((p) => `${x(p[0]).toFixed(2)},${y(p[1]).toFixed(2)}`).join(" "), class: "curve" }));
  const label = (text, attributes) => {
    const node = svgElement("text", attributes);
    node.textContent = text;
    svg.append(node);
  };
  label(shortNumber(high), { x: left - 6, y: y(high) + 4, "text-anchor": "end" });
  label(shortNumber(low), { x: left - 6, y: y(low) + 4, "text-anchor": "end" });
  label(String(first), { x: x(first), y: height - 8, "text-anchor": "start" });
  label(`${last} iterations`, { x: x(last), y: height - 8, "text-anchor": "end" });
  label(log ? "error (log scale)" : "error", { x: left + 6, y: pad + 4 });
  section.querySelector("#curve-box").append(svg);
}

/** A side x side grid to draw on (pointer or touch); each cell is one input, 0 or 1. */
function buildGrid(side, box, onChange) {
  const canvas = element("canvas", { id: "grid", width: String(side * 10), height: String(side * 10), role: "img", "aria-label": `${side} by ${side} drawing grid: one cell per input` });
  const context = canvas.getContext("2d");
  const values = new Float64Array(side * side);
  let drawing = false;
  function paint() {
    const ink = getComputedStyle(canvas).color;
    context.clearRect(0, 0, canvas.width, canvas.height);
    context.fillStyle = ink;
    for (let k = 0; k < values.length; k++) {
      if (!values[k]) continue;
      context.globalAlpha = values[k];
      context.fillRect((k % side) * 10, Math.floor(k / side) * 10, 10, 10);
    }
    context.globalAlpha = 1;
  }
  let last = null;
  function dab(x, y) {
    // A soft brush: the cell under the pointer and its four neighbours at half strength.
    for (const [dx, dy, v] of [[0, 0, 1], [1, 0, 0.5], [-1, 0, 0.5], [0, 1, 0.5], [0, -1, 0.5]]) {
      const cx = x + dx;
      const cy = y + dy;
      if (cx < 0 || cy < 0 || cx >= side || cy >= side) continue;
      const k = cy * side + cx;
      if (values[k] < v) values[k] = v;
    }
  }
  function ink(event) {
    const rect = canvas.getBoundingClientRect();
    const x = Math.floor(((event.clientX - rect.left) / rect.width) * side);
    const y = Math.floor(((event.clientY - rect.top) / rect.height) * side);
    // Every cell on the way from the last point: a fast stroke leaves no gaps.
    const [x0, y0] = last || [x, y];
    const steps = Math.max(Math.abs(x - x0), Math.abs(y - y0), 1);
    for (let t = 1; t <= steps; t++) dab(Math.round(x0 + ((x - x0) * t) / steps), Math.round(y0 + ((y - y0) * t) / steps));
    last = [x, y];
    paint();
  }
  canvas.addEventListener("pointerdown", (event) => {
    drawing = true;
    last = null;
    canvas.setPointerCapture(event.pointerId);
    ink(event);
  });
  canvas.addEventListener("pointermove", (event) => {
    if (drawing) ink(event);
  });
  const stop = () => {
    if (!drawing) return;
    drawing = false;
    onChange(Array.from(values));
  };
  canvas.addEventListener("pointerup", stop);
  canvas.addEventListener("pointercancel", stop);
  const wipe = element("button", { type: "button", id: "grid-clear" }, "Clear drawing");
  wipe.addEventListener("click", () => {
    values.fill(0);
    paint();
    onChange(Array.from(values));
  });
  box.append(element("h3", {}, "Draw"), canvas, element("p", {}, ""));
  box.lastChild.append(wipe);
  return {
    set(list) {
      list.forEach((v, k) => {
        values[k] = Math.max(0, Math.min(1, v));
      });
      paint();
    },
  };
}

/**
 * Wires the page. `view` runs what the page shows; `script` is the model scripts see through
 * window.synjson (each: activate, clear, reset; sync or async). Returns window.synjson.
 */
function startPage(network, view, script) {
  const form = document.getElementById("inputs");
  const list = document.getElementById("outputs");
  const steps = document.getElementById("steps");
  const info = network.describe();
  const roles = layerRoles(network, info);
  const inputNames = names(network.metadata, "inputs", network.inputs, "input ");
  const outputNames = names(network.metadata, "outputs", network.outputs, "output ");
  const many = network.inputs > MANY_INPUTS;
  let fieldBox = form;
  if (many) {
    // Hundreds of fields: folded away, in a grid; the paste box and the drawing grid come first.
    const fold = element("details", { id: "fields" });
    fold.append(element("summary", {}, `Edit the ${network.inputs} values one by one`));
    fieldBox = element("div", { class: "field-grid" });
    fold.append(fieldBox);
    form.append(fold);
  }
  const fields = inputNames.map((name, i) => {
    const label = element("label", { for: `input-${i}` });
    const field = element("input", { id: `input-${i}`, name: `input-${i}`, inputmode: "decimal", value: "0", "aria-describedby": `message-${i}` });
    const message = element("span", { id: `message-${i}`, class: "message", "aria-live": "polite" });
    label.append(element("span", { class: "name" }, name), field, message);
    fieldBox.append(label);
    return { field, message };
  });
  const outputs = outputNames.map((name, i) => {
    const item = element("li");
    const value = element("output", { id: `output-${i}`, for: fields.length <= MANY_INPUTS ? fields.map((_, k) => `input-${k}`).join(" ") : "row" }, "\u2013");
    const bar = element("span", { class: "bar", "aria-hidden": "true" });
    bar.append(element("span", { class: "fill" }));
    item.append(element("span", { class: "name" }, name), bar, value);
    list.append(item);
    return { item, value, fill: bar.firstChild };
  });
  if (!many) form.append(document.getElementById("rows")); // a few fields: they come first
  const recurrent = info.recurrent;
  document.getElementById("recurrent").hidden = !recurrent;
  const waiting = document.getElementById("waiting");
  let count = 0;
  let pending = Promise.resolve();
  let grid = null;

  /** Runs `task` after every earlier one; a failure shows and does not stop later tasks. */
  function queue(task) {
    pending = pending.then(task).catch((error) => {
      const status = document.getElementById("status");
      if (status.className === "error") return; // already says what went wrong
      status.textContent = `Error: ${error && error.message ? error.message : error}`;
      status.className = "error";
    });
    return pending;
  }

  function showCount() {
    steps.textContent = `${count} step${count === 1 ? "" : "s"}`;
  }

  function blank() {
    for (const { item, value, fill } of outputs) {
      value.textContent = "\u2013";
      value.removeAttribute("title");
      delete value.dataset.value;
      fill.style.width = "0";
      item.classList.remove("largest", "negative");
    }
  }

  function show(values) {
    const largest = values.reduce((best, v, i) => (v > values[best] ? i : best), 0);
    const scale = Math.max(1, ...values.map((v) => Math.abs(v)));
    values.forEach((v, i) => {
      const { item, value, fill } = outputs[i];
      value.textContent = shortNumber(v);
      value.title = String(v);
      value.dataset.value = String(v);
      fill.style.width = `${(Math.abs(v) / scale) * 100}%`;
      item.classList.toggle("largest", values.length > 1 && i === largest);
      item.classList.toggle("negative", v < 0);
    });
    count++;
    showCount();
  }

  function readFields() {
    const values = [];
    let ok = true;
    for (const { field, message } of fields) {
      const parsed = parseNumber(field.value);
      message.textContent = parsed.error || "";
      field.setAttribute("aria-invalid", parsed.error ? "true" : "false");
      if (parsed.error) ok = false;
      else values.push(parsed.value);
    }
    return ok ? values : null;
  }

  function step() {
    const values = readFields();
    if (!values) {
      if (!recurrent) blank();
      return pending;
    }
    waiting.hidden = true;
    return queue(async () => show(await view.activate(values)));
  }

  function changed() {
    if (!recurrent) return step();
    readFields(); // the messages only
    waiting.hidden = false;
    return pending;
  }

  function setFields(values) {
    values.forEach((v, i) => {
      fields[i].field.value = String(v);
    });
    if (grid) grid.set(values);
    return step();
  }

  // Rows pasted or dropped: the first is used at once, the buttons step through the rest.
  const rowBox = document.getElementById("rows");
  const rowText = document.getElementById("row");
  const rowMessage = document.getElementById("row-message");
  const rowPosition = document.getElementById("row-position");
  const rowRest = document.getElementById("row-rest");
  let rows = [];
  let at = 0;
  function useRows(text) {
    const parsed = parseRows(text, network.inputs);
    rowMessage.textContent = parsed.error || "";
    rowText.setAttribute("aria-invalid", parsed.error ? "true" : "false");
    if (parsed.error) return pending;
    rows = parsed.rows;
    at = 0;
    return goTo(0);
  }
  function goTo(index) {
    at = Math.max(0, Math.min(rows.length - 1, index));
    rowPosition.textContent = rows.length ? `row ${at + 1} of ${rows.length}` : "";
    document.getElementById("row-previous").disabled = at <= 0;
    document.getElementById("row-next").disabled = at >= rows.length - 1;
    rowRest.disabled = at >= rows.length - 1;
    return rows.length ? setFields(rows[at]) : pending;
  }
  async function runRest() {
    while (at < rows.length - 1) await goTo(at + 1);
  }
  rowRest.hidden = !recurrent;
  document.getElementById("row-use").addEventListener("click", () => useRows(rowText.value));
  document.getElementById("row-previous").addEventListener("click", () => goTo(at - 1));
  document.getElementById("row-next").addEventListener("click", () => goTo(at + 1));
  rowRest.addEventListener("click", () => runRest());
  document.getElementById("row-file").addEventListener("change", async (event) => {
    const file = event.target.files[0];
    if (file) useRows((rowText.value = await file.text()));
  });
  rowBox.addEventListener("dragover", (event) => event.preventDefault());
  rowBox.addEventListener("drop", async (event) => {
    event.preventDefault();
    const file = event.dataTransfer.files[0];
    if (file) useRows((rowText.value = await file.text()));
  });

  const side = Math.round(Math.sqrt(network.inputs));
  if (network.inputs >= 16 && side * side === network.inputs) {
    grid = buildGrid(side, document.getElementById("draw"), (values) => {
      values.forEach((v, i) => {
        fields[i].field.value = String(v);
      });
      changed();
    });
  }

  document.getElementById("copy").addEventListener("click", async () => {
    const text = outputs.map(({ value }) => value.dataset.value || "").join(",");
    document.getElementById("copied").textContent = "";
    try {
      await navigator.clipboard.writeText(text);
      document.getElementById("copied").textContent = "copied";
    } catch (error) {
      document.getElementById("copied").textContent = text; // no clipboard here: select and copy it
    }
  });
  const isField = (target) => target.tagName === "INPUT" && target.id.startsWith("input-");
  form.addEventListener("input", (event) => {
    if (isField(event.target)) changed();
  });
  form.addEventListener("keydown", (event) => {
    if (event.key !== "Enter" || !isField(event.target)) return;
    event.preventDefault();
    step();
  });
  form.addEventListener("submit", (event) => event.preventDefault());
  document.getElementById("step").addEventListener("click", () => step());
  document.getElementById("clear").addEventListener("click", () =>
    queue(async () => {
      await view.clear();
      count = 0;
      showCount();
      blank();
    }),
  );
  if (network.metadata && network.metadata.training && typeof network.metadata.training === "object") {
    buildCurve(network.metadata.training, document.getElementById("training"));
  }
  buildSummary(network, info, roles, document.getElementById("summary-table"));
  buildDiagram(info, roles, document.getElementById("diagram-box"));
  const ready = recurrent ? pending : step();
  return {
    network,
    /** Runs the model scripts see (its own state, as loaded; the page never moves it). */
    activate: (input) => script.activate(input),
    /** Synaptic's clear(): forgets traces and errors of the scripts' model. */
    clear: () => script.clear(),
    /** Puts the scripts' model back as it was loaded: state, traces and weights. */
    reset: () => script.reset(),
    /** What the page shows: set the fields (one number per input) and run one step. */
    show: (values) => setFields(values),
    /** One step of what the page shows, with its fields (Step). */
    step,
    /** Steps since the page loaded or since Clear context. */
    get steps() {
      return count;
    },
    ready,
  };
}
