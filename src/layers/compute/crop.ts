// Crop (REFERENCE §2.5): top[k] = bottom0[k + offset] on every axis, offsets 0 before `axis`.
// Cropping a Deconvolution's output (FCN's final score crop) is a fusion: src/runtime/fusion-rules.ts.
import type { Layer } from '../../ir/layer.js';
import type { LoweredLayer } from '../../ir/kernel-plan.js';
import { coordinates, kernelFunction, linear, strides } from '../kernel-source.js';
import type { Tensor } from '../../ir/tensor.js';
import { countOf } from '../../ir/tensor.js';

function offsets(layer: Layer): number[] {
  const op = layer.spatial;
  if (!op || op.kind !== 'crop') throw new Error('internal: Crop without offsets');
  const rank = layer.tops[0].shape.length;
  return Array.from({ length: rank }, (_, i) => (i < op.firstAxis ? 0 : op.offset[i - op.firstAxis]));
}

export function cropForward(layer: Layer, [x]: Tensor[]): Tensor[] {
  const top = layer.tops[0].shape;
  const off = offsets(layer);
  const from = strides(x.shape);
  const out = new Float32Array(countOf(top));
  const idx = new Array<number>(top.length).fill(0);
  for (let i = 0; i < out.length; i++) {
    let at = 0;
    for (let a = 0; a < top.length; a++) at += (idx[a] + off[a]) * from[a];
    out[i] = x.data[at];
    for (let a = top.length - 1; a >= 0 && ++idx[a] === top[a]; a--) idx[a] = 0;
  }
  return [{ shape: [...top], data: out }];
}

export function cropLower(layer: Layer): LoweredLayer {
  const top = layer.tops[0].shape;
  const off = offsets(layer);
  const from = strides(layer.bottoms[0].shape);
  const names = top.map((_, a) => `a${a}`);
  const base = off.reduce((n, o, a) => n + o * from[a], 0);
  const body = `${coordinates(top, names)}\nreturn x[${linear(names.map((n, a) => [n, from[a]]), base)}];`;
  return { kernels: [{ source: kernelFunction(['x'], body), args: [{ bottom: 0 }], size: countOf(top), out: { top: 0 } }] };
}
