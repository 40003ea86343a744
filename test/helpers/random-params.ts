// Seeded random tensors and parameter blobs for tests (mulberry32), so kernels and the reference executor
// see the same, reproducible data without a weights file.
import type { Net } from '../../src/ir/net.js';
import type { Tensor } from '../../src/ir/tensor.js';

export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function randomTensor(shape: number[], seed: number, lo = -1, hi = 1): Tensor {
  const rand = mulberry32(seed);
  const n = shape.reduce((a, b) => a * b, 1);
  const data = new Float32Array(n);
  for (let i = 0; i < n; i++) data[i] = lo + (hi - lo) * rand();
  return { shape, data };
}

/** Uniform [-scale, scale) for every blob; BatchNorm gets positive variances and a non-zero factor. */
export function randomParams(net: Net, seed: number, scale = 0.5): Map<string, Float32Array[]> {
  const out = new Map<string, Float32Array[]>();
  let s = seed;
  for (const layer of net.layers) {
    if (layer.paramShapes.length === 0) continue;
    const blobs = layer.paramShapes.map((shape) => randomTensor(shape, s++, -scale, scale).data);
    if (layer.type === 'BatchNorm') {
      blobs[1] = blobs[1].map((v) => Math.abs(v) + 0.1);
      blobs[2] = new Float32Array([0.5]);
    }
    out.set(layer.name, blobs);
  }
  return out;
}

export function maxRelativeError(actual: Float32Array, expected: ArrayLike<number>, floor = 1e-3): number {
  let maxDiff = 0;
  let maxRef = 0;
  for (let i = 0; i < expected.length; i++) {
    maxDiff = Math.max(maxDiff, Math.abs(actual[i] - expected[i]));
    maxRef = Math.max(maxRef, Math.abs(expected[i]));
  }
  if (actual.length !== expected.length) return Infinity;
  return maxDiff / Math.max(maxRef, floor);
}
