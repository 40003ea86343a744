// brewnet's native kernels for the layers other than Convolution and Deconvolution (backend wasm):
// Pooling, InnerProduct, the per-channel element-wise maps (BatchNorm, Scale, Bias, ReLU, PReLU), Eltwise,
// LRN, and the plain-JavaScript ones (Concat, Softmax), each on awkward shapes against the reference
// executor, twice (new inputs; the parameter blobs are written once), and that the native kernel (not
// gpu.js) is what ran.
import { describe, expect, it } from 'vitest';
import { loadNet } from '../../src/api/load-net.js';
import type { Net } from '../../src/ir/net.js';
import { buildPlan } from '../../src/runtime/build-plan.js';
import { compile } from '../../src/runtime/compile.js';
import { paramsForPlan, type ParamMap } from '../../src/runtime/plan-params.js';
import { runReference } from '../../src/runtime/reference-executor.js';
import { activeSteps, neededSteps } from '../../src/runtime/step-selection.js';
import { maxRelativeError, randomParams, randomTensor } from '../helpers/random-params.js';

interface Case {
  name: string;
  /** Input shape(s), then the layers after the Input layer(s). */
  inputs: number[][];
  layers: string;
  /** What runs for each step that runs: a native kind or 'gpu.js'. */
  runs: string[];
}

const input = (shapes: number[][]) =>
  shapes
    .map((s, i) => `layer { name: "in${i}" type: "Input" top: "x${i}" input_param { shape { ${s.map((d) => `dim: ${d}`).join(' ')} } } }`)
    .join('\n');

