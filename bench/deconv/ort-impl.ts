// Peer: onnxruntime-node's ConvTranspose (native CPU execution provider) on a one-node model built by
// onnx-model.ts, with 2 intra-op threads (this machine's cores). P5's Crop is folded into asymmetric pads
// (31 before, the rest after), so ORT computes only the kept window: the peer at its best.
import * as ort from 'onnxruntime-node';
import type { Implementation } from './implementation.js';
import { convTransposeModel } from './onnx-model.js';
import { cropOffset, fullSize, outputDims, type Problem } from './problems.js';

export const ORT_THREADS = 2;

export async function ortImplementation(q: Problem, x: Float32Array, w: Float32Array): Promise<Implementation> {
  const started = performance.now();
  const [, oh, ow] = outputDims(q);
  const before = q.p + cropOffset(q);
  const pads: [number, number, number, number] = [
    before,
    before,
    fullSize(q, q.h) + 2 * q.p - before - oh,
    fullSize(q, q.w) + 2 * q.p - before - ow,
  ];
  const model = convTransposeModel({ cin: q.cin, cout: q.cout, h: q.h, w: q.w, k: q.k, s: q.s, pads, out: [oh, ow], weights: w });
  const session = await ort.InferenceSession.create(model, {
    intraOpNumThreads: ORT_THREADS,
    interOpNumThreads: 1,
    executionMode: 'sequential',
    graphOptimizationLevel: 'all',
    executionProviders: ['cpu'],
  });
  const setupMs = performance.now() - started;
  return {
    detail: `onnxruntime-node, CPU EP, ${ORT_THREADS} intra-op threads`,
    setupMs,
    run: async () => {
      const result = await session.run({ X: new ort.Tensor('float32', x, [1, q.cin, q.h, q.w]) });
      return result.Y.data as Float32Array;
    },
    toCaffeLayout: (out) => out as Float32Array,
    dispose: () => void session.release(),
  };
}
