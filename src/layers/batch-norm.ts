// BatchNorm (docs/caffe-semantics.md#lrn-batchnorm-scale-and-bias): top = bottom shape; three statistics blobs, mean sum [C], variance
// sum [C] and their scale factor [1], with C = shape(1). They are not learned: an explicit param {} with
// a non-zero lr_mult is refused.
//
// BatchNorm (docs/caffe-semantics.md#lrn-batchnorm-scale-and-bias): the stored mean and variance are sums scaled by blobs[2]; the
// statistics are blobs[i] / blobs[2] (0 when blobs[2] is 0), y = (x − mean) / sqrt(var + eps). With
// use_global_stats: false (TRAIN's default) the batch's own mean and biased variance are used instead.
// Caffe has no γ/β here; a Scale layer follows.
import { type LayerModule, exactly } from '../ir/layer-module.js';
import { count } from './shape-utils.js';
import { showShape } from './blob-checks.js';
import type { Layer } from '../ir/layer.js';
import type { LoweredLayer } from '../ir/kernel-plan.js';
import { coordinates, int, kernelFunction, linear, lit } from './kernel-source.js';
import { type Tensor, countOf } from '../ir/tensor.js';
import type { BatchNormParameter } from '../schema/caffe-messages.generated.js';

function bnParams(layer: Layer) {
  const shape = layer.bottoms[0].shape;
  const p = layer.typeParam;
  return {
    n: shape[0],
    c: shape[1],
    inner: countOf(shape, 2),
    eps: Number(p.eps ?? 1e-5),
    // brewnet runs nets in TEST, where Caffe defaults use_global_stats to true.
    global: p.use_global_stats !== false,
  };
}

export function batchNormForward(layer: Layer, [x]: Tensor[], params: Float32Array[]): Tensor[] {
  const { n, c, inner, eps, global } = bnParams(layer);
  const mean = new Float64Array(c);
  const variance = new Float64Array(c);
  if (global) {
    const factor = params[2][0] === 0 ? 0 : 1 / params[2][0];
    for (let ci = 0; ci < c; ci++) {
      mean[ci] = params[0][ci] * factor;
      variance[ci] = params[1][ci] * factor;
    }
  } else {
    for (let ci = 0; ci < c; ci++) {
      let s = 0;
      for (let ni = 0; ni < n; ni++) for (let i = 0; i < inner; i++) s += x.data[(ni * c + ci) * inner + i];
      mean[ci] = s / (n * inner);
      let v = 0;
      for (let ni = 0; ni < n; ni++) for (let i = 0; i < inner; i++) v += (x.data[(ni * c + ci) * inner + i] - mean[ci]) ** 2;
      variance[ci] = v / (n * inner);
    }
  }
  const out = new Float32Array(x.data.length);
  for (let ni = 0; ni < n; ni++) {
    for (let ci = 0; ci < c; ci++) {
      const scale = 1 / Math.sqrt(variance[ci] + eps);
      for (let i = 0; i < inner; i++) {
        const at = (ni * c + ci) * inner + i;
        out[at] = (x.data[at] - mean[ci]) * scale;
      }
    }
  }
  return [{ shape: [...x.shape], data: out }];
}

export function batchNormLower(layer: Layer): LoweredLayer {
  const { n, c, inner, eps, global } = bnParams(layer);
  const size = layer.tops[0].count;
  const coords = coordinates([n, c, inner], ['ni', 'ci', 'i']);
  if (global) {
    const body = `
      ${coords}
      const f = s[0] === 0.0 ? 0.0 : 1.0 / s[0];
      return (x[this.thread.x] - m[(ci|0)] * f) / Math.sqrt(v[(ci|0)] * f + ${lit(eps)});`;
    const args = [{ bottom: 0 }, { param: 0 }, { param: 1 }, { param: 2 }];
    // On wasm: a native per-channel affine map (elementwise/native.ts).
    const native = { kind: 'channel-affine' as const, outer: n, channels: c, inner, from: { kind: 'batch-norm' as const, eps } };
    return {
      kernels: [{ source: kernelFunction(['x', 'm', 'v', 's'], body), args, size, out: { top: 0 } }],
      natives: [{ native, args, size, out: { top: 0 } }],
    };
  }
  // Batch statistics: a mean kernel and a variance kernel with one thread per channel, then the normalisation.
  const overBatch = (term: string) => `
    const c = this.thread.x;
    let sum = 0.0;
    for (let ni = 0; ni < ${int(n)}; ni++) {
      for (let i = 0; i < ${int(inner)}; i++) {
        const d = x[${linear([
          ['ni', c * inner],
          ['c', inner],
          ['i', 1],
        ])}];
        sum += ${term};
      }
    }
    return sum / ${lit(n * inner)};`;
  return {
    kernels: [
      { source: kernelFunction(['x'], overBatch('d')), args: [{ bottom: 0 }], size: c, out: { temp: 0 } },
      {
        source: kernelFunction(['x', 'm'], overBatch('(d - m[(c|0)]) * (d - m[(c|0)])')),
        args: [{ bottom: 0 }, { temp: 0 }],
        size: c,
        out: { temp: 1 },
      },
      {
        source: kernelFunction(['x', 'm', 'v'], `${coords}\nreturn (x[this.thread.x] - m[(ci|0)]) / Math.sqrt(v[(ci|0)] + ${lit(eps)});`),
        args: [{ bottom: 0 }, { temp: 0 }, { temp: 1 }],
        size,
        out: { top: 0 },
      },
    ],
  };
}

export const batchNorm: LayerModule<BatchNormParameter> = {
  type: 'BatchNorm',
  paramField: 'batch_norm_param',
  bottoms: exactly(1),
  tops: exactly(1),
  inPlace: true,
  passThrough: true,
  forward: batchNormForward,
  lower: batchNormLower,
  infer(ctx) {
    const bottom = ctx.bottoms[0];
    // LayerSetUp takes C = 1 for a 1-axis blob, but Reshape then reads shape(1) and aborts: ≥ 2 axes.
    if (bottom.length < 2) ctx.fail(`needs a bottom with at least 2 axes (N, C, …); got ${showShape(bottom)}`);
    const specs = ctx.layer.param ?? [];
    specs.slice(0, 3).forEach((spec, i) => {
      if (Number(spec.lr_mult ?? 1) !== 0) {
        ctx.fail('cannot configure batch normalization statistics as layer parameters (param lr_mult must be 0)', {
          msg: ctx.layer,
          field: 'param',
          index: i,
        });
      }
    });
    const channels = bottom[1];
    return { tops: [[...bottom]], params: [[channels], [channels], [1]], macs: count(bottom) };
  },
};