const CASES: Case[] = [
  {
    name: 'MAX pooling 3×3 s2, ceil rounding',
    inputs: [[2, 3, 8, 9]],
    layers: 'layer { name: "p" type: "Pooling" bottom: "x0" top: "y" pooling_param { pool: MAX kernel_size: 3 stride: 2 } }',
    runs: ['pooling'],
  },
  {
    name: 'MAX pooling 3×3 s1 pad 1 (inception)',
    inputs: [[1, 4, 7, 6]],
    layers: 'layer { name: "p" type: "Pooling" bottom: "x0" top: "y" pooling_param { pool: MAX kernel_size: 3 stride: 1 pad: 1 } }',
    runs: ['pooling'],
  },
  {
    name: 'AVE pooling with pad: the padded-window divisor',
    inputs: [[1, 3, 9, 7]],
    layers: 'layer { name: "p" type: "Pooling" bottom: "x0" top: "y" pooling_param { pool: AVE kernel_size: 3 stride: 2 pad: 1 } }',
    runs: ['pooling'],
  },
  {
    name: 'AVE pooling, rectangular kernel, ceil past the pad',
    inputs: [[1, 2, 10, 11]],
    layers:
      'layer { name: "p" type: "Pooling" bottom: "x0" top: "y" pooling_param { pool: AVE kernel_h: 3 kernel_w: 2 stride_h: 3 stride_w: 2 pad_h: 1 pad_w: 0 } }',
    runs: ['pooling'],
  },
  {
    name: 'global AVE pooling (7×7)',
    inputs: [[2, 5, 7, 7]],
    layers: 'layer { name: "p" type: "Pooling" bottom: "x0" top: "y" pooling_param { pool: AVE global_pooling: true } }',
    runs: ['pooling'],
  },
  {
    name: 'MAX pooling with a mask top (gpu.js)',
    inputs: [[1, 2, 6, 6]],
    layers: 'layer { name: "p" type: "Pooling" bottom: "x0" top: "y" top: "mask" pooling_param { pool: MAX kernel_size: 2 stride: 2 } }',
    runs: ['gpu.js', 'gpu.js'],
  },
  {
    name: 'InnerProduct K=10 N=7 batch 3',
    inputs: [[3, 10]],
    layers: 'layer { name: "ip" type: "InnerProduct" bottom: "x0" top: "y" inner_product_param { num_output: 7 } }',
    runs: ['inner-product'],
  },
  {
    name: 'InnerProduct from 4-D, no bias, N=16',
    inputs: [[1, 8, 3, 3]],
    layers: 'layer { name: "ip" type: "InnerProduct" bottom: "x0" top: "y" inner_product_param { num_output: 16 bias_term: false } }',
    runs: ['inner-product'],
  },
  {
    name: 'InnerProduct transpose, K=33 N=5, batch 2',
    inputs: [[2, 33]],
    layers: 'layer { name: "ip" type: "InnerProduct" bottom: "x0" top: "y" inner_product_param { num_output: 5 transpose: true } }',
    runs: ['inner-product'],
  },
  {
    name: 'BatchNorm then Scale with bias, planes of 7×7',
    inputs: [[2, 5, 7, 7]],
    layers:
      'layer { name: "bn" type: "BatchNorm" bottom: "x0" top: "b" }\nlayer { name: "sc" type: "Scale" bottom: "b" top: "y" scale_param { bias_term: true } }',
    runs: ['channel-affine', 'channel-affine'],
  },
  {
    // The ReLU runs in the Scale's kernel (fusion-rules.ts: relu-epilogue).
    name: 'in-place BatchNorm, Scale (no bias), ReLU',
    inputs: [[1, 6, 5, 3]],
    layers:
      'layer { name: "bn" type: "BatchNorm" bottom: "x0" top: "x0" }\nlayer { name: "sc" type: "Scale" bottom: "x0" top: "x0" }\nlayer { name: "r" type: "ReLU" bottom: "x0" top: "x0" }',
    runs: ['channel-affine', 'channel-affine'],
  },
  {
    name: 'Bias and Scale over axis 2 … 3',
    inputs: [[2, 3, 4, 5]],
    layers:
      'layer { name: "bi" type: "Bias" bottom: "x0" top: "b" bias_param { axis: 2 num_axes: 2 } }\nlayer { name: "sc" type: "Scale" bottom: "b" top: "y" scale_param { axis: 1 num_axes: 1 } }',
    runs: ['channel-affine', 'channel-affine'],
  },
  {
    name: 'Scale by a second bottom (gpu.js)',
    inputs: [
      [2, 3, 4, 5],
      [2, 3],
    ],
    layers: 'layer { name: "sc" type: "Scale" bottom: "x0" bottom: "x1" top: "y" scale_param { axis: 0 } }',
    runs: ['gpu.js'],
  },
  {
    name: 'leaky ReLU 0.2 after pooling, odd count',
    inputs: [[1, 3, 5, 5]],
    layers:
      'layer { name: "p" type: "Pooling" bottom: "x0" top: "p" pooling_param { pool: MAX kernel_size: 2 stride: 2 } }\nlayer { name: "r" type: "ReLU" bottom: "p" top: "y" relu_param { negative_slope: 0.2 } }',
    runs: ['pooling', 'channel-affine'],
  },
  {
    name: 'ReLU of slope 1.5 (gpu.js)',
    inputs: [[1, 7]],
    layers: 'layer { name: "r" type: "ReLU" bottom: "x0" top: "y" relu_param { negative_slope: 1.5 } }',
    runs: ['gpu.js'],
  },
  {
    name: 'PReLU per channel and channel_shared',
    inputs: [[2, 4, 3, 3]],
    layers:
      'layer { name: "pr" type: "PReLU" bottom: "x0" top: "a" }\nlayer { name: "ps" type: "PReLU" bottom: "a" top: "y" prelu_param { channel_shared: true } }',
    runs: ['channel-affine', 'channel-affine'],
  },
  {
    name: 'Eltwise SUM with coefficients over 3 inputs',
    inputs: [
      [1, 3, 5, 3],
      [1, 3, 5, 3],
      [1, 3, 5, 3],
    ],
    layers:
      'layer { name: "e" type: "Eltwise" bottom: "x0" bottom: "x1" bottom: "x2" top: "y" eltwise_param { operation: SUM coeff: 0.5 coeff: -2 coeff: 1 } }',
    runs: ['eltwise'],
  },
  {
    name: 'Eltwise PROD and MAX',
    inputs: [
      [2, 9],
      [2, 9],
    ],
    layers:
      'layer { name: "e" type: "Eltwise" bottom: "x0" bottom: "x1" top: "p" eltwise_param { operation: PROD } }\nlayer { name: "m" type: "Eltwise" bottom: "p" bottom: "x1" top: "y" eltwise_param { operation: MAX } }',
    runs: ['eltwise', 'eltwise'],
  },
  {
    name: 'Concat on channels, batch 2',
    inputs: [
      [2, 3, 4, 5],
      [2, 1, 4, 5],
      [2, 2, 4, 5],
    ],
    layers: 'layer { name: "c" type: "Concat" bottom: "x0" bottom: "x1" bottom: "x2" top: "y" }',
    runs: ['concat'],
  },
  {
    name: 'Concat on axis 2',
    inputs: [
      [2, 3, 4, 5],
      [2, 3, 2, 5],
    ],
    layers: 'layer { name: "c" type: "Concat" bottom: "x0" bottom: "x1" top: "y" concat_param { axis: 2 } }',
    runs: ['concat'],
  },
  {
    name: 'LRN across channels (AlexNet)',
    inputs: [[2, 7, 4, 5]],
    layers: 'layer { name: "n" type: "LRN" bottom: "x0" top: "y" lrn_param { local_size: 5 alpha: 0.0001 beta: 0.75 } }',
    runs: ['lrn'],
  },
  {
    name: 'LRN across, size 3, β 0.6, k 2, large α',
    inputs: [[1, 2, 3, 3]],
    layers: 'layer { name: "n" type: "LRN" bottom: "x0" top: "y" lrn_param { local_size: 3 alpha: 2 beta: 0.6 k: 2 } }',
    runs: ['lrn'],
  },
  {
    name: 'LRN within channel',
    inputs: [[1, 3, 6, 5]],
    layers:
      'layer { name: "n" type: "LRN" bottom: "x0" top: "y" lrn_param { local_size: 3 alpha: 1.5 beta: 0.75 norm_region: WITHIN_CHANNEL } }',
    runs: ['lrn'],
  },
  {
    name: 'Softmax over channels of a 4-D blob',
    inputs: [[2, 5, 3, 2]],
    layers: 'layer { name: "s" type: "Softmax" bottom: "x0" top: "y" }',
    runs: ['softmax'],
  },
  {
    name: 'Softmax of 1000 classes',
    inputs: [[1, 1000]],
    layers: 'layer { name: "s" type: "Softmax" bottom: "x0" top: "y" }',
    runs: ['softmax'],
  },
];

