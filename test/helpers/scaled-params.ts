// Seeded parameters that keep a deep net's activations in range (uniform ±1/√fan-in for weights, small
// biases, BatchNorm statistics near unit, Scale factors near 1), so outputs after dozens of layers are
// neither zero nor saturated and a comparison between two runtimes says something.
import type { Net } from '../../src/ir/net.js';
import { mulberry32 } from './random-params.js';

export function scaledParams(net: Net, seed: number): Map<string, Float32Array[]> {
  const rand = mulberry32(seed);
  const uniform = (n: number, lo: number, hi: number) => Float32Array.from({ length: n }, () => lo + (hi - lo) * rand());
  const out = new Map<string, Float32Array[]>();
  for (const layer of net.layers) {
    if (layer.paramShapes.length === 0) continue;
    const blobs = layer.paramShapes.map((shape, j) => {
      const n = shape.reduce((a, b) => a * b, 1);
      if (layer.type === 'BatchNorm') return j === 0 ? uniform(n, -0.1, 0.1) : j === 1 ? uniform(n, 0.5, 1.5) : new Float32Array([1]);
      if (layer.type === 'Scale' || layer.type === 'PReLU') return j === 0 ? uniform(n, 0.5, 1.5) : uniform(n, -0.1, 0.1);
      if (j > 0 || shape.length < 2) return uniform(n, -0.1, 0.1);
      const bound = Math.sqrt(3 / (n / shape[0]));
      return uniform(n, -bound, bound);
    });
    out.set(layer.name, blobs);
  }
  return out;
}
