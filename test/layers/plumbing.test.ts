// Split, Silence, Flatten, Tile, Reduction (docs/caffe-semantics.md#split-and-silence, #flatten, #tile-reduction-embed-and-im2col).
import { describe, expect, it } from 'vitest';
import { failure, tops } from '../helpers/shape-context.js';

describe('Split', () => {
  it("gives every top the bottom's shape", () => {
    expect(tops({ type: 'Split', bottoms: [[2, 3, 4]], topCount: 3 })).toEqual([
      [2, 3, 4],
      [2, 3, 4],
      [2, 3, 4],
    ]);
  });
});

describe('Silence', () => {
  it('makes no tops', () => {
    expect(tops({ type: 'Silence', bottoms: [[2, 3], [4]], topCount: 0 })).toEqual([]);
  });
});

describe('Flatten', () => {
  it('merges axis 1 to the end by default', () => {
    // 3·4·5 = 60
    expect(tops({ type: 'Flatten', bottoms: [[2, 3, 4, 5]], topCount: 1 })).toEqual([[2, 60]]);
  });

  it('treats end_axis as inclusive', () => {
    // axes 1..2: 3·4 = 12
    expect(tops({ type: 'Flatten', param: { axis: 1, end_axis: 2 }, bottoms: [[2, 3, 4, 5]], topCount: 1 })).toEqual([[2, 12, 5]]);
    // axes 2..3: 20
    expect(tops({ type: 'Flatten', param: { axis: -2 }, bottoms: [[2, 3, 4, 5]], topCount: 1 })).toEqual([[2, 3, 20]]);
  });

  it('inserts a 1 when end_axis = axis − 1, and fails when it is earlier', () => {
    // count(1, 1) = 1 between shape[0:1] and shape[1:]
    expect(tops({ type: 'Flatten', param: { axis: 1, end_axis: 0 }, bottoms: [[2, 3, 4]], topCount: 1 })).toEqual([[2, 1, 3, 4]]);
    const e = failure({ type: 'Flatten', param: { axis: 2, end_axis: 0 }, bottoms: [[2, 3, 4]], topCount: 1 });
    expect(e.message).toContain('end_axis (0) must not come before axis (2) − 1');
    expect(e.field).toBe('end_axis');
  });

  it('canonicalises both axes', () => {
    expect(failure({ type: 'Flatten', param: { end_axis: 3 }, bottoms: [[2, 3, 4]], topCount: 1 }).message).toContain(
      'end_axis 3 out of range for 3-D blob',
    );
  });
});

describe('Tile', () => {
  it('multiplies the axis by tiles', () => {
    // 3 · 4 = 12
    expect(tops({ type: 'Tile', param: { tiles: 4 }, bottoms: [[2, 3, 5]], topCount: 1 })).toEqual([[2, 12, 5]]);
    expect(tops({ type: 'Tile', param: { axis: -1, tiles: 2 }, bottoms: [[2, 3, 5]], topCount: 1 })).toEqual([[2, 3, 10]]);
  });

  it('needs a positive tiles', () => {
    expect(failure({ type: 'Tile', name: 't', bottoms: [[2, 3]], topCount: 1 }).message).toBe(
      'layer "t" (Tile): number of tiles must be specified',
    );
    expect(failure({ type: 'Tile', param: { tiles: 0 }, bottoms: [[2, 3]], topCount: 1 }).message).toContain(
      'number of tiles must be positive (got 0)',
    );
  });
});

describe('Reduction', () => {
  it('keeps the axes before `axis`; the default axis 0 gives a scalar', () => {
    expect(tops({ type: 'Reduction', bottoms: [[2, 3, 4]], topCount: 1 })).toEqual([[]]);
    expect(tops({ type: 'Reduction', param: { axis: 1, operation: 'MEAN' }, bottoms: [[2, 3, 4]], topCount: 1 })).toEqual([[2]]);
    expect(tops({ type: 'Reduction', param: { axis: -1 }, bottoms: [[2, 3, 4]], topCount: 1 })).toEqual([[2, 3]]);
  });

  it('cannot reduce a scalar (axis 0 does not exist)', () => {
    expect(failure({ type: 'Reduction', bottoms: [[]], topCount: 1 }).message).toContain('axis 0 out of range for 0-D blob');
  });
});
