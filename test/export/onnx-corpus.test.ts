// Corpus nets exported to ONNX with seeded weights, run in onnxruntime-node and compared with brewnet's
// reference executor: every output within 1e-4 of its largest magnitude. Small inputs, and for the deep
// nets fewer channels (helpers/narrow-net.ts), keep each case to seconds; test/export/onnx-corpus-full.ts
// runs every runnable corpus net at full width. Skipped, saying so, where ../shared/corpus is absent.
import { describe, expect, it } from 'vitest';
import { loadNet } from '../../src/api/load-net.js';
import { compareOutputs, runOnnxruntime, seededInputs } from '../../src/export/onnx/check-onnxruntime.js';
import { exportOnnx } from '../../src/export/onnx/export-onnx.js';
import type { Net } from '../../src/ir/net.js';
import { runReference } from '../../src/runtime/reference-executor.js';
import { corpusAvailable, corpusPath, repoRoot } from '../helpers/corpus.js';
import { narrowNet } from '../helpers/narrow-net.js';
import { scaledParams } from '../helpers/scaled-params.js';
import { checkOnnxModel } from '../../src/export/onnx/check-model.js';
import { decodeModel } from './onnx-decode.js';

interface Case {
  name: string;
  load: () => Net;
  /** Needs ../shared/corpus. */
  corpus: boolean;
}

const corpusCases: Case[] = [
  {
    name: 'FCN-8s (channels ÷16, 1×3×8×8)',
    load: () => narrowNet(corpusPath('fcn/voc-fcn8s/deploy.prototxt'), 16, { inputs: { data: [1, 3, 8, 8] } }),
  },
  {
    name: 'GoogLeNet (channels ÷8, 1×3×224×224)',
    load: () => narrowNet(corpusPath('bvlc-caffe/models/bvlc_googlenet/deploy.prototxt'), 8, { inputs: { data: [1, 3, 224, 224] } }),
  },
  {
    name: 'GoogLeNet V1 format (channels ÷8)',
    load: () => narrowNet(corpusPath('bvlc-caffe-v1/models/bvlc_googlenet/deploy.prototxt'), 8, { inputs: { data: [1, 3, 224, 224] } }),
  },
  {
    name: 'ResNet-50 (channels ÷8, 1×3×224×224)',
    load: () => narrowNet(corpusPath('resnet/prototxt/ResNet-50-deploy.prototxt'), 8, { inputs: { data: [1, 3, 224, 224] } }),
  },
  {
    name: 'SqueezeNet v1.1 (1×3×32×32)',
    load: () => loadNet(corpusPath('squeezenet/SqueezeNet_v1.1/deploy.prototxt'), { inputs: { data: [1, 3, 32, 32] } }),
  },
  {
    name: 'MobileNet v1 (1×3×32×32)',
    load: () => loadNet(corpusPath('mobilenet/mobilenet_deploy.prototxt'), { inputs: { data: [1, 3, 32, 32] } }),
  },
  {
    name: 'MobileNet v2 (1×3×32×32)',
    load: () => loadNet(corpusPath('mobilenet/mobilenet_v2_deploy.prototxt'), { inputs: { data: [1, 3, 32, 32] } }),
  },
  {
    name: 'AlexNet (groups, LRN; channels ÷4, 1×3×67×67)',
    load: () => narrowNet(corpusPath('bvlc-caffe/models/bvlc_alexnet/deploy.prototxt'), 4, { inputs: { data: [1, 3, 67, 67] } }),
  },
  {
    name: 'V0 LeNet (upgraded)',
    load: () => loadNet(corpusPath('bvlc-caffe-v0/examples/lenet/lenet.prototxt'), { inputs: { data: [2, 1, 28, 28] } }),
  },
  {
    name: 'OpenPose body_25 (PReLU; channels ÷4, 1×3×16×16)',
    load: () => narrowNet(corpusPath('openpose/models/pose/body_25/pose_deploy.prototxt'), 4, { inputs: { image: [1, 3, 16, 16] } }),
  },
  { name: 'FSRCNN (PReLU, Deconvolution)', load: () => loadNet(corpusPath('super-resolution/FSRCNN/FSRCNN_mat.prototxt')) },
  {
    name: 'HED (Crops of Deconvolutions, channels ÷8, 1×3×16×16)',
    load: () => narrowNet(corpusPath('hed/examples/hed/deploy.prototxt'), 8, { inputs: { data: [1, 3, 16, 16] } }),
  },
].map((c) => ({ ...c, corpus: true }));

const ownCases: Case[] = [
  {
    name: 'examples/lenet-v1.prototxt (V1)',
    corpus: false,
    load: () => loadNet(`${repoRoot}/examples/lenet-v1.prototxt`, { inputs: { data: [2, 1, 28, 28] } }),
  },
  {
    name: 'examples/theano-deconv.py (Theano script, flipped filters)',
    corpus: false,
    load: () => loadNet(`${repoRoot}/examples/theano-deconv.py`, { inputs: { x: [1, 3, 64, 64] } }),
  },
  {
    name: 'examples/theano-deconv.py with an output adjustment of 3',
    corpus: false,
    load: () => loadNet(`${repoRoot}/examples/theano-deconv.py`, { inputs: { x: [1, 3, 64, 64] }, call: 'build(extra=3)' }),
  },
];

if (!corpusAvailable) console.warn('[onnx-corpus] ../shared/corpus is absent: the corpus nets are skipped');

describe('ONNX export of real nets agrees with the reference executor in onnxruntime-node', () => {
  for (const c of [...ownCases, ...corpusCases]) {
    it.skipIf(c.corpus && !corpusAvailable)(c.name, { timeout: 120_000 }, async () => {
      const net = c.load();
      const params = scaledParams(net, 7);
      const inputs = seededInputs(net, 3);
      const bytes = exportOnnx(net, { weights: params });
      expect(checkOnnxModel(decodeModel(bytes))).toEqual([]);
      const got = await runOnnxruntime(bytes, inputs);
      const reference = runReference(net, params, inputs).blobs;
      const result = compareOutputs(net, got, reference);
      for (const o of result.outputs) {
        expect(
          reference.get(o.name)!.data.some((v) => v !== reference.get(o.name)!.data[0]),
          `${o.name} is not constant`,
        ).toBe(true);
        expect(o.relative, `${c.name}: ${o.name}`).toBeLessThanOrEqual(1e-4);
      }
      console.log(`${c.name}: ${result.outputs.map((o) => `${o.name} ${o.relative.toExponential(2)}`).join(', ')}`);
    });
  }
});
