// Faster R-CNN's SmoothL1Loss (src/layers/forks/smooth-l1-loss.ts) against PyTorch's smooth_l1_loss with
// beta = 1/sigma² (test/fixtures/smooth-l1/generate.py), with and without the inside/outside weights, on the
// reference executor and the cpu and wasm backends; its shape checks as located diagnostics; and the
// fork's parameter read in the fasterrcnn dialect, inferred from smooth_l1_loss_param.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { compile, loadNet, runReference } from '../../src/index.js';
import { activeDialect } from '../../src/schema/caffe-schema.js';
import { firstDiagnostic, inputLayer } from '../helpers/net-text.js';
import { corpusAvailable, corpusPath } from '../helpers/corpus.js';

const DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'smooth-l1');
const want = JSON.parse(readFileSync(join(DIR, 'expected.json'), 'utf8'));
const shape: number[] = want.shape;

const net = (bottoms: string[], param: string) =>
  [
    ...['pred', 'target', 'inside', 'outside'].map((n) => inputLayer(n, shape)),
    `layer { name: "loss" type: "SmoothL1Loss" ${bottoms.map((b) => `bottom: "${b}"`).join(' ')} top: "loss" ${param} }`,
  ].join('\n');

const inputs = Object.fromEntries(['pred', 'target', 'inside', 'outside'].map((n) => [n, { shape, data: Float32Array.from(want[n]) }]));

describe('SmoothL1Loss (Faster R-CNN) against PyTorch', () => {
  it.each([
    ['', 'loss_sigma1', 2],
    ['smooth_l1_loss_param { sigma: 3 }', 'loss_sigma3', 2],
    ['smooth_l1_loss_param { sigma: 0.5 }', 'loss_sigma0.5', 2],
    ['', 'loss_weighted_sigma1', 4],
    ['smooth_l1_loss_param { sigma: 3 }', 'loss_weighted_sigma3', 4],
    ['smooth_l1_loss_param { sigma: 0.5 }', 'loss_weighted_sigma0.5', 4],
  ])('%s with %s on the reference executor and the cpu and wasm backends', async (param, key, n) => {
    const loaded = loadNet(net(['pred', 'target', 'inside', 'outside'].slice(0, n), param));
    if (param) expect(activeDialect()).toBe('fasterrcnn');
    const expected = want[key] as number;
    const ref = runReference(loaded, new Map(), inputs).blobs.get('loss')!;
    expect(ref.shape).toEqual([]);
    expect(ref.data[0]).toBeCloseTo(expected, 4);
    for (const backend of ['cpu', 'wasm'] as const) {
      const compiled = await compile(loaded, { weights: new Map(), backend });
      const out = await compiled.forward(inputs, { blobs: ['loss'] });
      compiled.destroy();
      expect(Math.abs(out.loss.data[0] - expected)).toBeLessThan(1e-5 * Math.abs(expected));
    }
  });

  it('refuses three bottoms and mismatched shapes, at the layer', () => {
    const lines = (bottoms: string[], dims = shape) =>
      [
        inputLayer('pred', shape),
        inputLayer('target', dims),
        inputLayer('inside', shape),
        `layer { name: "loss" type: "SmoothL1Loss" ${bottoms.map((b) => `bottom: "${b}"`).join(' ')} top: "loss" }`,
      ].join('\n');
    expect(firstDiagnostic(lines(['pred', 'target', 'inside']))).toMatch(
      /^4:1: .*SmoothL1Loss.*give both the inside and the outside weights \(4 bottoms\), or neither/,
    );
    expect(firstDiagnostic(lines(['pred', 'target'], [2, 8, 3, 5]))).toMatch(
      /^4:1: .*"target" \(2×8×3×5\) must have the width of "pred" \(2×8×3×4\): 5 ≠ 4/,
    );
    expect(firstDiagnostic(lines(['pred', 'target'], [3, 8, 3, 4]))).toMatch(
      /^4:1: .*the data and label should have the same first dimension: 2×8×3×4 vs\. 3×8×3×4/,
    );
    expect(firstDiagnostic(lines(['pred']))).toMatch(/^4:1: .*SmoothL1Loss.*(at least 2|2 to 4|between 2 and 4)/);
  });

  it.runIf(corpusAvailable)("py-faster-rcnn's train net reads in the fasterrcnn dialect and gets past its SmoothL1Loss layers", () => {
    const file = corpusPath('faster-rcnn/models/pascal_voc/VGG16/faster_rcnn_end2end/train.prototxt');
    const message = firstDiagnostic(readFileSync(file, 'utf8'), { file });
    expect(message).not.toMatch(/SmoothL1Loss/);
    expect(activeDialect()).toBe('fasterrcnn');
  });
});
