// Softmax (docs/caffe-semantics.md#softmax-and-losses): normalises along `axis` (canonicalised, default 1); top = bottom shape.
// Caffe copies bottom to top and works in the top, so in-place is safe.
//
// Softmax (docs/caffe-semantics.md#softmax-and-losses) along `axis`: exp(x − max) / Σ exp(x − max), the max subtracted as Caffe does.
import { type LayerModule, exactly } from '../ir/layer-module.js';
import { canonicalAxis, count } from './shape-utils.js';
import type { Layer } from '../ir/layer.js';
import type { LoweredLayer } from '../ir/kernel-plan.js';
import { coordinates, int, kernelFunction, linear } from './kernel-source.js';
import { type Tensor, countOf } from '../ir/tensor.js';
import type { SoftmaxParameter } from '../schema/caffe-messages.generated.js';

function split(layer: Layer): { outer: number; dim: number; inner: number } {
  const shape = layer.bottoms[0].shape;
  const raw = Number(layer.typeParam.axis ?? 1);
  const axis = raw < 0 ? raw + shape.length : raw;
  return { outer: countOf(shape, 0, axis), dim: shape[axis], inner: countOf(shape, axis + 1) };
}

export function softmaxForward(layer: Layer, [x]: Tensor[]): Tensor[] {
  const { outer, dim, inner } = split(layer);
  return [{ shape: [...x.shape], data: Float32Array.from(softmaxAlong(x, outer, dim, inner)) }];
}

/** Softmax of x (outer × dim × inner) over dim in float64, the max subtracted first (also SoftmaxWithLoss's and InfogainLoss's). */
export function softmaxAlong(x: Tensor, outer: number, dim: number, inner: number): Float64Array {
  const out = new Float64Array(x.data.length);
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const at = (k: number) => (o * dim + k) * inner + i;
      let max = -Infinity;
      for (let k = 0; k < dim; k++) max = Math.max(max, x.data[at(k)]);
      let sum = 0;
      for (let k = 0; k < dim; k++) sum += out[at(k)] = Math.exp(x.data[at(k)] - max);
      for (let k = 0; k < dim; k++) out[at(k)] /= sum;
    }
  }
  return out;
}

export function softmaxLower(layer: Layer): LoweredLayer {
  const { outer, dim, inner } = split(layer);
  const read = `x[${linear([
    ['o', dim * inner],
    ['k', inner],
    ['i', 1],
  ])}]`;
  const rows = outer * inner;
  // Three passes, each linear in the axis: the max of each row, then Σ exp(x − max), then each unit. One
  // kernel that found a row's max and sum in every unit's thread would do dim² work per row (26 s for one
  // row of 30,000).
  const rowMax = `
    ${coordinates([outer, inner], ['o', 'i'])}
    let max = -3.4028234663852886e+38;
    for (let k = 0; k < ${int(dim)}; k++) {
      max = Math.max(max, ${read});
    }
    return max;`;
  const rowSum = `
    ${coordinates([outer, inner], ['o', 'i'])}
    const max = m[this.thread.x];
    let sum = 0.0;
    for (let k = 0; k < ${int(dim)}; k++) {
      sum += Math.exp(${read} - max);
    }
    return sum;`;
  const unit = `
    ${coordinates([outer, dim, inner], ['o', 'a', 'i'])}
    const row = ${linear([
      ['o', inner],
      ['i', 1],
    ])};
    return Math.exp(x[this.thread.x] - m[row]) / s[row];`;
  const size = layer.tops[0].count;
  const args = [{ bottom: 0 }];
  // On wasm: a loop on the host (host-kernels.ts).
  return {
    kernels: [
      { source: kernelFunction(['x'], rowMax), args, size: rows, out: { temp: 0 } },
      { source: kernelFunction(['x', 'm'], rowSum), args: [{ bottom: 0 }, { temp: 0 }], size: rows, out: { temp: 1 } },
      { source: kernelFunction(['x', 'm', 's'], unit), args: [{ bottom: 0 }, { temp: 0 }, { temp: 1 }], size, out: { top: 0 } },
    ],
    natives: [{ native: { kind: 'softmax', outer, dim, inner }, args, size, out: { top: 0 } }],
  };
}

export const softmax: LayerModule<SoftmaxParameter> = {
  type: 'Softmax',
  paramField: 'softmax_param',
  bottoms: exactly(1),
  tops: exactly(1),
  inPlace: true,
  forward: softmaxForward,
  lower: softmaxLower,
  infer(ctx) {
    const bottom = ctx.bottoms[0];
    canonicalAxis(ctx, Number(ctx.param.axis ?? 1), bottom, 'axis', { msg: ctx.param, field: 'axis' });
    return { tops: [[...bottom]], params: [], macs: count(bottom) };
  },
};
