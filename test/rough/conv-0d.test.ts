// A Convolution whose `axis` leaves no spatial axes (issue 17, item 9): Caffe needs no kernel_size there
// (its Test0DConvolution: 2×3×6×4, axis 3, num_output 3 → 2×3×6×3), and the layer is an InnerProduct over the
// last axis: out[n, c, h, o] = Σ_k W[o, k]·x[n, c, h, k] + b[o], computed here by hand as the oracle.
import { describe, expect, it } from 'vitest';
import { compile, loadNet, runReference } from '../../src/index.js';
import { fillWeights } from '../../src/weights/fill-weights.js';
import { randomTensor } from '../helpers/random-params.js';

const NET = `name: "conv0d"
layer { name: "data" type: "Input" top: "data" input_param { shape { dim: 2 dim: 3 dim: 6 dim: 4 } } }
layer { name: "conv" type: "Convolution" bottom: "data" top: "conv"
  convolution_param { num_output: 3 axis: 3 weight_filler { type: "gaussian" std: 1 } bias_filler { type: "gaussian" std: 1 } } }
`;

describe('0-D convolution', () => {
  it('needs no kernel_size and shapes as Caffe: 2×3×6×4, axis 3 → 2×3×6×3, weights 3×4', () => {
    const net = loadNet(NET);
    expect(net.blob('conv').shape).toEqual([2, 3, 6, 3]);
    expect(net.layer('conv')!.paramShapes).toEqual([[3, 4], [3]]);
  });

  it.each(['cpu', 'wasm'] as const)('runs on %s as an InnerProduct over the last axis', async (backend) => {
    const net = loadNet(NET);
    const params = fillWeights(net, 5);
    const [w, b] = params.get('conv')!;
    const x = randomTensor([2, 3, 6, 4], 9);
    const expected = new Float32Array(2 * 3 * 6 * 3);
    for (let row = 0; row < 2 * 3 * 6; row++) {
      for (let o = 0; o < 3; o++) {
        let sum = b[o];
        for (let k = 0; k < 4; k++) sum += w[o * 4 + k] * x.data[row * 4 + k];
        expected[row * 3 + o] = sum;
      }
    }
    const compiled = await compile(net, { weights: params, backend });
    const out = (await compiled.forward({ data: x })).conv;
    compiled.destroy();
    expect(out.shape).toEqual([2, 3, 6, 3]);
    const reference = runReference(net, params, { data: x }).blobs.get('conv')!;
    for (let i = 0; i < expected.length; i++) {
      expect(out.data[i]).toBeCloseTo(expected[i], 4);
      expect(reference.data[i]).toBeCloseTo(expected[i], 4);
    }
  });
});
