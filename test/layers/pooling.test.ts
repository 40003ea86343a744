// Pooling and SPP (docs/caffe-semantics.md#pooling; spp_layer.cpp).
import { describe, expect, it } from 'vitest';
import { failure, infer, tops } from '../helpers/shape-context.js';

const pool = (bottom: number[], param: Record<string, unknown>, topCount = 1) =>
  tops({ type: 'Pooling', param: param as never, bottoms: [bottom], topCount });

describe('Pooling', () => {
  it('rounds up by default: the VGG/FCN chain 698 → 349 → 175 → 88 → 44 → 22', () => {
    const k2s2 = { pool: 'MAX', kernel_size: 2, stride: 2 };
    // ceil((698 − 2)/2) + 1 = 348 + 1 = 349
    expect(pool([1, 64, 698, 698], k2s2)).toEqual([[1, 64, 349, 349]]);
    // ceil((349 − 2)/2) + 1 = ceil(173.5) + 1 = 175
    expect(pool([1, 128, 349, 349], k2s2)).toEqual([[1, 128, 175, 175]]);
    // ceil((175 − 2)/2) + 1 = ceil(86.5) + 1 = 88
    expect(pool([1, 256, 175, 175], k2s2)).toEqual([[1, 256, 88, 88]]);
    // ceil(86/2) + 1 = 44; ceil(42/2) + 1 = 22
    expect(pool([1, 512, 88, 88], k2s2)).toEqual([[1, 512, 44, 44]]);
    expect(pool([1, 512, 44, 44], k2s2)).toEqual([[1, 512, 22, 22]]);
  });

  it('rounds down with round_mode FLOOR', () => {
    // floor((349 − 2)/2) + 1 = 173 + 1 = 174
    expect(pool([1, 1, 349, 349], { kernel_size: 2, stride: 2, round_mode: 'FLOOR' })).toEqual([[1, 1, 174, 174]]);
  });

  it('gives 1 for a kernel larger than the input in CEIL mode (ceil(−0.5) = −0), 0 in FLOOR', () => {
    // ceil((2 − 3)/2) + 1 = ceil(−0.5) + 1 = 1; floor(−0.5) + 1 = 0
    expect(pool([1, 1, 2, 2], { kernel_size: 3, stride: 2 })).toEqual([[1, 1, 1, 1]]);
    expect(pool([1, 1, 2, 2], { kernel_size: 3, stride: 2, round_mode: 'FLOOR' })).toEqual([[1, 1, 0, 0]]);
  });

  it('clips a last window that would start in the padding', () => {
    // ceil((5 + 2 − 2)/2) + 1 = ceil(2.5) + 1 = 4; (4 − 1)·2 = 6 ≥ 5 + 1 → 3
    expect(pool([1, 1, 5, 5], { kernel_size: 2, stride: 2, pad: 1 })).toEqual([[1, 1, 3, 3]]);
  });

  it('applies the clip to both axes as soon as either pad is non-zero', () => {
    const param = { kernel_h: 2, kernel_w: 1, stride_h: 2, stride_w: 3, pad_h: 1, pad_w: 0 };
    // h: ceil((5 + 2 − 2)/2) + 1 = 4, (4 − 1)·2 = 6 ≥ 5 + 1 → 3
    // w: ceil((5 − 1)/3) + 1 = ceil(1.33) + 1 = 3, (3 − 1)·3 = 6 ≥ 5 + 0 → 2 (clipped although pad_w = 0)
    expect(pool([1, 1, 5, 5], param)).toEqual([[1, 1, 3, 2]]);
    // Without any pad the w axis keeps 3; h: ceil(3/2) + 1 = 3
    expect(pool([1, 1, 5, 5], { ...param, pad_h: 0 })).toEqual([[1, 1, 3, 3]]);
  });

  it('computes in float32 like Caffe', () => {
    // H − k = 16777217 is 2^24 in float32, so ceil(16777216/2) + 1 = 8388609 (exact arithmetic: 8388610)
    expect(pool([1, 1, 16777218, 1], { kernel_size: 1, stride: 2 })).toEqual([[1, 1, 8388609, 1]]);
  });

  it('pools globally over H×W', () => {
    const r = infer({ type: 'Pooling', param: { pool: 'AVE', global_pooling: true }, bottoms: [[2, 512, 7, 7]], topCount: 1 });
    expect(r.tops).toEqual([[2, 512, 1, 1]]);
    // 2·512 outputs, 7·7 window each
    expect(r.macs).toBe(2 * 512 * 49);
  });

  it('gives MAX an optional mask top of the same shape, and no other method', () => {
    // ceil((4 − 2)/2) + 1 = 2
    expect(pool([1, 3, 4, 4], { kernel_size: 2, stride: 2 }, 2)).toEqual([
      [1, 3, 2, 2],
      [1, 3, 2, 2],
    ]);
    const e = failure({ type: 'Pooling', name: 'p', param: { pool: 'AVE', kernel_size: 2 }, bottoms: [[1, 3, 4, 4]], topCount: 2 });
    expect(e.message).toBe('layer "p" (Pooling): only MAX pooling has a second (mask) top; AVE pooling produces at most 1 top blob');
  });

  it('takes kernel_size when kernel_h comes without kernel_w (Caffe ignores the lone kernel_h)', () => {
    // (8 − 2)/1 + 1 = 7 (kernel_h 4 would give 5)
    expect(pool([1, 1, 8, 8], { kernel_size: 2, kernel_h: 4 })).toEqual([[1, 1, 7, 7]]);
  });

  it.each([
    [{ global_pooling: true, kernel_size: 2 }, 'with global_pooling: true filter size cannot be specified', 'kernel_size'],
    [{ kernel_size: 2, kernel_h: 2, kernel_w: 2 }, 'filter size is kernel_size OR kernel_h and kernel_w; not both', 'kernel_h'],
    [{ kernel_h: 2 }, 'for non-square filters both kernel_h and kernel_w are required', 'kernel_h'],
    [{}, 'filter size must be given: kernel_size, or kernel_h and kernel_w (or global_pooling: true)', undefined],
    [{ kernel_size: 0 }, 'filter dimensions cannot be zero', 'kernel_size'],
    [{ kernel_size: 3, pad: 1, pad_h: 1, pad_w: 1 }, 'pad is pad OR pad_h and pad_w are required', 'pad'],
    [{ kernel_size: 3, pad_h: 1 }, 'pad is pad OR pad_h and pad_w are required', 'pad_w'],
    [{ kernel_size: 3, stride_h: 2 }, 'stride is stride OR stride_h and stride_w are required', 'stride_w'],
    [{ kernel_size: 3, stride: 0 }, 'stride dimensions must be nonzero', 'stride'],
    [{ global_pooling: true, pad: 1 }, 'with global_pooling: true; only pad = 0 and stride = 1 (pad 1/1, stride 1/1)', undefined],
    [{ pool: 'STOCHASTIC', kernel_size: 3, pad: 1 }, 'padding implemented only for average and max pooling', 'pad'],
    [{ kernel_size: 2, pad: 2 }, 'pad_h (2) must be less than kernel_h (2)', 'pad'],
    [{ kernel_h: 3, kernel_w: 2, pad_h: 1, pad_w: 2 }, 'pad_w (2) must be less than kernel_w (2)', 'pad_h'],
  ])('rejects %j', (param, message, field) => {
    const e = failure({ type: 'Pooling', name: 'pool1', param: param as never, bottoms: [[1, 1, 8, 8]], topCount: 1 });
    expect(e.message).toBe(`layer "pool1" (Pooling): ${message}`);
    expect(e.field).toBe(field);
  });

  it('requires a 4-D input', () => {
    expect(failure({ type: 'Pooling', param: { kernel_size: 2 }, bottoms: [[1, 8, 8]], topCount: 1 }).message).toContain(
      'input must have 4 axes, corresponding to (num, channels, height, width); got 1×8×8',
    );
  });
});

