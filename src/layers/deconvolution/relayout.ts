// Re-layouts that put the gather kernels' channel loop on contiguous memory. The input is the small side
// of a Deconvolution (FCN-32s: 21×16×16 in, 21×544×544 out), so transposing it per call costs little;
// the weights are re-laid by a step that reads only parameter blobs, which the executor runs once per
// bound weights (keeping them resident instead of reshuffling them on every call).
import { coordinates, int, kernelFunction, linear } from '../kernel-source.js';
export { channelsLastSource } from '../channels-last.js';
import type { ConvParams } from '../conv-params.js';

/** Tap (ky, kx) of the weights after Theano's filter flip, if any. */
const tap = (flip: boolean, axis: 'y' | 'x', k: number) => (flip ? `${int(k - 1)} - k${axis}` : `k${axis}`);

/**
 * Weights (C_in, C_out/g, kh, kw) → [C_out, kh, kw, C_in/g], flip applied: for one output channel and
 * tap, the input channels of its group are adjacent.
 */
export function gatherWeightsSource(q: ConvParams, flip: boolean): string {
  const { cin, cout, group } = q;
  const [kh, kw] = q.kernel;
  const cinG = cin / group;
  const coutG = cout / group;
  const body = `
    ${coordinates([cout, kh, kw, cinG], ['m', 'ky', 'kx', 'cl'])}
    const g = ${group === 1 ? '0' : `Math.floor(m / ${int(coutG)})`};
    const ml = m - g * ${int(coutG)};
    const c = g * ${int(cinG)} + cl;
    const wy = ${tap(flip, 'y', kh)};
    const wx = ${tap(flip, 'x', kw)};
    return w[${linear([
      ['c', coutG * kh * kw],
      ['ml', kh * kw],
      ['wy', kw],
      ['wx', 1],
    ])}];`;
  return kernelFunction(['w'], body);
}

/** The diagonal blocks w[c, c] of channel-diagonal weights → [C, kh, kw], flip applied. */
export function diagonalWeightsSource(q: ConvParams, flip: boolean): string {
  const { cout } = q;
  const [kh, kw] = q.kernel;
  const body = `
    ${coordinates([cout, kh, kw], ['m', 'ky', 'kx'])}
    const wy = ${tap(flip, 'y', kh)};
    const wx = ${tap(flip, 'x', kw)};
    return w[${linear([
      ['m', (cout + 1) * kh * kw],
      ['wy', kw],
      ['wx', 1],
    ])}];`;
  return kernelFunction(['w'], body);
}
