// The execution plan: a net lowered to plain data — kernel sources, the values they read and write, and
// the blob names — that the runtime executes and that `brewnet compile` writes into a module. Names from
// the net only ever appear here as string data, never in generated identifiers or comments.
import type { SpatialOp } from '../ir/layer-module.js';
import type { Msg } from '../schema/message.js';
import type { WeightPattern } from '../ir/weight-patterns.js';
import type { NativeKernelSpec } from '../ir/native-kernel-spec.js';

/** Where a kernel argument comes from: a value of the plan, or parameter blob `index` of plan layer `layer`. */
export type ArgSource = { value: number } | { param: [layer: number, index: number] };

/** The step runs only if parameter blob `param` has (holds: true) or lacks (false) the structure `pattern`. */
export interface StepCondition {
  param: [layer: number, index: number];
  pattern: WeightPattern;
  holds: boolean;
}

/**
 * A step computes its value only when something needs it: a later step that runs, or a blob the caller
 * asks for (so a Deconvolution whose Crop reads its input directly runs only if its own top is wanted).
 * A step whose arguments are all parameter blobs (a weight re-layout) runs once per bound weights.
 */
export type PlanStep =
  | { kernel: number; layer: number; args: ArgSource[]; size: number; out: number; when?: StepCondition }
  /**
   * Native kernel `native` of plan.natives computes `out`. It runs only on backend 'wasm' (and where its
   * condition holds); there the gpu.js steps writing the same value do not run.
   */
  | {
      native: number;
      layer: number;
      args: ArgSource[];
      size: number;
      out: number;
      when?: StepCondition;
      /** Layers upstream whose work the step does too (a fusion; fusion-rules.ts), for `--time`'s table. */
      fused?: number[];
    }
  /** `out` holds `from`'s data under its own shape (Reshape, Flatten, Split, Dropout). */
  | { alias: number; layer: number; out: number }
  /**
   * The layer's reference forward runs on the host (a layer with no kernels: DetectionOutput's NMS, …):
   * the runtime finds its module's `forward` by the layer's type in the layer registry and calls it on a
   * layer rebuilt from `host` and the values' shapes. `args` are the layer's bottoms, then its parameter
   * blobs; `outs` its tops, in order.
   */
  | { host: HostLayerData; layer: number; args: ArgSource[]; outs: number[] };

/**
 * What a host step's forward reads beyond names and shapes: the type's `*_param`, its spatial op and, for a
 * loss layer, its `loss_param`.
 */
export interface HostLayerData {
  param: Msg;
  spatial?: SpatialOp;
  loss?: Msg;
}

export interface PlanValue {
  /** The blob this value is a version of; null for a layer's temporary. */
  blob: string | null;
  shape: number[];
  /**
   * The value's rows (axis 0) follow a top whose row count only the data tells (variable-rows.ts): `shape[0]`
   * is the bound, and the real count is the one the host step making value `rowsOf` gives. A forward pass
   * returns the value's first rows only; the rest is padding.
   */
  rowsOf?: number;
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
  /** Specs of native kernels (plain data; absent in plans written before native kernels existed). */
  natives?: NativeKernelSpec[];
  steps: PlanStep[];
}