describe('SPP', () => {
  it('concatenates 1 + 4 + 16 bins per channel for pyramid_height 3, as a 2-axis top', () => {
    // 9×8 input. Level 0: kernel 9×8, pad 0 → 1×1.
    // Level 1 (2 bins): kernel (ceil 4.5 = 5, 4), pad ((10−9+1)/2 = 1, (8−8+1)/2 = 0):
    //   h ceil((9+2−5)/5)+1 = 3, clip (3−1)·5 = 10 ≥ 9+1 → 2; w ceil((8−4)/4)+1 = 2 → 2×2.
    // Level 2 (4 bins): kernel (3, 2), pad ((12−9+1)/2 = 2, 0):
    //   h ceil((9+4−3)/3)+1 = 5, clip 12 ≥ 11 → 4; w ceil((8−2)/2)+1 = 4 → 4×4.
    // 3 channels · (1 + 4 + 16) = 63
    expect(tops({ type: 'SPP', param: { pyramid_height: 3 }, bottoms: [[2, 3, 9, 8]], topCount: 1 })).toEqual([[2, 63]]);
  });

  it('is a single global-size pooling, (N, C, 1, 1), for pyramid_height 1', () => {
    expect(tops({ type: 'SPP', param: { pyramid_height: 1 }, bottoms: [[2, 3, 9, 8]], topCount: 1 })).toEqual([[2, 3, 1, 1]]);
  });

  it("inherits Pooling's pad checks at each level", () => {
    // 5×5, level 2 (4 bins): kernel ceil(5/4) = 2, pad (8 − 5 + 1)/2 = 2, and Pooling needs pad < kernel
    expect(failure({ type: 'SPP', param: { pyramid_height: 3 }, bottoms: [[1, 1, 5, 5]], topCount: 1 }).message).toContain(
      'pyramid level 2 (4×4 bins over 5×5): pad_h (2) must be less than kernel_h (2)',
    );
    // Level 1 of 9×8 pads h by 1, which STOCHASTIC pooling cannot do
    expect(
      failure({ type: 'SPP', param: { pyramid_height: 2, pool: 'STOCHASTIC' }, bottoms: [[1, 1, 9, 8]], topCount: 1 }).message,
    ).toContain('pyramid level 1 (2×2 bins over 9×8): padding implemented only for average and max pooling');
  });

  it('needs a pyramid_height and a non-empty 4-D input', () => {
    expect(failure({ type: 'SPP', param: {}, bottoms: [[1, 1, 4, 4]], topCount: 1 }).message).toContain(
      'pyramid_height must be specified and at least 1',
    );
    expect(failure({ type: 'SPP', param: { pyramid_height: 1 }, bottoms: [[1, 1, 0, 4]], topCount: 1 }).message).toContain(
      'input dimensions cannot be zero',
    );
    expect(failure({ type: 'SPP', param: { pyramid_height: 1 }, bottoms: [[1, 4, 4]], topCount: 1 }).message).toContain(
      'input must have 4 axes',
    );
  });
});
