// The FCN shape trace of docs/caffe-semantics.md#fcn-shape-trace (1×3×500×500 input), one layer at a time: each step feeds the
// previous top into the next registered module, and the table's numbers must come out.
import { describe, expect, it } from 'vitest';
import type { Shape } from '../../src/ir/layer-module.js';
import { tops } from '../helpers/shape-context.js';

type Step = [type: string, param: Record<string, unknown>, expectedSide: number];

function run(input: Shape, steps: Step[]): number[] {
  let shape = input;
  return steps.map(([type, param]) => {
    shape = tops({ type, param: param as never, bottoms: [shape], topCount: 1 })[0];
    return shape[2];
  });
}

const conv = (n: number, k: number, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  num_output: n,
  kernel_size: [k],
  ...extra,
});
const pool2 = { pool: 'MAX', kernel_size: 2, stride: 2 };

describe('FCN shape trace (docs/caffe-semantics.md#fcn-shape-trace)', () => {
  it('voc-fcn32s: 698, 349, 175, 88, 44, 22, 16, 544', () => {
    const steps: Step[] = [
      ['Convolution', conv(64, 3, { pad: [100] }), 698], // 500 + 200 − 3 + 1
      ['Convolution', conv(64, 3, { pad: [1] }), 698],
      ['Pooling', pool2, 349], // ceil(696/2) + 1
      ['Convolution', conv(128, 3, { pad: [1] }), 349],
      ['Pooling', pool2, 175], // ceil(347/2) + 1 = 174 + 1
      ['Convolution', conv(256, 3, { pad: [1] }), 175],
      ['Pooling', pool2, 88], // ceil(173/2) + 1 = 87 + 1
      ['Convolution', conv(512, 3, { pad: [1] }), 88],
      ['Pooling', pool2, 44], // 86/2 + 1
      ['Convolution', conv(512, 3, { pad: [1] }), 44],
      ['Pooling', pool2, 22], // 42/2 + 1
      ['Convolution', conv(4096, 7), 16], // fc6: 22 − 7 + 1
      ['Convolution', conv(4096, 1), 16], // fc7
      ['Convolution', conv(21, 1), 16], // score_fr
      ['Deconvolution', conv(21, 64, { stride: [32], bias_term: false }), 544], // 32·15 + 64
    ];
    expect(run([1, 3, 500, 500], steps)).toEqual(steps.map((s) => s[2]));
    // score: Crop to data at offset 19 (19 + 500 ≤ 544), 21 channels from upscore
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

  it('voc-fcn8s: upscore2 34, upscore_pool4 70, upscore8 568, crops 5, 9 and 31', () => {
    const up = (s: number, k: number) => conv(21, k, { stride: [s], bias_term: false });
    // 2·15 + 4 = 34; 2·33 + 4 = 70; 8·69 + 16 = 568
    expect(run([1, 21, 16, 16], [['Deconvolution', up(2, 4), 34]])).toEqual([34]);
    expect(run([1, 21, 34, 34], [['Deconvolution', up(2, 4), 70]])).toEqual([70]);
    expect(run([1, 21, 70, 70], [['Deconvolution', up(8, 16), 568]])).toEqual([568]);
    const crop = (offset: number, from: number, to: number) =>
      tops({
        type: 'Crop',
        param: { axis: 2, offset: [offset] },
        bottoms: [
          [1, 21, from, from],
          [1, 21, to, to],
        ],
        topCount: 1,
      })[0];
    expect(crop(5, 44, 34)).toEqual([1, 21, 34, 34]);
    expect(crop(9, 88, 70)).toEqual([1, 21, 70, 70]);
    expect(crop(31, 568, 500)).toEqual([1, 21, 500, 500]);
  });

  it('voc-fcn16s: upscore16 560, crop 27', () => {
    // 16·33 + 32 = 560; 27 + 500 ≤ 560
    expect(run([1, 21, 34, 34], [['Deconvolution', conv(21, 32, { stride: [16], bias_term: false }), 560]])).toEqual([560]);
  });

  it('voc-fcn-alexnet: 173, 86, 43, 21, 16, 543', () => {
    const pool3 = { pool: 'MAX', kernel_size: 3, stride: 2 };
    const steps: Step[] = [
      ['Convolution', conv(96, 11, { stride: [4], pad: [100] }), 173], // trunc(689/4) + 1
      ['Pooling', pool3, 86], // ceil(170/2) + 1
      ['LRN', { local_size: 5 }, 86],
      ['Convolution', conv(256, 5, { pad: [2], group: 2 }), 86],
      ['Pooling', pool3, 43], // ceil(83/2) + 1 = 42 + 1
      ['Convolution', conv(384, 3, { pad: [1] }), 43],
      ['Convolution', conv(384, 3, { pad: [1], group: 2 }), 43],
      ['Convolution', conv(256, 3, { pad: [1], group: 2 }), 43],
      ['Pooling', pool3, 21], // 40/2 + 1
      ['Convolution', conv(4096, 6), 16], // 21 − 6 + 1
      ['Convolution', conv(21, 1), 16],
      ['Deconvolution', conv(21, 63, { stride: [32], bias_term: false }), 543], // 32·15 + 63
    ];
    expect(run([1, 3, 500, 500], steps)).toEqual(steps.map((s) => s[2]));
  });
});
