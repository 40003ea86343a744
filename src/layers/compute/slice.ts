// Slice (REFERENCE §2.7): consecutive pieces of one axis, one top each: a copy at an offset along the axis.
import type { Layer } from '../../ir/layer.js';
import type { LoweredLayer } from '../../ir/kernel-plan.js';
import { coordinates, kernelFunction, linear } from '../kernel-source.js';
import type { Tensor } from '../../ir/tensor.js';
import { countOf } from '../../ir/tensor.js';

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
    const body = `${coordinates([outer, size, inner], ['o', 'a', 'i'])}\nreturn x[${linear([['o', dim * inner], ['a', inner], ['i', 1]], begin[k] * inner)}];`;
    return { source: kernelFunction(['x'], body), args: [{ bottom: 0 }], size: countOf(t.shape), out: { top: k } };
  });
  return { kernels };
}
