// Pooling's native kernel (src/runtime/wasm/pooling-kernel.ts) against the reference executor on awkward
// shapes: each horizontal path (stride 1 and 2 in vectors, 3 and more one output at a time), rows and
// columns not multiples of 4, one-pixel planes, windows clipped by pads and by Caffe's ceil rounding, AVE's
// padded-window divisor, kernels taller than the unrolled limit (global pooling of 40×40), rectangular
// kernels and strides, inputs all negative (a MAX that took a padding cell would show), and a layer big
// enough to be split between threads.
import { describe, expect, it } from 'vitest';
import { loadNet } from '../../src/api/load-net.js';
import { buildPlan } from '../../src/runtime/build-plan.js';
import { runReference } from '../../src/runtime/reference-executor.js';
import { createNativeKernel } from '../../src/runtime/wasm/native-kernel.js';
import { maxRelativeError, randomTensor } from '../helpers/random-params.js';

interface Case {
  shape: [number, number, number, number];
  param: string;
  threads?: number;
  /** Input range (default −2 … 2). */
  range?: [number, number];
}

const POOLS = ['MAX', 'AVE'];
const GEOMETRIES: Case[] = [
  { shape: [1, 3, 7, 6], param: 'kernel_size: 3 stride: 1 pad: 1' },
  { shape: [2, 3, 9, 13], param: 'kernel_size: 3 stride: 2' },
  { shape: [1, 2, 8, 9], param: 'kernel_size: 3 stride: 2 pad: 1' },
  { shape: [1, 2, 10, 11], param: 'kernel_size: 2 stride: 2' },
  { shape: [1, 2, 11, 14], param: 'kernel_size: 3 stride: 3 pad: 1' },
  { shape: [1, 3, 13, 17], param: 'kernel_size: 5 stride: 4 pad: 2' },
  { shape: [1, 4, 1, 1], param: 'kernel_size: 1 stride: 1' },
  { shape: [1, 2, 1, 5], param: 'kernel_h: 1 kernel_w: 3 stride: 1 pad_h: 0 pad_w: 1' },
  { shape: [1, 2, 10, 11], param: 'kernel_h: 3 kernel_w: 2 stride_h: 3 stride_w: 2 pad_h: 1 pad_w: 0' },
  { shape: [1, 2, 9, 12], param: 'kernel_h: 2 kernel_w: 4 stride_h: 1 stride_w: 2 pad_h: 1 pad_w: 2' },
  { shape: [2, 3, 7, 7], param: 'global_pooling: true' },
  { shape: [1, 2, 40, 40], param: 'global_pooling: true' },
  { shape: [1, 2, 37, 21], param: 'kernel_h: 35 kernel_w: 5 stride: 1 pad_h: 2 pad_w: 0' },
  { shape: [1, 5, 14, 14], param: 'kernel_size: 3 stride: 1 pad: 1', range: [-9, -1] },
  { shape: [1, 5, 15, 15], param: 'kernel_size: 3 stride: 2 pad: 1', range: [-9, -1] },
  { shape: [1, 64, 57, 57], param: 'kernel_size: 3 stride: 2', threads: 2 },
  { shape: [1, 96, 28, 29], param: 'kernel_size: 3 stride: 1 pad: 1', threads: 2 },
];
const CASES = GEOMETRIES.flatMap((g) => POOLS.map((pool) => ({ ...g, pool })));

describe('Pooling native kernel', () => {
  it.each(CASES)('$pool $shape $param, threads $threads: matches the reference executor', async (c) => {
    const net = loadNet(
      [
        `layer { name: "in" type: "Input" top: "x" input_param { shape { ${c.shape.map((d) => `dim: ${d}`).join(' ')} } } }`,
        `layer { name: "p" type: "Pooling" bottom: "x" top: "y" pooling_param { pool: ${c.pool} ${c.param} } }`,
      ].join('\n'),
    );
    const plan = buildPlan(net);
    expect(plan.natives?.map((s) => s.kind)).toEqual(['pooling']);
    const kernel = createNativeKernel(plan.natives![0], { threads: c.threads });
    for (const seed of [5, 6]) {
      const [lo, hi] = c.range ?? [-2, 2];
      const x = randomTensor(c.shape, seed, lo, hi);
      const want = runReference(net, new Map(), { x }).blobs.get('y')!.data;
      const got = await kernel.run([x.data]);
      expect(got.length).toBe(want.length);
      expect(maxRelativeError(got, want)).toBeLessThanOrEqual(c.pool === 'MAX' ? 0 : 1e-6);
    }
    kernel.destroy();
  });
});
