// When backend wasm's native kernels use their threads (kernel-worker.ts, issue 12 "threads that pay"): a
// layer below the size threshold is never handed to the pool, a big one is, and each registered kernel keeps
// splitting only while its own timed calls show the split is faster (SplitChooser). The values never depend
// on the choice: the same outputs with one thread and with two, pass after pass, while the kernels probe
// both ways, on shapes that split unevenly.
import { describe, expect, it } from 'vitest';
import { loadNet } from '../../src/api/load-net.js';
import type { NativeKernelSpec } from '../../src/ir/native-kernel-spec.js';
import { buildPlan } from '../../src/runtime/build-plan.js';
import { compile } from '../../src/runtime/compile.js';
import { KernelPool, SplitChooser } from '../../src/runtime/wasm/kernel-worker.js';
import { createNativeKernel } from '../../src/runtime/wasm/native-kernel.js';
import { randomParams, randomTensor } from '../helpers/random-params.js';

const input = (c: number, h: number, w: number, n = 1) =>
  `layer { name: "in" type: "Input" top: "x" input_param { shape { dim: ${n} dim: ${c} dim: ${h} dim: ${w} } } }`;

/** Drives a chooser through `calls` calls where a split call takes `split(call)` ms and one alone `alone(call)`. */
function drive(chooser: SplitChooser, calls: number, split: (call: number) => number, alone: (call: number) => number): boolean[] {
  const ways: boolean[] = [];
  for (let call = 0; call < calls; call++) {
    const way = chooser.next();
    ways.push(way.split);
    if (way.timed) chooser.record(way.split, way.split ? split(call) : alone(call));
  }
  return ways;
}

describe('SplitChooser', () => {
  it('splits the first call untimed, probes both ways, then keeps the faster', () => {
    const fast = new SplitChooser();
    const ways = drive(
      fast,
      10,
      () => 5,
      () => 9,
    );
    expect(ways.slice(0, 5)).toEqual([true, true, false, true, false]);
    expect(fast.splitting).toBe(true);
    expect(ways.slice(5)).toEqual([true, true, true, true, true]);

    const slow = new SplitChooser();
    const slowWays = drive(
      slow,
      10,
      () => 9,
      () => 5,
    );
    expect(slow.splitting).toBe(false);
    expect(slowWays.slice(5)).toEqual([false, false, false, false, false]);
  });

  it('one slow sample (a preempted call) does not decide: the minimum of recent calls does', () => {
    const c = new SplitChooser();
    drive(
      c,
      5,
      (call) => (call === 1 ? 50 : 5),
      () => 9,
    );
    expect(c.splitting).toBe(true);
  });

  it('tries the other way every 32nd call and switches when the chosen way has become slower', () => {
    const c = new SplitChooser();
    // Splitting pays until call 40 (the other core then taken by other work), then costs twice as much.
    const ways = drive(
      c,
      100,
      (call) => (call < 40 ? 5 : 18),
      () => 9,
    );
    expect(ways[32]).toBe(false);
    expect(ways.slice(33, 40).every(Boolean)).toBe(true);
    expect(c.splitting).toBe(false);
    // And back: the split is tried again at call 64 and 96 (slower: stays alone).
    expect(ways[64]).toBe(true);
    expect(ways.slice(65, 96).some(Boolean)).toBe(false);
  });

  it('split calls that estimate the alone time: never a call alone while the split pays; alone once it stops', () => {
    const c = new SplitChooser();
    const ways: boolean[] = [];
    for (let call = 0; call < 100; call++) {
      const way = c.next();
      ways.push(way.split);
      // A split call takes 5 ms and says it would take 9 alone, until call 50 (the other core taken: 20 ms).
      if (way.timed) c.record(way.split, way.split ? (call < 50 ? 5 : 20) : 9, way.split ? 9 : undefined);
    }
    expect(ways.slice(0, 51).every(Boolean)).toBe(true);
    expect(ways.slice(53, 64).some(Boolean)).toBe(false);
    // Tried again every 32nd call.
    expect(ways[64]).toBe(true);
    expect(ways[96]).toBe(true);
  });

  it("policy 'split' always splits", () => {
    expect(
      drive(
        new SplitChooser('split'),
        6,
        () => 9,
        () => 1,
      ).every(Boolean),
    ).toBe(true);
  });
});

