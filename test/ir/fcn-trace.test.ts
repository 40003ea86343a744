// The FCN-8s shape trace at 500×500 from docs/caffe-semantics.md#fcn-shape-trace (Caffe's formulas: pooling rounds up, pad 100,
// deconvolution s(i−1)+k−2p, crops by 5, 9 and 31), run on the project's own example.
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { loadNet } from '../../src/index.js';
import { repoRoot } from '../helpers/corpus.js';

const example = join(repoRoot, 'examples', 'fcn8s-deploy.prototxt');

describe('FCN-8s trace at 500²', () => {
  const net = loadNet(example);
  const side = (blob: string) => net.blob(blob).shape.slice(2);

  it.each([
    ['conv1_1', 698],
    ['pool1', 349],
    ['pool2', 175],
    ['pool3', 88],
    ['pool4', 44],
    ['pool5', 22],
    ['fc6', 16],
    ['fc7', 16],
    ['score_fr', 16],
    ['upscore2', 34],
    ['score_pool4', 44],
    ['score_pool4c', 34],
    ['upscore_pool4', 70],
    ['score_pool3c', 70],
    ['upscore8', 568],
    ['score', 500],
  ])('%s is %i²', (blob, size) => {
    expect(side(blob)).toEqual([size, size]);
  });

  it('takes the channel count of score from bottom 0 (21), not from data (3)', () => {
    expect(net.blob('score').shape).toEqual([1, 21, 500, 500]);
  });

  it('keeps Deconvolution weights as (C_in, num_output/group, kh, kw) with no bias', () => {
    expect(net.layer('upscore8')?.paramShapes).toEqual([[21, 21, 16, 16]]);
  });

  it('follows a different input size through the same net', () => {
    const small = loadNet(example, { inputs: { data: [1, 3, 224, 224] } });
    // 224+198 = 422 → conv1_1 422 … pool5 ceil chain 211,106,53,27,14 → fc6 8 → upscore2 18 …
    expect(small.blob('pool5').shape.slice(2)).toEqual([14, 14]);
    expect(small.blob('fc6').shape.slice(2)).toEqual([8, 8]);
    expect(small.blob('upscore2').shape.slice(2)).toEqual([18, 18]);
    expect(small.blob('score').shape).toEqual([1, 21, 224, 224]);
  });
});
