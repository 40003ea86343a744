// FCN-8s parameters as the acceptance asks: every Convolution seeded-random (uniform, scaled by fan-in so
// activations stay of order 1 through 15 layers), every Deconvolution FCN's fixed bilinear upsampling
// (surgery.interp: upsample_filt(K) on the class diagonal, zero elsewhere).
import type { Net } from '../../src/ir/net.js';
import { mulberry32 } from './random-params.js';

/** upsample_filt(K) at (i, j): (1 − |i − c|/f)(1 − |j − c|/f), f = ceil(K/2), c = (K−1)/2 or f − 0.5. */
function bilinear(k: number, i: number, j: number): number {
  const f = Math.ceil(k / 2);
  const c = k % 2 === 1 ? f - 1 : f - 0.5;
  return (1 - Math.abs(i - c) / f) * (1 - Math.abs(j - c) / f);
}

export function fcnParams(net: Net, seed: number): Map<string, Float32Array[]> {
  const rand = mulberry32(seed);
  const out = new Map<string, Float32Array[]>();
  for (const layer of net.layers) {
    const shapes = layer.paramShapes;
    if (shapes.length === 0) continue;
    if (layer.type === 'Deconvolution') {
      const [cin, cout, kh, kw] = shapes[0];
      const w = new Float32Array(cin * cout * kh * kw);
      for (let c = 0; c < Math.min(cin, cout); c++) {
        for (let i = 0; i < kh; i++) for (let j = 0; j < kw; j++) w[((c * cout + c) * kh + i) * kw + j] = bilinear(kh, i, j);
      }
      out.set(layer.name, [w, ...shapes.slice(1).map((s) => new Float32Array(s.reduce((a, b) => a * b, 1)))]);
      continue;
    }
    const fanIn = shapes[0].slice(1).reduce((a, b) => a * b, 1);
    const scale = Math.sqrt(3 / fanIn);
    out.set(
      layer.name,
      shapes.map((s, b) => Float32Array.from({ length: s.reduce((x, y) => x * y, 1) }, () => (b === 0 ? scale : 0.1) * (2 * rand() - 1))),
    );
  }
  return out;
}
