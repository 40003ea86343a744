// Threads for backend wasm's native kernels: how many (every core by default, capped by the `threads`
// option), and that the kernels of one net share one pool of worker threads (kernel-worker.ts) with the same
// values as the reference executor — kernels registered on the pool one after another during the first
// pass, a worker that has not seen a kernel yet leaving its rows to the main thread.
import { describe, expect, it } from 'vitest';
import { loadNet } from '../../src/api/load-net.js';
import { DiagnosticError } from '../../src/diagnostics/diagnostic.js';
import { compile } from '../../src/runtime/compile.js';
import { threadCount } from '../../src/runtime/gpu-executor.js';
import { runReference } from '../../src/runtime/reference-executor.js';
import { maxRelativeError, randomParams, randomTensor } from '../helpers/random-params.js';
import { innerProductNativeKernel } from '../../src/runtime/wasm/inner-product-kernel.js';
import { KernelPool } from '../../src/runtime/wasm/kernel-worker.js';

describe('native kernel threads', () => {
  it('default: every core; a number caps it; false is one thread', () => {
    expect(threadCount(undefined, 8)).toBe(8);
    expect(threadCount(true, 8)).toBe(8);
    expect(threadCount(false, 8)).toBe(1);
    expect(threadCount(4, 8)).toBe(4);
    expect(threadCount(16, 8)).toBe(8);
    expect(threadCount(1, 8)).toBe(1);
    expect(threadCount(undefined, 1)).toBe(1);
    expect(() => threadCount(0, 8)).toThrow(DiagnosticError);
    expect(() => threadCount(2.5, 8)).toThrow(/whole number/);
  });

  it.each([2, 3])(
    'threads: %i (capped at the cores here): several big layers share one pool and match the reference, pass after pass',
    async (threads) => {
      const conv = (name: string, bottom: string, param: string) =>
        `layer { name: "${name}" type: "Convolution" bottom: "${bottom}" top: "${name}" convolution_param { num_output: 24 ${param} } }`;
      const net = loadNet(
        [
          'layer { name: "in" type: "Input" top: "x" input_param { shape { dim: 1 dim: 16 dim: 48 dim: 40 } } }',
          conv('a', 'x', 'kernel_size: 3 pad: 1'),
          'layer { name: "bn" type: "BatchNorm" bottom: "a" top: "a" }',
          'layer { name: "ra" type: "ReLU" bottom: "a" top: "a" }',
          conv('b', 'a', 'kernel_size: 3 stride: 2 pad: 1'),
          conv('c', 'b', 'kernel_size: 1'),
          'layer { name: "sum" type: "Eltwise" bottom: "b" bottom: "c" top: "sum" }',
        ].join('\n'),
      );
      const params = randomParams(net, 3);
      const compiled = await compile(net, { weights: params, backend: 'wasm', threads });
      for (const seed of [1, 2, 3]) {
        const inputs = { x: randomTensor([1, 16, 48, 40], seed) };
        const want = runReference(net, params, inputs).blobs.get('sum')!.data;
        expect(maxRelativeError((await compiled.forward(inputs)).sum.data, want)).toBeLessThanOrEqual(1e-4);
      }
      compiled.destroy();
    },
  );

  // Pooling splits its planes between the threads where it reads ≥ 1 M window elements.
  it.each(['MAX', 'AVE'])('%s Pooling split between two threads matches the reference', async (pool) => {
    const net = loadNet(
      [
        'layer { name: "in" type: "Input" top: "x" input_param { shape { dim: 1 dim: 64 dim: 56 dim: 56 } } }',
        `layer { name: "p" type: "Pooling" bottom: "x" top: "p" pooling_param { pool: ${pool} kernel_size: 3 stride: 1 pad: 1 } }`,
        `layer { name: "q" type: "Pooling" bottom: "p" top: "q" pooling_param { pool: ${pool} kernel_size: 3 stride: 2 } }`,
      ].join('\n'),
    );
    const compiled = await compile(net, { weights: new Map(), backend: 'wasm', threads: 2 });
    for (const seed of [1, 2]) {
      const inputs = { x: randomTensor([1, 64, 56, 56], seed) };
      const want = runReference(net, new Map(), inputs).blobs;
      const got = await compiled.forward(inputs, { blobs: ['p', 'q'] });
      for (const name of ['p', 'q']) expect(maxRelativeError(got[name].data, want.get(name)!.data), name).toBeLessThanOrEqual(1e-6);
    }
    compiled.destroy();
  });

  // InnerProduct splits its blocks of 4 outputs where its weights take ≥ 16 MiB; a pool whose every call splits
  // runs the split path on every pass. 2050 outputs: the last block is partly padding.
  it.each([false, true])('InnerProduct split between two threads (transpose %s) matches a plain loop', async (transpose) => {
    const [m, k, n] = [2, 2051, 2050];
    const x = randomTensor([m, k], 1).data;
    const w = randomTensor(transpose ? [k, n] : [n, k], 2).data;
    const b = randomTensor([n], 3).data;
    const want = new Float32Array(m * n);
    for (let i = 0; i < m; i++)
      for (let j = 0; j < n; j++) {
        let sum = 0;
        for (let t = 0; t < k; t++) sum += x[i * k + t] * w[transpose ? t * n + j : j * k + t];
        want[i * n + j] = Math.max(0, sum + b[j]);
      }
    const pool = new KernelPool(2, 'split');
    const kernel = innerProductNativeKernel({ kind: 'inner-product', m, k, n, transpose, bias: true, relu: 0 }, { threads: 2, pool });
    try {
      expect(pool.registered).toBe(0);
      for (let pass = 0; pass < 3; pass++) expect(maxRelativeError(await kernel.run([x, w, b]), want)).toBeLessThanOrEqual(1e-5);
      expect(pool.registered).toBe(1);
    } finally {
      kernel.destroy();
      pool.terminate();
    }
  });
});
