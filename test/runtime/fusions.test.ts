// The fusion rules of src/runtime/fusion-rules.ts on backend wasm: BatchNorm and Scale folded into the
// Convolution or InnerProduct before them, ReLU fused into the InnerProduct, Eltwise or per-channel map
// before it. Each net runs fused and unfused (buildPlan's `fuse: false`), and the two must agree with each
// other and with the reference executor; where a rule must not apply (a second consumer, batch statistics,
// an operand over more than the channels), the plan keeps the layer's own step. ResNet-50 from the corpus,
// where every BatchNorm, Scale and most ReLUs fold away, agrees with its unfused plan within 1e-4.
import { describe, expect, it } from 'vitest';
import { loadNet } from '../../src/api/load-net.js';
import type { Net } from '../../src/ir/net.js';
import { buildPlan } from '../../src/runtime/build-plan.js';
import { compile } from '../../src/runtime/compile.js';
import { paramsForPlan, type ParamMap } from '../../src/runtime/plan-params.js';
import { runReference } from '../../src/runtime/reference-executor.js';
import { activeSteps, neededSteps } from '../../src/runtime/step-selection.js';
import { corpusAvailable, corpusPath } from '../helpers/corpus.js';
import { maxRelativeError, mulberry32, randomParams, randomTensor } from '../helpers/random-params.js';

/** What runs on backend wasm for the net's outputs: each native step's kind, or 'gpu.js'. */
function running(net: Net, params: ParamMap, fuse = true): string[] {
  const plan = buildPlan(net, { fuse });
  const run = neededSteps(
    plan,
    activeSteps(plan, paramsForPlan(plan, params), true),
    plan.outputs.map((name) => plan.blobs.find(([b]) => b === name)![1]),
  );
  return plan.steps.flatMap((s, i) => (run[i] && !('alias' in s) ? ['native' in s ? plan.natives![s.native].kind : 'gpu.js'] : []));
}

const INPUT = 'layer { name: "in" type: "Input" top: "x" input_param { shape { dim: 2 dim: 5 dim: 6 dim: 9 } } }';
const conv = (param: string, top = 'c', bottom = 'x') =>
  `layer { name: "${top}" type: "Convolution" bottom: "${bottom}" top: "${top}" convolution_param { num_output: 6 ${param} } }`;
const bn = (blob = 'c', top = blob, extra = '') =>
  `layer { name: "bn_${top}" type: "BatchNorm" bottom: "${blob}" top: "${top}" batch_norm_param { eps: 0.001 ${extra} } }`;
const scale = (blob = 'c', param = 'bias_term: true', top = blob) =>
  `layer { name: "sc_${top}" type: "Scale" bottom: "${blob}" top: "${top}" scale_param { ${param} } }`;
const relu = (blob = 'c', slope = 0) =>
  `layer { name: "relu_${blob}" type: "ReLU" bottom: "${blob}" top: "${blob}" relu_param { negative_slope: ${slope} } }`;
const ip = (param = '', top = 'f') =>
  `layer { name: "${top}" type: "InnerProduct" bottom: "x" top: "${top}" inner_product_param { num_output: 7 ${param} } }`;

