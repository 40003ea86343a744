// Deconvolution (docs/caffe-semantics.md#deconvolution, #deconvolution-equivalents) as a gather: each output element sums only the kernel taps that land
// on it — per axis, taps k with (o + p − k·d) divisible by s, reading input (o + p − k·d)/s — so there is no
// scatter and no atomics. Weights are (C_in, C_out/g, kh, kw); Theano's filter flip reads tap K−1−k instead
// of k. A larger top (Theano's output adjustment) simply has more rows with fewer taps. This file holds the
// reference forward; the gpu.js kernels and their specialisations are in deconvolution/.
import type { Layer } from '../../ir/layer.js';
import type { KernelSpec, LoweredLayer, NativeKernelStepSpec } from '../../ir/kernel-plan.js';
import type { Tensor } from '../../ir/tensor.js';
import { convParams, type ConvParams } from '../conv-params.js';
import { deconvolutionKernels, type DeconvolutionRefs } from './lower.js';
import { wholeOutput } from './window.js';
import { filterFlip } from '../filter-flip.js';

/** For each output coordinate, the (tap, input) pairs of one axis. */
function tapsPerOutput(out: number, inSize: number, k: number, s: number, p: number, d: number): [number, number][][] {
  return Array.from({ length: out }, (_, o) => {
    const taps: [number, number][] = [];
    for (let t = 0; t < k; t++) {
      const num = o + p - t * d;
      if (num >= 0 && num % s === 0 && num / s < inSize) taps.push([t, num / s]);
    }
    return taps;
  });
}

function forwardOne(q: ConvParams, flip: boolean, x: Float32Array, w: Float32Array, b: Float32Array | undefined): Float32Array {
  const { cin, cout, group, inH, inW, outH, outW } = q;
  const [kh, kw] = q.kernel;
  const cinG = cin / group;
  const coutG = cout / group;
  const rows = tapsPerOutput(outH, inH, kh, q.stride[0], q.pad[0], q.dilation[0]);
  const cols = tapsPerOutput(outW, inW, kw, q.stride[1], q.pad[1], q.dilation[1]);
  const out = new Float32Array(q.outer * cout * outH * outW);
  for (let n = 0; n < q.outer; n++) {
    for (let m = 0; m < cout; m++) {
      const g = Math.floor(m / coutG);
      const ml = m - g * coutG;
      for (let oy = 0; oy < outH; oy++) {
        for (let ox = 0; ox < outW; ox++) {
          let sum = b ? b[m] : 0;
          for (const [ky, iy] of rows[oy]) {
            const wy = flip ? kh - 1 - ky : ky;
            for (const [kx, ix] of cols[ox]) {
              const wx = flip ? kw - 1 - kx : kx;
              for (let cl = 0; cl < cinG; cl++) {
                const c = g * cinG + cl;
                sum += x[((n * cin + c) * inH + iy) * inW + ix] * w[((c * coutG + ml) * kh + wy) * kw + wx];
              }
            }
          }
          out[((n * cout + m) * outH + oy) * outW + ox] = sum;
        }
      }
    }
  }
  return out;
}

export function deconvolutionForward(layer: Layer, bottoms: Tensor[], params: Float32Array[]): Tensor[] {
  const flip = filterFlip(layer);
  return bottoms.map((x, i) => {
    const q = convParams(layer, i);
    return { shape: [...layer.tops[i].shape], data: forwardOne(q, flip, x.data, params[0], q.bias ? params[1] : undefined) };
  });
}

export function deconvolutionLower(layer: Layer): LoweredLayer {
  const kernels: KernelSpec[] = [];
  const natives: NativeKernelStepSpec[] = [];
  layer.bottoms.forEach((_, i) => {
    const refs: DeconvolutionRefs = { input: { bottom: i }, param: (index) => ({ param: index }) };
    const temps = kernels.filter((k) => 'temp' in k.out).length;
    const lowered = deconvolutionKernels(layer, i, wholeOutput(convParams(layer, i)), refs, { top: i }, temps);
    kernels.push(...lowered.kernels);
    natives.push(...lowered.natives);
  });
  return { kernels, natives };
}
