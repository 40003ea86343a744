// Convolution, Deconvolution and Im2col (docs/caffe-semantics.md#convolution, #deconvolution, #tile-reduction-embed-and-im2col).
import { describe, expect, it } from 'vitest';
import { failure, infer, tops } from '../helpers/shape-context.js';

describe('Convolution', () => {
  it('FCN conv1_1: pad 100 grows 500 to 698', () => {
    // (500 + 2·100 − 3) / 1 + 1 = 698; weights (64, 3/1, 3, 3), bias (64)
    const r = infer({
      type: 'Convolution',
      param: { num_output: 64, pad: [100], kernel_size: [3] },
      bottoms: [[1, 3, 500, 500]],
      topCount: 1,
    });
    expect(r.tops).toEqual([[1, 64, 698, 698]]);
    expect(r.params).toEqual([[64, 3, 3, 3], [64]]);
  });

  it('truncates a negative numerator toward zero: in 2, k 3, s 2 gives 1', () => {
    // trunc((2 − 3) / 2) + 1 = trunc(−0.5) + 1 = 0 + 1 = 1 (floor would give 0)
    expect(
      tops({ type: 'Convolution', param: { num_output: 1, kernel_size: [3], stride: [2] }, bottoms: [[1, 1, 2, 2]], topCount: 1 }),
    ).toEqual([[1, 1, 1, 1]]);
  });

  it('fails when the output would be negative: in 1, k 3', () => {
    // trunc((1 − 3) / 1) + 1 = −1
    const e = failure({ type: 'Convolution', name: 'c', param: { num_output: 1, kernel_size: [3] }, bottoms: [[1, 1, 1, 1]], topCount: 1 });
    expect(e.message).toMatch(/^layer "c" \(Convolution\): spatial axis 0: input 1 with pad 0 is smaller than the kernel extent 3/);
  });

  it('FCN fc6 as a 7×7 conv on pool5 22 gives 16; fcn-alexnet conv1 gives 173', () => {
    // 22 − 7 + 1 = 16
    expect(tops({ type: 'Convolution', param: { num_output: 4096, kernel_size: [7] }, bottoms: [[1, 512, 22, 22]], topCount: 1 })).toEqual([
      [1, 4096, 16, 16],
    ]);
    // trunc((500 + 200 − 11) / 4) + 1 = trunc(172.25) + 1 = 173
    expect(
      tops({
        type: 'Convolution',
        param: { num_output: 96, kernel_size: [11], stride: [4], pad: [100] },
        bottoms: [[1, 3, 500, 500]],
        topCount: 1,
      }),
    ).toEqual([[1, 96, 173, 173]]);
  });
});

