// Slice (docs/caffe-semantics.md#slice): cuts one axis into consecutive pieces, at `slice_point`s (strictly increasing,
// one fewer than tops) or into equal parts. `slice_dim` (legacy, uint32) and `axis` exclude each other.
//
// Slice (docs/caffe-semantics.md#slice): consecutive pieces of one axis, one top each: a copy at an offset along the axis.
import { has } from '../schema/message.js';
import { type LayerModule, atLeast, exactly } from '../ir/layer-module.js';
import { canonicalAxis, nums } from './shape-utils.js';
import { showShape } from './blob-checks.js';
import type { Layer } from '../ir/layer.js';
import type { LoweredLayer } from '../ir/kernel-plan.js';
import { coordinates, kernelFunction, linear } from './kernel-source.js';
import { type Tensor, countOf } from '../ir/tensor.js';
import type { SliceParameter } from '../schema/caffe-messages.generated.js';

function sliceAxis(layer: Layer): number {
  const p = layer.typeParam;
  const rank = layer.bottoms[0].shape.length;
  if (p.slice_dim !== undefined) return Number(p.slice_dim);
  const axis = Number(p.axis ?? 1);
  return axis < 0 ? axis + rank : axis;
}

/** Where each top starts along the axis. */
function starts(layer: Layer, axis: number): number[] {
  let at = 0;
  return layer.tops.map((t) => {
    const s = at;
    at += t.shape[axis];
    return s;
  });
}

export function sliceForward(layer: Layer, [x]: Tensor[]): Tensor[] {
  const axis = sliceAxis(layer);
  const dim = x.shape[axis];
  const outer = countOf(x.shape, 0, axis);
  const inner = countOf(x.shape, axis + 1);
  const begin = starts(layer, axis);
  return layer.tops.map((t, k) => {
    const size = t.shape[axis];
    const out = new Float32Array(countOf(t.shape));
    for (let o = 0; o < outer; o++) {
      const from = (o * dim + begin[k]) * inner;
      out.set(x.data.subarray(from, from + size * inner), o * size * inner);
    }
    return { shape: [...t.shape], data: out };
  });
}

export function sliceLower(layer: Layer): LoweredLayer {
  const axis = sliceAxis(layer);
  const dim = layer.bottoms[0].shape[axis];
  const begin = starts(layer, axis);
  const kernels = layer.tops.map((t, k) => {
    const outer = countOf(t.shape, 0, axis);
    const inner = countOf(t.shape, axis + 1);
    const size = t.shape[axis];
    const body = `${coordinates([outer, size, inner], ['o', 'a', 'i'])}\nreturn x[${linear(
      [
        ['o', dim * inner],
        ['a', inner],
        ['i', 1],
      ],
      begin[k] * inner,
    )}];`;
    return { source: kernelFunction(['x'], body), args: [{ bottom: 0 }], size: countOf(t.shape), out: { top: k } };
  });
  return { kernels };
}

export const slice: LayerModule<SliceParameter> = {
  type: 'Slice',
  paramField: 'slice_param',
  bottoms: exactly(1),
  tops: atLeast(1),
  inPlace: false,
  forward: sliceForward,
  lower: sliceLower,
  infer(ctx) {
    const p = ctx.param;
    const bottom = ctx.bottoms[0];
    if (has(p, 'axis') && has(p, 'slice_dim')) {
      ctx.fail('either axis or slice_dim should be specified; not both', { msg: p, field: 'slice_dim' });
    }
    let axis: number;
    if (has(p, 'slice_dim')) {
      axis = Number(p.slice_dim);
      if (axis >= bottom.length)
        ctx.fail(`slice_dim out of range: ${axis} for ${bottom.length}-D bottom ${showShape(bottom)}`, { msg: p, field: 'slice_dim' });
    } else {
      axis = canonicalAxis(ctx, Number(p.axis ?? 1), bottom, 'axis', { msg: p, field: 'axis' });
    }
    const dim = bottom[axis];
    const points = nums(p.slice_point);
    const tops = ctx.topCount;
    let sizes: number[];
    if (points.length > 0) {
      if (points.length !== tops - 1) {
        ctx.fail(`${points.length} slice_point values need ${points.length + 1} tops, but there are ${tops}`, {
          msg: p,
          field: 'slice_point',
        });
      }
      if (tops > dim) ctx.fail(`${tops} tops cannot slice axis ${axis} of size ${dim} (bottom ${showShape(bottom)})`);
      let prev = 0;
      points.forEach((point, i) => {
        if (!(point > prev)) {
          ctx.fail(`slice_point values must be strictly increasing and positive: slice_point[${i}] = ${point} after ${prev}`, {
            msg: p,
            field: 'slice_point',
            index: i,
          });
        }
        prev = point;
      });
      if (prev > dim) {
        ctx.fail(`slice_point ${prev} is beyond the end of axis ${axis} (size ${dim})`, {
          msg: p,
          field: 'slice_point',
          index: points.length - 1,
        });
      }
      sizes = [...points, dim].map((point, i) => point - (i === 0 ? 0 : points[i - 1]));
    } else {
      if (dim % tops !== 0) ctx.fail(`number of top blobs (${tops}) should evenly divide input slice axis (${dim})`);
      sizes = new Array(tops).fill(dim / tops);
    }
    return { tops: sizes.map((size) => bottom.map((d, j) => (j === axis ? size : d))), params: [], macs: 0 };
  },
};
