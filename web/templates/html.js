
// ---------------------------------------------------------------------------
// html target: the network runs in this page, with the JavaScript runtime above.
{
  const doc = readBlock("synjson-model");
  const shown = loadNetwork(doc); // what the page shows
  const network = loadNetwork(doc); // what scripts see: window.synjson.network
  const loaded = loadNetwork(doc); // never run: reset() copies it back
  const restore = (target) => {
    for (const [key, value] of Object.entries(loaded)) {
      if (ArrayBuffer.isView(value)) target[key].set(value);
      else if (key === "aux" || key === "compiled") target[key] = value;
    }
  };
  const view = { activate: (x) => shown.activate(x), clear: () => shown.clear(), reset: () => restore(shown) };
  const script = { activate: (x) => network.activate(x), clear: () => network.clear(), reset: () => restore(network) };
  window.synjson = startPage(network, view, script);
}
