
// ---------------------------------------------------------------------------
// synjson page UI, appended to runtime.js in one module script. Model text is only ever read
// from the JSON data blocks and shown with textContent or SVG attributes, never as markup.

const MAX_NEURONS_DRAWN = 24; // per layer; the rest is counted
const MAX_LINKS_DRAWN = 2500;
const SVG = "http://www.w3.org/2000/svg";

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

function buildSummary(network, table) {
  const info = network.describe();
  const hidden = info.layers.hidden.map((layer) => layer.length);
  const squashes = Object.entries(info.squashes).map(([name, count]) => `${name} \u00d7 ${count}`).join(", ");
  const rows = [
    ["Inputs", String(network.inputs)],
    ["Hidden layers", hidden.length ? `${hidden.length} (sizes ${hidden.join(", ")})` : "none"],
    ["Outputs", String(network.outputs)],
    ["Neurons", String(network.size.neurons)],
    ["Connections", `${info.connections} (${info.gatedConnections || "none"} gated)`],
    ["Self-connections", String(info.selfConnections)],
    ["Parameters", `${info.parameters} (weights and biases)`],
    ["Squashes", squashes || "none"],
  ];
  for (const [label, value] of rows) {
    const row = element("tr");
    row.append(element("th", { scope: "row" }, label), element("td", {}, value));
    table.append(row);
  }
}

/** Layers as columns, neurons as circles; gated connections dashed, self-connections as loops. */
function buildDiagram(network, box) {
  const info = network.describe();
  const columns = [
    ["input", info.layers.input],
    ...info.layers.hidden.map((layer, i) => [`hidden ${i}`, layer]),
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
    const caption = svgElement("text", { x, y: height - 12, "text-anchor": "middle" });
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
  if (skipped) box.append(element("p", { class: "note" }, `${skipped} more connections not drawn.`));
}

/** Wires the page to `engine` (activate, clear; sync or async); returns window.synjson. */
function startPage(network, engine) {
  const form = document.getElementById("inputs");
  const list = document.getElementById("outputs");
  const steps = document.getElementById("steps");
  const inputNames = names(network.metadata, "inputs", network.inputs, "input ");
  const outputNames = names(network.metadata, "outputs", network.outputs, "output ");
  const fields = inputNames.map((name, i) => {
    const label = element("label", { for: `input-${i}` });
    const field = element("input", { id: `input-${i}`, name: `input-${i}`, inputmode: "decimal", value: "0", "aria-describedby": `message-${i}` });
    const message = element("span", { id: `message-${i}`, class: "message", "aria-live": "polite" });
    label.append(element("span", { class: "name" }, name), field, message);
    form.append(label);
    return { field, message };
  });
  const outputs = outputNames.map((name, i) => {
    const item = element("li");
    const value = element("output", { id: `output-${i}`, for: fields.map((_, k) => `input-${k}`).join(" ") }, "\u2013");
    item.append(element("span", { class: "name" }, name), value);
    list.append(item);
    return value;
  });
  let count = 0;
  let pending = Promise.resolve();

  function show(values) {
    values.forEach((v, i) => {
      outputs[i].textContent = String(v);
      outputs[i].dataset.value = String(v);
    });
    count++;
    steps.textContent = `${count} step${count === 1 ? "" : "s"}`;
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

  function update() {
    const values = readFields();
    if (!values) {
      for (const out of outputs) {
        out.textContent = "\u2013";
        delete out.dataset.value;
      }
      return pending;
    }
    pending = pending.then(() => engine.activate(values)).then(show);
    return pending;
  }

  form.addEventListener("input", update);
  form.addEventListener("submit", (event) => event.preventDefault());
  document.getElementById("clear").addEventListener("click", () => {
    pending = pending.then(() => engine.clear()).then(() => {
      count = -1;
      return update();
    });
  });
  buildSummary(network, document.getElementById("summary-table"));
  buildDiagram(network, document.getElementById("diagram-box"));
  const ready = update();
  return {
    network,
    activate: (input) => engine.activate(input),
    clear: () => engine.clear(),
    update,
    ready,
  };
}
