// The depthwise Convolution kernel (src/runtime/wasm/depthwise-kernel.ts) against the reference executor:
// 3×3 at strides 1, 2, 3 (each column copy path: memory.copy, shuffles, scalar), 5×5, 3×5, dilation 2, pad
// 0 and pads beyond the kernel's reach, widths 1 … 9 (the 4-vector steps, single vectors and the last
// vector's lanes), batch 2, bias or none, Theano's flip, a fused ReLU and leaky ReLU, a folded BatchNorm +
// Scale, on one thread and split between two (every call split). Inputs all negative with a ReLU would hide
// a border read; the inputs here are signed and the padded border must read as zeros on a second call too.
import { afterAll, describe, expect, it } from 'vitest';
import { loadNet } from '../../src/api/load-net.js';
import type { Net } from '../../src/ir/net.js';
import { buildPlan } from '../../src/runtime/build-plan.js';
import { compile } from '../../src/runtime/compile.js';
import { paramsForPlan } from '../../src/runtime/plan-params.js';
import { runReference } from '../../src/runtime/reference-executor.js';
import { activeSteps, neededSteps } from '../../src/runtime/step-selection.js';
import { setLayerExtension } from '../../src/ir/layer-extensions.js';
import type { ConvolutionNativeSpec } from '../../src/ir/native-kernel-spec.js';
import { depthwiseConvolutionKernel, isDepthwiseConvolution } from '../../src/runtime/wasm/depthwise-kernel.js';
import { KernelArena } from '../../src/runtime/wasm/kernel-arena.js';
import { KernelPool } from '../../src/runtime/wasm/kernel-worker.js';
import { createNativeKernel, nativeKernelCovers } from '../../src/runtime/wasm/native-kernel.js';
import { relaxedSimdSupported } from '../../src/runtime/wasm/simd-support.js';
import { maxRelativeError, randomParams, randomTensor } from '../helpers/random-params.js';

interface Case {
  /** N, C, H, W of the input. */
  shape: [number, number, number, number];
  param: string;
  flip?: boolean;
}

const GEOMETRIES: Case[] = [
  { shape: [1, 3, 6, 9], param: 'kernel_size: 3 pad: 1' },
  { shape: [1, 4, 9, 10], param: 'kernel_size: 3 stride: 2 pad: 1' },
  { shape: [1, 3, 11, 13], param: 'kernel_size: 3 stride: 2 pad: 1' },
  { shape: [1, 2, 12, 17], param: 'kernel_size: 3 stride: 2 pad: 0' },
  { shape: [1, 3, 8, 11], param: 'kernel_size: 5 pad: 2' },
  { shape: [1, 2, 9, 12], param: 'kernel_h: 3 kernel_w: 5 pad_h: 1 pad_w: 2', flip: true },
  { shape: [1, 3, 10, 11], param: 'kernel_size: 3 pad: 2 dilation: 2' },
  { shape: [1, 2, 13, 14], param: 'kernel_size: 3 stride: 3 pad: 1' },
  { shape: [1, 2, 14, 19], param: 'kernel_size: 3 stride: 3 dilation: 2 pad: 2' },
  { shape: [1, 3, 7, 8], param: 'kernel_size: 3' },
  { shape: [1, 2, 5, 6], param: 'kernel_size: 3 pad: 4' },
  { shape: [1, 2, 9, 9], param: 'kernel_h: 3 kernel_w: 3 stride_h: 2 stride_w: 1 pad_h: 1 pad_w: 1' },
  { shape: [1, 2, 9, 9], param: 'kernel_h: 3 kernel_w: 3 stride_h: 1 stride_w: 2 pad_h: 0 pad_w: 1' },
  { shape: [1, 2, 11, 11], param: 'kernel_size: 7 pad: 3' },
  // Pads far beyond the kernel's reach (every vector a border one), and 1×1 kernels.
  { shape: [1, 2, 3, 4], param: 'kernel_size: 3 pad: 9' },
  { shape: [1, 2, 4, 5], param: 'kernel_size: 3 stride: 2 pad: 7' },
  { shape: [1, 3, 5, 7], param: 'kernel_size: 1' },
  { shape: [1, 3, 6, 9], param: 'kernel_size: 1 stride: 2' },
  { shape: [2, 5, 7, 10], param: 'kernel_size: 3 pad: 1' },
  { shape: [2, 3, 9, 15], param: 'kernel_size: 3 stride: 2 pad: 1' },
  // Widths 1 … 9: output rows of 1 … 9 columns (stride 1) and 1 … 5 (stride 2).
  ...[1, 2, 3, 4, 5, 6, 7, 8, 9].map((w): Case => ({ shape: [1, 3, 4, w], param: 'kernel_size: 3 pad: 1' })),
  ...[1, 2, 3, 4, 5, 6, 7, 8, 9].map((w): Case => ({ shape: [1, 3, 5, w], param: 'kernel_size: 3 stride: 2 pad: 1' })),
  // MobileNet's sizes: 16 and 20 columns (4-vector steps), 19 and 75 (steps, a single vector, a tail).
  { shape: [1, 4, 19, 19], param: 'kernel_size: 3 pad: 1' },
  { shape: [1, 4, 38, 38], param: 'kernel_size: 3 stride: 2 pad: 1' },
  { shape: [1, 2, 16, 75], param: 'kernel_size: 3 pad: 1' },
  { shape: [1, 2, 20, 150], param: 'kernel_size: 3 stride: 2 pad: 1' },
];

