// U-Net's MergeCrop (naibaf7/caffe, mergecrop_layer.cpp and its kernels): joins the expanding path
// (bottom 0, the smaller map, whose size the top keeps) with the contracting path (bottom 1, centre-cropped
// to bottom 0's spatial size at offset ⌊(size₁ − size₀)/2⌋ per axis). STACK (default) concatenates the
// channels, bottom 0's first; ADD sums two maps of equal channels. `forward: false` for a bottom puts zeros
// where its values would go. A reference forward from the fork's kernels, run as a host step.
import type { ForwardLayer, LayerModule } from '../../ir/layer-module.js';
import { exactly } from '../../ir/layer-module.js';
import type { Tensor } from '../../ir/tensor.js';
import { strides } from '../kernel-source.js';
import { bottomName, showShape } from '../blob-checks.js';
import { count } from '../shape-utils.js';

const flags = (p: Record<string, unknown>): [boolean, boolean] => {
  const f = Array.isArray(p.forward) ? (p.forward as boolean[]) : [];
  return [f[0] ?? true, f[1] ?? true];
};

function mergeCropForward(layer: ForwardLayer, [a, b]: Tensor[]): Tensor[] {
  const p = layer.typeParam;
  const add = String(p.operation ?? 'STACK') === 'ADD';
  const [useA, useB] = flags(p);
  const top = layer.tops[0].shape;
  const [n, ca] = a.shape;
  const cb = b.shape[1];
  const spatialA = a.shape.slice(2);
  const offset = spatialA.map((d, i) => Math.trunc((b.shape[2 + i] - d) / 2));
  const planeA = count(spatialA);
  const planeB = count(b.shape, 2);
  const stA = strides(spatialA);
  const stB = strides(b.shape.slice(2));
  // Where each position of bottom 0's plane sits in bottom 1's plane.
  const at = new Int32Array(planeA);
  for (let s = 0; s < planeA; s++) {
    let rest = s;
    let idx = 0;
    for (let i = 0; i < stA.length; i++) {
      const coord = Math.floor(rest / stA[i]);
      rest -= coord * stA[i];
      idx += (coord + offset[i]) * stB[i];
    }
    at[s] = idx;
  }
  const out = new Float32Array(count(top));
  const channels = top[1];
  for (let item = 0; item < n; item++) {
    for (let c = 0; c < (add ? ca : ca + cb); c++) {
      const o = (item * channels + c) * planeA;
      const fromA = add || c < ca;
      const fromB = add || c >= ca;
      const cB = add ? c : c - ca;
      for (let s = 0; s < planeA; s++) {
        let v = 0;
        if (fromA && useA) v += a.data[(item * ca + c) * planeA + s];
        if (fromB && useB) v += b.data[(item * cb + cB) * planeB + at[s]];
        out[o + s] = v;
      }
    }
  }
  return [{ shape: [...top], data: out }];
}

export const mergeCrop: LayerModule = {
  type: 'MergeCrop',
  paramField: 'mergecrop_param',
  bottoms: exactly(2),
  tops: exactly(1),
  inPlace: false,
  forward: mergeCropForward,
  infer(ctx) {
    const p = ctx.param;
    const [a, b] = ctx.bottoms;
    const [an, bn] = [bottomName(ctx, 0), bottomName(ctx, 1)];
    for (const field of ['forward', 'backward']) {
      const list = Array.isArray(p[field]) ? (p[field] as unknown[]) : [];
      if (list.length > 2)
        ctx.fail(`${field} is given once per bottom: at most 2 values (got ${list.length})`, { msg: p, field, index: 2 });
    }
    if (a.length < 3 || a.length !== b.length)
      ctx.fail(`both bottoms need the same axes, N×C and at least one spatial axis ("${an}" is ${showShape(a)}, "${bn}" ${showShape(b)})`);
    if (a[0] !== b[0]) ctx.fail(`the bottoms must have the same batch size ("${an}" is ${showShape(a)}, "${bn}" ${showShape(b)})`);
    const add = String(p.operation ?? 'STACK') === 'ADD';
    if (add && a[1] !== b[1])
      ctx.fail(`ADD needs the same number of channels ("${an}" has ${a[1]}, "${bn}" ${b[1]})`, { msg: p, field: 'operation' });
    for (let i = 2; i < a.length; i++) {
      if (b[i] < a[i])
        ctx.fail(
          `bottom 1 ("${bn}", ${showShape(b)}) is cropped to bottom 0's ("${an}", ${showShape(a)}) size, so it must be at least as large on every spatial axis; are the bottoms swapped?`,
        );
    }
    const top = [a[0], add ? a[1] : a[1] + b[1], ...a.slice(2)];
    return { tops: [top], params: [], macs: 0 };
  },
};