/** Zeros for a Convolution's or a Pooling's arguments (input, weights). */
function argumentsOf(spec: NativeKernelSpec): Float32Array[] {
  if (spec.kind === 'pooling') return [new Float32Array(spec.planes * spec.inH * spec.inW)];
  if (spec.kind !== 'convolution') throw new Error(`no arguments for ${spec.kind}`);
  const weights = (spec.cout * spec.cin * spec.kernel[0] * spec.kernel[1]) / spec.group;
  return [new Float32Array(spec.outer * spec.cin * spec.inH * spec.inW), new Float32Array(weights), new Float32Array(spec.cout)];
}

describe('which layers use the pool', () => {
  const specs = (lines: string[]): NativeKernelSpec[] => buildPlan(loadNet([...lines].join('\n'))).natives ?? [];

  it('a small Convolution and a small Pooling stay on the calling thread; big ones register with the pool', async () => {
    const natives = specs([
      input(8, 12, 12),
      'layer { name: "small" type: "Convolution" bottom: "x" top: "s" convolution_param { num_output: 8 kernel_size: 3 pad: 1 } }',
      'layer { name: "sp" type: "Pooling" bottom: "s" top: "sp" pooling_param { pool: MAX kernel_size: 2 stride: 2 } }',
      'layer { name: "big" type: "Convolution" bottom: "x" top: "b" convolution_param { num_output: 256 kernel_size: 5 pad: 2 } }',
      'layer { name: "bp" type: "Pooling" bottom: "b" top: "bp" pooling_param { pool: MAX kernel_size: 7 stride: 1 pad: 3 } }',
    ]);
    expect(natives.map((n) => n.kind)).toEqual(['convolution', 'pooling', 'convolution', 'pooling']);
    const pool = new KernelPool(2);
    try {
      const registered: number[] = [];
      for (const spec of natives) {
        const before = pool.registered;
        const kernel = createNativeKernel(spec, { threads: 2, pool });
        // A kernel makes its module (and registers it) on its first call.
        await kernel.run(argumentsOf(spec));
        kernel.destroy();
        registered.push(pool.registered - before);
      }
      // 8·8·9·144 = 83 k multiply-adds and 8·36·4 window reads; 256·8·25·144 = 7.4 M and 256·144·49 = 1.8 M reads.
      expect(registered).toEqual([0, 0, 1, 1]);
    } finally {
      pool.terminate();
    }
  });
});

describe('the same values with one thread and with two', () => {
  // Rows fewer than the parts (b: 7 rows for 8 parts), odd widths, batch 2, a strided layer, pooling with
  // Caffe's ceil rounding, a fused BatchNorm+ReLU: every layer big enough to split.
  const net = loadNet(
    [
      input(32, 13, 61, 2),
      'layer { name: "a" type: "Convolution" bottom: "x" top: "a" convolution_param { num_output: 96 kernel_size: 3 pad: 1 } }',
      'layer { name: "bn" type: "BatchNorm" bottom: "a" top: "a" }',
      'layer { name: "ra" type: "ReLU" bottom: "a" top: "a" }',
      'layer { name: "b" type: "Convolution" bottom: "a" top: "b" convolution_param { num_output: 40 kernel_h: 3 kernel_w: 5 stride: 2 pad: 1 } }',
      'layer { name: "p" type: "Pooling" bottom: "a" top: "p" pooling_param { pool: AVE kernel_size: 5 stride: 2 pad: 2 } }',
      'layer { name: "q" type: "Pooling" bottom: "a" top: "q" pooling_param { pool: MAX kernel_size: 3 stride: 1 pad: 1 } }',
    ].join('\n'),
  );
  const params = randomParams(net, 7);

  it('pass after pass, while each kernel probes both ways', async () => {
    const one = await compile(net, { weights: params, backend: 'wasm', threads: 1 });
    const two = await compile(net, { weights: params, backend: 'wasm', threads: 2 });
    try {
      // Six passes: the first splits, the next four alternate (probing), the sixth runs the chosen way.
      for (let pass = 0; pass < 6; pass++) {
        const inputs = { x: randomTensor([2, 32, 13, 61], 30 + pass) };
        const want = await one.forward(inputs, { blobs: ['b', 'p', 'q'] });
        const got = await two.forward(inputs, { blobs: ['b', 'p', 'q'] });
        for (const blob of ['b', 'p', 'q']) expect(got[blob].data, `${blob}, pass ${pass}`).toEqual(want[blob].data);
      }
    } finally {
      one.destroy();
      two.destroy();
    }
  });
});
