// Parameters for the whole-net benchmark, per layer and seeded, so every backend and the reference executor
// run the same numbers without a .caffemodel: Convolution and other weights uniform and scaled by fan-in
// (activations stay of order 1 through deep nets), biases small, PReLU slopes at Caffe's default 0.25, and
// — for FCN — every Deconvolution as FCN ships it: bilinear kernels on the channel diagonal, zero elsewhere.
import type { Layer } from '../../src/index.js';
import { bilinearTap } from '../deconv/problems.js';
import { uniform } from '../random.js';

const count = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

export function layerWeights(layer: Layer, seed: number, bilinearDeconvolutions: boolean): Float32Array[] {
  const shapes = layer.paramShapes;
  if (layer.type === 'Deconvolution' && bilinearDeconvolutions) {
    const [cin, cout, kh, kw] = shapes[0];
    const w = new Float32Array(count(shapes[0]));
    for (let c = 0; c < Math.min(cin, cout); c++) {
      for (let i = 0; i < kh; i++) for (let j = 0; j < kw; j++) w[((c * cout + c) * kh + i) * kw + j] = bilinearTap(kh, i, j);
    }
    return [w, ...shapes.slice(1).map((s) => new Float32Array(count(s)))];
  }
  if (layer.type === 'PReLU') return shapes.map((s) => new Float32Array(count(s)).fill(0.25));
  return shapes.map((s, i) => {
    const fanIn = s.length > 1 ? count(s.slice(1)) : 1;
    const scale = i === 0 ? Math.sqrt(3 / fanIn) : 0.1;
    return uniform(count(s), seed * 16 + i, -scale, scale);
  });
}
