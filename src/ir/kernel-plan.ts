// What a layer lowers to: gpu.js kernel sources specialised to the layer's shapes and parameters, and how
// their arguments and results connect to the layer's bottoms, parameter blobs and tops. Every kernel has a
// 1-D output (one thread per element of the value it writes), so results are flat Float32Arrays on the
// CPU backends and flat textures on GL, and chain into the next kernel without reshaping.
import type { WeightPattern } from './weight-patterns.js';
import type { NativeKernelSpec } from './native-kernel-spec.js';
import type { Layer } from './layer.js';

/** A value a kernel reads: the layer's i-th bottom, i-th parameter blob, or an earlier temporary. */
export type LocalRef = { bottom: number } | { param: number } | { temp: number };

/**
 * Also: a bottom or parameter blob of the layer that produced this layer's bottom `upstream` — how a
 * Crop computes only its window of a Deconvolution straight from the Deconvolution's own input. The ref
 * may itself be upstream of that producer (a Scale folded, with its BatchNorm, into the Convolution
 * before both reads the Convolution's input: two layers up).
 */
export type ValueRef = LocalRef | UpstreamRef;
export type UpstreamRef = { upstream: number; ref: { bottom: number } | { param: number } | UpstreamRef };

/** A parameter blob of the layer, or of a producer upstream. */
export type ParamRef = { param: number } | { upstream: number; ref: ParamRef };

/**
 * A kernel specialised on the structure of a parameter blob's values (e.g. zero off the channel diagonal)
 * runs only where `pattern` holds for the weights actually bound; its twin with `holds: false` (the dense
 * kernel) runs otherwise. Checked when weights are bound, since a compiled module may get other weights.
 */
export interface WeightCondition {
  param: ParamRef;
  pattern: WeightPattern;
  holds: boolean;
}

export interface KernelSpec {
  /** A `function (a, b, …) { … }` expression; gpu.js parses its text. */
  source: string;
  /** One per parameter of `source`, in order. */
  args: ValueRef[];
  /** Number of output elements (threads). */
  size: number;
  /** Where the result goes: a top of the layer, or a temporary that later kernels of the layer read. */
  out: { top: number } | { temp: number };
  /** Run only if the weights have (or lack) this structure. */
  when?: WeightCondition;
}

/**
 * A native (WebAssembly SIMD) kernel computing the same value as the layer's gpu.js kernels that write `out`.
 * Where it runs (backend 'wasm', its weight condition holding) those gpu.js kernels, and the temporaries
 * only they read, do not run.
 */
export interface NativeKernelStepSpec {
  native: NativeKernelSpec;
  /** The layer's input first, then its parameter blobs. */
  args: ValueRef[];
  size: number;
  out: { top: number };
  when?: WeightCondition;
}

export interface LoweredLayer {
  kernels: KernelSpec[];
  /** No kernels for these parameters: the layer's reference forward runs on the host (a plan host step). */
  host?: boolean;
  /** Native kernels, each an alternative to the gpu.js kernels writing the same top. */
  natives?: NativeKernelStepSpec[];
  /**
   * Set by a fusion rule: the layers upstream whose work this layer's native steps also do (a Convolution
   * and BatchNorm folded into the Scale's step), producers first. For `--time`'s table only.
   */
  fused?: Layer[];
  /** Tops that are a bottom's data under a new shape (Flatten, Reshape, Split, Dropout at TEST). */
  aliases?: { top: number; bottom: number }[];
}
