// Concat (REFERENCE §2.6): bottoms joined along one axis; each output element reads the bottom whose
// range along that axis holds it.
import type { Layer } from '../../ir/layer.js';
import type { LoweredLayer } from '../../ir/kernel-plan.js';
import { coordinates, int, kernelFunction, linear } from '../kernel-source.js';
import type { Tensor } from '../../ir/tensor.js';
import { countOf } from '../../ir/tensor.js';

/** The concat axis: the top's only axis that differs from bottom[0] (any axis when there is one bottom). */
function concatAxis(layer: Layer): number {
  const p = layer.typeParam;
  const rank = layer.tops[0].shape.length;
  if (p.concat_dim !== undefined) return Number(p.concat_dim);
  const axis = Number(p.axis ?? 1);
  return axis < 0 ? axis + rank : axis;
}

export function concatForward(layer: Layer, bottoms: Tensor[]): Tensor[] {
  const axis = concatAxis(layer);
  const top = layer.tops[0].shape;
  const outer = countOf(top, 0, axis);
  const inner = countOf(top, axis + 1);
  const out = new Float32Array(countOf(top));
  let offset = 0;
  for (const b of bottoms) {
    const block = b.shape[axis] * inner;
    for (let o = 0; o < outer; o++) out.set(b.data.subarray(o * block, (o + 1) * block), o * top[axis] * inner + offset);
    offset += block;
  }
  return [{ shape: [...top], data: out }];
}

export function concatLower(layer: Layer): LoweredLayer {
  const axis = concatAxis(layer);
  const top = layer.tops[0].shape;
  const outer = countOf(top, 0, axis);
  const inner = countOf(top, axis + 1);
  const names = layer.bottoms.map((_, i) => `x${i}`);
  let start = 0;
  const branches = layer.bottoms.map((b, i) => {
    const size = b.shape[axis];
    const read = `return ${names[i]}[${linear([['o', size * inner], ['a', inner], ['i', 1]], -start * inner)}];`;
    const branch = i === layer.bottoms.length - 1 ? read : `if (a < ${int(start + size)}) {\n  ${read}\n}`;
    start += size;
    return branch;
  });
  const body = `${coordinates([outer, top[axis], inner], ['o', 'a', 'i'])}\n${branches.join('\n')}`;
  return {
    kernels: [{ source: kernelFunction(names, body), args: layer.bottoms.map((_, i) => ({ bottom: i })), size: countOf(top), out: { top: 0 } }],
  };
}