function netOf(c: Case, bias: boolean, after: string[] = []): Net {
  const [n, ch, h, w] = c.shape;
  const net = loadNet(
    [
      `layer { name: "in" type: "Input" top: "x" input_param { shape { dim: ${n} dim: ${ch} dim: ${h} dim: ${w} } } }`,
      `layer { name: "conv" type: "Convolution" bottom: "x" top: "y" convolution_param { num_output: ${ch} group: ${ch} ${c.param} bias_term: ${bias} } }`,
      ...after,
    ].join('\n'),
  );
  if (c.flip) setLayerExtension(net.layers.find((l) => l.name === 'conv')!.proto, { origin: 'test', filterFlip: true });
  return net;
}

const pool = new KernelPool(2, 'split');
afterAll(() => pool.terminate());

const CASES = GEOMETRIES.flatMap((g, i) => [1, 2].map((threads) => ({ ...g, threads, bias: i % 3 !== 1 })));

describe('depthwise Convolution kernel (backend wasm)', () => {
  it.each(CASES)('$shape $param, threads $threads: matches the reference executor', async (c) => {
    const net = netOf(c, c.bias);
    const spec = buildPlan(net).natives![0] as ConvolutionNativeSpec;
    expect(spec.kind).toBe('convolution');
    expect(isDepthwiseConvolution(spec)).toBe(true);
    expect(nativeKernelCovers(spec)).toBe(true);
    const params = randomParams(net, 7);
    const [w, b] = params.get('conv')!;
    const kernel = depthwiseConvolutionKernel(spec, c.threads > 1 ? { threads: 2, pool, threadedMinMacs: 0 } : {});
    // Twice with different inputs: the padded planes' zero border must hold after a pass.
    for (const seed of [3, 4]) {
      const inputs = { x: randomTensor(c.shape, seed) };
      const want = runReference(net, params, inputs).blobs.get('y')!.data;
      const got = await kernel.run(b ? [inputs.x.data, w, b] : [inputs.x.data, w]);
      const err = maxRelativeError(got, want);
      expect(err, `max error ${err}`).toBeLessThanOrEqual(1e-5);
    }
    kernel.destroy();
  });

  it('splits a big layer between threads: every plane computed once, the values the same', async () => {
    const c: Case = { shape: [1, 64, 57, 56], param: 'kernel_size: 3 pad: 1' };
    const net = netOf(c, true);
    const spec = buildPlan(net).natives![0] as ConvolutionNativeSpec;
    const params = randomParams(net, 9);
    const [w, b] = params.get('conv')!;
    const inputs = { x: randomTensor(c.shape, 5) };
    const want = runReference(net, params, inputs).blobs.get('y')!.data;
    const before = pool.registered;
    const kernel = createNativeKernel(spec, { threads: 2, pool });
    const into = new Float32Array(want.length).fill(Number.NaN);
    for (let i = 0; i < 3; i++) expect(await kernel.run([inputs.x.data, w, b], into)).toBe(into);
    expect(pool.registered).toBe(before + 1);
    expect(maxRelativeError(into, want)).toBeLessThanOrEqual(1e-5);
    kernel.destroy();
    // A small layer stays on one thread: never registered with the pool.
    const small = netOf({ shape: [1, 8, 10, 10], param: 'kernel_size: 3 pad: 1' }, true);
    const smallKernel = createNativeKernel(buildPlan(small).natives![0], { threads: 2, pool });
    const sp = randomParams(small, 3).get('conv')!;
    await smallKernel.run([randomTensor([1, 8, 10, 10], 1).data, ...sp]);
    expect(pool.registered).toBe(before + 1);
    smallKernel.destroy();
  });

  it.each([false, true].filter((relaxed) => !relaxed || relaxedSimdSupported()))('relaxed SIMD %s: the same values', async (relaxed) => {
    const c: Case = { shape: [1, 3, 9, 13], param: 'kernel_size: 3 stride: 2 pad: 1' };
    const net = netOf(c, true);
    const spec = buildPlan(net).natives![0] as ConvolutionNativeSpec;
    const params = randomParams(net, 2);
    const inputs = { x: randomTensor(c.shape, 8) };
    const kernel = depthwiseConvolutionKernel(spec, { relaxedSimd: relaxed });
    const got = await kernel.run([inputs.x.data, ...params.get('conv')!]);
    expect(maxRelativeError(got, runReference(net, params, inputs).blobs.get('y')!.data)).toBeLessThanOrEqual(1e-5);
    kernel.destroy();
  });

  // MobileNet's block: depthwise conv without bias, BatchNorm, Scale, ReLU — one native step, the maps
  // folded into the weights (folded-affine.ts) and the ReLU fused; also a leaky ReLU, and a conv with bias.
  const bn = 'layer { name: "bn" type: "BatchNorm" bottom: "y" top: "y" batch_norm_param { eps: 0.001 } }';
  const scale = 'layer { name: "sc" type: "Scale" bottom: "y" top: "y" scale_param { bias_term: true } }';
  const relu = (slope: number) => `layer { name: "relu" type: "ReLU" bottom: "y" top: "y" relu_param { negative_slope: ${slope} } }`;
  it.each([
    {
      name: 'BatchNorm + Scale + ReLU, stride 2',
      c: { shape: [2, 6, 11, 13], param: 'kernel_size: 3 stride: 2 pad: 1' } as Case,
      bias: false,
      after: [bn, scale, relu(0)],
    },
    {
      name: 'BatchNorm + Scale + ReLU, stride 1',
      c: { shape: [1, 8, 10, 10], param: 'kernel_size: 3 pad: 1' } as Case,
      bias: false,
      after: [bn, scale, relu(0)],
    },
    { name: 'bias + leaky ReLU 0.1', c: { shape: [1, 5, 9, 7], param: 'kernel_size: 3 pad: 1' } as Case, bias: true, after: [relu(0.1)] },
    {
      name: 'bias + Scale, 5×5 stride 2',
      c: { shape: [1, 4, 12, 9], param: 'kernel_size: 5 stride: 2 pad: 2' } as Case,
      bias: true,
      after: [scale],
    },
  ])('$name: one fused native step, threads 1 and 2, matching the reference executor', async ({ c, bias, after }) => {
    const net = netOf(c, bias, after);
    const params = randomParams(net, 11);
    const plan = buildPlan(net);
    const run = neededSteps(plan, activeSteps(plan, paramsForPlan(plan, params), true), [plan.blobs.find(([b]) => b === 'y')![1]]);
    const ran = plan.steps.filter((s, i) => run[i] && !('alias' in s));
    expect(ran.map((s) => ('native' in s ? plan.natives![s.native].kind : 'gpu.js'))).toEqual(['convolution']);
    const spec = plan.natives![(ran[0] as { native: number }).native] as ConvolutionNativeSpec;
    expect(isDepthwiseConvolution(spec)).toBe(true);
    const slope = after.includes(relu(0)) ? 0 : after.includes(relu(0.1)) ? 0.1 : undefined;
    if (slope === undefined) expect(spec.relu).toBeUndefined();
    else expect(spec.relu).toBeCloseTo(slope, 6);
    const inputs = { x: randomTensor(c.shape, 12) };
    const want = runReference(net, params, inputs).blobs.get('y')!.data;
    for (const threads of [false, true]) {
      const compiled = await compile(net, { weights: params, backend: 'wasm', threads });
      for (let i = 0; i < 2; i++) {
        const err = maxRelativeError((await compiled.forward(inputs)).y.data, want);
        expect(err, `threads ${threads}: max error ${err}`).toBeLessThanOrEqual(1e-5);
      }
      compiled.destroy();
    }
  });

  // In an executor the activations are a region of the kernels' arena: the kernel reads its input and writes
  // its result there, with no copy in or out (region-kernel.ts `inPlace`). A stride-1 layer, then a stride-2
  // one on its result, as an executor chains them; the bytes between the values must stay untouched.
  it.each([
    [false, 1],
    [true, 1],
    [true, 2],
  ])('in the arena (shared memory %s, threads %i): reads and writes the values where they lie', async (shared, threads) => {
    const first = netOf({ shape: [2, 6, 13, 11], param: 'kernel_size: 3 pad: 1' }, true);
    const second = netOf({ shape: [2, 6, 13, 11], param: 'kernel_size: 3 stride: 2 pad: 1' }, false);
    const [specA, specB] = [first, second].map((net) => buildPlan(net).natives![0] as ConvolutionNativeSpec);
    const arena = new KernelArena(shared);
    const options = threads > 1 ? { arena, threads, pool, threadedMinMacs: 0 } : { arena };
    const [a, b] = [depthwiseConvolutionKernel(specA, options), depthwiseConvolutionKernel(specB, options)];
    // x | gap | y (A's result, B's input) | gap | z | gap, the gaps NaN.
    const [n, gap] = [2 * 6 * 13 * 11, 64];
    const zn = 2 * 6 * 7 * 6;
    const slot = arena.reserve((3 * gap + 2 * n + zn) * 4, 0)!;
    const place = slot.place();
    const all = new Float32Array(place.memory.buffer, place.own, 3 * gap + 2 * n + zn).fill(Number.NaN);
    const x = all.subarray(0, n);
    const y = all.subarray(n + gap, 2 * n + gap);
    const z = all.subarray(2 * n + 2 * gap, 2 * n + 2 * gap + zn);
    const [pa, pb] = [randomParams(first, 21), randomParams(second, 22)];
    for (const seed of [1, 2]) {
      const input = randomTensor([2, 6, 13, 11], seed);
      x.set(input.data);
      expect(await a.run([x, ...pa.get('conv')!], y)).toBe(y);
      expect(await b.run([y, ...pb.get('conv')!], z)).toBe(z);
      const wantY = runReference(first, pa, { x: input }).blobs.get('y')!;
      const wantZ = runReference(second, pb, { x: { shape: wantY.shape, data: wantY.data } }).blobs.get('y')!.data;
      expect(maxRelativeError(y, wantY.data)).toBeLessThanOrEqual(1e-5);
      expect(maxRelativeError(z, wantZ)).toBeLessThanOrEqual(1e-5);
      for (const at of [n, 2 * n + gap, 2 * n + 2 * gap + zn])
        expect(
          all.subarray(at, at + gap).every((v) => Number.isNaN(v)),
          `gap at ${at}`,
        ).toBe(true);
    }
    a.destroy();
    b.destroy();
  });

  it('a channel multiplier (C_out = 2·C_in, group = C_in) stays on the phase GEMM', () => {
    const net = loadNet(
      [
        'layer { name: "in" type: "Input" top: "x" input_param { shape { dim: 1 dim: 3 dim: 6 dim: 6 } } }',
        'layer { name: "conv" type: "Convolution" bottom: "x" top: "y" convolution_param { num_output: 6 group: 3 kernel_size: 3 } }',
      ].join('\n'),
    );
    const spec = buildPlan(net).natives![0] as ConvolutionNativeSpec;
    expect(isDepthwiseConvolution(spec)).toBe(false);
    expect(() => depthwiseConvolutionKernel(spec)).toThrow(/internal: a depthwise kernel/);
  });
});
