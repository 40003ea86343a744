// InnerProduct's native kernel (backend wasm): y = W·x + b as f32x4 dot products. The weights are laid
// out once per bound weights as (N rounded up to 4) rows of K rounded up to 4 (zeros in the padding;
// `transpose: true` weights (K, N) are transposed then), so four outputs share each load of x and the inner
// loop has no tail. The loop over the batch runs inside the loop over blocks of 4 outputs: a block's rows
// stay in cache for every sample, so the weights are read from memory once per call. A ReLU fused after the
// layer (runtime/fusion-rules.ts) is max(v, slope·v) on each output before it is stored.
import type { NativeKernel, NativeKernelOptions } from './native-kernel.js';
import { relaxedSimdSupported } from './simd-support.js';
import type { InnerProductNativeSpec } from '../../ir/native-kernel-spec.js';
import { regionKernel } from './region-kernel.js';
import { F32, FunctionBody, I32, V128 } from './wasm-binary.js';

const up4 = (n: number) => Math.ceil(n / 4) * 4;

/** Weight bytes from which a layer splits between threads (GoogLeNet's 4 MB classifier was slower split: 0.28 → 0.32 ms). */
export const THREADED_MIN_WEIGHT_BYTES = 16 * 2 ** 20;

export function innerProductNativeKernel(spec: InnerProductNativeSpec, options: NativeKernelOptions = {}): NativeKernel {
  const relaxed = options.relaxedSimd ?? relaxedSimdSupported();
  const { m, k, n, transpose, bias, relu } = spec;
  const [kp, np] = [up4(k), up4(n)];
  const weights = (w: Float32Array) => {
    const out = new Float32Array(np * kp);
    for (let j = 0; j < n; j++) for (let t = 0; t < k; t++) out[j * kp + t] = w[transpose ? t * n + j : j * k + t];
    return out;
  };
  const input = (x: Float32Array) => {
    if (kp === k) return x;
    const out = new Float32Array(m * kp);
    for (let i = 0; i < m; i++) out.set(x.subarray(i * k, (i + 1) * k), i * kp);
    return out;
  };
  return regionKernel({
    arena: options.arena,
    paramsFrom: 1,
    regions: [
      { floats: m * kp, derive: ([x]) => input(x) },
      { floats: np * kp, param: true, derive: ([, w]) => weights(w) },
      { floats: np, param: true, derive: ([, , b]) => (bias ? b : new Float32Array(0)) },
    ],
    outFloats: m * np,
    size: m * n,
    // Rows of np outputs: the result itself where n is a multiple of 4, else each row's first n.
    exactOutput: true,
    ...(np === n
      ? {}
      : {
          extract: (out: Float32Array, into: Float32Array) => {
            for (let i = 0; i < m; i++) into.set(out.subarray(i * np, i * np + n), i * n);
          },
        }),
    // Blocks of 4 outputs are independent: a big layer splits them between the threads. Its time is reading
    // the weights from memory (CaffeNet's fc6: 151 MB a call), which a second core's loads speed up too.
    split: { units: np / 4, threads: np * kp * 4 >= THREADED_MIN_WEIGHT_BYTES ? (options.threads ?? 1) : 1, pool: options.pool },
    body: ({ regions: [x, w, b], out }) => {
      // run(from, to): blocks of 4 outputs [from, to).
      const f = new FunctionBody(2);
      const [j, i, t, wRow, xp, wp, jEnd] = Array.from({ length: 7 }, () => f.local(I32));
      const acc = Array.from({ length: 4 }, () => f.local(V128));
      const xv = f.local(V128);
      const v = f.local(F32);
      f.get(1).i32(4).mul().set(jEnd);
      const jStart = () => f.get(0).i32(4).mul();
      f.forLoop(j, jStart, { local: jEnd }, 4, () => {
        f.get(j)
          .i32(kp * 4)
          .mul()
          .i32(w)
          .add()
          .set(wRow);
        f.forLoop(i, 0, m, 1, () => {
          for (const a of acc) f.v128Zero().set(a);
          f.get(i)
            .i32(kp * 4)
            .mul()
            .i32(x)
            .add()
            .set(xp);
          f.get(wRow).set(wp);
          f.forLoop(t, 0, kp, 4, () => {
            f.get(xp).v128Load(0).set(xv);
            acc.forEach((a, r) => {
              if (relaxed)
                f.get(wp)
                  .v128Load(r * kp * 4)
                  .get(xv)
                  .get(a)
                  .f32x4RelaxedMadd()
                  .set(a);
              else
                f.get(a)
                  .get(wp)
                  .v128Load(r * kp * 4)
                  .get(xv)
                  .f32x4Mul()
                  .f32x4Add()
                  .set(a);
            });
            f.increment(xp, 16);
            f.increment(wp, 16);
          });
          // out[i, j + r] = Σ lanes of acc[r] (+ b[j + r])
          acc.forEach((a, r) => {
            f.get(i).i32(np).mul().get(j).add().i32(4).mul();
            f.get(a)
              .f32x4ExtractLane(0)
              .get(a)
              .f32x4ExtractLane(1)
              .f32Add()
              .get(a)
              .f32x4ExtractLane(2)
              .get(a)
              .f32x4ExtractLane(3)
              .f32Add()
              .f32Add();
            if (bias)
              f.get(j)
                .i32(4)
                .mul()
                .f32Load(b + r * 4)
                .f32Add();
            if (relu !== undefined) {
              f.tee(v);
              if (relu === 0) f.f32Const(0);
              else f.get(v).f32Const(relu).f32Mul();
              f.f32Max();
            }
            f.f32Store(out + r * 4);
          });
        });
      });
      return f;
    },
  });
}
