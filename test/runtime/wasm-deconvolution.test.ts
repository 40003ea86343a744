// brewnet's native WebAssembly SIMD Deconvolution kernels (src/runtime/wasm/phase-gemm-*.ts) on
// awkward shapes, against the reference executor: taps that do not divide by the stride, pads, dilation,
// groups, bias, Theano's flip, a Crop window, widths that are not multiples of 4, batch 2, channel counts
// that leave a register block part-filled, and channel-diagonal weights rebound to dense ones.
import { GPU } from 'gpu.js';
import { describe, expect, it } from 'vitest';
import { loadNet } from '../../src/api/load-net.js';
import { setLayerExtension } from '../../src/ir/layer-extensions.js';
import type { Net } from '../../src/ir/net.js';
import { buildPlan } from '../../src/runtime/build-plan.js';
import { compile } from '../../src/runtime/compile.js';
import { createExecutor } from '../../src/runtime/gpu-executor.js';
import { paramsForPlan, type ParamMap } from '../../src/runtime/plan-params.js';
import { runReference } from '../../src/runtime/reference-executor.js';
import { activeSteps, neededSteps } from '../../src/runtime/step-selection.js';
import { deconvolutionNativeKernel } from '../../src/runtime/wasm/phase-gemm-kernel.js';
import { maxRelativeError, randomParams, randomTensor } from '../helpers/random-params.js';
import type { DeconvolutionNativeSpec, NativeKernelSpec } from '../../src/ir/native-kernel-spec.js';

/** A Deconvolution's native kernel by the weights it reads ('dense', 'channel-diagonal'); others by kind. */
const nativeKind = (n: NativeKernelSpec) => (n.kind === 'deconvolution' ? n.weights : n.kind);

interface Case {
  name: string;
  n?: number;
  cin: number;
  cout: number;
  hw: [number, number];
  param: string;
  flip?: boolean;
  /** Crop the Deconvolution's output to [h, w] at this offset. */
  crop?: { size: [number, number]; offset: number };
}

const CASES: Case[] = [
  { name: 'k % s ≠ 0, pad', cin: 3, cout: 3, hw: [5, 7], param: 'kernel_size: 5 stride: 3 pad: 2' },
  { name: 'k < s (phases with no tap)', cin: 2, cout: 3, hw: [4, 5], param: 'kernel_size: 2 stride: 3' },
  {
    name: 'rectangular kernel, stride and pad',
    cin: 4,
    cout: 6,
    hw: [6, 5],
    param: 'kernel_h: 3 kernel_w: 5 stride_h: 2 stride_w: 3 pad_h: 1 pad_w: 2',
  },
  { name: 'dilation', cin: 4, cout: 4, hw: [5, 6], param: 'kernel_size: 3 stride: 2 dilation: 2' },
  { name: 'group and bias', cin: 6, cout: 9, hw: [5, 5], param: 'kernel_size: 4 stride: 2 pad: 1 group: 3 bias_term: true' },
  { name: "Theano's filter flip", cin: 5, cout: 5, hw: [4, 6], param: 'kernel_size: 3 stride: 2 bias_term: true', flip: true },
  { name: 'batch 2, odd width, one output channel', n: 2, cin: 7, cout: 1, hw: [9, 11], param: 'kernel_size: 9 stride: 3 pad: 3' },
  { name: 'two output channels (a part-filled block of four)', cin: 5, cout: 2, hw: [3, 13], param: 'kernel_size: 4 stride: 2' },
  {
    name: 'input channels a multiple of 4',
    cin: 8,
    cout: 7,
    hw: [4, 4],
    param: 'kernel_size: 4 stride: 2 pad: 1 bias_term: true',
  },
  {
    name: 'FCN-style upsampling cropped',
    cin: 3,
    cout: 3,
    hw: [7, 6],
    param: 'kernel_size: 16 stride: 8',
    crop: { size: [45, 37], offset: 7 },
  },
  { name: 'stride 1', n: 2, cin: 4, cout: 4, hw: [5, 5], param: 'kernel_size: 3 stride: 1 pad: 1' },
];

