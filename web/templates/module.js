
// ---------------------------------------------------------------------------
// The model, embedded by synjson.export as one JSON string literal in which every quote,
// backslash, "<", ">", "&" and every character outside printable ASCII is escaped.
const MODEL_TEXT = {{model}};

/** The loaded network: activate, propagate, clear, reset, toJSON (docs/runtime.md). */
export const network = loadNetwork(MODEL_TEXT);

/** Runs the network on `input` (one number per input neuron) and returns its outputs. */
export function activate(input) {
  return network.activate(input);
}

export default { network, activate };
