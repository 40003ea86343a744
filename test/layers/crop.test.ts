// Crop (docs/caffe-semantics.md#crop, #fcn-shape-trace).
import { describe, expect, it } from 'vitest';
import { failure, tops } from '../helpers/shape-context.js';

const names = { bottom: ['upscore', 'data'], top: ['score'] };

describe('Crop', () => {
  it("FCN-32s score: 544 cropped to data's 500 at offset 19, keeping bottom[0]'s 21 channels", () => {
    // axis 2: N, C from bottom[0] (1, 21); H, W from bottom[1] (500); 19 + 500 = 519 ≤ 544
    expect(
      tops({
        type: 'Crop',
        param: { axis: 2, offset: [19] },
        bottoms: [
          [1, 21, 544, 544],
          [1, 3, 500, 500],
        ],
        topCount: 1,
      }),
    ).toEqual([[1, 21, 500, 500]]);
  });

  it('FCN-16s/8s: score_pool4 44 → 34 at offset 5, score_pool3 88 → 70 at offset 9', () => {
    expect(
      tops({
        type: 'Crop',
        param: { offset: [5] },
        bottoms: [
          [1, 21, 44, 44],
          [1, 21, 34, 34],
        ],
        topCount: 1,
      }),
    ).toEqual([[1, 21, 34, 34]]);
    expect(
      tops({
        type: 'Crop',
        param: { offset: [9] },
        bottoms: [
          [1, 21, 88, 88],
          [1, 21, 70, 70],
        ],
        topCount: 1,
      }),
    ).toEqual([[1, 21, 70, 70]]);
  });

  it('broadcasts a single offset to every axis from `axis`, and names the dim that overflows', () => {
    // H: 19 + 500 ≤ 544 fits; W: 19 + 500 = 519 > 512 does not
    const e = failure({
      type: 'Crop',
      name: 'score',
      param: { axis: 2, offset: [19] },
      bottoms: [
        [1, 21, 544, 512],
        [1, 3, 500, 500],
      ],
      topCount: 1,
      layer: names,
    });
    expect(e.message).toBe('layer "score" (Crop): the crop for dimension 3 is out of bounds: offset 19 + 500 exceeds upscore dim 3 (512)');
    expect(e.field).toBe('offset');
  });

  it('with axis 1 crops channels too: one offset applies to C, H and W', () => {
    // C: 5 + 3 ≤ 21; H, W: 5 + 34 ≤ 44
    expect(
      tops({
        type: 'Crop',
        param: { axis: 1, offset: [5] },
        bottoms: [
          [1, 21, 44, 44],
          [1, 3, 34, 34],
        ],
        topCount: 1,
      }),
    ).toEqual([[1, 3, 34, 34]]);
    // C: 5 + 21 = 26 > 21
    expect(
      failure({
        type: 'Crop',
        param: { axis: 1, offset: [5] },
        bottoms: [
          [1, 21, 44, 44],
          [1, 21, 34, 34],
        ],
        topCount: 1,
        layer: { bottom: ['score_pool4', 'upscore2'] },
      }).message,
    ).toContain('the crop for dimension 1 is out of bounds: offset 5 + 21 exceeds score_pool4 dim 1 (21)');
  });

  it('takes one offset per axis when several are given, and points at the one that overflows', () => {
    // axis 1: offsets (0, 5, 2): C 0 + 21 ≤ 21, H 5 + 34 ≤ 44, W 2 + 34 ≤ 44
    expect(
      tops({
        type: 'Crop',
        param: { axis: 1, offset: [0, 5, 2] },
        bottoms: [
          [1, 21, 44, 44],
          [1, 21, 34, 34],
        ],
        topCount: 1,
      }),
    ).toEqual([[1, 21, 34, 34]]);
    // W: 11 + 34 = 45 > 44
    const e = failure({
      type: 'Crop',
      param: { axis: 1, offset: [0, 5, 11] },
      bottoms: [
        [1, 21, 44, 44],
        [1, 21, 34, 34],
      ],
      topCount: 1,
    });
    expect(e.message).toContain('offset 11 + 34 exceeds bottom[0] dim 3 (44)');
    expect([e.field, e.index]).toEqual(['offset', 2]);
  });

  it('uses offset 0 (not a centre crop) when none is given', () => {
    expect(
      tops({
        type: 'Crop',
        bottoms: [
          [1, 21, 44, 44],
          [1, 3, 44, 44],
        ],
        topCount: 1,
      }),
    ).toEqual([[1, 21, 44, 44]]);
    // no offset: the reference must fit from the origin, and 0 + 45 > 44
    expect(
      failure({
        type: 'Crop',
        bottoms: [
          [1, 21, 44, 44],
          [1, 3, 45, 44],
        ],
        topCount: 1,
      }).message,
    ).toContain('offset 0 + 45 exceeds bottom[0] dim 2 (44)');
  });

  it('requires exactly num_axes − axis offsets when more than one is given', () => {
    // axis 2 of a 4-D blob leaves 2 axes, 3 offsets given
    const e = failure({
      type: 'Crop',
      param: { offset: [1, 2, 3] },
      bottoms: [
        [1, 21, 44, 44],
        [1, 3, 34, 34],
      ],
      topCount: 1,
    });
    expect(e.message).toContain(
      'number of offset values specified must be equal to the number of dimensions following axis: 3 offsets, but bottom[0] has 2 axes from axis 2',
    );
  });

  it('canonicalises a negative axis on bottom[0]', () => {
    // axis −1 of 4 axes is 3: only W is cropped
    expect(
      tops({
        type: 'Crop',
        param: { axis: -1 },
        bottoms: [
          [1, 21, 44, 44],
          [1, 3, 34, 30],
        ],
        topCount: 1,
      }),
    ).toEqual([[1, 21, 44, 30]]);
    expect(
      failure({
        type: 'Crop',
        param: { axis: 4 },
        bottoms: [
          [1, 21, 44, 44],
          [1, 3, 34, 30],
        ],
        topCount: 1,
      }).message,
    ).toContain('axis 4 out of range for 4-D blob');
  });

  it('fails when the reference has no dimension to crop to', () => {
    expect(
      failure({
        type: 'Crop',
        bottoms: [
          [1, 21, 44, 44],
          [1, 3, 34],
        ],
        topCount: 1,
        layer: names,
      }).message,
    ).toContain('the reference data (1×3×34) has no dimension 3 to crop upscore (1×21×44×44) to');
  });
});
