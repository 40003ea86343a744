// Accuracy and ArgMax (docs/caffe-semantics.md#accuracy-and-argmax).
import { describe, expect, it } from 'vitest';
import { failure, tops } from '../helpers/shape-context.js';

describe('Accuracy', () => {
  it('is a scalar, with an optional per-class vector [C]', () => {
    expect(tops({ type: 'Accuracy', bottoms: [[100, 10], [100]], topCount: 1 })).toEqual([[]]);
    expect(tops({ type: 'Accuracy', bottoms: [[100, 10], [100]], topCount: 2 })).toEqual([[], [10]]);
    // FCN: 21 classes per pixel; labels 1·500·500 = outer 1 · inner 500·500
    expect(
      tops({
        type: 'Accuracy',
        bottoms: [
          [1, 21, 500, 500],
          [1, 1, 500, 500],
        ],
        topCount: 2,
      }),
    ).toEqual([[], [21]]);
  });

  it('reads classes along `axis`', () => {
    // axis 2 of (2, 3, 7): outer 6, per-class top [7]
    expect(
      tops({
        type: 'Accuracy',
        param: { axis: 2 },
        bottoms: [
          [2, 3, 7],
          [2, 3],
        ],
        topCount: 2,
      }),
    ).toEqual([[], [7]]);
  });

  it('limits top_k to count(bottom0) / count(bottom1)', () => {
    // 1000 / 100 = 10 classes
    expect(tops({ type: 'Accuracy', param: { top_k: 10 }, bottoms: [[100, 10], [100]], topCount: 1 })).toEqual([[]]);
    const e = failure({ type: 'Accuracy', name: 'acc', param: { top_k: 11 }, bottoms: [[100, 10], [100]], topCount: 1 });
    expect(e.message).toBe('layer "acc" (Accuracy): top_k must be less than or equal to the number of classes: top_k 11, 10 classes');
    expect(e.field).toBe('top_k');
  });

  it('requires one label per prediction', () => {
    // outer 100 · inner 1 = 100 ≠ 50
    expect(failure({ type: 'Accuracy', bottoms: [[100, 10], [50]], topCount: 1 }).message).toContain(
      'with label axis 1 and predictions 100×10, the label count must be 100, but labels 50 have 50',
    );
  });
});

describe('ArgMax', () => {
  it('without axis: (N, 1, top_k), padded to at least 3 axes', () => {
    expect(tops({ type: 'ArgMax', bottoms: [[10, 1000]], topCount: 1 })).toEqual([[10, 1, 1]]);
    expect(tops({ type: 'ArgMax', param: { top_k: 5 }, bottoms: [[10, 1000]], topCount: 1 })).toEqual([[10, 1, 5]]);
  });

  it('without axis: out_max_val makes axis 1 hold (index, value) = 2', () => {
    expect(tops({ type: 'ArgMax', param: { top_k: 5, out_max_val: true }, bottoms: [[10, 1000]], topCount: 1 })).toEqual([[10, 2, 5]]);
  });

  it("without axis keeps the bottom's axis count beyond 3, all 1 but N and top_k", () => {
    expect(tops({ type: 'ArgMax', param: { top_k: 3 }, bottoms: [[2, 3, 4, 5]], topCount: 1 })).toEqual([[2, 1, 3, 1]]);
  });

  it('with axis SET, even to 1: the bottom shape with shape[axis] = top_k', () => {
    expect(tops({ type: 'ArgMax', param: { axis: 1 }, bottoms: [[2, 3, 4, 5]], topCount: 1 })).toEqual([[2, 1, 4, 5]]);
    expect(tops({ type: 'ArgMax', param: { axis: 1, top_k: 2, out_max_val: true }, bottoms: [[2, 3, 4, 5]], topCount: 1 })).toEqual([
      [2, 2, 4, 5],
    ]);
    expect(tops({ type: 'ArgMax', param: { axis: -1, top_k: 5 }, bottoms: [[2, 3, 4, 5]], topCount: 1 })).toEqual([[2, 3, 4, 5]]);
  });

  it.each([
    [{ top_k: 0 }, [2, 3], 'top k must not be less than 1'],
    // count(1) of 2×3 is 3
    [
      { top_k: 4 },
      [2, 3],
      'top_k must be less than or equal to the dimension of the flattened bottom blob per instance: top_k 4, 2×3 has 3',
    ],
    [{ axis: 1, top_k: 4 }, [2, 3], 'top_k must be less than or equal to the dimension of the axis: top_k 4, axis 1 has 3'],
    [{ axis: 2 }, [2, 3], 'axis 2 out of range for 2-D blob'],
  ])('rejects %j on %j', (param, bottom, message) => {
    expect(failure({ type: 'ArgMax', name: 'am', param: param as never, bottoms: [bottom], topCount: 1 }).message).toContain(message);
  });
});
