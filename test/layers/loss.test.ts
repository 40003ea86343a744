// Loss layers (docs/caffe-semantics.md#softmax-and-losses, #loss-weights): scalar top [], the LossLayer first-dim check, and each
// type's own checks.
import { describe, expect, it } from 'vitest';
import { failure, infer, tops } from '../helpers/shape-context.js';

describe('LossLayer base', () => {
  it.each(['SoftmaxWithLoss', 'EuclideanLoss', 'SigmoidCrossEntropyLoss', 'MultinomialLogisticLoss', 'HingeLoss'])(
    '%s requires the same first dimension',
    (type) => {
      const e = failure({ type, name: 'loss', bottoms: [[10, 5], [8]], topCount: 1 });
      expect(e.message).toBe(`layer "loss" (${type}): the data and label should have the same first dimension: 10×5 vs. 8`);
    },
  );

  it('needs at least one axis to compare', () => {
    expect(failure({ type: 'HingeLoss', bottoms: [[], [3]], topCount: 1 }).message).toContain(
      'bottom[0] needs at least 1 axes, but its shape is scalar',
    );
  });

  it('gives one scalar top even when the top is to be created automatically', () => {
    expect(tops({ type: 'HingeLoss', bottoms: [[10, 5], [10]], topCount: 0 })).toEqual([[]]);
  });
});

describe('SoftmaxWithLoss', () => {
  it('has a scalar loss, and an optional probabilities top shaped like bottom[0]', () => {
    // labels: outer 10 · inner 5·5 = 250 = 10·1·5·5
    const bottoms = [
      [10, 21, 5, 5],
      [10, 1, 5, 5],
    ];
    expect(tops({ type: 'SoftmaxWithLoss', bottoms, topCount: 1 })).toEqual([[]]);
    expect(tops({ type: 'SoftmaxWithLoss', bottoms, topCount: 2 })).toEqual([[], [10, 21, 5, 5]]);
  });

  it('counts labels around softmax_param.axis', () => {
    // axis 2 of (2, 3, 4): outer 2·3 = 6 = label count
    expect(
      tops({
        type: 'SoftmaxWithLoss',
        param: { axis: 2 },
        bottoms: [
          [2, 3, 4],
          [2, 3],
        ],
        topCount: 1,
      }),
    ).toEqual([[]]);
    // default axis 1: outer 2 · inner 4 = 8 ≠ 6
    expect(
      failure({
        type: 'SoftmaxWithLoss',
        bottoms: [
          [2, 3, 4],
          [2, 3],
        ],
        topCount: 1,
      }).message,
    ).toContain(
      'number of labels must match number of predictions: with softmax axis 1 and predictions 2×3×4, the label count must be 8, but labels 2×3 have 6',
    );
  });

  it('fails on FCN-style labels of the wrong spatial size', () => {
    // 1·500·500 = 250000 predictions per class vs. 1·1·500·499 = 249500 labels
    expect(
      failure({
        type: 'SoftmaxWithLoss',
        bottoms: [
          [1, 21, 500, 500],
          [1, 1, 500, 499],
        ],
        topCount: 1,
      }).message,
    ).toContain('the label count must be 250000, but labels 1×1×500×499 have 249500');
  });
});

describe('EuclideanLoss', () => {
  it('compares count(1): (10, 3, 1, 1) matches (10, 3)', () => {
    expect(
      tops({
        type: 'EuclideanLoss',
        bottoms: [
          [10, 3, 1, 1],
          [10, 3],
        ],
        topCount: 1,
      }),
    ).toEqual([[]]);
    expect(
      failure({
        type: 'EuclideanLoss',
        bottoms: [
          [10, 3],
          [10, 4],
        ],
        topCount: 1,
      }).message,
    ).toContain('inputs must have the same dimension: 10×3 has 3 per item, 10×4 has 4');
  });
});

describe('SigmoidCrossEntropyLoss', () => {
  it('requires equal counts', () => {
    expect(
      tops({
        type: 'SigmoidCrossEntropyLoss',
        bottoms: [
          [10, 6],
          [10, 2, 3],
        ],
        topCount: 1,
      }),
    ).toEqual([[]]);
    expect(
      failure({
        type: 'SigmoidCrossEntropyLoss',
        bottoms: [
          [10, 6],
          [10, 5],
        ],
        topCount: 1,
      }).message,
    ).toContain('SIGMOID_CROSS_ENTROPY_LOSS layer inputs must have the same count: 10×6 (60) vs. 10×5 (50)');
  });
});

