// Kernels of the native route (backend wasm) that are plain JavaScript over the host's arrays: Concat
// (block copies, TypedArray.set: a memcpy), and Softmax, whose exp WebAssembly has no instruction for. Each is a loop over the arrays with no per-call set-up, in place of a gpu.js kernel
// that copies its arguments into its own memory on every call. The --time table names them "js".
import type { NativeKernel } from './native-kernel.js';
import type { ConcatNativeSpec, SoftmaxNativeSpec } from '../../ir/native-kernel-spec.js';

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
