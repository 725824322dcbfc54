
// ---------------------------------------------------------------------------
// pyodide target: the network runs in Python (synjson's reference code) inside Pyodide.
// The JavaScript runtime above only reads the model for the summary and the diagram.
// The Python source below is fixed text; the model reaches Python as a string argument.
const PYTHON_PAGE = `
import synjson

class Page:
    def __init__(self, text):
        self.network = synjson.loads(text)

    def activate(self, values):
        return self.network.activate([float(v) for v in values])

    def clear(self):
        self.network.clear()

Page
`;

function decodeBase64(text) {
  const binary = atob(text.trim());
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

async function startPython(status) {
  const config = readBlock("synjson-config");
  const base = new URL(config.pyodideUrl, document.baseURI).href;
  status.textContent = `Loading Pyodide from ${base}\u2026`;
  const { loadPyodide } = await import(new URL("pyodide.mjs", base).href);
  const pyodide = await loadPyodide({ indexURL: base });
  status.textContent = "Installing synjson\u2026";
  pyodide.unpackArchive(decodeBase64(document.getElementById("synjson-wheel").textContent), "wheel");
  const Page = pyodide.runPython(PYTHON_PAGE);
  const page = Page(document.getElementById("synjson-model").textContent);
  Page.destroy();
  return {
    pyodide,
    page,
    activate(values) {
      const result = page.activate(values);
      const list = result.toJs();
      result.destroy();
      return list;
    },
    clear() {
      page.clear();
    },
  };
}

{
  const status = document.getElementById("status");
  const network = loadNetwork(readBlock("synjson-model"));
  let python = null;
  const engine = {
    async activate(values) {
      python = python || (await booting);
      return python.activate(values);
    },
    async clear() {
      python = python || (await booting);
      python.clear();
    },
  };
  const booting = startPython(status);
  window.synjson = startPage(network, engine);
  window.synjson.ready = window.synjson.ready.then(
    () => {
      status.textContent = `Python ${python.pyodide.version ? "(Pyodide " + python.pyodide.version + ")" : ""} ready.`;
      window.synjson.python = python.page;
    },
    (error) => {
      status.textContent = `Could not start Python: ${error && error.message ? error.message : error}`;
      throw error;
    },
  );
}