const CASES: { name: string; layers: string[]; fused: string[] }[] = [
  {
    name: 'conv + BatchNorm + Scale (bias) + ReLU, in place',
    layers: [conv('kernel_size: 3 pad: 1'), bn(), scale(), relu()],
    fused: ['convolution'],
  },
  {
    name: 'conv without bias + BatchNorm + Scale without bias',
    layers: [conv('kernel_size: 1 bias_term: false'), bn(), scale('c', 'bias_term: false')],
    fused: ['convolution'],
  },
  {
    name: 'strided conv + BatchNorm + Scale + leaky ReLU (0.1)',
    layers: [conv('kernel_size: 3 stride: 2 pad: 1'), bn(), scale(), relu('c', 0.1)],
    fused: ['convolution'],
  },
  {
    name: 'depthwise conv + BatchNorm + Scale + ReLU (MobileNet)',
    layers: [
      'layer { name: "c" type: "Convolution" bottom: "x" top: "c" convolution_param { num_output: 5 group: 5 kernel_size: 3 pad: 1 bias_term: false } }',
      bn(),
      scale(),
      relu(),
    ],
    fused: ['convolution'],
  },
  {
    name: 'conv + Scale (no BatchNorm), into new blobs',
    layers: [conv('kernel_size: 3'), scale('c', 'bias_term: true', 's')],
    fused: ['convolution'],
  },
  { name: 'InnerProduct + BatchNorm + Scale + ReLU', layers: [ip(), bn('f'), scale('f'), relu('f')], fused: ['inner-product'] },
  { name: 'transposed InnerProduct + Scale', layers: [ip('transpose: true'), scale('f')], fused: ['inner-product'] },
  { name: 'InnerProduct + leaky ReLU (0.2)', layers: [ip('bias_term: false'), relu('f', 0.2)], fused: ['inner-product'] },
  {
    name: 'Eltwise SUM with coefficients + ReLU (ResNet)',
    layers: [
      conv('kernel_size: 3 pad: 1', 'a'),
      conv('kernel_size: 1', 'b'),
      'layer { name: "sum" type: "Eltwise" bottom: "a" bottom: "b" top: "sum" eltwise_param { coeff: 1 coeff: -0.5 } }',
      relu('sum'),
    ],
    fused: ['convolution', 'convolution', 'eltwise'],
  },
  {
    name: 'Eltwise MAX + leaky ReLU (0.3)',
    layers: [
      conv('kernel_size: 1', 'a'),
      conv('kernel_size: 1', 'b'),
      'layer { name: "m" type: "Eltwise" bottom: "a" bottom: "b" top: "m" eltwise_param { operation: MAX } }',
      relu('m', 0.3),
    ],
    fused: ['convolution', 'convolution', 'eltwise'],
  },
  {
    name: 'Concat + BatchNorm + Scale + ReLU (DenseNet): the ReLU into the Scale',
    layers: [
      conv('kernel_size: 1', 'a'),
      'layer { name: "cat" type: "Concat" bottom: "a" bottom: "x" top: "cat" }',
      bn('cat'),
      scale('cat'),
      relu('cat'),
    ],
    fused: ['convolution', 'concat', 'channel-affine', 'channel-affine'],
  },
  // Where a rule must not apply.
  {
    name: 'a BatchNorm read by two layers: folded into the conv, the Scale not into it',
    layers: [
      conv('kernel_size: 3 pad: 1'),
      bn('c', 'n'),
      scale('n', 'bias_term: true', 's'),
      'layer { name: "sum" type: "Eltwise" bottom: "n" bottom: "s" top: "sum" }',
    ],
    fused: ['convolution', 'channel-affine', 'eltwise'],
  },
  {
    name: 'a conv read by a ReLU and an Eltwise: the ReLU not fused (the conv would run twice)',
    layers: [
      conv('kernel_size: 3 pad: 1'),
      'layer { name: "r" type: "ReLU" bottom: "c" top: "r" }',
      'layer { name: "sum" type: "Eltwise" bottom: "c" bottom: "r" top: "sum" }',
    ],
    fused: ['convolution', 'channel-affine', 'eltwise'],
  },
  {
    name: 'BatchNorm with batch statistics (use_global_stats: false): not folded',
    layers: [conv('kernel_size: 3 pad: 1'), bn('c', 'c', 'use_global_stats: false'), scale()],
    fused: ['convolution', 'gpu.js', 'gpu.js', 'gpu.js', 'channel-affine'],
  },
  {
    name: 'a Scale over channels and rows (num_axes: 2): not folded',
    layers: [conv('kernel_size: 1 pad: 1'), scale('c', 'axis: 1 num_axes: 2')],
    fused: ['convolution', 'channel-affine'],
  },
  { name: 'ReLU of slope 2: not fused', layers: [ip(), relu('f', 2)], fused: ['inner-product', 'gpu.js'] },
];

