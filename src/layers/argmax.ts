// ArgMax (docs/caffe-semantics.md#accuracy-and-argmax): whether `axis` is SET changes the output. With it, the top is the
// bottom with shape[axis] = top_k; without it, each item is searched whole and the top is
// (N, 1 or 2 with out_max_val, top_k, 1, …) padded with 1s to at least 3 axes.
//
// ArgMax (docs/caffe-semantics.md#accuracy-and-argmax): the top_k largest values along `axis` (or over each whole item when
// axis is unset), ordered as Caffe's partial_sort with std::greater on (value, index) pairs — so equal
// values rank the larger index first. Tops hold indices, or values with out_max_val (without an axis:
// indices then values, as (N, 2, top_k)).
import { has } from '../schema/message.js';
import { type ForwardLayer, type LayerModule, exactly } from '../ir/layer-module.js';
import { canonicalAxis, count } from './shape-utils.js';
import { requireAxes, showShape } from './blob-checks.js';
import type { Layer } from '../ir/layer.js';
import type { LoweredLayer } from '../ir/kernel-plan.js';
import { coordinates, int, kernelFunction, linear } from './kernel-source.js';
import { type Tensor, countOf } from '../ir/tensor.js';
import type { ArgMaxParameter } from '../schema/caffe-messages.generated.js';

function argmaxParams(layer: ForwardLayer) {
  const p = layer.typeParam;
  const shape = layer.bottoms[0].shape;
  const topK = Number(p.top_k ?? 1);
  const values = p.out_max_val === true;
  if (p.axis === undefined) return { outer: shape[0], dim: countOf(shape, 1), inner: 1, topK, values, hasAxis: false };
  const raw = Number(p.axis);
  const axis = raw < 0 ? raw + shape.length : raw;
  return { outer: countOf(shape, 0, axis), dim: shape[axis], inner: countOf(shape, axis + 1), topK, values, hasAxis: true };
}

export function argmaxForward(layer: ForwardLayer, [x]: Tensor[]): Tensor[] {
  const { outer, dim, inner, topK, values, hasAxis } = argmaxParams(layer);
  const out = new Float32Array(countOf(layer.tops[0].shape));
  const best = new Int32Array(topK);
  const column = new Float32Array(dim);
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      for (let e = 0; e < dim; e++) column[e] = x.data[(o * dim + e) * inner + i];
      topIndices(column, best);
      for (let j = 0; j < topK; j++) {
        const index = best[j];
        const value = column[index];
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

/** Whether (value a, index i) ranks before (value b, index j): larger value first, then larger index. */
function before(a: number, i: number, b: number, j: number): boolean {
  return a > b || (a === b && i > j);
}

/**
 * The best.length first indices of `v` in Caffe's order, without sorting all of it: a sorted insertion list
 * (dim × k steps) for a small k, a full sort (dim log dim) for a large one. NaN ranks as Caffe's
 * std::greater leaves it: never before anything, so it sinks.
 */
function topIndices(v: Float32Array, best: Int32Array): void {
  const k = best.length;
  if (k > 32) {
    const order = Array.from({ length: v.length }, (_, e) => e);
    order.sort((e, f) => (before(v[e], e, v[f], f) ? -1 : before(v[f], f, v[e], e) ? 1 : 0));
    for (let j = 0; j < k; j++) best[j] = order[j];
    return;
  }
  let filled = 0;
  for (let e = 0; e < v.length; e++) {
    if (filled === k && !before(v[e], e, v[best[k - 1]], best[k - 1])) continue;
    let j = filled < k ? filled++ : k - 1;
    while (j > 0 && before(v[e], e, v[best[j - 1]], best[j - 1])) {
      best[j] = best[j - 1];
      j--;
    }
    best[j] = e;
  }
}

/** Past this much work (outputs × dim², the kernel's cost) the quadratic kernel gives way to the host step. */
const KERNEL_WORK_LIMIT = 5e7;

export function argmaxLower(layer: Layer): LoweredLayer {
  const { outer, dim, inner, topK, values, hasAxis } = argmaxParams(layer);
  // Each thread ranks every element against every other: fine for FCN's 21 classes per pixel, not for
  // 30,000 values in one item; there the host's selection (dim × top_k) runs instead.
  if (layer.tops[0].count * dim * dim > KERNEL_WORK_LIMIT) return { kernels: [], host: true };
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
