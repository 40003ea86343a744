// Native kernels of the element-wise layers (backend wasm), f32x4 over contiguous runs:
// - 'channel-affine': y = act(x·s[c] + t[c]) per channel plane — BatchNorm with stored statistics
//   (s = 1/√(var/f + eps), t = −mean/f · s), Scale and Bias with learned operands, ReLU (s = 1, t = 0), with
//   an optional activation: ReLU's max(v, slope·v) (0 ≤ slope ≤ 1) or PReLU's max(v, 0) + a[c]·min(v, 0).
//   The coefficients are derived from the parameter blobs once per bound weights.
// - 'eltwise': SUM with coefficients, PROD, MAX over any number of equally shaped inputs, with an optional
//   ReLU fused after it (runtime/fusion-rules.ts).
// A plane whose length is not a multiple of 4 ends with a vector that runs into the next plane's first
// elements (written again when that plane comes, as the planes go in order and the output is not the
// input) or into the region's slack.
import type { NativeKernel, NativeKernelOptions } from './native-kernel.js';
import type { ChannelAffineNativeSpec, EltwiseNativeSpec } from '../../ir/native-kernel-spec.js';
import { regionKernel } from './region-kernel.js';
import { FunctionBody, I32, V128 } from './wasm-binary.js';

/**
 * s (C floats), then t (C floats), then PReLU's a (C floats) where `from` has one, from its parameter
 * blobs (also what folds a BatchNorm or Scale into a Convolution's weights: folded-affine.ts).
 */
export function channelAffineCoefficients(from: ChannelAffineNativeSpec['from'], c: number, params: readonly Float32Array[]): Float32Array {
  const out = new Float32Array(3 * c);
  out.fill(1, 0, c);
  if (from.kind === 'batch-norm') {
    const [mean, variance, factor] = params;
    const f = factor[0] === 0 ? 0 : 1 / factor[0];
    for (let i = 0; i < c; i++) {
      const s = 1 / Math.sqrt(variance[i] * f + from.eps);
      out[i] = s;
      out[c + i] = -mean[i] * f * s;
    }
  } else if (from.kind === 'scale-bias') {
    let p = 0;
    if (from.scale) out.set(params[p++], 0);
    if (from.bias) out.set(params[p++], c);
  } else if (from.kind === 'prelu') {
    const a = params[0];
    for (let i = 0; i < c; i++) out[2 * c + i] = a.length === 1 ? a[0] : a[i];
  }
  return out;
}

export function channelAffineNativeKernel(spec: ChannelAffineNativeSpec, options: NativeKernelOptions = {}): NativeKernel {
  const { outer, channels, inner } = spec;
  const size = outer * channels * inner;
  const affine = spec.from.kind === 'batch-norm' || spec.from.kind === 'scale-bias';
  const prelu = spec.from.kind === 'prelu';
  return regionKernel({
    arena: options.arena,
    paramsFrom: 1,
    regions: [
      { floats: size },
      { floats: 3 * channels, param: true, derive: (args) => channelAffineCoefficients(spec.from, channels, args.slice(1)) },
    ],
    outFloats: size,
    size,
    // Whole vectors per plane: past the last plane's end unless the planes are whole vectors.
    exactOutput: inner % 4 === 0,
    body: ({ regions: [x, coef], out }) => {
      const f = new FunctionBody(0);
      const [o, c, i, xp, op, plane] = Array.from({ length: 6 }, () => f.local(I32));
      const [s, t, a, v] = Array.from({ length: 4 }, () => f.local(V128));
      f.i32(0).set(plane);
      f.forLoop(o, 0, outer, 1, () => {
        f.forLoop(c, 0, channels, 1, () => {
          if (affine) {
            f.get(c).i32(4).mul().f32Load(coef).f32x4Splat().set(s);
            f.get(c)
              .i32(4)
              .mul()
              .f32Load(coef + channels * 4)
              .f32x4Splat()
              .set(t);
          }
          if (prelu)
            f.get(c)
              .i32(4)
              .mul()
              .f32Load(coef + channels * 8)
              .f32x4Splat()
              .set(a);
          f.get(plane).i32(x).add().set(xp);
          f.get(plane).i32(out).add().set(op);
          f.forLoop(i, 0, inner, 4, () => {
            f.get(xp).v128Load(0);
            if (affine) f.get(s).f32x4Mul().get(t).f32x4Add();
            f.set(v);
            if (spec.relu !== undefined) {
              f.get(v);
              if (spec.relu === 0) f.v128Zero();
              else f.get(v).f32x4Const(spec.relu).f32x4Mul();
              f.f32x4Max().set(v);
            }
            if (prelu) f.get(v).v128Zero().f32x4Max().get(v).v128Zero().f32x4Min().get(a).f32x4Mul().f32x4Add().set(v);
            f.get(op).get(v).v128Store(0);
            f.increment(xp, 16);
            f.increment(op, 16);
          });
          f.increment(plane, inner * 4);
        });
      });
      return f;
    },
  });
}

export function eltwiseNativeKernel(spec: EltwiseNativeSpec, options: NativeKernelOptions = {}): NativeKernel {
  const { count, coeffs, op } = spec;
  return regionKernel({
    arena: options.arena,
    paramsFrom: coeffs.length,
    regions: coeffs.map(() => ({ floats: count })),
    outFloats: count,
    size: count,
    // Whole vectors: past the end unless the count is a multiple of 4.
    exactOutput: count % 4 === 0,
    body: ({ regions, out }) => {
      const f = new FunctionBody(0);
      const at = f.local(I32);
      const v = f.local(V128);
      f.forLoop(at, 0, count * 4, 16, () => {
        f.get(at);
        regions.forEach((r, b) => {
          f.get(at).v128Load(r);
          if (op === 'SUM' && coeffs[b] !== 1) f.f32x4Const(coeffs[b]).f32x4Mul();
          if (b > 0) {
            if (op === 'SUM') f.f32x4Add();
            else if (op === 'PROD') f.f32x4Mul();
            else f.f32x4Max();
          }
        });
        if (spec.relu !== undefined) {
          // max(v, slope·v) on the sum (a ReLU fused after the Eltwise).
          f.set(v).get(v);
          if (spec.relu === 0) f.v128Zero();
          else f.get(v).f32x4Const(spec.relu).f32x4Mul();
          f.f32x4Max();
        }
        f.v128Store(out);
      });
      return f;
    },
  });
}
