// The ONNX export of every PyTorch numerics fixture net (test/fixtures/numerics), run in onnxruntime-node:
// each output must agree with brewnet's reference executor and with PyTorch's float64 values within 1e-4
// of the output's largest magnitude; the oracle fixtures (OpenCV dnn, NumPy) likewise. The bytes are also decoded back and checked against ONNX's rules.
import { readFileSync } from 'node:fs';
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

describe("ONNX export of the oracle fixtures (MVN, Reduction, Tile, the forks' layers, BatchReindex)", () => {
  // The fixtures of layers with no exact ONNX form (DetectionOutput, the recurrent layers, …) are left out:
  // onnx-export.test.ts names them.
  const exported =
    /^(mvn|reduction|tile|relu6|shuffle_channel|conv_depthwise|axpy|batch_reindex|permute|normalize|priorbox|priorbox_img|bn_pspnet|bn_segnet|interp|mergecrop|roi_pooling|upsample)$|^mvn_/;
  const forkCases = /^(permute|normalize|priorbox|priorbox_img|bn_pspnet|bn_segnet|interp|mergecrop|roi_pooling|upsample)$/;
  for (const c of oracleCases().filter((k) => exported.test(k.name))) {
    it(`${c.name}: onnxruntime agrees with ${c.oracle} and the reference executor`, async () => {
      const files = oracleFiles(c);
      const net = loadNet(files.net);
      const inputs = oracleInputs(c);
      const params = files.weights ? loadWeights(net, files.weights).params : new Map<string, Float32Array[]>();
      const reference = runReference(net, params, inputs).blobs;
      // The fork layers' forms also at the lowest and the newest opsets (Reduce* take axes as an input from
      // 18 on) and with a symbolic batch (Interp's Resize then reads N×C from its input).
      const variants = forkCases.test(c.name) ? [{}, { opset: 13 }, { opset: 21 }, { batchSymbol: 'N' }] : [{}];
      for (const variant of variants) {
        const bytes = exportOnnx(net, { weights: files.weights, seed: 0, outputs: c.blobs, ...variant });
        expect(checkOnnxModel(decodeModel(bytes))).toEqual([]);
        const got = await runOnnxruntime(bytes, inputs);
        const at = `${c.name} ${JSON.stringify(variant)}`;
        for (const [name, want] of oracleExpected(c)) {
          expect(relativeToMax(got[name].data, want.data), `${at} ${name} vs ${c.oracle}`).toBeLessThanOrEqual(c.tolerance);
          expect(relativeToMax(got[name].data, reference.get(name)!.data), `${at} ${name} vs reference`).toBeLessThanOrEqual(1e-4);
        }
      }
    });
  }
});

describe('ONNX export of Upsample with more than one item', () => {
  // The upsample fixture has one item, so its plane offsets never reach the batch term; the same net with
  // two items (and a symbolic batch) against the reference executor, which the fixture checks against NumPy.
  it("offsets each item's mask by its planes", async () => {
    const c = oracleCases().find((k) => k.name === 'upsample')!;
    const text = readFileSync(oracleFiles(c).net, 'utf8').replace('dim: 1 dim: 2 dim: 5 dim: 7', 'dim: 2 dim: 2 dim: 5 dim: 7');
    const net = loadNet(text);
    const data = Float32Array.from({ length: 2 * 2 * 5 * 7 }, (_, i) => Math.sin(i * 1.7) * 3);
    const inputs = { data: { shape: [2, 2, 5, 7], data } };
    const reference = runReference(net, new Map(), inputs).blobs;
    for (const variant of [{}, { batchSymbol: 'N' }]) {
      const got = await runOnnxruntime(exportOnnx(net, { outputs: ['up', 'up2'], ...variant }), inputs);
      for (const name of ['up', 'up2']) expect(relativeToMax(got[name].data, reference.get(name)!.data), name).toBeLessThanOrEqual(1e-6);
    }
  });
});
