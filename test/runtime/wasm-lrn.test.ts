// LRN's native kernel (src/runtime/wasm/lrn-kernel.ts), both norm regions, against the reference executor
// element by element, on awkward shapes: one channel, a window wider than the channels or the image,
// planes whose length is not a multiple of 4 or of the 16-pixel strip, every exact β and general ones
// (the log2/exp2 power, simd-power.ts, checked on its own over nine decades of s), k = 0 with all-zero
// windows (NaN, as Caffe's pow gives), and a layer big enough to be split between threads.
import { describe, expect, it } from 'vitest';
import { loadNet } from '../../src/api/load-net.js';
import { buildPlan } from '../../src/runtime/build-plan.js';
import { runReference } from '../../src/runtime/reference-executor.js';
import { createNativeKernel } from '../../src/runtime/wasm/native-kernel.js';
import { emitTimesPower, powerLocals } from '../../src/runtime/wasm/simd-power.js';
import { encodeModule, FunctionBody, I32, V128 } from '../../src/runtime/wasm/wasm-binary.js';
import { randomTensor } from '../helpers/random-params.js';
import type { Tensor } from '../../src/ir/tensor.js';

interface Case {
  shape: [number, number, number, number];
  param: string;
  threads?: number;
  /** Zero the first `zeros` elements of the input; the first `nan` outputs are then 0·∞ = NaN (k = 0). */
  zeros?: number;
  nan?: number;
}

const CASES: Case[] = [
  { shape: [2, 7, 4, 5], param: 'local_size: 5 alpha: 0.0001 beta: 0.75' },
  { shape: [1, 1, 3, 3], param: 'local_size: 5 alpha: 3 beta: 0.75 k: 1.5' },
  { shape: [1, 3, 5, 7], param: 'local_size: 9 alpha: 2 beta: 0.5' },
  { shape: [1, 20, 9, 9], param: 'local_size: 11 alpha: 1.5 beta: 0.6 k: 2' },
  { shape: [1, 6, 17, 1], param: 'local_size: 3 alpha: 1 beta: 1' },
  { shape: [2, 7, 1, 1], param: 'local_size: 5 alpha: 2 beta: 0.75' },
  { shape: [2, 5, 6, 6], param: 'local_size: 5 alpha: 0.5 beta: 0.25' },
  { shape: [1, 9, 33, 33], param: 'local_size: 7 alpha: 0.8 beta: 2.5 k: 0.5' },
  { shape: [1, 4, 6, 7], param: 'local_size: 3 alpha: 1 beta: 0 k: 3' },
  { shape: [1, 6, 3, 5], param: 'local_size: 3 alpha: 1 beta: 0.75 k: 0', zeros: 45, nan: 30 },
  { shape: [1, 4, 3, 5], param: 'local_size: 3 alpha: 1 beta: 1.3 k: 0', zeros: 30, nan: 15 },
  { shape: [1, 3, 6, 5], param: 'local_size: 3 alpha: 1.5 beta: 0.75 norm_region: WITHIN_CHANNEL' },
  { shape: [2, 2, 7, 9], param: 'local_size: 5 alpha: 2 beta: 0.75 norm_region: WITHIN_CHANNEL' },
  { shape: [1, 1, 1, 1], param: 'local_size: 3 alpha: 1 beta: 0.75 norm_region: WITHIN_CHANNEL' },
  { shape: [1, 2, 5, 5], param: 'local_size: 7 alpha: 4 beta: 0.5 norm_region: WITHIN_CHANNEL' },
  { shape: [1, 1, 13, 10], param: 'local_size: 9 alpha: 3 beta: 0.6 norm_region: WITHIN_CHANNEL' },
  { shape: [1, 3, 4, 8], param: 'local_size: 1 alpha: 1 beta: 1.7 norm_region: WITHIN_CHANNEL' },
  { shape: [1, 32, 81, 79], param: 'local_size: 5 alpha: 0.0001 beta: 0.75', threads: 2 },
  { shape: [1, 32, 81, 79], param: 'local_size: 3 alpha: 0.5 beta: 0.75 norm_region: WITHIN_CHANNEL', threads: 2 },
];

/** Largest |got − want| / max(|want|, 1e-6) over the elements, NaN where they disagree on NaN. */
function worstRelative(got: Float32Array, want: Float32Array): number {
  let worst = 0;
  for (let i = 0; i < want.length; i++) {
    if (Number.isNaN(want[i]) || Number.isNaN(got[i])) {
      if (Number.isNaN(want[i]) !== Number.isNaN(got[i])) return NaN;
      continue;
    }
    worst = Math.max(worst, Math.abs(got[i] - want[i]) / Math.max(Math.abs(want[i]), 1e-6));
  }
  return worst;
}

describe('LRN native kernel', () => {
  it.each(CASES)('$shape $param, threads $threads: matches the reference executor', async (c) => {
    const net = loadNet(
      [
        `layer { name: "in" type: "Input" top: "x" input_param { shape { ${c.shape.map((d) => `dim: ${d}`).join(' ')} } } }`,
        `layer { name: "n" type: "LRN" bottom: "x" top: "y" lrn_param { ${c.param} } }`,
      ].join('\n'),
    );
    const plan = buildPlan(net);
    expect(plan.natives?.map((s) => s.kind)).toEqual(['lrn']);
    const kernel = createNativeKernel(plan.natives![0], { threads: c.threads });
    expect(kernel.engine).toBe('wasm');
    for (const seed of [3, 4]) {
      const x: Tensor = randomTensor(c.shape, seed, -2, 2);
      x.data.fill(0, 0, c.zeros ?? 0);
      const want = runReference(net, new Map(), { x }).blobs.get('y')!.data;
      const got = await kernel.run([x.data]);
      expect(got.length).toBe(want.length);
      if (c.nan) expect(got.slice(0, c.nan).every(Number.isNaN)).toBe(true);
      expect(worstRelative(got, want)).toBeLessThanOrEqual(1e-5);
    }
    kernel.destroy();
  });

  it.each([0.6, 0.3, 1.7, 2.5, 0.1])('x·s^−%f by log2/exp2 is within 2e-6 of Math.pow for s from 1e-3 to 1e6', (beta) => {
    const f = new FunctionBody(1);
    const [at, end] = [0, f.local(I32)];
    const x = f.local(V128);
    const l = powerLocals(f);
    const count = 4096;
    f.get(at)
      .i32(count * 4)
      .add()
      .set(end);
    f.forLoop(
      at,
      () => f.get(0),
      { local: end },
      16,
      () => {
        f.get(at).v128Load(0).set(l.s);
        f.f32x4Const(1).set(x);
        f.get(at);
        emitTimesPower(f, beta, x, l);
        f.v128Store(count * 4);
      },
    );
    const memory = new WebAssembly.Memory({ initial: 1, maximum: 1 });
    const module = new WebAssembly.Module(encodeModule([{ name: 'run', body: f }], { pages: 1, shared: false }));
    const run = new WebAssembly.Instance(module, { env: { memory } }).exports.run as (from: number) => void;
    const f32 = new Float32Array(memory.buffer);
    for (let i = 0; i < count; i++) f32[i] = 10 ** (-3 + (9 * i) / (count - 1));
    run(0);
    let worst = 0;
    for (let i = 0; i < count; i++) {
      const want = Math.pow(f32[i], -beta);
      worst = Math.max(worst, Math.abs(f32[count + i] - want) / want);
    }
    expect(worst).toBeLessThanOrEqual(2e-6);
  });
});
