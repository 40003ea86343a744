// The execution plan: a net lowered to plain data — kernel sources, the values they read and write, and
// the blob names — that the runtime executes and that `brewnet compile` writes into a module. Names from
// the net only ever appear here as string data, never in generated identifiers or comments.

/** Where a kernel argument comes from: a value of the plan, or parameter blob `index` of plan layer `layer`. */
export type ArgSource = { value: number } | { param: [layer: number, index: number] };

export type PlanStep =
  | { kernel: number; layer: number; args: ArgSource[]; size: number; out: number }
  /** `out` holds `from`'s data under its own shape (Reshape, Flatten, Split, Dropout). */
  | { alias: number; layer: number; out: number };

export interface PlanValue {
  /** The blob this value is a version of; null for a layer's temporary. */
  blob: string | null;
  shape: number[];
}

export interface ExecutionPlan {
  format: 'brewnet-plan/1';
  netName: string | null;
  /** Every layer in execution order, with its parameter blob shapes (Caffe's order and layout). */
  layers: { name: string; type: string; params: number[][] }[];
  values: PlanValue[];
  /** The values the caller provides: the tops of Input layers. */
  inputs: { name: string; value: number }[];
  /** The final value of each named blob (Caffe's net.blobs after a forward pass), in production order. */
  blobs: [name: string, value: number][];
  /** Blobs nobody consumes, in Caffe's lexicographic order: what forward returns by default. */
  outputs: string[];
  kernels: string[];
  steps: PlanStep[];
}
