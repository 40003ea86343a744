// Scale and Bias (docs/caffe-semantics.md#lrn-batchnorm-scale-and-bias, #parameter-blobs): a contiguous run of axes from `axis`, not NumPy broadcasting.
import { describe, expect, it } from 'vitest';
import { failure, infer } from '../helpers/shape-context.js';

const x = [2, 3, 4, 5];

describe('Scale with one bottom (learned scale)', () => {
  it.each([
    [{}, [[3]]], // axis 1, num_axes 1: shape[1:2]
    [{ bias_term: true }, [[3], [3]]], // [scale, bias] of the same shape
    [{ num_axes: -1 }, [[3, 4, 5]]], // to the end
    [{ num_axes: 0 }, [[]]], // a scalar
    [{ axis: 2, num_axes: 2 }, [[4, 5]]],
    [{ axis: -1 }, [[5]]],
    [
      { axis: 0, num_axes: 2, bias_term: true },
      [
        [2, 3],
        [2, 3],
      ],
    ],
  ])('%j gives parameter blobs %j', (param, params) => {
    const r = infer({ type: 'Scale', param: param as never, bottoms: [x], topCount: 1 });
    expect(r.tops).toEqual([x]);
    expect(r.params).toEqual(params);
  });

  it('rejects a scale that extends past bottom[0], and num_axes < −1', () => {
    // axis 2 + 3 axes = 5 > 4
    const e = failure({ type: 'Scale', name: 'sc', param: { axis: 2, num_axes: 3 }, bottoms: [x], topCount: 1 });
    expect(e.message).toBe(
      'layer "sc" (Scale): scale blob\'s shape extends past bottom[0]\'s shape when applied starting with bottom[0] axis = 2 (num_axes 3, bottom 2×3×4×5)',
    );
    expect(failure({ type: 'Scale', param: { num_axes: -2 }, bottoms: [x], topCount: 1 }).message).toContain(
      'num_axes must be non-negative, or -1 to extend to the end of bottom[0] (got -2)',
    );
    expect(failure({ type: 'Scale', param: { axis: 4 }, bottoms: [x], topCount: 1 }).message).toContain('axis 4 out of range for 4-D blob');
  });
});

describe('Scale with two bottoms', () => {
  it('matches bottom[1] against bottom[0] from axis; no blob unless bias_term', () => {
    expect(infer({ type: 'Scale', bottoms: [x, [3, 4]], topCount: 1 }).params).toEqual([]);
    // bias_term: an internal Bias with num_axes = bottom[1]'s 2 axes → shape[1:3]
    expect(infer({ type: 'Scale', param: { bias_term: true }, bottoms: [x, [3, 4]], topCount: 1 }).params).toEqual([[3, 4]]);
  });

  it('accepts a scalar bottom[1] with any axis; its bias is then a scalar too', () => {
    expect(infer({ type: 'Scale', param: { axis: 3 }, bottoms: [x, []], topCount: 1 }).tops).toEqual([x]);
    expect(infer({ type: 'Scale', param: { bias_term: true }, bottoms: [x, []], topCount: 1 }).params).toEqual([[]]);
  });

  it('is not right-aligned broadcasting: a [5] scale at the default axis 1 meets 3', () => {
    expect(failure({ type: 'Scale', bottoms: [x, [5]], topCount: 1 }).message).toContain(
      'dimension mismatch between bottom[0]->shape(1) = 3 and scale->shape(0) = 5',
    );
    // at axis −1 it fits
    expect(infer({ type: 'Scale', param: { axis: -1 }, bottoms: [x, [5]], topCount: 1 }).tops).toEqual([x]);
  });

  it('rejects a mismatch or an overhang', () => {
    expect(failure({ type: 'Scale', bottoms: [x, [3, 5]], topCount: 1 }).message).toContain(
      'dimension mismatch between bottom[0]->shape(2) = 4 and scale->shape(1) = 5',
    );
    // axis 3 + 2 axes = 5 > 4
    expect(failure({ type: 'Scale', param: { axis: 3 }, bottoms: [x, [5, 6]], topCount: 1 }).message).toContain(
      "scale blob's shape extends past bottom[0]'s shape when applied starting with bottom[0] axis = 3 (scale 5×6, bottom 2×3×4×5)",
    );
  });
});

describe('Bias', () => {
  it('has a learned blob with one bottom and none with two', () => {
    expect(infer({ type: 'Bias', bottoms: [x], topCount: 1 }).params).toEqual([[3]]);
    expect(infer({ type: 'Bias', param: { axis: 1, num_axes: -1 }, bottoms: [x], topCount: 1 }).params).toEqual([[3, 4, 5]]);
    expect(infer({ type: 'Bias', bottoms: [x, [3, 4, 5]], topCount: 1 })).toEqual({ tops: [x], params: [], macs: 120 });
    expect(infer({ type: 'Bias', bottoms: [x, []], topCount: 1 }).tops).toEqual([x]);
  });

  it('uses the same checks with its own wording', () => {
    expect(failure({ type: 'Bias', bottoms: [x, [4]], topCount: 1 }).message).toContain(
      'dimension mismatch between bottom[0]->shape(1) = 3 and bias->shape(0) = 4',
    );
    expect(failure({ type: 'Bias', param: { axis: 3, num_axes: 2 }, bottoms: [x], topCount: 1 }).message).toContain(
      "bias blob's shape extends past bottom[0]'s shape",
    );
  });
});
