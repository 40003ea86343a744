// ArgMax (docs/caffe-semantics.md#accuracy-and-argmax): whether `axis` is SET changes the output. With it, the top is the
// bottom with shape[axis] = top_k; without it, each item is searched whole and the top is
// (N, 1 or 2 with out_max_val, top_k, 1, …) padded with 1s to at least 3 axes.
//
// ArgMax (docs/caffe-semantics.md#accuracy-and-argmax): the top_k largest values along `axis` (or over each whole item when
// axis is unset), ordered as Caffe's partial_sort with std::greater on (value, index) pairs — so equal
// values rank the larger index first. Tops hold indices, or values with out_max_val (without an axis:
// indices then values, as (N, 2, top_k)).
import { has } from '../schema/message.js';
import { type LayerModule, exactly } from '../ir/layer-module.js';
import { canonicalAxis, count } from './shape-utils.js';
import { requireAxes, showShape } from './blob-checks.js';
import type { Layer } from '../ir/layer.js';
import type { LoweredLayer } from '../ir/kernel-plan.js';
import { coordinates, int, kernelFunction, linear } from './kernel-source.js';
import { type Tensor, countOf } from '../ir/tensor.js';
import type { ArgMaxParameter } from '../schema/caffe-messages.generated.js';

function argmaxParams(layer: Layer) {
  const p = layer.typeParam;
  const shape = layer.bottoms[0].shape;
  const topK = Number(p.top_k ?? 1);
  const values = p.out_max_val === true;
  if (p.axis === undefined) return { outer: shape[0], dim: countOf(shape, 1), inner: 1, topK, values, hasAxis: false };
  const raw = Number(p.axis);
  const axis = raw < 0 ? raw + shape.length : raw;
  return { outer: countOf(shape, 0, axis), dim: shape[axis], inner: countOf(shape, axis + 1), topK, values, hasAxis: true };
}

export function argmaxForward(layer: Layer, [x]: Tensor[]): Tensor[] {
  const { outer, dim, inner, topK, values, hasAxis } = argmaxParams(layer);
  const out = new Float32Array(layer.tops[0].count);
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const pairs = Array.from({ length: dim }, (_, e) => [x.data[(o * dim + e) * inner + i], e] as const);
      pairs.sort((a, b) => b[0] - a[0] || b[1] - a[1]);
      for (let j = 0; j < topK; j++) {
        const [value, index] = pairs[j];
        if (hasAxis) out[(o * topK + j) * inner + i] = values ? value : index;
        else if (values) {
          out[2 * o * topK + j] = index;
          out[2 * o * topK + topK + j] = value;
        } else out[o * topK + j] = index;
      }
    }
  }
  return [{ shape: [...layer.tops[0].shape], data: out }];
}

export function argmaxLower(layer: Layer): LoweredLayer {
  const { outer, dim, inner, topK, values, hasAxis } = argmaxParams(layer);
  const read = (e: string) =>
    `x[${linear([
      ['o', dim * inner],
      [e, inner],
      ['i', 1],
    ])}]`;
  // Threads: (o, j, i) with an axis; (o, r, j) without, r = 0 for indices and 1 for values.
  const coords = hasAxis
    ? coordinates([outer, topK, inner], ['o', 'j', 'i'])
    : `${coordinates([outer, values ? 2 : 1, topK], ['o', 'r', 'j'])}\nconst i = 0;`;
  const result = hasAxis ? (values ? 'value' : 'index') : 'r > 0.5 ? value : index';
  const body = `
    ${coords}
    let index = 0.0;
    let value = 0.0;
    for (let e = 0; e < ${int(dim)}; e++) {
      const v = ${read('e')};
      let rank = 0.0;
      for (let f = 0; f < ${int(dim)}; f++) {
        const w = ${read('f')};
        if (w > v || (w === v && f > e)) {
          rank += 1.0;
        }
      }
      if (rank === j) {
        index = e;
        value = v;
      }
    }
    return ${result};`;
  return { kernels: [{ source: kernelFunction(['x'], body), args: [{ bottom: 0 }], size: layer.tops[0].count, out: { top: 0 } }] };
}

export const argmax: LayerModule<ArgMaxParameter> = {
  type: 'ArgMax',
  paramField: 'argmax_param',
  bottoms: exactly(1),
  tops: exactly(1),
  inPlace: false,
  forward: argmaxForward,
  lower: argmaxLower,
  infer(ctx) {
    const p = ctx.param;
    const bottom = ctx.bottoms[0];
    const topK = Number(p.top_k ?? 1);
    if (topK < 1) ctx.fail('top k must not be less than 1', { msg: p, field: 'top_k' });
    if (has(p, 'axis')) {
      const axis = canonicalAxis(ctx, Number(p.axis), bottom, 'axis', { msg: p, field: 'axis' });
      if (topK > bottom[axis]) {
        ctx.fail(`top_k must be less than or equal to the dimension of the axis: top_k ${topK}, axis ${axis} has ${bottom[axis]}`, {
          msg: p,
          field: 'top_k',
        });
      }
      const top = [...bottom];
      top[axis] = topK;
      return { tops: [top], params: [], macs: count(bottom) };
    }
    requireAxes(ctx, bottom, 1, 'bottom');
    const perItem = count(bottom, 1);
    if (topK > perItem) {
      ctx.fail(
        `top_k must be less than or equal to the dimension of the flattened bottom blob per instance: top_k ${topK}, ${showShape(bottom)} has ${perItem}`,
        { msg: p, field: 'top_k' },
      );
    }
    const top = new Array(Math.max(bottom.length, 3)).fill(1);
    top[0] = bottom[0];
    top[1] = p.out_max_val === true ? 2 : 1;
    top[2] = topK;
    return { tops: [top], params: [], macs: count(bottom) };
  },
};
