
// ---------------------------------------------------------------------------
// pyodide target: the network runs in Python (synjson's reference code) inside Pyodide.
// The JavaScript runtime above only reads the model for the summary and the diagram.
// The Python source below is fixed text; the model reaches Python as a string argument.
const PYTHON_PAGE = `
import synjson

class Page:
    """Two copies of the model: one for scripts (window.synjson), one for what the page shows."""

    def __init__(self, text):
        self.text = text
        self.network = synjson.loads(text)
        self.view = synjson.loads(text)

    def activate(self, values):
        return self.network.activate([float(v) for v in values])

    def clear(self):
        self.network.clear()

    def reset(self):
        self.network = synjson.loads(self.text)

    def show(self, values):
        return self.view.activate([float(v) for v in values])

    def clear_view(self):
        self.view.clear()

Page
`;

const TARFILE_PLACEHOLDER = `
import sys, types
added = "tarfile" not in sys.modules
if added:
    sys.modules["tarfile"] = types.ModuleType("tarfile")
added
`;

function decodeBase64(text) {
  const binary = atob(text.trim());
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

async function startPython(status, base, lockPackage) {
  status.textContent = `Loading Pyodide from ${base}\u2026`;
  const { loadPyodide } = await import(new URL("pyodide.mjs", base).href);
  const pyodide = await loadPyodide({ indexURL: base });
  performance.mark("synjson:pyodide-loaded"); // bench/pyodide_start.py reads the marks
  status.textContent = "Installing synjson\u2026";
  if (lockPackage) {
    // A --bundle-pyodide folder: synjson's wheel is registered in its pyodide-lock.json.
    const problems = [];
    // Pyodide's loader imports tarfile (117 KB of source, compiled at import: 0.3-0.8 s) only to
    // list a tar archive's libraries; a wheel is a zip. A placeholder for the install's duration
    // skips that; the real module loads on the next import (docs/export.md, the page's start).
    const placeholder = pyodide.runPython(TARFILE_PLACEHOLDER);
    try {
      await pyodide.loadPackage(lockPackage, { messageCallback: () => {}, errorCallback: (m) => problems.push(m) });
    } finally {
      if (placeholder) pyodide.runPython('import sys\ndel sys.modules["tarfile"]');
    }
    if (!pyodide.loadedPackages[lockPackage]) {
      throw new Error(`${lockPackage} did not install from ${base}pyodide-lock.json: ${problems.join(" ") || "no message"}`);
    }
  } else {
    pyodide.unpackArchive(decodeBase64(document.getElementById("synjson-wheel").textContent), "wheel");
  }
  performance.mark("synjson:installed");
  const Page = pyodide.runPython(PYTHON_PAGE);
  const page = Page(document.getElementById("synjson-model").textContent);
  Page.destroy();
  performance.mark("synjson:python-ready");
  const list = (result) => {
    const values = result.toJs();
    result.destroy();
    return values;
  };
  return {
    pyodide,
    page,
    script: {
      activate: (values) => list(page.activate(values)),
      clear: () => page.clear(),
      reset: () => page.reset(),
    },
    view: {
      activate: (values) => list(page.show(values)),
      clear: () => page.clear_view(),
    },
  };
}

/** What to do when Pyodide could not be loaded from `base`, by where the page and Pyodide are. */
function startHint(base, bundled) {
  if (location.protocol === "file:" && base.startsWith("file:")) {
    let folder = decodeURIComponent(new URL(".", location.href).pathname);
    if (/^\/[A-Za-z]:\//.test(folder)) folder = folder.slice(1); // file:///C:/... on Windows
    if (!/^[\w./~-]+$/.test(folder)) folder = `'${folder.replaceAll("'", "'\\''")}'`; // for a shell
    const name = decodeURIComponent(location.pathname.slice(location.pathname.lastIndexOf("/") + 1));
    return (
      "This page was opened from a file, and browsers do not let a page opened from disk load " +
      `Pyodide's WebAssembly from ${base}. Serve its folder over HTTP: ` +
      `python -m http.server -d ${folder} 8000, then open http://127.0.0.1:8000/${name}.`
    );
  }
  if (bundled) {
    return (
      `This page loads Pyodide and synjson from the folder exported beside it, ${base}: ` +
      "copy that folder with the page, or export the page again with --bundle-pyodide."
    );
  }
  return (
    `This page loads Pyodide from ${base}. Without the internet, export it with --bundle-pyodide ` +
    "(synjson.export(..., bundle_pyodide=True)) and serve its folder over HTTP " +
    "(python -m http.server), or point --pyodide-url at a copy you serve."
  );
}

{
  const status = document.getElementById("status");
  const network = loadNetwork(readBlock("synjson-model"));
  const config = readBlock("synjson-config");
  const base = new URL(config.pyodideUrl, document.baseURI).href;
  const booting = startPython(status, base, config.loadPackage);
  const engine = (side) => ({
    activate: async (values) => (await booting)[side].activate(values),
    clear: async () => (await booting)[side].clear(),
    reset: async () => (await booting)[side].reset(),
  });
  window.synjson = startPage(network, engine("view"), engine("script"));
  const firstStep = window.synjson.ready;
  window.synjson.ready = booting.then(
    async (python) => {
      await firstStep;
      status.textContent = `Python ${python.pyodide.version ? "(Pyodide " + python.pyodide.version + ")" : ""} ready.`;
      window.synjson.python = python.page;
      window.synjson.pyodide = python.pyodide;
    },
    (error) => {
      status.textContent = `Could not start Python: ${error && error.message ? error.message : error}`;
      status.className = "error";
      const hint = document.getElementById("hint");
      hint.textContent = startHint(base, config.loadPackage);
      hint.hidden = false;
      throw error;
    },
  );
  // A script awaiting ready still sees the rejection; unawaited, it is no uncaught error.
  window.synjson.ready.catch(() => {});
}
