// Permute (caffe-ssd) lowers to a gather: a gpu.js kernel, and on backend wasm a strided copy on the host
// (host-kernels.ts) that first merges axes that stay together. Both against the layer's reference forward,
// bit for bit (a permutation moves values, never changes them), on several orders and shapes: SSD's
// (N, C, H, W) → (N, H, W, C), full reversals, axes of size 1, identity, 5-D; the native kernel also into
// the executor's `out` array.
import { describe, expect, it } from 'vitest';
import { loadNet } from '../../src/api/load-net.js';
import { compile } from '../../src/runtime/compile.js';
import { buildPlan } from '../../src/runtime/build-plan.js';
import { runReference } from '../../src/runtime/reference-executor.js';
import { createNativeKernel } from '../../src/runtime/wasm/native-kernel.js';
import { mergedPermutation } from '../../src/runtime/wasm/host-kernels.js';
import { randomTensor } from '../helpers/random-params.js';

const CASES: { shape: number[]; order: number[] }[] = [
  { shape: [1, 12, 5, 7], order: [0, 2, 3, 1] },
  { shape: [2, 6, 3, 4], order: [0, 2, 3, 1] },
  { shape: [2, 3, 4, 5], order: [3, 2, 1, 0] },
  { shape: [2, 3, 4, 5], order: [1, 0] },
  { shape: [3, 1, 4, 1, 2], order: [4, 0, 3, 2, 1] },
  { shape: [2, 3, 4], order: [0, 1, 2] },
  { shape: [4, 1, 6], order: [2, 1, 0] },
  { shape: [7], order: [0] },
  { shape: [2, 3, 2, 3, 2], order: [2, 3, 0, 4, 1] },
];

const net = (shape: number[], order: number[]) =>
  loadNet(`layer { name: "in" type: "Input" top: "x" input_param { shape { ${shape.map((d) => `dim: ${d}`).join(' ')} } } }
layer { name: "p" type: "Permute" bottom: "x" top: "y" permute_param { ${order.map((o) => `order: ${o}`).join(' ')} } }`);

const same = (a: Float32Array, b: Float32Array) => a.length === b.length && a.every((v, i) => Object.is(v, b[i]));

describe('Permute kernels against its reference forward', () => {
  it.each(CASES)('$shape by $order: the native kernel, alone and into `out`', async ({ shape, order }) => {
    const n = net(shape, order);
    const x = randomTensor(shape, 3);
    const want = runReference(n, new Map(), { x }).blobs.get('y')!;
    const plan = buildPlan(n);
    const specs = plan.natives ?? [];
    expect(specs.map((s) => s.kind)).toEqual(['permute']);
    const kernel = createNativeKernel(specs[0]);
    expect(kernel.engine).toBe('js');
    expect(same(await kernel.run([x.data]), want.data)).toBe(true);
    const out = new Float32Array(want.data.length).fill(NaN);
    expect(await kernel.run([x.data], out)).toBe(out);
    expect(same(out, want.data)).toBe(true);
  });

  it.each(CASES.slice(0, 5))('$shape by $order: compiled on cpu (gpu.js) and wasm', async ({ shape, order }) => {
    const n = net(shape, order);
    const x = randomTensor(shape, 5);
    const want = runReference(n, new Map(), { x }).blobs.get('y')!;
    for (const backend of ['cpu', 'wasm'] as const) {
      const compiled = await compile(n, { weights: new Map(), backend });
      const got = await compiled.forward({ x });
      compiled.destroy();
      expect(got.y.shape, backend).toEqual(want.shape);
      expect(same(got.y.data, want.data), backend).toBe(true);
    }
  });

  it('merges the axes that stay together and drops axes of size 1', () => {
    expect(mergedPermutation([1, 126, 19, 19], [0, 2, 3, 1])).toEqual({ dims: [126, 361], order: [1, 0] });
    expect(mergedPermutation([2, 3, 4], [0, 1, 2])).toEqual({ dims: [24], order: [0] });
    expect(mergedPermutation([2, 3, 4, 5], [2, 3, 0, 1])).toEqual({ dims: [6, 20], order: [1, 0] });
    expect(mergedPermutation([1, 1], [1, 0])).toEqual({ dims: [1], order: [0] });
  });
});
