// Kernels of the native route (backend wasm) that are plain JavaScript over the host's arrays: Concat
// (block copies, TypedArray.set: a memcpy), and LRN and Softmax, whose exp and pow WebAssembly has no
// instruction for. Each is a loop over the arrays with no per-call set-up, in place of a gpu.js kernel
// that copies its arguments into its own memory on every call. The --time table names them "js".
import type { NativeKernel } from './native-kernel.js';
import type { ConcatNativeSpec, LRNNativeSpec, SoftmaxNativeSpec } from '../../ir/native-kernel-spec.js';

const hostKernel = (run: (args: readonly Float32Array[]) => Float32Array): NativeKernel => ({
  engine: 'js',
  run: (args) => Promise.resolve(run(args)),
  destroy() {},
});

/** Bottoms (outer, size_b, inner) joined along the middle axis. */
export function concatHostKernel(spec: ConcatNativeSpec): NativeKernel {
  const total = spec.sizes.reduce((a, b) => a + b, 0);
  return hostKernel((args) => {
    const out = new Float32Array(spec.outer * total * spec.inner);
    let offset = 0;
    spec.sizes.forEach((size, b) => {
      const block = size * spec.inner;
      const x = args[b];
      if (spec.outer === 1) out.set(x, offset);
      else for (let o = 0; o < spec.outer; o++) out.set(x.subarray(o * block, (o + 1) * block), o * total * spec.inner + offset);
      offset += block;
    });
    return out;
  });
}

/** x · scale^−β: β = 0.75 (AlexNet's, GoogLeNet's) as 1/√(scale·√scale), else Math.pow. */
function power(beta: number): (scale: number) => number {
  if (beta === 0.75) return (s) => 1 / Math.sqrt(s * Math.sqrt(s));
  if (beta === 0.5) return (s) => 1 / Math.sqrt(s);
  return (s) => Math.pow(s, -beta);
}

/** LRN as lrn.ts defines it: ACROSS_CHANNELS with a running sum of squares over the channel window. */
export function lrnHostKernel(spec: LRNNativeSpec): NativeKernel {
  const [n, c, h, w] = spec.shape;
  const plane = h * w;
  const half = (spec.size - 1) / 2;
  const pow = power(spec.beta);
  return hostKernel(([x]) => {
    const out = new Float32Array(x.length);
    if (spec.within) {
      const sq = new Float64Array(plane);
      for (let p = 0; p < n * c; p++) {
        const base = p * plane;
        for (let i = 0; i < plane; i++) sq[i] = x[base + i] * x[base + i];
        for (let y = 0; y < h; y++) {
          const y0 = Math.max(0, y - half);
          const y1 = Math.min(h - 1, y + half);
          for (let xx = 0; xx < w; xx++) {
            const x0 = Math.max(0, xx - half);
            const x1 = Math.min(w - 1, xx + half);
            let sum = 0;
            for (let yy = y0; yy <= y1; yy++) for (let x2 = x0; x2 <= x1; x2++) sum += sq[yy * w + x2];
            const i = base + y * w + xx;
            out[i] = x[i] * pow(1 + (spec.alpha * sum) / (spec.size * spec.size));
          }
        }
      }
      return out;
    }
    const sum = new Float64Array(plane);
    const a = spec.alpha / spec.size;
    for (let ni = 0; ni < n; ni++) {
      const batch = ni * c * plane;
      sum.fill(0);
      // The window of channel 0: channels 0..half.
      for (let cc = 0; cc <= Math.min(c - 1, half); cc++) {
        const b = batch + cc * plane;
        for (let i = 0; i < plane; i++) sum[i] += x[b + i] * x[b + i];
      }
      for (let ci = 0; ci < c; ci++) {
        const b = batch + ci * plane;
        for (let i = 0; i < plane; i++) out[b + i] = x[b + i] * pow(spec.k + a * sum[i]);
        // Slide: add channel ci + half + 1, drop channel ci − half.
        const add = ci + half + 1;
        const drop = ci - half;
        if (add < c) {
          const ab = batch + add * plane;
          for (let i = 0; i < plane; i++) sum[i] += x[ab + i] * x[ab + i];
        }
        if (drop >= 0) {
          const db = batch + drop * plane;
          for (let i = 0; i < plane; i++) sum[i] -= x[db + i] * x[db + i];
        }
      }
    }
    return out;
  });
}

/** exp(x − max) / Σ exp(x − max) along the middle axis of (outer, dim, inner). */
export function softmaxHostKernel(spec: SoftmaxNativeSpec): NativeKernel {
  const { outer, dim, inner } = spec;
  return hostKernel(([x]) => {
    const out = new Float32Array(x.length);
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
