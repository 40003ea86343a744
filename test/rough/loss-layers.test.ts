// SoftmaxWithLoss and Accuracy run (issue 17, item 3: a train_val net runs whole when its data layer's tops
// are fed), checked against PyTorch (test/fixtures/losses/generate.py): cross_entropy with ignore_index under
// VALID, FULL and BATCH_SIZE normalisation, the softmax top, and top-1/top-2 accuracy overall and per class.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { compile, loadNet, runReference } from '../../src/index.js';

const DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'losses');
const want = JSON.parse(readFileSync(join(DIR, 'expected.json'), 'utf8'));

const net = (normalization: string) => `
layer { name: "in" type: "Input" top: "x" top: "label" input_param { shape { dim: 2 dim: 4 dim: 3 dim: 2 } shape { dim: 2 dim: 1 dim: 3 dim: 2 } } }
layer { name: "loss" type: "SoftmaxWithLoss" bottom: "x" bottom: "label" top: "loss" top: "prob" loss_param { ignore_label: 255 ${normalization} } }
layer { name: "acc1" type: "Accuracy" bottom: "x" bottom: "label" top: "acc1" top: "class1" accuracy_param { ignore_label: 255 } }
layer { name: "acc2" type: "Accuracy" bottom: "x" bottom: "label" top: "acc2" top: "class2" accuracy_param { ignore_label: 255 top_k: 2 } }
`;

const inputs = {
  x: { shape: [2, 4, 3, 2], data: Float32Array.from(want.x) },
  label: { shape: [2, 1, 3, 2], data: Float32Array.from(want.label) },
};

function close(actual: ArrayLike<number>, expected: number[]): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) expect(actual[i]).toBeCloseTo(expected[i], 5);
}

describe('SoftmaxWithLoss and Accuracy against PyTorch', () => {
  it.each([
    ['', 'loss_valid'],
    ['normalization: FULL', 'loss_full'],
    ['normalization: BATCH_SIZE', 'loss_batch'],
    ['normalize: false', 'loss_batch'],
  ])('%s on the reference executor and the cpu and wasm backends', async (normalization, key) => {
    const n = loadNet(net(normalization));
    const ref = runReference(n, new Map(), inputs).blobs;
    for (const backend of ['cpu', 'wasm'] as const) {
      const compiled = await compile(n, { weights: new Map(), backend });
      const out = await compiled.forward(inputs, { blobs: 'all' });
      compiled.destroy();
      for (const blobs of [out, Object.fromEntries(ref)]) {
        expect(blobs.loss.shape).toEqual([]);
        close(blobs.loss.data, [want[key]]);
        close(blobs.prob.data, want.prob);
        close(blobs.acc1.data, [want.accuracy_top1]);
        close(blobs.acc2.data, [want.accuracy_top2]);
        close(blobs.class1.data, want.per_class_top1);
        close(blobs.class2.data, want.per_class_top2);
      }
    }
  });
});