describe('fusion rules (backend wasm)', () => {
  it.each(CASES)('$name: fused and unfused agree with the reference', async (c) => {
    const net = loadNet([INPUT, ...c.layers].join('\n'));
    const params = randomParams(net, 5);
    expect(running(net, params)).toEqual(c.fused);
    const unfused = running(net, params, false);
    if (c.fused.length < unfused.length) expect(unfused.length).toBeGreaterThan(c.fused.length);
    const inputs = { x: randomTensor([2, 5, 6, 9], 9) };
    const want = runReference(net, params, inputs).blobs;
    const outputs = net.outputs;
    const fused = await compile(net, { weights: params, backend: 'wasm' });
    const plain = await compile(net, { weights: params, backend: 'wasm', fuse: false });
    // Twice: the folded weights are derived once and kept while the same weights stay bound.
    for (let pass = 0; pass < 2; pass++) {
      const a = await fused.forward(inputs);
      const b = await plain.forward(inputs);
      for (const name of outputs) {
        expect(maxRelativeError(a[name].data, b[name].data), `${name}: fused vs unfused`).toBeLessThanOrEqual(1e-5);
        expect(maxRelativeError(a[name].data, want.get(name)!.data), `${name}: fused vs reference`).toBeLessThanOrEqual(1e-4);
      }
    }
    // Every blob asked for: the producers' own steps run where their values are wanted too.
    const all = await fused.forward(inputs, { blobs: 'all' });
    for (const [name, t] of want) expect(maxRelativeError(all[name].data, t.data), name).toBeLessThanOrEqual(1e-4);
    fused.destroy();
    plain.destroy();
  });

  it('other weights bound to the same plan fold again', async () => {
    const net = loadNet([INPUT, conv('kernel_size: 3 pad: 1'), bn(), scale(), relu()].join('\n'));
    const inputs = { x: randomTensor([2, 5, 6, 9], 2) };
    for (const seed of [1, 2]) {
      const params = randomParams(net, seed);
      const compiled = await compile(net, { weights: params, backend: 'wasm' });
      const got = (await compiled.forward(inputs)).c.data;
      expect(maxRelativeError(got, runReference(net, params, inputs).blobs.get('c')!.data)).toBeLessThanOrEqual(1e-4);
      compiled.destroy();
    }
  });

  /** Fan-in-scaled weights, BatchNorm statistics a trained net could have, Scale near 1 (bench/whole/prepare.ts). */
  function saneParams(net: Net): Map<string, Float32Array[]> {
    const rand = mulberry32(12);
    const uniform = (n: number, lo: number, hi: number) => Float32Array.from({ length: n }, () => lo + (hi - lo) * rand());
    const count = (s: readonly number[]) => s.reduce((a, b) => a * b, 1);
    const out = new Map<string, Float32Array[]>();
    for (const layer of net.layers) {
      const shapes = layer.paramShapes;
      if (!shapes.length) continue;
      if (layer.type === 'BatchNorm') {
        const c = count(shapes[0]);
        out.set(layer.name, [uniform(c, -0.1, 0.1), uniform(c, 0.5, 1.5), new Float32Array([1])]);
      } else if (layer.type === 'Scale') {
        out.set(
          layer.name,
          shapes.map((s, i) => (i === 0 ? uniform(count(s), 0.5, 1) : uniform(count(s), -0.1, 0.1))),
        );
      } else {
        const fanIn = count(shapes[0]) / shapes[0][0];
        const r = Math.sqrt(3 / fanIn);
        out.set(
          layer.name,
          shapes.map((s, i) => (i === 0 ? uniform(count(s), -r, r) : uniform(count(s), -0.1, 0.1))),
        );
      }
    }
    return out;
  }

  it.skipIf(!corpusAvailable)(
    'ResNet-50 (corpus): fused within 1e-4 of the unfused plan, with no BatchNorm, Scale or ReLU pass left',
    async () => {
      const net = loadNet(corpusPath('resnet/prototxt/ResNet-50-deploy.prototxt'), { inputs: { data: [1, 3, 224, 224] } });
      const params = saneParams(net);
      const kinds = running(net, params);
      expect(kinds.filter((k) => k === 'convolution').length).toBe(53);
      expect(kinds.filter((k) => k !== 'convolution' && k !== 'eltwise')).toEqual(['pooling', 'pooling', 'inner-product', 'softmax']);
      const inputs = { data: randomTensor([1, 3, 224, 224], 3, 0, 1) };
      const blobs = ['prob', 'fc1000', 'pool5', 'res3d', 'res4a'];
      const fused = await compile(net, { weights: params, backend: 'wasm' });
      const a = await fused.forward(inputs, { blobs });
      fused.destroy();
      const plain = await compile(net, { weights: params, backend: 'wasm', fuse: false });
      const b = await plain.forward(inputs, { blobs });
      plain.destroy();
      for (const name of blobs) {
        expect(b[name].data.some((v) => v !== 0)).toBe(true);
        expect(maxRelativeError(a[name].data, b[name].data), name).toBeLessThanOrEqual(1e-4);
      }
    },
  );
});
