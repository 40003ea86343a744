// The Deconvolution gather kernels: one thread per output element of the window computed, summing only
// the taps that land on it (phase-taps.ts).
import { coordinates, int, kernelFunction, linear } from '../kernel-source.js';
import type { ConvParams } from '../conv-params.js';
import { axisTaps, candidates, closeAxis, openAxis, tapAlwaysReal, type AxisGeometry } from './phase-taps.js';
import type { OutputWindow } from './window.js';

const axes = (q: ConvParams): [AxisGeometry, AxisGeometry] => [
  { inSize: q.inH, k: q.kernel[0], s: q.stride[0], p: q.pad[0], d: q.dilation[0] },
  { inSize: q.inW, k: q.kernel[1], s: q.stride[1], p: q.pad[1], d: q.dilation[1] },
];

/** Unroll the taps (branch-free, phase-taps.ts axisTaps) when dilation is 1 and there are few of them. */
const MAX_UNROLLED_TAPS = 16;
function unrolledTaps(ay: AxisGeometry, ax: AxisGeometry): [number, number][] | undefined {
  if (ay.d !== 1 || ax.d !== 1 || candidates(ay) * candidates(ax) > MAX_UNROLLED_TAPS) return undefined;
  const taps: [number, number][] = [];
  for (let ty = 0; ty < candidates(ay); ty++) for (let tx = 0; tx < candidates(ax); tx++) taps.push([ty, tx]);
  return taps;
}

/** `term` times the tap's validity (1.0 or 0.0). */
const weighted = (ty: number, tx: number, term: string) => `vy${ty} * vx${tx} * ${term}`;

/** Output coordinates of the thread: n, m (channel), oy, ox in the full output. */
function outputCoordinates(q: ConvParams, win: OutputWindow): string {
  const split =
    q.outer === 1
      ? `const n = 0;\n${coordinates([q.cout, win.h, win.w], ['m', 'wy_', 'wx_'])}`
      : coordinates([q.outer, q.cout, win.h, win.w], ['n', 'm', 'wy_', 'wx_']);
  return `
    ${split}
    const oy = wy_ + ${int(win.y0)};
    const ox = wx_ + ${int(win.x0)};`;
}

/**
 * Dense weights: x channels-last [N, H, W, C_in], weights [C_out, kh, kw, C_in/g] (relayout.ts), so the
 * innermost loop — over the input channels of the group — reads both operands contiguously.
 */
export function denseGatherSource(q: ConvParams, win: OutputWindow, bias: boolean): string {
  const { cin, cout, group, inH, inW } = q;
  const [kh, kw] = q.kernel;
  const cinG = cin / group;
  const coutG = cout / group;
  const [ay, ax] = axes(q);
  const taps = unrolledTaps(ay, ax);
  const g = group === 1 ? '0' : `Math.floor(m / ${int(coutG)})`;
  if (taps) {
    const body = `
    ${outputCoordinates(q, win)}
    const g = ${g};
    ${axisTaps('y', 'oy', ay)}
    ${axisTaps('x', 'ox', ax)}
    let sum = ${bias ? 'b[(m|0)]' : '0.0'};
    ${taps
      .map(
        ([ty, tx]) => `
    let acc${ty}_${tx} = 0.0;
    for (let cl = 0; cl < ${int(cinG)}; cl++) {
      acc${ty}_${tx} += xt[${linear([
        ['n', inH * inW * cin],
        [`iy${ty}`, inW * cin],
        [`ix${tx}`, cin],
        ['g', cinG],
        ['cl', 1],
      ])}] * wt[${linear([
        ['m', kh * kw * cinG],
        [`ky${ty}`, kw * cinG],
        [`kx${tx}`, cinG],
        ['cl', 1],
      ])}];
    }
    sum += ${weighted(ty, tx, `acc${ty}_${tx}`)};`,
      )
      .join('')}
    return sum;`;
    return kernelFunction(bias ? ['xt', 'wt', 'b'] : ['xt', 'wt'], body);
  }
  const body = `
    ${outputCoordinates(q, win)}
    const g = ${g};
    let sum = ${bias ? 'b[(m|0)]' : '0.0'};
    ${openAxis('y', 'oy', ay)}
        ${openAxis('x', 'ox', ax)}
            for (let cl = 0; cl < ${int(cinG)}; cl++) {
              sum += xt[${linear([
                ['n', inH * inW * cin],
                ['iy', inW * cin],
                ['ix', cin],
                ['g', cinG],
                ['cl', 1],
              ])}] * wt[${linear([
                ['m', kh * kw * cinG],
                ['ky', kw * cinG],
                ['kx', cinG],
                ['cl', 1],
              ])}];
            }
        ${closeAxis}
    ${closeAxis}
    return sum;`;
  return kernelFunction(bias ? ['xt', 'wt', 'b'] : ['xt', 'wt'], body);
}

/**
 * Channel-diagonal weights (output channel c reads input channel c only: FCN's bilinear upsampling): a
 * depthwise gather, C_in times fewer multiply-adds than the dense kernel. x [N, C, H, W], weights
 * [C, kh, kw] (the diagonal, relayout.ts).
 */
export function diagonalGatherSource(q: ConvParams, win: OutputWindow, bias: boolean): string {
  const { cin, inH, inW } = q;
  const [kh, kw] = q.kernel;
  const [ay, ax] = axes(q);
  const taps = unrolledTaps(ay, ax);
  if (taps) {
    // Indices written out in full (i32 arithmetic: a declared local would be f32 on webasm, and converting
    // it back costs more than recomputing); weight offsets constant per tap where every phase has the tap.
    const xAt = (ty: number, tx: number) =>
      linear([
        ['n', cin * inH * inW],
        ['m', inH * inW],
        [`iy${ty}`, inW],
        [`ix${tx}`, 1],
      ]);
    const wTap = (ty: number, tx: number) =>
      tapAlwaysReal(ay, ty) && tapAlwaysReal(ax, tx)
        ? linear(
            [
              ['m', kh * kw],
              ['ry', kw],
              ['rx', 1],
            ],
            ty * ay.s * kw + tx * ax.s,
          )
        : linear([
            ['m', kh * kw],
            [`ky${ty}`, kw],
            [`kx${tx}`, 1],
          ]);
    const rows = Array.from(
      { length: candidates(ay) },
      (_, ty) =>
        `vy${ty} * (${Array.from({ length: candidates(ax) }, (_, tx) => `vx${tx} * x[${xAt(ty, tx)}] * wd[${wTap(ty, tx)}]`).join(' + ')})`,
    );
    const body = `
    ${outputCoordinates(q, win)}
    ${axisTaps('y', 'oy', ay)}
    ${axisTaps('x', 'ox', ax)}
    return ${bias ? 'b[(m|0)] + ' : ''}${rows.join('\n      + ')};`;
    return kernelFunction(bias ? ['x', 'wd', 'b'] : ['x', 'wd'], body);
  }
  const body = `
    ${outputCoordinates(q, win)}
    let sum = ${bias ? 'b[(m|0)]' : '0.0'};
    ${openAxis('y', 'oy', ay)}
        ${openAxis('x', 'ox', ax)}
            sum += x[${linear([
              ['n', cin * inH * inW],
              ['m', inH * inW],
              ['iy', inW],
              ['ix', 1],
            ])}] * wd[${linear([
              ['m', kh * kw],
              ['ky', kw],
              ['kx', 1],
            ])}];
        ${closeAxis}
    ${closeAxis}
    return sum;`;
  return kernelFunction(bias ? ['x', 'wd', 'b'] : ['x', 'wd'], body);
}
