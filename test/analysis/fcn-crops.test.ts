// Crop offsets of every FCN prototxt in the corpus equal the file's (docs/caffe-semantics.md#fcn-crop-offsets); HED's offset-less
// crops are flagged with the offsets they need (hand-derived below); the per-layer maps of FCN-8s
// follow the hand derivation of §5.2 on the project's own example.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeNet } from '../../src/analysis/analyze-net.js';
import { computeCoordMaps } from '../../src/analysis/coord-maps.js';
import { loadNet } from '../../src/index.js';
import { corpusAvailable, corpusFiles, corpusPath, repoRoot } from '../helpers/corpus.js';
import { expected } from '../helpers/corpus-expectations.js';

const fcnOffsets: Record<string, Record<string, number>> = {
  'voc-fcn32s': { score: 19 },
  'voc-fcn16s': { score_pool4c: 5, score: 27 },
  'voc-fcn8s': { score_pool4c: 5, score_pool3c: 9, score: 31 },
  'voc-fcn8s-atonce': { score_pool4c: 5, score_pool3c: 9, score: 31 },
  'voc-fcn-alexnet': { score: 18 },
  'nyud-fcn32s-color': { score: 19 },
  'siftflow-fcn32s': { score_sem: 19, score_geo: 19 },
  'pascalcontext-fcn32s': { score: 19 },
};

const fcnFiles = corpusFiles().filter((f) => f.startsWith('fcn/') && !f.endsWith('.py'));

describe.skipIf(!corpusAvailable)('FCN crops in the corpus', () => {
  it.each(fcnFiles)('%s: computed offsets equal the file', (file) => {
    const want = expected[file];
    const net = loadNet(corpusPath(file), 'options' in want ? want.options : {});
    const report = analyzeNet(net);
    const offsets = fcnOffsets[file.split('/')[1]];
    expect(Object.fromEntries(report.crops.map((c) => [c.layer.name, c.offsetComputed]))).toEqual(
      Object.fromEntries(Object.entries(offsets).map(([layer, o]) => [layer, [o, o]])),
    );
    expect(report.crops.every((c) => c.ok)).toBe(true);
    expect(report.merges.every((m) => m.ok)).toBe(true);
  });

  it('HED: every crop is flagged with the offset it needs', () => {
    // conv1_1 pads 35, so conv1_2 = x + 34 (dsn1). Each 2×2 pool maps y → y/2 − 1/4 and each upsampling
    // deconvolution (kernel 2s, stride s) maps y → s·y + s − 1/2: dsn2 = 2(x/2 + 16.75) + 1.5 = x + 35,
    // dsn3 = 4(x/4 + 8.125) + 3.5 = x + 36, dsn4 = x + 38, dsn5 = x + 42.
    const report = analyzeNet(loadNet(corpusPath('hed/examples/hed/deploy.prototxt')));
    expect(report.crops.map((c) => [c.layer.bottoms[0].name, c.offsetFile, c.offsetComputed, c.ok])).toEqual([
      ['score-dsn1-up', [0, 0], [34, 34], false],
      ['score-dsn2-up', [0, 0], [35, 35], false],
      ['score-dsn3-up', [0, 0], [36, 36], false],
      ['score-dsn4-up', [0, 0], [38, 38], false],
      ['score-dsn5-up', [0, 0], [42, 42], false],
    ]);
    expect(report.crops[0].reason).toBe(
      'the file gives no crop_param, so offset 0, but aligning "score-dsn1-up" with "data" needs offset 34',
    );
  });
});

describe('FCN-8s maps (the hand derivation of docs/caffe-semantics.md#fcn-crop-offsets)', () => {
  const net = loadNet(join(repoRoot, 'examples', 'fcn8s-deploy.prototxt'));
  const maps = computeCoordMaps(net).maps;
  const data = net.blob('data');

  it.each([
    ['conv1_1', 1, 99],
    ['conv1_2', 1, 99],
    ['pool3', 1 / 8, 11.9375],
    ['pool4', 1 / 16, 5.71875],
    ['pool5', 1 / 32, 2.609375],
    ['fc6', 1 / 32, -0.390625],
    ['upscore2', 1 / 16, 0.71875],
    ['score_pool4', 1 / 16, 5.71875],
    ['score_pool4c', 1 / 16, 0.71875],
    ['upscore_pool4', 1 / 8, 2.9375],
    ['score_pool3c', 1 / 8, 2.9375],
    ['upscore8', 1, 31],
    ['score', 1, 0],
  ])('%s = %d·x + %d', (blob, a, b) => {
    const m = maps.get(net.blob(blob))!.get(data)!;
    expect(m.map((x) => [x.a.toNumber(), x.b.toNumber()])).toEqual([
      [a, b],
      [a, b],
    ]);
  });
});
