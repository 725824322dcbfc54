// TypeScript declarations for a module written by `synjson export --target module` (docs/export.md).

/** A Synaptic network document, as Synaptic's `Network.toJSON()` writes it. */
export interface NetworkDocument {
  neurons: Array<{
    trace?: { elegibility: Record<string, number>; extended: Record<string, Record<string, number>> };
    state?: number;
    old?: number;
    activation?: number;
    bias: number;
    layer: "input" | "output" | number | string;
    squash?: string | null;
  }>;
  connections: Array<{ from: number | string; to: number | string; weight: number; gater?: number | string | null }>;
  synjson?: Record<string, unknown>;
}

/** Counts as `synjson info` gives them, and the layers as lists of neuron indices. */
export interface Description {
  layers: { input: number[]; hidden: number[][]; output: number[] };
  squashes: Record<string, number>;
  connections: number;
  selfConnections: number;
  gatedConnections: number;
  gaters: number;
  weights: number;
  biases: number;
  parameters: number;
  recurrent: boolean;
  edges: { from: Int32Array; to: Int32Array; gater: Int32Array };
}

/** A loaded network (docs/runtime.md). */
export interface Network {
  /** Feeds `input` (one number per input neuron) forward and returns the outputs. */
  activate(input: ArrayLike<number>): number[];
  /** One training step: Synaptic's propagate(rate, target). */
  propagate(rate: number, target: ArrayLike<number>): void;
  /** Forgets the context (traces, responsibilities); weights, states and activations stay. */
  clear(): void;
  /** New weights and biases in [-0.1, 0.1) from `random()` (default Math.random). */
  reset(random?: () => number): void;
  /** Synaptic's Network.toJSON() document. */
  toJSON(): NetworkDocument;
  describe(): Description;
  readonly inputs: number;
  readonly outputs: number;
  readonly size: { neurons: number; connections: number; hidden: number; traces: number };
  /** The document's "synjson" block (names of inputs and outputs, ...), or {}. */
  readonly metadata: Record<string, unknown>;
}

/** A document that is not a network the runtime can run; `path` names the place. */
export class FormatError extends Error {
  constructor(path: string, message: string);
  readonly path: string;
  readonly reason: string;
}

/** Checks a network document (an object or its JSON text) and returns a runnable network. */
export function loadNetwork(json: NetworkDocument | string): Network;
/** The squash names the runtime knows, in Synaptic's order. */
export const squashNames: string[];
/** The network this module carries. */
export const network: Network;
/** Runs the network on `input` (one number per input neuron) and returns its outputs. */
export function activate(input: ArrayLike<number>): number[];
declare const _default: { network: Network; activate: typeof activate };
export default _default;