describe('Deconvolution', () => {
  it('FCN-32s upscore: 16 → 544 with k 64, s 32; weights (C_in, num_output/group, k, k)', () => {
    // 32·(16 − 1) + (64 − 1) + 1 − 0 = 480 + 64 = 544
    const r = infer({
      type: 'Deconvolution',
      param: { num_output: 21, bias_term: false, kernel_size: [64], stride: [32] },
      bottoms: [[1, 21, 16, 16]],
      topCount: 1,
    });
    expect(r.tops).toEqual([[1, 21, 544, 544]]);
    expect(r.params).toEqual([[21, 21, 64, 64]]);
  });

  it('lays weights out as (C_in, num_output/group, k…), unlike Convolution', () => {
    // C_in 4, num_output 6, group 2 → (4, 3, 3, 3); out = 1·(5 − 1) + 3 = 7; bias (6)
    const r = infer({ type: 'Deconvolution', param: { num_output: 6, group: 2, kernel_size: [3] }, bottoms: [[1, 4, 5, 5]], topCount: 1 });
    expect(r.tops).toEqual([[1, 6, 7, 7]]);
    expect(r.params).toEqual([[4, 3, 3, 3], [6]]);
    // macs: every input element (4·25 = 100) times num_output/group (3) times 3·3 taps = 2700
    expect(r.macs).toBe(2700);
  });

  it('applies stride, dilation and pad: s(i−1) + d(k−1) + 1 − 2p', () => {
    // 2·(5 − 1) + 2·(3 − 1) + 1 − 2·1 = 8 + 4 + 1 − 2 = 11; h/w differ: kernel_h 1 → 2·4 + 0 + 1 − 2 = 7
    expect(
      tops({
        type: 'Deconvolution',
        param: { num_output: 1, kernel_size: [3], stride: [2], pad: [1], dilation: [2] },
        bottoms: [[1, 1, 5, 5]],
        topCount: 1,
      }),
    ).toEqual([[1, 1, 11, 11]]);
    expect(
      tops({
        type: 'Deconvolution',
        param: { num_output: 1, kernel_h: 1, kernel_w: 3, stride: [2], pad: [1], dilation: [2] },
        bottoms: [[1, 1, 5, 5]],
        topCount: 1,
      }),
    ).toEqual([[1, 1, 7, 11]]);
  });

  it('makes one top per bottom and requires identical bottoms', () => {
    const param = { num_output: 2, kernel_size: [2], stride: [2] };
    // 2·(3 − 1) + 2 = 6
    expect(
      tops({
        type: 'Deconvolution',
        param,
        bottoms: [
          [1, 1, 3, 3],
          [1, 1, 3, 3],
        ],
        topCount: 2,
      }),
    ).toEqual([
      [1, 2, 6, 6],
      [1, 2, 6, 6],
    ]);
    expect(
      failure({
        type: 'Deconvolution',
        param,
        bottoms: [
          [1, 1, 3, 3],
          [1, 1, 4, 3],
        ],
        topCount: 2,
      }).message,
    ).toContain('shape mismatch - bottom[0]: 1×1×3×3 vs. bottom[1]: 1×1×4×3');
  });

  it('fails on a negative output size', () => {
    // 1·(1 − 1) + 1 − 2·1 = −1
    const e = failure({
      type: 'Deconvolution',
      name: 'up',
      param: { num_output: 1, kernel_size: [1], pad: [1] },
      bottoms: [[1, 1, 1, 1]],
      topCount: 1,
    });
    expect(e.message).toBe('layer "up" (Deconvolution): top shape would be 1×1×-1×-1: dimension 2 is -1, and blob dimensions must be >= 0');
  });

  it('checks group divisibility like Convolution', () => {
    expect(
      failure({ type: 'Deconvolution', param: { num_output: 3, group: 2, kernel_size: [1] }, bottoms: [[1, 4, 2, 2]], topCount: 1 })
        .message,
    ).toContain('number of outputs (3) should be a multiple of group (2)');
    expect(
      failure({ type: 'Deconvolution', param: { num_output: 4, group: 2, kernel_size: [1] }, bottoms: [[1, 3, 2, 2]], topCount: 1 })
        .message,
    ).toContain('input channels (3) must be a multiple of group (2)');
  });
});

describe('Im2col', () => {
  it('puts C·Πk in the channel axis and uses the Convolution formula spatially', () => {
    // C·k·k = 3·3·3 = 27; (5 − 3)/1 + 1 = 3
    expect(tops({ type: 'Im2col', param: { kernel_size: [3] }, bottoms: [[1, 3, 5, 5]], topCount: 1 })).toEqual([[1, 27, 3, 3]]);
    // kernel 2×3 → 2·2·3 = 12 channels; h (6 + 2 − 2)/2 + 1 = 4, w (6 + 0 − 3)/2 + 1 = trunc(1.5) + 1 = 2
    expect(
      tops({ type: 'Im2col', param: { kernel_h: 2, kernel_w: 3, stride: [2], pad_h: 1 }, bottoms: [[1, 2, 6, 6]], topCount: 1 }),
    ).toEqual([[1, 12, 4, 2]]);
  });

  it('truncates like Convolution: in 2, k 3, s 2 gives 1', () => {
    // trunc(−1/2) + 1 = 1; channels 4·9 = 36
    expect(tops({ type: 'Im2col', param: { kernel_size: [3], stride: [2] }, bottoms: [[1, 4, 2, 2]], topCount: 1 })).toEqual([
      [1, 36, 1, 1],
    ]);
  });

  it('needs at least one spatial axis and has no weights', () => {
    expect(failure({ type: 'Im2col', param: { kernel_size: [1] }, bottoms: [[2, 3]], topCount: 1 }).message).toContain(
      'needs at least 1 spatial axes',
    );
    expect(infer({ type: 'Im2col', param: { kernel_size: [1] }, bottoms: [[1, 1, 1, 1]], topCount: 1 }).params).toEqual([]);
  });
});
