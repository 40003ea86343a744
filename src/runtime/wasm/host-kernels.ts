// Kernels of the native route (backend wasm) that are plain JavaScript over the host's arrays: Concat
// (block copies, TypedArray.set: a memcpy), Permute (a strided gather), and Softmax, whose exp WebAssembly
// has no instruction for. Each is a loop over the arrays with no per-call set-up, in place of a gpu.js kernel
// that copies its arguments into its own memory on every call. The --time table names them "js".
import type { NativeKernel } from './native-kernel.js';
import type { ConcatNativeSpec, PermuteNativeSpec, SoftmaxNativeSpec } from '../../ir/native-kernel-spec.js';

const hostKernel = (run: (args: readonly Float32Array[], out?: Float32Array) => Float32Array): NativeKernel => ({
  engine: 'js',
  run: (args, out) => Promise.resolve(run(args, out)),
  destroy() {},
});

/** Bottoms (outer, size_b, inner) joined along the middle axis. */
export function concatHostKernel(spec: ConcatNativeSpec): NativeKernel {
  const total = spec.sizes.reduce((a, b) => a + b, 0);
  return hostKernel((args, into) => {
    const out = into ?? new Float32Array(spec.outer * total * spec.inner);
    let offset = 0;
    spec.sizes.forEach((size, b) => {
      const block = size * spec.inner;
      const x = args[b];
      // Already in place: the executor had its producer write it into this block (activation-slots.ts).
      if (spec.outer === 1 && x.buffer === out.buffer && x.byteOffset === out.byteOffset + offset * 4) {
        offset += block;
        return;
      }
      if (spec.outer === 1) out.set(x, offset);
      else for (let o = 0; o < spec.outer; o++) out.set(x.subarray(o * block, (o + 1) * block), o * total * spec.inner + offset);
      offset += block;
    });
    return out;
  });
}

/** exp(x − max) / Σ exp(x − max) along the middle axis of (outer, dim, inner). */
export function softmaxHostKernel(spec: SoftmaxNativeSpec): NativeKernel {
  const { outer, dim, inner } = spec;
  return hostKernel(([x], into) => {
    const out = into ?? new Float32Array(x.length);
    // Contiguous rows (SSD's (priors, classes) scores): the same arithmetic with scalars, no per-row fills.
    if (inner === 1) {
      for (let base = 0; base < outer * dim; base += dim) {
        let max = -Infinity;
        for (let k = 0; k < dim; k++) max = Math.max(max, x[base + k]);
        let sum = 0;
        for (let k = 0; k < dim; k++) {
          const e = Math.exp(x[base + k] - max);
          out[base + k] = e;
          sum += e;
        }
        for (let k = 0; k < dim; k++) out[base + k] /= sum;
      }
      return out;
    }
    const max = new Float32Array(inner);
    const sum = new Float64Array(inner);
    for (let o = 0; o < outer; o++) {
      const base = o * dim * inner;
      max.fill(-Infinity);
      sum.fill(0);
      for (let k = 0; k < dim; k++) for (let i = 0; i < inner; i++) max[i] = Math.max(max[i], x[base + k * inner + i]);
      for (let k = 0; k < dim; k++) {
        for (let i = 0; i < inner; i++) {
          const e = Math.exp(x[base + k * inner + i] - max[i]);
          out[base + k * inner + i] = e;
          sum[i] += e;
        }
      }
      for (let k = 0; k < dim; k++) for (let i = 0; i < inner; i++) out[base + k * inner + i] /= sum[i];
    }
    return out;
  });
}

/**
 * Top axis k is bottom axis order[k]. Axes that stay next to each other in the same order are merged first
 * (SSD's (N, C, H, W) → (N, H, W, C) is a 2-D transpose per image); then each output row along the last
 * axis is a strided read, and the axes before it advance as an odometer.
 */
export function permuteHostKernel(spec: PermuteNativeSpec): NativeKernel {
  const { dims, order } = mergedPermutation(spec.shape, spec.order);
  const size = spec.shape.reduce((a, d) => a * d, 1);
  const rank = order.length;
  const inStrides = dims.map((_, i) => dims.slice(i + 1).reduce((a, d) => a * d, 1));
  const outDims = order.map((a) => dims[a]);
  const step = order.map((a) => inStrides[a]);
  const row = outDims[rank - 1];
  const rowStep = step[rank - 1];
  return hostKernel(([x], into) => {
    const out = into ?? new Float32Array(size);
    if (rank === 1) {
      out.set(x.subarray(0, size));
      return out;
    }
    const idx = new Array<number>(rank - 1).fill(0);
    let src = 0;
    for (let o = 0; o < size; o += row) {
      for (let j = 0, s = src; j < row; j++, s += rowStep) out[o + j] = x[s];
      for (let k = rank - 2; k >= 0; k--) {
        src += step[k];
        if (++idx[k] < outDims[k]) break;
        src -= step[k] * outDims[k];
        idx[k] = 0;
      }
    }
    return out;
  });
}

/** The permutation with axes of size 1 dropped and runs of consecutive axes (a, a+1, …) merged into one. */
export function mergedPermutation(shape: readonly number[], order: readonly number[]): { dims: number[]; order: number[] } {
  const kept = order.filter((a) => shape[a] !== 1);
  if (kept.length === 0) return { dims: [1], order: [0] };
  // Runs in the output order whose bottom axes are consecutive.
  const runs: number[][] = [];
  for (const a of kept) {
    const last = runs[runs.length - 1];
    if (last && a === last[last.length - 1] + 1) last.push(a);
    else runs.push([a]);
  }
  // Each run becomes one axis; the bottom's new axes are the runs in their bottom order.
  const byBottom = [...runs].sort((r, q) => r[0] - q[0]);
  const dims = byBottom.map((r) => r.reduce((n, a) => n * shape[a], 1));
  return { dims, order: runs.map((r) => byBottom.indexOf(r)) };
}
