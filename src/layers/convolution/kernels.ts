// Convolution (docs/caffe-semantics.md#convolution): cross-correlation with group and dilation, weights (C_out, C_in/g, kh, kw).
// Several bottoms share the weights, one top each. Theano's conv2d with filter_flip=True (its default) is a
// true convolution: tap (ky, kx) reads weight (kh−1−ky, kw−1−kx). A stride-1 layer also has a native
// kernel (convolution/native.ts), run instead on backend 'wasm'.
import type { Layer } from '../../ir/layer.js';
import type { KernelSpec, LoweredLayer } from '../../ir/kernel-plan.js';
import { coordinates, int, kernelFunction, linear } from '../kernel-source.js';
import type { Tensor } from '../../ir/tensor.js';
import { convParams, type ConvParams } from '../conv-params.js';
import { convolutionNativeSteps } from './native-step.js';
import { filterFlip } from '../filter-flip.js';

function forwardOne(q: ConvParams, flip: boolean, x: Float32Array, w: Float32Array, b: Float32Array | undefined): Float32Array {
  const { cin, cout, group, inH, inW, outH, outW } = q;
  const [kh, kw] = q.kernel;
  const [sh, sw] = q.stride;
  const [ph, pw] = q.pad;
  const [dh, dw] = q.dilation;
  const cinG = cin / group;
  const coutG = cout / group;
  const out = new Float32Array(q.outer * cout * outH * outW);
  const acc = new Float64Array(outH * outW);
  for (let n = 0; n < q.outer; n++) {
    for (let co = 0; co < cout; co++) {
      acc.fill(b ? b[co] : 0);
      const g = Math.floor(co / coutG);
      for (let cl = 0; cl < cinG; cl++) {
        const plane = (n * cin + g * cinG + cl) * inH * inW;
        for (let ky = 0; ky < kh; ky++) {
          for (let kx = 0; kx < kw; kx++) {
            const wv = w[((co * cinG + cl) * kh + (flip ? kh - 1 - ky : ky)) * kw + (flip ? kw - 1 - kx : kx)];
            const dx = kx * dw - pw;
            // Output columns whose input column ox·sw + dx lies inside the image.
            const oxLo = Math.max(0, Math.ceil(-dx / sw));
            const oxHi = Math.min(outW, Math.floor((inW - 1 - dx) / sw) + 1);
            for (let oy = 0; oy < outH; oy++) {
              const iy = oy * sh - ph + ky * dh;
              if (iy < 0 || iy >= inH) continue;
              const row = plane + iy * inW + dx;
              const orow = oy * outW;
              for (let ox = oxLo; ox < oxHi; ox++) acc[orow + ox] += wv * x[row + ox * sw];
            }
          }
        }
      }
      out.set(acc, (n * cout + co) * outH * outW);
    }
  }
  return out;
}

export function convolutionForward(layer: Layer, bottoms: Tensor[], params: Float32Array[]): Tensor[] {
  const flip = filterFlip(layer);
  return bottoms.map((x, i) => {
    const q = convParams(layer, i);
    return { shape: [...layer.tops[i].shape], data: forwardOne(q, flip, x.data, params[0], q.bias ? params[1] : undefined) };
  });
}

/** One thread per output element; taps outside the input are skipped by tests hoisted out of the channel loop. */
function kernelSource(q: ConvParams, flip: boolean): string {
  const { cin, cout, group, inH, inW, outH, outW } = q;
  const [kh, kw] = q.kernel;
  const [sh, sw] = q.stride;
  const [ph, pw] = q.pad;
  const [dh, dw] = q.dilation;
  const cinG = cin / group;
  const coutG = cout / group;
  const xIndex = linear([
    ['n', cin * inH * inW],
    ['g', cinG * inH * inW],
    ['ci', inH * inW],
    ['iy', inW],
    ['ix', 1],
  ]);
  const wIndex = linear([
    ['co', cinG * kh * kw],
    ['ci', kh * kw],
    ['wy', kw],
    ['wx', 1],
  ]);
  const body = `
    ${coordinates([q.outer, cout, outH, outW], ['n', 'co', 'oy', 'ox'])}
    const g = ${group === 1 ? '0' : `Math.floor(co / ${int(coutG)})`};
    let sum = ${q.bias ? 'b[(co|0)]' : '0.0'};
    for (let ky = 0; ky < ${int(kh)}; ky++) {
      const iy = oy * ${int(sh)} - ${int(ph)} + ky * ${int(dh)};
      if (iy >= 0 && iy < ${int(inH)}) {
        const wy = ${flip ? `${int(kh - 1)} - ky` : 'ky'};
        for (let kx = 0; kx < ${int(kw)}; kx++) {
          const ix = ox * ${int(sw)} - ${int(pw)} + kx * ${int(dw)};
          if (ix >= 0 && ix < ${int(inW)}) {
            const wx = ${flip ? `${int(kw - 1)} - kx` : 'kx'};
            for (let ci = 0; ci < ${int(cinG)}; ci++) {
              sum += x[${xIndex}] * w[${wIndex}];
            }
          }
        }
      }
    }
    return sum;`;
  return kernelFunction(q.bias ? ['x', 'w', 'b'] : ['x', 'w'], body);
}

export function convolutionLower(layer: Layer): LoweredLayer {
  const flip = filterFlip(layer);
  const kernels: KernelSpec[] = layer.bottoms.map((_, i) => {
    const q = convParams(layer, i);
    return {
      source: kernelSource(q, flip),
      args: q.bias ? [{ bottom: i }, { param: 0 }, { param: 1 }] : [{ bottom: i }, { param: 0 }],
      size: layer.tops[i].count,
      out: { top: i },
    };
  });
  const natives = layer.bottoms.flatMap((_, i) =>
    convolutionNativeSteps(layer, i, { input: { bottom: i }, param: (index) => ({ param: index }) }, { top: i }),
  );
  return { kernels, natives };
}
