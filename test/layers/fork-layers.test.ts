// Layers from Caffe's forks (src/layers/forks/) against an oracle — OpenCV's dnn module where it implements
// the layer, else PyTorch or NumPy written from the fork's code: small seeded nets per layer
// (test/fixtures/oracle, made by generate.py), run by the reference executor and compiled on cpu and wasm.
import { describe, expect, it } from 'vitest';
import { loadNet } from '../../src/api/load-net.js';
import { compile } from '../../src/runtime/compile.js';
import { runReference } from '../../src/runtime/reference-executor.js';
import { loadWeights } from '../../src/weights/match-weights.js';
import { oracleCases, oracleError, oracleExpected, oracleFiles, oracleInputs } from '../helpers/oracle-fixtures.js';

const HOST_CASES = new Set(['mvn', 'mvn_across', 'mvn_mean_only', 'reduction', 'tile', 'plugin_mish']);
const cases = oracleCases().filter((c) => !HOST_CASES.has(c.name));

describe('fork layers against OpenCV', () => {
  it('has the caffe-ssd and segmentation cases', () => {
    expect(cases.map((c) => c.name)).toEqual(
      expect.arrayContaining([
        'normalize',
        'permute',
        'priorbox',
        'priorbox_img',
        'detection',
        'detection_corner',
        'interp',
        'bn_pspnet',
        'bn_segnet',
        'upsample',
        'relu6',
        'shuffle_channel',
        'conv_depthwise',
        'axpy',
        'mergecrop',
        'pooling_stochastic',
        'batch_reindex',
        'lstm_unit',
        'recurrent',
        'roi_pooling',
      ]),
    );
  });

  it.each(cases)('$name: reference executor, cpu and wasm agree with $oracle', async (c) => {
    const files = oracleFiles(c);
    const net = loadNet(files.net);
    const params = files.weights ? loadWeights(net, files.weights).params : new Map<string, Float32Array[]>();
    const inputs = oracleInputs(c);
    const ref = runReference(net, params, inputs).blobs;
    for (const [name, e] of oracleExpected(c))
      expect(oracleError(c, ref.get(name)!.data, e.data), `reference ${name}`).toBeLessThanOrEqual(c.tolerance);
    // wasm runs the native kernels where they cover a layer (ConvolutionDepthwise's, as a grouped convolution).
    for (const backend of ['cpu', 'wasm'] as const) {
      const compiled = await compile(net, { weights: params, backend });
      const out = await compiled.forward(inputs, { blobs: c.blobs });
      compiled.destroy();
      for (const [name, e] of oracleExpected(c))
        expect(oracleError(c, out[name].data, e.data), `${backend} ${name}`).toBeLessThanOrEqual(c.tolerance);
    }
  });
});
