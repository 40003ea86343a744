// brewnet's native WebAssembly SIMD Convolution kernel (src/runtime/wasm/phase-gemm-convolution.ts: a stride-1
// Convolution run as a stride-1 Deconvolution's phase GEMM) on awkward shapes, against the reference
// executor: 1×1, 3×3 pad 1, dilation, groups up to depthwise, bias, Theano's flip, batch 2, widths that are
// not multiples of 4, channel counts that leave a register block part-filled, a pad beyond the kernel's reach
// (FCN's conv1_1), a wide 1×1 on a small image (FCN's fc7), and and strided layers (made stride-1 by space to depth: convolution/strided.ts).
import { describe, expect, it } from 'vitest';
import { loadNet } from '../../src/api/load-net.js';
import { setLayerExtension } from '../../src/ir/layer-extensions.js';
import type { Net } from '../../src/ir/net.js';
import { buildPlan } from '../../src/runtime/build-plan.js';
import { compile } from '../../src/runtime/compile.js';
import { paramsForPlan, type ParamMap } from '../../src/runtime/plan-params.js';
import { runReference } from '../../src/runtime/reference-executor.js';
import { activeSteps, neededSteps } from '../../src/runtime/step-selection.js';
import type { ConvolutionNativeSpec } from '../../src/ir/native-kernel-spec.js';
import { convolutionNativeKernel } from '../../src/runtime/wasm/phase-gemm-convolution.js';
import { loadCase, numericsCases } from '../helpers/numerics-fixtures.js';
import { maxRelativeError, randomParams, randomTensor } from '../helpers/random-params.js';

interface Case {
  name: string;
  n?: number;
  cin: number;
  cout: number;
  hw: [number, number];
  param: string;
  flip?: boolean;
  /** A strided layer: no native kernel, its gpu.js kernel runs. */
  gpujs?: boolean;
}

const CASES: Case[] = [
  { name: '1×1', cin: 3, cout: 5, hw: [4, 7], param: 'kernel_size: 1' },
  { name: '3×3 pad 1 with bias', cin: 4, cout: 8, hw: [6, 9], param: 'kernel_size: 3 pad: 1 bias_term: true' },
  { name: 'dilation 2', cin: 3, cout: 4, hw: [9, 10], param: 'kernel_size: 3 pad: 2 dilation: 2' },
  { name: 'group 2 and bias', cin: 6, cout: 10, hw: [5, 7], param: 'kernel_size: 3 pad: 1 group: 2 bias_term: true' },
  { name: 'depthwise (group = C)', cin: 5, cout: 5, hw: [6, 6], param: 'kernel_size: 3 pad: 1 group: 5 bias_term: true' },
  {
    name: "Theano's filter flip, rectangular kernel and pad",
    cin: 4,
    cout: 6,
    hw: [7, 8],
    param: 'kernel_h: 3 kernel_w: 5 pad_h: 1 pad_w: 2 bias_term: true',
    flip: true,
  },
  { name: 'batch 2, width 13, 7 output channels', n: 2, cin: 5, cout: 7, hw: [6, 13], param: 'kernel_size: 3 pad: 1 bias_term: true' },
  { name: 'one output channel, no pad', cin: 8, cout: 1, hw: [5, 11], param: 'kernel_size: 3' },
  { name: 'pad beyond the kernel reach (FCN conv1_1)', cin: 3, cout: 4, hw: [3, 5], param: 'kernel_size: 3 pad: 5 bias_term: true' },
  { name: 'pad beyond reach on one axis only', cin: 2, cout: 3, hw: [4, 6], param: 'kernel_h: 1 kernel_w: 3 pad_h: 2 pad_w: 1' },
  { name: '7×7, no pad (FCN fc6)', cin: 8, cout: 12, hw: [9, 10], param: 'kernel_size: 7 bias_term: true' },
  { name: '1×1 to 4096 channels on 3×3 (FCN fc7)', cin: 16, cout: 4096, hw: [3, 3], param: 'kernel_size: 1 bias_term: true' },
  { name: 'stride 2, odd sizes', cin: 3, cout: 5, hw: [7, 9], param: 'kernel_size: 3 stride: 2 pad: 1 bias_term: true' },
  { name: 'stride (2, 1)', cin: 2, cout: 3, hw: [7, 5], param: 'kernel_h: 3 kernel_w: 3 stride_h: 2 stride_w: 1' },
  {
    name: '7×7 stride 2 pad 3 (GoogLeNet/ResNet conv1)',
    cin: 3,
    cout: 8,
    hw: [15, 14],
    param: 'kernel_size: 7 stride: 2 pad: 3 bias_term: true',
  },
  { name: '1×1 stride 2 (ResNet downsampling)', cin: 8, cout: 6, hw: [9, 8], param: 'kernel_size: 1 stride: 2' },
  { name: '11×11 stride 4 (CaffeNet conv1)', cin: 3, cout: 5, hw: [27, 23], param: 'kernel_size: 11 stride: 4 bias_term: true' },
  {
    name: 'depthwise 3×3 stride 2 (MobileNet)',
    cin: 6,
    cout: 6,
    hw: [9, 10],
    param: 'kernel_size: 3 stride: 2 pad: 1 group: 6 bias_term: true',
  },
  {
    name: 'stride 3 dilation 2, group 2, flip',
    cin: 4,
    cout: 6,
    hw: [13, 12],
    param: 'kernel_size: 3 stride: 3 dilation: 2 pad: 2 group: 2 bias_term: true',
    flip: true,
  },
  { name: 'stride 2, pad larger than the kernel reach', cin: 2, cout: 3, hw: [5, 6], param: 'kernel_size: 3 stride: 2 pad: 4' },
];