function netOf(c: Case): Net {
  const n = c.n ?? 1;
  const dims = (d: number[]) => `shape { ${d.map((v) => `dim: ${v}`).join(' ')} }`;
  const bias = /bias_term/.test(c.param) ? '' : ' bias_term: false';
  const text = [
    `layer { name: "in" type: "Input" top: "x"${c.crop ? ' top: "ref"' : ''} input_param { ${dims([n, c.cin, ...c.hw])}${c.crop ? ` ${dims([n, 1, ...c.crop.size])}` : ''} } }`,
    `layer { name: "up" type: "Deconvolution" bottom: "x" top: "up" convolution_param { num_output: ${c.cout} ${c.param}${bias} } }`,
    c.crop
      ? `layer { name: "crop" type: "Crop" bottom: "up" bottom: "ref" top: "out" crop_param { axis: 2 offset: ${c.crop.offset} } }`
      : '',
  ].join('\n');
  const net = loadNet(text);
  if (c.flip) setLayerExtension(net.layers.find((l) => l.name === 'up')!.proto, { origin: 'test', filterFlip: true });
  return net;
}

function inputsOf(net: Net, seed: number) {
  const input = net.layers[0];
  return Object.fromEntries(input.tops.map((t, i) => [t.name, randomTensor(t.shape, seed + i)]));
}

/** Zero every weight off the channel diagonal: FCN's bilinear form (C_in = C_out). */
function zeroOffDiagonal(w: Float32Array, channels: number): Float32Array {
  const taps = w.length / (channels * channels);
  const d = Float32Array.from(w);
  for (let a = 0; a < channels; a++)
    for (let b = 0; b < channels; b++) if (a !== b) d.fill(0, (a * channels + b) * taps, (a * channels + b + 1) * taps);
  return d;
}

/** Which kinds of native kernel run on backend wasm for these weights (the steps active and needed). */
function nativeKinds(net: Net, params: ParamMap): string[] {
  const plan = buildPlan(net);
  const bound = paramsForPlan(plan, params);
  const run = neededSteps(
    plan,
    activeSteps(plan, bound, true),
    plan.outputs.map((o) => plan.blobs.find(([b]) => b === o)![1]),
  );
  return plan.steps.flatMap((s, i) => (run[i] ? ['native' in s ? nativeKind(plan.natives![s.native]) : 'gpu.js'] : []));
}

async function expectMatchesReference(net: Net, params: ParamMap, seed: number): Promise<void> {
  const inputs = inputsOf(net, seed);
  const want = runReference(net, params, inputs).blobs;
  const compiled = await compile(net, { weights: params, backend: 'wasm' });
  const got = await compiled.forward(inputs, { blobs: 'all' });
  expect(compiled.backend).toBe('wasm');
  for (const name of ['up', 'out']) {
    if (!want.has(name)) continue;
    expect(got[name].shape).toEqual(want.get(name)!.shape);
    const err = maxRelativeError(got[name].data, want.get(name)!.data);
    expect(err, `${name}: max error ${err}`).toBeLessThanOrEqual(1e-4);
  }
  compiled.destroy();
}

