// What a layer lowers to: gpu.js kernel sources specialised to the layer's shapes and parameters, and how
// their arguments and results connect to the layer's bottoms, parameter blobs and tops. Every kernel has a
// 1-D output (one thread per element of the value it writes), so results are flat Float32Arrays on the
// CPU backends and flat textures on GL, and chain into the next kernel without reshaping.

/** A value a kernel reads: the layer's i-th bottom, i-th parameter blob, or an earlier temporary. */
export type ValueRef = { bottom: number } | { param: number } | { temp: number };

export interface KernelSpec {
  /** A `function (a, b, …) { … }` expression; gpu.js parses its text. */
  source: string;
  /** One per parameter of `source`, in order. */
  args: ValueRef[];
  /** Number of output elements (threads). */
  size: number;
  /** Where the result goes: a top of the layer, or a temporary that later kernels of the layer read. */
  out: { top: number } | { temp: number };
}

export interface LoweredLayer {
  kernels: KernelSpec[];
  /** Tops that are a bottom's data under a new shape (Flatten, Reshape, Split, Dropout at TEST). */
  aliases?: { top: number; bottom: number }[];
}
