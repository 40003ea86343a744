// Crop (REFERENCE §2.5): top[k] = bottom0[k + offset] on every axis, offsets 0 before `axis`.
// Cropping a Deconvolution's output (FCN's final score crop) is lowered as the Deconvolution's own kernels
// restricted to the window kept: only the kept outputs are computed, with no copy after. The
// Deconvolution's steps stay in the plan and run only if its uncropped top is asked for.
import type { Layer } from '../../ir/layer.js';
import type { LoweredLayer } from '../../runtime/kernel-plan.js';
import { deconvolutionKernels } from './deconvolution/lower.js';
import { coordinates, kernelFunction, linear, strides } from '../../runtime/kernel-source.js';
import type { Tensor } from '../../runtime/tensor.js';
import { countOf } from '../../runtime/tensor.js';

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

/** The Deconvolution kernels for the kept window, when bottom 0 comes straight from a 2-D Deconvolution. */
function lowerAsDeconvolutionWindow(layer: Layer): LoweredLayer | undefined {
  const from = layer.bottoms[0];
  const deconv = from.producer;
  const bottom = deconv.tops.indexOf(from);
  const op = deconv.spatial;
  if (deconv.type !== 'Deconvolution' || bottom < 0 || op?.kind !== 'transpose') return undefined;
  const top = layer.tops[0].shape;
  const off = offsets(layer);
  // Only spatial crops of a net with two spatial axes (N, C, H, W) map onto the kernels' window.
  if (from.shape.length !== 4 || op.firstAxis !== 2 || off[0] !== 0 || off[1] !== 0) return undefined;
  if (top[0] !== from.shape[0] || top[1] !== from.shape[1]) return undefined;
  const window = { y0: off[2], x0: off[3], h: top[2], w: top[3] };
  const { kernels, natives } = deconvolutionKernels(
    deconv,
    bottom,
    window,
    { input: { upstream: 0, ref: { bottom } }, param: (index) => ({ upstream: 0, ref: { param: index } }) },
    { top: 0 },
    0,
  );
  return { kernels, natives };
}

export function cropLower(layer: Layer): LoweredLayer {
  const fused = lowerAsDeconvolutionWindow(layer);
  if (fused) return fused;
  const top = layer.tops[0].shape;
  const off = offsets(layer);
  const from = strides(layer.bottoms[0].shape);
  const names = top.map((_, a) => `a${a}`);
  const base = off.reduce((n, o, a) => n + o * from[a], 0);
  const body = `${coordinates(top, names)}\nreturn x[${linear(names.map((n, a) => [n, from[a]]), base)}];`;
  return { kernels: [{ source: kernelFunction(['x'], body), args: [{ bottom: 0 }], size: countOf(top), out: { top: 0 } }] };
}