function running(net: Net, params: ParamMap): string[] {
  const plan = buildPlan(net);
  const run = neededSteps(
    plan,
    activeSteps(plan, paramsForPlan(plan, params), true),
    plan.blobs.map(([, v]) => v),
  );
  return plan.steps.flatMap((s, i) => (run[i] && !('alias' in s) ? ['native' in s ? plan.natives![s.native].kind : 'gpu.js'] : []));
}

describe('native kernels of the other layers (backend wasm)', () => {
  it.each(CASES)('$name: matches the reference executor', async (c) => {
    const net = loadNet(`${input(c.inputs)}\n${c.layers}`);
    const params = randomParams(net, 11);
    expect(running(net, params)).toEqual(c.runs);
    const compiled = await compile(net, { weights: params, backend: 'wasm' });
    for (const seed of [1, 2]) {
      const inputs = Object.fromEntries(c.inputs.map((s, i) => [`x${i}`, randomTensor(s, seed * 10 + i, -2, 2)]));
      const want = runReference(net, params, inputs).blobs;
      const got = await compiled.forward(inputs, { blobs: 'all' });
      for (const [name, t] of want) {
        expect(got[name].shape, name).toEqual(t.shape);
        expect(maxRelativeError(got[name].data, t.data), name).toBeLessThanOrEqual(1e-5);
      }
    }
    compiled.destroy();
  });
});
