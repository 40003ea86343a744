// Convolution's gpu.js kernels: channels-last input (../channels-last.ts) and weights re-laid once per bound
// weights to [C_out, kh, kw, C_in/g] (Theano's flip applied), so the innermost loop — over the input
// channels of the group — reads both operands contiguously. Taps are visited by constant-bound loops
// with no lane-divergent branch: an out-of-range tap reads a clamped (valid) address and is multiplied by
// 0, because gpu.js's webasm SIMD path predicates divergent branches and clamps every load under them.
// On axes without padding every tap is inside the input (Caffe's output size), so no test is made.
import { coordinates, indexLocal, int, kernelFunction, linear } from '../../../runtime/kernel-source.js';
import type { ConvParams } from '../conv-params.js';

/** Weights (C_out, C_in/g, kh, kw) → [C_out, kh, kw, C_in/g], flip applied. */
export function convolutionWeightsSource(q: ConvParams, flip: boolean): string {
  const { cin, cout, group } = q;
  const [kh, kw] = q.kernel;
  const cinG = cin / group;
  const body = `
    ${coordinates([cout, kh, kw, cinG], ['co', 'ky', 'kx', 'ci'])}
    const wy = ${flip ? `${int(kh - 1)} - ky` : 'ky'};
    const wx = ${flip ? `${int(kw - 1)} - kx` : 'kx'};
    return w[${linear([['co', cinG * kh * kw], ['ci', kh * kw], ['wy', kw], ['wx', 1]])}];`;
  return kernelFunction(['w'], body);
}

/** The input coordinate of tap `k` on one axis, clamped, with its validity `v<axis>` where padding can miss. */
function axis(a: 'y' | 'x', o: string, inSize: number, s: number, p: number, d: number): string {
  const i = `${o} * ${int(s)} - ${int(p)} + k${a} * ${int(d)}`;
  if (p === 0) return `const i${a} = ${i};`;
  return `
      const u${a} = ${i};
      const i${a} = Math.min(Math.max(u${a}, 0), ${int(inSize - 1)});
      const v${a} = i${a} === u${a} ? 1.0 : 0.0;`;
}

export function convolutionGatherSource(q: ConvParams, bias: boolean): string {
  const { cin, cout, group, inH, inW, outH, outW } = q;
  const [kh, kw] = q.kernel;
  const cinG = cin / group;
  const coutG = cout / group;
  const valid = [q.pad[0] > 0 ? 'vy' : '', q.pad[1] > 0 ? 'vx' : ''].filter(Boolean);
  const xb = indexLocal('xb', linear([['n', inH * inW * cin], ['iy', inW * cin], ['ix', cin], ['g', cinG]]), q.outer * inH * inW * cin);
  const wb = indexLocal('wb', linear([['co', kh * kw * cinG], ['ky', kw * cinG], ['kx', cinG]]), cout * kh * kw * cinG);
  const body = `
    ${coordinates([q.outer, cout, outH, outW], ['n', 'co', 'oy', 'ox'])}
    const g = ${group === 1 ? '0' : `Math.floor(co / ${int(coutG)})`};
    let sum = ${bias ? 'b[(co|0)]' : '0.0'};
    for (let ky = 0; ky < ${int(kh)}; ky++) {
      ${axis('y', 'oy', inH, q.stride[0], q.pad[0], q.dilation[0])}
      for (let kx = 0; kx < ${int(kw)}; kx++) {
        ${axis('x', 'ox', inW, q.stride[1], q.pad[1], q.dilation[1])}
        ${xb.decl}
        ${wb.decl}
        let acc = 0.0;
        for (let ci = 0; ci < ${int(cinG)}; ci++) {
          acc += xt[${xb.ref} + (ci|0)] * wt[${wb.ref} + (ci|0)];
        }
        sum += ${[...valid, 'acc'].join(' * ')};
      }
    }
    return sum;`;
  return kernelFunction(bias ? ['xt', 'wt', 'b'] : ['xt', 'wt'], body);
}