describe('native Deconvolution kernels (backend wasm)', () => {
  it.each(CASES)('dense weights, $name: matches the reference executor', async (c) => {
    const net = netOf(c);
    const params = randomParams(net, 11);
    expect(nativeKinds(net, params).every((k) => k === 'dense')).toBe(true);
    await expectMatchesReference(net, params, 3);
  });

  it.each(CASES.filter((c) => c.cin === c.cout))(
    'channel-diagonal weights, $name: depthwise, matches the reference executor',
    async (c) => {
      const net = netOf(c);
      const random = randomParams(net, 5);
      const [w, ...rest] = random.get('up')!;
      const params = new Map([...random, ['up', [zeroOffDiagonal(w, c.cin), ...rest]]]);
      expect(nativeKinds(net, params).every((k) => k === 'channel-diagonal')).toBe(true);
      await expectMatchesReference(net, params, 4);
    },
  );

  it('switches to the dense kernel when weights that stop being diagonal are bound to the same plan', async () => {
    const c = CASES.find((k) => k.crop)!;
    const net = netOf(c);
    const random = randomParams(net, 9);
    const diag = new Map([...random, ['up', [zeroOffDiagonal(random.get('up')![0], c.cin)]]]);
    const plan = buildPlan(net);
    const inputs = inputsOf(net, 2);
    for (const params of [diag, random]) {
      const executor = createExecutor(GPU, plan, plan.kernels, paramsForPlan(plan, params), 'wasm');
      const got = await executor.forward(inputs, { blobs: ['out', 'up'] });
      const want = runReference(net, params, inputs).blobs;
      for (const name of ['out', 'up']) expect(maxRelativeError(got[name].data, want.get(name)!.data)).toBeLessThanOrEqual(1e-4);
      expect(executor.backend).toBe('wasm');
      executor.destroy();
    }
    expect(nativeKinds(net, diag)).toEqual(['channel-diagonal']);
    expect(nativeKinds(net, random)).toEqual(['dense']);
  });

  it('gives the same numbers on a second forward pass and with new inputs (the grid border stays zero)', async () => {
    const net = netOf(CASES[0]);
    const params = randomParams(net, 1);
    const compiled = await compile(net, { weights: params, backend: 'wasm' });
    for (const seed of [1, 2, 1]) {
      const inputs = inputsOf(net, seed);
      const got = (await compiled.forward(inputs)).up.data;
      expect(maxRelativeError(got, runReference(net, params, inputs).blobs.get('up')!.data)).toBeLessThanOrEqual(1e-4);
    }
    compiled.destroy();
  });

  // Two threads split the window's rows; each part has its own planes, so a part's extra lanes never land in
  // rows the other thread writes (a narrow window: one block's lanes span several rows).
  it.each(CASES)('two threads, $name: the same values as the reference executor', async (c) => {
    const net = netOf(c);
    const params = randomParams(net, 21);
    const plan = buildPlan(net);
    // The dense kernel of the last layer (the Crop's window where there is one).
    const spec = [...plan.natives!].reverse().find((n) => n.kind === 'deconvolution' && n.weights === 'dense') as DeconvolutionNativeSpec;
    const inputs = inputsOf(net, 8);
    const kernel = deconvolutionNativeKernel(spec, { threads: 2, threadedMinMacs: 0 });
    const [w, b] = params.get('up')!;
    const got = await kernel.run(b ? [inputs.x.data, w, b] : [inputs.x.data, w]);
    kernel.destroy();
    const want = runReference(net, params, inputs).blobs.get(c.crop ? 'out' : 'up')!;
    expect(maxRelativeError(got, want.data)).toBeLessThanOrEqual(1e-4);
  });

  it('compile({ backend: "wasm", threads: true }) runs big layers on two threads with the same values', async () => {
    const net = netOf({ name: 'big', cin: 16, cout: 16, hw: [20, 20], param: 'kernel_size: 8 stride: 4 pad: 2' });
    const params = randomParams(net, 4);
    const inputs = inputsOf(net, 5);
    const compiled = await compile(net, { weights: params, backend: 'wasm', threads: true });
    for (let i = 0; i < 2; i++) {
      const got = (await compiled.forward(inputs)).up.data;
      expect(maxRelativeError(got, runReference(net, params, inputs).blobs.get('up')!.data)).toBeLessThanOrEqual(1e-4);
    }
    expect(compiled.backend).toBe('wasm');
    compiled.destroy();
  });
});
