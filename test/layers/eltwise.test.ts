// Eltwise (docs/caffe-semantics.md#eltwise).
import { describe, expect, it } from 'vitest';
import { failure, infer } from '../helpers/shape-context.js';

describe('Eltwise', () => {
  it("takes bottom[0]'s shape when all bottoms are identical", () => {
    const r = infer({
      type: 'Eltwise',
      bottoms: [
        [1, 21, 34, 34],
        [1, 21, 34, 34],
      ],
      topCount: 1,
    });
    expect(r.tops).toEqual([[1, 21, 34, 34]]);
    expect(r.params).toEqual([]);
    // 2 bottoms × 21·34·34 = 24276 elements each
    expect(r.macs).toBe(2 * 24276);
  });

  it('accepts one coefficient per bottom for SUM, and ignores them for MAX', () => {
    expect(
      infer({
        type: 'Eltwise',
        param: { operation: 'SUM', coeff: [1, -1] },
        bottoms: [
          [2, 3],
          [2, 3],
        ],
        topCount: 1,
      }).tops,
    ).toEqual([[2, 3]]);
    expect(
      infer({
        type: 'Eltwise',
        param: { operation: 'MAX', coeff: [1, 2] },
        bottoms: [
          [2, 3],
          [2, 3],
        ],
        topCount: 1,
      }).tops,
    ).toEqual([[2, 3]]);
  });

  it('rejects coefficients with PROD, and a coefficient count other than #bottoms', () => {
    const prod = failure({
      type: 'Eltwise',
      name: 'e',
      param: { operation: 'PROD', coeff: [1, 1] },
      bottoms: [
        [2, 3],
        [2, 3],
      ],
      topCount: 1,
    });
    expect(prod.message).toBe('layer "e" (Eltwise): Eltwise layer only takes coefficients for summation');
    expect(prod.field).toBe('coeff');
    expect(
      failure({
        type: 'Eltwise',
        param: { coeff: [1, 1, 1] },
        bottoms: [
          [2, 3],
          [2, 3],
        ],
        topCount: 1,
      }).message,
    ).toContain('Eltwise Layer takes one coefficient per bottom blob: 3 coefficients for 2 bottoms');
  });

  it('does not broadcast: shapes must be identical, printed as the shapes table does, with counts', () => {
    expect(
      failure({
        type: 'Eltwise',
        bottoms: [
          [1, 3, 4, 4],
          [1, 3, 1, 1],
        ],
        topCount: 1,
      }).message,
    ).toContain('bottom shapes must be identical: bottom[0]: 1×3×4×4 (48), bottom[1]: 1×3×1×1 (3)');
    // same count, different shape
    expect(
      failure({
        type: 'Eltwise',
        bottoms: [
          [2, 3],
          [2, 3],
          [3, 2],
        ],
        topCount: 1,
      }).message,
    ).toContain('bottom[0]: 2×3 (6), bottom[2]: 3×2 (6)');
  });
});