describe('MultinomialLogisticLoss', () => {
  it('takes one label per item: legacy channels, height and width of the label are 1', () => {
    expect(tops({ type: 'MultinomialLogisticLoss', bottoms: [[10, 5], [10]], topCount: 1 })).toEqual([[]]);
    expect(
      tops({
        type: 'MultinomialLogisticLoss',
        bottoms: [
          [10, 5],
          [10, 1, 1, 1],
        ],
        topCount: 1,
      }),
    ).toEqual([[]]);
    expect(
      failure({
        type: 'MultinomialLogisticLoss',
        bottoms: [
          [10, 5],
          [10, 2],
        ],
        topCount: 1,
      }).message,
    ).toContain('label channels must be 1, but the label shape is 10×2');
    expect(
      failure({
        type: 'MultinomialLogisticLoss',
        bottoms: [
          [10, 5],
          [10, 1, 3],
        ],
        topCount: 1,
      }).message,
    ).toContain('label height must be 1');
    expect(
      failure({
        type: 'MultinomialLogisticLoss',
        bottoms: [
          [10, 5],
          [10, 1, 1, 1, 1],
        ],
        topCount: 1,
      }).message,
    ).toContain('cannot use legacy accessors on blobs with > 4 axes');
  });
});

describe('InfogainLoss', () => {
  it('reads H from source with 2 bottoms, or checks a third bottom has C² elements', () => {
    expect(tops({ type: 'InfogainLoss', param: { source: 'H.binaryproto' }, bottoms: [[10, 5], [10]], topCount: 1 })).toEqual([[]]);
    // C = 5: H has 1·1·5·5 = 25 elements
    expect(tops({ type: 'InfogainLoss', bottoms: [[10, 5], [10], [1, 1, 5, 5]], topCount: 2 })).toEqual([[], [10, 5]]);
    expect(failure({ type: 'InfogainLoss', bottoms: [[10, 5], [10], [4, 4]], topCount: 1 }).message).toContain(
      'the infogain matrix 4×4 must have 5×5 = 25 elements for 5 labels',
    );
  });

  it('needs a source when there is no third bottom', () => {
    expect(failure({ type: 'InfogainLoss', name: 'l', bottoms: [[10, 5], [10]], topCount: 1 }).message).toBe(
      'layer "l" (InfogainLoss): infogain matrix source must be specified (or given as a third bottom)',
    );
  });

  it('counts labels around its own axis', () => {
    // axis 2 of (2, 3, 4): outer 6, inner 1; labels 2·3 = 6; H must be 4·4 = 16
    expect(tops({ type: 'InfogainLoss', param: { axis: 2 }, bottoms: [[2, 3, 4], [2, 3], [16]], topCount: 1 })).toEqual([[]]);
    expect(
      failure({
        type: 'InfogainLoss',
        param: { source: 'H' },
        bottoms: [
          [2, 3, 4],
          [2, 3],
        ],
        topCount: 1,
      }).message,
    ).toContain('with infogain axis 1');
  });
});

describe('ContrastiveLoss', () => {
  it('takes pairs (N, C, 1, 1) and a similarity label (N, 1, 1, 1)', () => {
    expect(tops({ type: 'ContrastiveLoss', bottoms: [[64, 2], [64, 2], [64]], topCount: 1 })).toEqual([[]]);
    expect(
      tops({
        type: 'ContrastiveLoss',
        bottoms: [
          [64, 2, 1, 1],
          [64, 2, 1, 1],
          [64, 1, 1, 1],
        ],
        topCount: 1,
      }),
    ).toEqual([[]]);
  });

  it.each([
    [[[64, 2], [64, 3], [64]], 'bottom[0] and bottom[1] must have the same channels: 64×2 vs. 64×3'],
    [[[64, 2, 2], [64, 2, 2], [64]], 'bottom[0] must have height and width 1, but its shape is 64×2×2'],
    [[[64, 2], [64, 2, 1, 3], [64]], 'bottom[1] must have height and width 1, but its shape is 64×2×1×3'],
    [
      [
        [64, 2],
        [64, 2],
        [64, 2],
      ],
      'bottom[2] (the similarity label) must be (N, 1, 1, 1), but its shape is 64×2',
    ],
  ])('rejects %j', (bottoms, message) => {
    expect(failure({ type: 'ContrastiveLoss', bottoms, topCount: 1 }).message).toContain(message);
  });
});

describe('HingeLoss', () => {
  it('has only the base checks', () => {
    expect(infer({ type: 'HingeLoss', param: { norm: 'L2' }, bottoms: [[10, 5], [10]], topCount: 1 })).toEqual({
      tops: [[]],
      params: [],
      macs: 0,
    });
  });
});