function netOf(c: Case): Net {
  const n = c.n ?? 1;
  const bias = /bias_term/.test(c.param) ? '' : ' bias_term: false';
  const net = loadNet(
    [
      `layer { name: "in" type: "Input" top: "x" input_param { shape { dim: ${n} dim: ${c.cin} dim: ${c.hw[0]} dim: ${c.hw[1]} } } }`,
      `layer { name: "conv" type: "Convolution" bottom: "x" top: "conv" convolution_param { num_output: ${c.cout} ${c.param}${bias} } }`,
    ].join('\n'),
  );
  if (c.flip) setLayerExtension(net.layers.find((l) => l.name === 'conv')!.proto, { origin: 'test', filterFlip: true });
  return net;
}

/** What runs on backend wasm for each step that runs (active and needed): a native kernel's kind, or 'gpu.js'. */
function running(net: Net, params: ParamMap): string[] {
  const plan = buildPlan(net);
  const run = neededSteps(
    plan,
    activeSteps(plan, paramsForPlan(plan, params), true),
    plan.blobs.map(([, v]) => v),
  );
  return plan.steps.flatMap((s, i) => (run[i] && !('alias' in s) ? ['native' in s ? plan.natives![s.native].kind : 'gpu.js'] : []));
}

describe('native Convolution kernel (backend wasm)', () => {
  it.each(CASES)('$name: matches the reference executor', async (c) => {
    const net = netOf(c);
    const params = randomParams(net, 13);
    expect(running(net, params)).toEqual([c.gpujs ? 'gpu.js' : 'convolution']);
    const compiled = await compile(net, { weights: params, backend: 'wasm' });
    expect(compiled.backend).toBe('wasm');
    // Twice, with new inputs in between: the grid's zero border must survive a pass.
    for (const seed of [3, 4]) {
      const inputs = { x: randomTensor(net.layers[0].tops[0].shape, seed) };
      const want = runReference(net, params, inputs).blobs.get('conv')!;
      const got = (await compiled.forward(inputs)).conv;
      expect(got.shape).toEqual(want.shape);
      const err = maxRelativeError(got.data, want.data);
      expect(err, `max error ${err}`).toBeLessThanOrEqual(1e-4);
    }
    compiled.destroy();
  });

  // Two threads split the output rows, each into its own planes.
  it.each(CASES.filter((c) => !c.gpujs))('two threads, $name: the same values as the reference executor', async (c) => {
    const net = netOf(c);
    const params = randomParams(net, 17);
    const plan = buildPlan(net);
    const spec = plan.natives![0] as ConvolutionNativeSpec;
    const inputs = { x: randomTensor(net.layers[0].tops[0].shape, 6) };
    const kernel = convolutionNativeKernel(spec, { threads: 2, threadedMinMacs: 0 });
    const [w, b] = params.get('conv')!;
    const got = await kernel.run(b ? [inputs.x.data, w, b] : [inputs.x.data, w]);
    kernel.destroy();
    expect(maxRelativeError(got, runReference(net, params, inputs).blobs.get('conv')!.data)).toBeLessThanOrEqual(1e-4);
  });

  it('compile({ backend: "wasm", threads: true }) runs a big layer on two threads with the same values', async () => {
    const net = netOf({ name: 'big', cin: 32, cout: 32, hw: [40, 40], param: 'kernel_size: 3 pad: 1 bias_term: true' });
    const params = randomParams(net, 4);
    const inputs = { x: randomTensor(net.layers[0].tops[0].shape, 5) };
    const compiled = await compile(net, { weights: params, backend: 'wasm', threads: true });
    const want = runReference(net, params, inputs).blobs.get('conv')!.data;
    for (let i = 0; i < 2; i++) expect(maxRelativeError((await compiled.forward(inputs)).conv.data, want)).toBeLessThanOrEqual(1e-4);
    compiled.destroy();
  });

  // A ReLU after a Convolution runs as the Convolution's native kernel with the ReLU fused, unless the
  // Convolution's value before the ReLU is read too (fused, the Convolution would run twice).
  it.each([
    { name: 'in-place ReLU', relu: 'bottom: "conv" top: "conv"', slope: 0, fused: true },
    {
      name: 'in-place leaky ReLU (slope 0.1)',
      relu: 'bottom: "conv" top: "conv" relu_param { negative_slope: 0.1 }',
      slope: 0.1,
      fused: true,
    },
    { name: 'ReLU of slope 2 (not fused)', relu: 'bottom: "conv" top: "conv" relu_param { negative_slope: 2 }', slope: 2, fused: false },
    {
      name: 'ReLU into a new blob, the Convolution read by an Eltwise too (not fused)',
      relu: 'bottom: "conv" top: "r"',
      slope: 0,
      fused: false,
      alsoConv: true,
    },
  ])('$name', async (c) => {
    const net = loadNet(
      [
        'layer { name: "in" type: "Input" top: "x" input_param { shape { dim: 2 dim: 5 dim: 6 dim: 9 } } }',
        'layer { name: "conv" type: "Convolution" bottom: "x" top: "conv" convolution_param { num_output: 6 kernel_size: 3 pad: 1 } }',
        `layer { name: "relu" type: "ReLU" ${c.relu} }`,
        c.alsoConv ? 'layer { name: "sum" type: "Eltwise" bottom: "conv" bottom: "r" top: "sum" }' : '',
      ].join('\n'),
    );
    const params = randomParams(net, 2);
    const kinds = running(net, params);
    if (c.alsoConv) expect(kinds).toEqual(['convolution', 'channel-affine', 'eltwise']);
    else expect(kinds).toEqual(c.fused ? ['convolution'] : ['convolution', 'gpu.js']);
    const inputs = { x: randomTensor([2, 5, 6, 9], 7) };
    const want = runReference(net, params, inputs).blobs;
    expect(
      [...want.values()].some((t) => t.data.some((v) => v < 0)),
      'the case has negative values to rectify',
    ).toBe(true);
    const compiled = await compile(net, { weights: params, backend: 'wasm' });
    const got = await compiled.forward(inputs, { blobs: 'all' });
    for (const [name, t] of want) expect(maxRelativeError(got[name].data, t.data), name).toBeLessThanOrEqual(1e-4);
    compiled.destroy();
  });

  // The PyTorch numerics test runs these nets on wasm; here, that their Convolutions (strided ones too) take the native path.
  // (by its own step, or fused into the ReLU after it).
  it.each(['conv', 'theano', 'v1'])('numerics case %s: every Convolution runs natively on wasm', (name) => {
    const c = loadCase(numericsCases().find((k) => k.name === name)!);
    const plan = buildPlan(c.net);
    const run = neededSteps(
      plan,
      activeSteps(plan, paramsForPlan(plan, c.params), true),
      plan.blobs.map(([, v]) => v),
    );
    const convs = c.net.layers.flatMap((l, i) => (l.type === 'Convolution' ? [i] : []));
    expect(convs.length).toBeGreaterThan(0);
    const stepsOf = (layer: number) => plan.steps.filter((s, i) => run[i] && s.layer === layer);
    for (const layer of convs) {
      const next = c.net.layers[layer + 1];
      const fused = next?.type === 'ReLU' && next.bottoms[0].producer === c.net.layers[layer] ? stepsOf(layer + 1) : [];
      const steps = fused.some((s) => 'native' in s) ? fused : stepsOf(layer);
      expect(
        steps.map((s) => 'native' in s),
        c.net.layers[layer].name,
      ).toEqual([true]);
      if (fused.length) expect(stepsOf(layer), 'a fused Convolution runs no step of its own').toEqual([]);
    }
  });
});
