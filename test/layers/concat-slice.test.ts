// Concat and Slice (docs/caffe-semantics.md#concat, #slice).
import { describe, expect, it } from 'vitest';
import { failure, tops } from '../helpers/shape-context.js';

describe('Concat', () => {
  it('adds the sizes along axis 1 by default', () => {
    // 3 + 6 + 1 = 10 channels
    expect(
      tops({
        type: 'Concat',
        bottoms: [
          [2, 3, 4, 5],
          [2, 6, 4, 5],
          [2, 1, 4, 5],
        ],
        topCount: 1,
      }),
    ).toEqual([[2, 10, 4, 5]]);
  });

  it('canonicalises a negative axis, and takes concat_dim as given', () => {
    // axis −1 → 3: 5 + 1 = 6
    expect(
      tops({
        type: 'Concat',
        param: { axis: -1 },
        bottoms: [
          [2, 3, 4, 5],
          [2, 3, 4, 1],
        ],
        topCount: 1,
      }),
    ).toEqual([[2, 3, 4, 6]]);
    // concat_dim 0: 2 + 7 = 9
    expect(
      tops({
        type: 'Concat',
        param: { concat_dim: 0 },
        bottoms: [
          [2, 3],
          [7, 3],
        ],
        topCount: 1,
      }),
    ).toEqual([[9, 3]]);
  });

  it('passes a single bottom through', () => {
    expect(tops({ type: 'Concat', bottoms: [[2, 3, 4]], topCount: 1 })).toEqual([[2, 3, 4]]);
  });

  it('rejects axis with concat_dim, and an out-of-range concat_dim', () => {
    const both = failure({ type: 'Concat', name: 'cat', param: { axis: 1, concat_dim: 1 }, bottoms: [[2, 3]], topCount: 1 });
    expect(both.message).toBe('layer "cat" (Concat): either axis or concat_dim should be specified; not both');
    expect(both.field).toBe('concat_dim');
    expect(failure({ type: 'Concat', param: { concat_dim: 2 }, bottoms: [[2, 3]], topCount: 1 }).message).toContain(
      'concat_dim out of range: 2 for 2-D bottom 2×3',
    );
    expect(failure({ type: 'Concat', param: { axis: 2 }, bottoms: [[2, 3]], topCount: 1 }).message).toContain(
      'axis 2 out of range for 2-D blob',
    );
  });

  it('requires equal axis counts and equal dims off the concat axis', () => {
    expect(
      failure({
        type: 'Concat',
        bottoms: [
          [2, 3, 4],
          [2, 3],
        ],
        topCount: 1,
      }).message,
    ).toContain('all inputs must have the same #axes: bottom[0] is 2×3×4, bottom[1] is 2×3');
    expect(
      failure({
        type: 'Concat',
        bottoms: [
          [2, 3, 4],
          [2, 3, 4],
          [2, 5, 5],
        ],
        topCount: 1,
      }).message,
    ).toContain('all inputs must have the same shape, except at concat_axis (1): bottom[0] is 2×3×4, bottom[2] is 2×5×5');
  });
});

describe('Slice', () => {
  it('cuts at slice_points: [3, 7] of 10 gives 3, 4, 3', () => {
    expect(tops({ type: 'Slice', param: { slice_point: [3, 7] }, bottoms: [[2, 10, 4]], topCount: 3 })).toEqual([
      [2, 3, 4],
      [2, 4, 4],
      [2, 3, 4],
    ]);
  });

  it('allows a last point at the end (an empty last top)', () => {
    // 3, 10 − 3 = 7, 10 − 10 = 0
    expect(tops({ type: 'Slice', param: { slice_point: [3, 10] }, bottoms: [[2, 10]], topCount: 3 })).toEqual([
      [2, 3],
      [2, 7],
      [2, 0],
    ]);
  });

  it('splits evenly without slice_points, along slice_dim or axis', () => {
    // 10 / 2 = 5
    expect(tops({ type: 'Slice', bottoms: [[2, 10, 4]], topCount: 2 })).toEqual([
      [2, 5, 4],
      [2, 5, 4],
    ]);
    // slice_dim 2: 4 / 2 = 2
    expect(tops({ type: 'Slice', param: { slice_dim: 2 }, bottoms: [[2, 10, 4]], topCount: 2 })).toEqual([
      [2, 10, 2],
      [2, 10, 2],
    ]);
    // axis −1 → 2
    expect(tops({ type: 'Slice', param: { axis: -1 }, bottoms: [[2, 10, 4]], topCount: 4 })).toEqual([
      [2, 10, 1],
      [2, 10, 1],
      [2, 10, 1],
      [2, 10, 1],
    ]);
  });

  it.each([
    [{}, 3, 'number of top blobs (3) should evenly divide input slice axis (10)'],
    [{ slice_point: [3] }, 3, '1 slice_point values need 2 tops, but there are 3'],
    [{ slice_point: [5, 5] }, 3, 'slice_point values must be strictly increasing and positive: slice_point[1] = 5 after 5'],
    [{ slice_point: [0] }, 2, 'slice_point values must be strictly increasing and positive: slice_point[0] = 0 after 0'],
    [{ slice_point: [4, 12] }, 3, 'slice_point 12 is beyond the end of axis 1 (size 10)'],
    [{ axis: 1, slice_dim: 1 }, 2, 'either axis or slice_dim should be specified; not both'],
    [{ slice_dim: 3 }, 2, 'slice_dim out of range: 3 for 3-D bottom 2×10×4'],
  ])('rejects %j with %i tops', (param, topCount, message) => {
    expect(failure({ type: 'Slice', name: 's', param: param as never, bottoms: [[2, 10, 4]], topCount }).message).toBe(
      `layer "s" (Slice): ${message}`,
    );
  });

  it('needs no more tops than the axis has entries', () => {
    expect(failure({ type: 'Slice', param: { slice_point: [1, 2] }, bottoms: [[2, 2]], topCount: 3 }).message).toContain(
      '3 tops cannot slice axis 1 of size 2',
    );
  });
});
