// The ONNX export of every PyTorch numerics fixture net (test/fixtures/numerics), run in onnxruntime-node:
// each output must agree with brewnet's reference executor and with PyTorch's float64 values within 1e-4
// of the output's largest magnitude; the oracle fixtures (OpenCV dnn, NumPy) likewise. The bytes are also decoded back and checked against ONNX's rules.
import { describe, expect, it } from 'vitest';
import { exportOnnx } from '../../src/export/onnx/export-onnx.js';
import { checkOnnxModel } from '../../src/export/onnx/check-model.js';
import { runOnnxruntime } from '../../src/export/onnx/check-onnxruntime.js';
import { runReference } from '../../src/runtime/reference-executor.js';
import { loadCase, numericsCases } from '../helpers/numerics-fixtures.js';
import { decodeModel } from './onnx-decode.js';
import { loadNet } from '../../src/api/load-net.js';
import { loadWeights } from '../../src/weights/match-weights.js';
import { oracleCases, oracleExpected, oracleFiles, oracleInputs, relativeToMax } from '../helpers/oracle-fixtures.js';

describe('ONNX export of the numerics fixtures', () => {
  for (const c of numericsCases()) {
    it(`${c.name}: onnxruntime agrees with the reference executor and PyTorch`, async () => {
      const k = loadCase(c);
      // Every blob PyTorch computed (final versions, as Caffe's net.blobs), not only the net's outputs.
      const blobs = [...k.expected.keys()].filter((b) => !k.net.inputs.includes(b));
      const bytes = exportOnnx(k.net, { weights: k.params, outputs: blobs });
      expect(checkOnnxModel(decodeModel(bytes))).toEqual([]);
      const got = await runOnnxruntime(bytes, k.inputs);
      const reference = runReference(k.net, k.params, k.inputs).blobs;
      for (const name of blobs) {
        expect(relativeToMax(got[name].data, reference.get(name)!.data), `${c.name} ${name} vs reference`).toBeLessThanOrEqual(1e-4);
        expect(relativeToMax(got[name].data, k.expected.get(name)!.data), `${c.name} ${name} vs PyTorch`).toBeLessThanOrEqual(1e-4);
      }
    });
  }
});

describe('ONNX export of the oracle fixtures (MVN, Reduction, Tile, ReLU6, ShuffleChannel, ConvolutionDepthwise, Axpy, BatchReindex)', () => {
  // The other fork layers' fixtures (Normalize, PriorBox, BN, MergeCrop, …) are not exported yet: onnx-export.test.ts names them.
  for (const c of oracleCases().filter((k) =>
    /^(mvn|reduction|tile|relu6|shuffle_channel|conv_depthwise|axpy|batch_reindex)$|^mvn_/.test(k.name),
  )) {
    it(`${c.name}: onnxruntime agrees with ${c.oracle} and the reference executor`, async () => {
      const files = oracleFiles(c);
      const net = loadNet(files.net);
      const inputs = oracleInputs(c);
      const bytes = exportOnnx(net, { weights: files.weights, seed: 0, outputs: c.blobs });
      expect(checkOnnxModel(decodeModel(bytes))).toEqual([]);
      const got = await runOnnxruntime(bytes, inputs);
      const params = files.weights ? loadWeights(net, files.weights).params : new Map<string, Float32Array[]>();
      const reference = runReference(net, params, inputs).blobs;
      for (const [name, want] of oracleExpected(c)) {
        expect(relativeToMax(got[name].data, want.data), `${c.name} ${name} vs ${c.oracle}`).toBeLessThanOrEqual(c.tolerance);
        expect(relativeToMax(got[name].data, reference.get(name)!.data), `${c.name} ${name} vs reference`).toBeLessThanOrEqual(1e-4);
      }
    });
  }
});
