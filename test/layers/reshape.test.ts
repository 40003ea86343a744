// Reshape (docs/caffe-semantics.md#reshape): the examples from caffe.proto's ReshapeParameter comments, input 2×8.
import { describe, expect, it } from 'vitest';
import { failure, tops } from '../helpers/shape-context.js';

const reshape = (param: Record<string, unknown>, bottom: number[] = [2, 8]) =>
  tops({ type: 'Reshape', param: param as never, bottoms: [bottom], topCount: 1 });
const fail = (param: Record<string, unknown>, bottom: number[] = [2, 8]) =>
  failure({ type: 'Reshape', name: 'r', param: param as never, bottoms: [bottom], topCount: 1 });

describe('Reshape', () => {
  it.each([
    [{ shape: { dim: [2, 2, 4] } }],
    [{ shape: { dim: [0, 2, 4] } }], // 0 copies bottom dim 0 (2)
    [{ shape: { dim: [0, 2, -1] } }], // −1 = 16 / (2·2) = 4
    [{ shape: { dim: [0, -1, 4] } }], // −1 = 16 / (2·4) = 2
    [{ shape: { dim: [2, 4] }, axis: 1 }], // bottom[0:1] ++ (2, 4)
  ])('2×8 with %j gives 2×2×4', (param) => {
    expect(reshape(param)).toEqual([[2, 2, 4]]);
  });

  it('inserts axes with num_axes 0', () => {
    // start 0, end 0: (1) ++ 2×8
    expect(reshape({ shape: { dim: [1] }, num_axes: 0 })).toEqual([[1, 2, 8]]);
    // start 1, end 1: 2 ++ (1) ++ 8
    expect(reshape({ shape: { dim: [1] }, axis: 1, num_axes: 0 })).toEqual([[2, 1, 8]]);
  });

  it('reads a negative axis as counted from one past the last axis', () => {
    // start = 2 + (−1) + 1 = 2: append
    expect(reshape({ shape: { dim: [1] }, axis: -1, num_axes: 0 })).toEqual([[2, 8, 1]]);
    // start = 2 + (−2) + 1 = 1: replace the last axis 8 by 4×2
    expect(reshape({ shape: { dim: [4, -1] }, axis: -2 })).toEqual([[2, 4, 2]]);
  });

  it('flattens everything with a lone −1', () => {
    expect(reshape({ shape: { dim: [-1] } }, [2, 3, 4])).toEqual([[24]]);
  });

  it('copies 0s from the bottom axis at the same position after `axis`', () => {
    // start 1: dim 0 of the new shape copies bottom[1] = 3; −1 = 24 / (2·3) = 4
    expect(reshape({ shape: { dim: [0, -1] }, axis: 1 }, [2, 3, 4])).toEqual([[2, 3, 4]]);
  });

  it.each([
    [{ shape: { dim: [-1, -1] } }, 'new shape contains multiple -1 dims; at most a single (1) value of -1 may be specified'],
    [{ shape: { dim: [0, 0, 0] } }, 'new shape contains a 0, but there was no corresponding bottom axis to copy'],
    [{ shape: { dim: [3, -1] } }, 'bottom count (16) must be divisible by the product of the specified dimensions (3)'],
    [{ shape: { dim: [3, 5] } }, 'output count must match input count: 3×5 (15) vs. bottom 2×8 (16)'],
    [{ shape: { dim: [16] }, axis: 3 }, 'axis 3 out of range for 2-D input blob'],
    [{ shape: { dim: [16] }, axis: -4 }, 'axis -4 out of range'],
    [{ shape: { dim: [16] }, num_axes: -2 }, 'num_axes must be >= 0, or -1 for all'],
    [{ shape: { dim: [8] }, axis: 1, num_axes: 2 }, 'end_axis = axis + num_axes is out of range (1 + 2 > 2 axes)'],
    [{ shape: { dim: [4, -3] } }, 'new shape dim 1 is -3; dims must be positive, 0 (copy) or -1 (infer)'],
  ])('rejects %j', (param, message) => {
    expect(fail(param).message).toBe(`layer "r" (Reshape): ${message}`);
  });

  it('gives a scalar only for a single-element bottom when no shape is set', () => {
    expect(reshape({}, [1, 1])).toEqual([[]]);
    expect(fail({}).message).toContain('output count must match input count: scalar (1) vs. bottom 2×8 (16)');
  });
});
