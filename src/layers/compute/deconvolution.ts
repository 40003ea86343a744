// Deconvolution (REFERENCE §2.2, §6.5) as a gather: each output element sums only the kernel taps that land
// on it — per axis, taps k with (o + p − k·d) divisible by s, reading input (o + p − k·d)/s — so there is no
// scatter and no atomics. Weights are (C_in, C_out/g, kh, kw), used as they are; Theano's filter flip reads
// tap K−1−k instead of k. A larger top (Theano's output adjustment) simply has more rows with fewer taps.
import type { Layer } from '../../ir/layer.js';
import type { KernelSpec, LoweredLayer } from '../../runtime/kernel-plan.js';
import { coordinates, int, kernelFunction, linear } from '../../runtime/kernel-source.js';
import type { Tensor } from '../../runtime/tensor.js';
import { convParams, type ConvParams } from './conv-params.js';

/**
 * Whether the weights are flipped spatially (Theano's `filter_flip`, its default: a true convolution), from
 * the IR's layer extension. Convolution and Deconvolution both read it.
 */
export function filterFlip(layer: Layer): boolean {
  return layer.extension?.filterFlip === true;
}

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

/**
 * Kernel taps along one axis, as statements opening a block per valid tap. With dilation 1 the taps of
 * output o are exactly k ≡ (o + p) mod s, so the loop visits ⌈k/s⌉ of them (phase decomposition,
 * PEERS §4.3); with dilation it tests every tap for divisibility.
 */
function axisLoop(axis: 'y' | 'x', o: string, inSize: number, k: number, s: number, p: number, d: number): string {
  const t = `t${axis}`;
  const kv = `k${axis}`;
  const iv = `i${axis}`;
  if (d === 1) {
    const phases = Math.ceil(k / s);
    return `
      const q${axis} = Math.floor((${o} + ${int(p)}) / ${int(s)});
      const r${axis} = ${o} + ${int(p)} - q${axis} * ${int(s)};
      for (let ${t} = 0; ${t} < ${int(phases)}; ${t}++) {
        const ${kv} = r${axis} + ${t} * ${int(s)};
        const ${iv} = q${axis} - ${t};
        if (${kv} < ${int(k)} && ${iv} >= 0 && ${iv} < ${int(inSize)}) {`;
  }
  return `
      for (let ${kv} = 0; ${kv} < ${int(k)}; ${kv}++) {
        const num${axis} = ${o} + ${int(p)} - ${kv} * ${int(d)};
        const ${iv} = Math.floor(num${axis} / ${int(s)});
        if (num${axis} >= 0 && num${axis} - ${iv} * ${int(s)} === 0 && ${iv} < ${int(inSize)}) {`;
}

function kernelSource(q: ConvParams, flip: boolean): string {
  const { cin, cout, group, inH, inW, outH, outW } = q;
  const [kh, kw] = q.kernel;
  const cinG = cin / group;
  const coutG = cout / group;
  const xIndex = linear([['n', cin * inH * inW], ['c', inH * inW], ['iy', inW], ['ix', 1]]);
  const wIndex = linear([['c', coutG * kh * kw], ['ml', kh * kw], ['wy', kw], ['wx', 1]]);
  const body = `
    ${coordinates([q.outer, cout, outH, outW], ['n', 'm', 'oy', 'ox'])}
    const g = ${group === 1 ? '0' : `Math.floor(m / ${int(coutG)})`};
    const ml = m - g * ${int(coutG)};
    let sum = ${q.bias ? 'b[(m|0)]' : '0.0'};
    ${axisLoop('y', 'oy', inH, kh, q.stride[0], q.pad[0], q.dilation[0])}
        const wy = ${flip ? `${int(kh - 1)} - ky` : 'ky'};
        ${axisLoop('x', 'ox', inW, kw, q.stride[1], q.pad[1], q.dilation[1])}
            const wx = ${flip ? `${int(kw - 1)} - kx` : 'kx'};
            for (let cl = 0; cl < ${int(cinG)}; cl++) {
              const c = g * ${int(cinG)} + cl;
              sum += x[${xIndex}] * w[${wIndex}];
            }
          }
        }
      }
    }
    return sum;`;
  return kernelFunction(q.bias ? ['x', 'w', 'b'] : ['x', 'w'], body);
}

export function deconvolutionLower(layer: Layer): LoweredLayer {
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
  return { kernels };
}
