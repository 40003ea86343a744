// The ONNX export of every PyTorch numerics fixture net (test/fixtures/numerics), run in onnxruntime-node:
// each output must agree with brewnet's reference executor and with PyTorch's float64 values within 1e-4
// of the output's largest magnitude. The bytes are also decoded back and checked against ONNX's rules.
import { describe, expect, it } from 'vitest';
import { exportOnnx } from '../../src/export/onnx/export-onnx.js';
import { checkOnnxModel } from '../../src/export/onnx/check-model.js';
import { compareOutputs, runOnnxruntime } from '../../src/export/onnx/check-onnxruntime.js';
import { runReference } from '../../src/runtime/reference-executor.js';
import { loadCase, numericsCases } from '../helpers/numerics-fixtures.js';
import { decodeModel } from './onnx-decode.js';

describe('ONNX export of the numerics fixtures', () => {
  for (const c of numericsCases()) {
    it(`${c.name}: onnxruntime agrees with the reference executor and PyTorch`, async () => {
      const k = loadCase(c);
      const bytes = exportOnnx(k.net, { weights: k.params });
      expect(checkOnnxModel(decodeModel(bytes))).toEqual([]);
      const got = await runOnnxruntime(bytes, k.inputs);
      const reference = runReference(k.net, k.params, k.inputs).blobs;
      const vsReference = compareOutputs(k.net, got, reference);
      for (const o of vsReference.outputs) expect(o.relative, `${c.name} ${o.name} vs reference`).toBeLessThanOrEqual(1e-4);
      const torch = new Map(k.net.outputs.filter((n) => k.expected.has(n)).map((n) => [n, k.expected.get(n)!]));
      for (const name of torch.keys()) {
        const one = compareOutputs({ ...k.net, outputs: [name] } as unknown as typeof k.net, got, torch);
        expect(one.maxRelative, `${c.name} ${name} vs PyTorch`).toBeLessThanOrEqual(1e-4);
      }
    });
  }
});
