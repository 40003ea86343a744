// Shape rules and diagnostics of the layers added for issue 14's second round: the forks' ReLU6,
// ShuffleChannel, ConvolutionDepthwise, Axpy and MergeCrop, and BVLC's BatchReindex, Filter, STOCHASTIC
// pooling, LSTMUnit, LSTM and RNN (their values are checked against OpenCV, NumPy or PyTorch in
// fork-layers.test.ts). A bad parameter fails with the layer's name and, read from a file, its
// file:line:column.
import type { Msg } from '../../src/schema/message.js';
import { describe, expect, it } from 'vitest';
import { firstDiagnostic, inputLayer } from '../helpers/net-text.js';
import { DiagnosticError, loadNet } from '../../src/index.js';
import { failure, infer, tops } from '../helpers/shape-context.js';

const diagnostic = firstDiagnostic;
const input = inputLayer;

describe('ReLU6', () => {
  it('keeps the shape and may run in place', () => {
    expect(tops({ type: 'ReLU6', bottoms: [[2, 3, 4]], topCount: 1 })).toEqual([[2, 3, 4]]);
  });
});

describe('ShuffleChannel', () => {
  it('keeps the shape when group divides the channels', () => {
    expect(tops({ type: 'ShuffleChannel', param: { group: 3 }, bottoms: [[1, 240, 28, 28]], topCount: 1 })).toEqual([[1, 240, 28, 28]]);
  });

  it('refuses a group that does not divide the channels, at group', () => {
    const f = failure({ type: 'ShuffleChannel', param: { group: 4 }, bottoms: [[1, 6, 2, 2]], topCount: 1 });
    expect(f.message).toBe('layer "layer" (ShuffleChannel): the 6 channels do not split into 4 groups (wrong group size)');
    expect(f.field).toBe('group');
    expect(failure({ type: 'ShuffleChannel', param: { group: 0 }, bottoms: [[1, 6]], topCount: 1 }).message).toMatch(
      /group must be greater than 0/,
    );
  });

  it('is read in the ShuffleNet dialect (shuffle_channel_param is number 164 there) and located', () => {
    const text = [
      input('data', [1, 6, 2, 2]),
      'layer { name: "s" type: "ShuffleChannel" bottom: "data" top: "s"',
      '  shuffle_channel_param { group: 4 } }',
    ].join('\n');
    expect(diagnostic(text)).toBe('3:27: layer "s" (ShuffleChannel): the 6 channels do not split into 4 groups (wrong group size)');
    const net = loadNet(text.replace('group: 4', 'group: 3'));
    expect(net.blob('s')!.shape).toEqual([1, 6, 2, 2]);
  });
});

describe('ConvolutionDepthwise', () => {
  it("has the bottom's channels whatever num_output says, and C×1×k×k weights", () => {
    const r = infer({
      type: 'ConvolutionDepthwise',
      param: { num_output: 7, kernel_size: [3], pad: [1], stride: [2] },
      bottoms: [[2, 32, 112, 112]],
      topCount: 1,
    });
    expect(r.tops).toEqual([[2, 32, 56, 56]]);
    expect(r.params).toEqual([[32, 1, 3, 3], [32]]);
    expect(r.spatial).toMatchObject({ kind: 'window', kernel: [3, 3], stride: [2, 2], pad: [1, 1] });
    const noBias = infer({
      type: 'ConvolutionDepthwise',
      param: { kernel_h: 3, kernel_w: 1, bias_term: false },
      bottoms: [[1, 4, 5, 5]],
      topCount: 1,
    });
    expect(noBias.params).toEqual([[4, 1, 3, 1]]);
  });

  it('needs an N×C×H×W bottom and a kernel size, with located diagnostics', () => {
    expect(failure({ type: 'ConvolutionDepthwise', param: { kernel_size: [3] }, bottoms: [[1, 4, 5]], topCount: 1 }).message).toMatch(
      /needs an N×C×H×W bottom \(got 1×4×5\)/,
    );
    const f = failure({ type: 'ConvolutionDepthwise', param: {}, bottoms: [[1, 4, 5, 5]], topCount: 1 });
    expect([f.message, f.field]).toEqual(['layer "layer" (ConvolutionDepthwise): kernel_size must be specified', 'kernel_size']);
    expect(
      failure({ type: 'ConvolutionDepthwise', param: { kernel_size: [3], axis: 2 }, bottoms: [[1, 4, 5, 5]], topCount: 1 }).field,
    ).toBe('axis');
  });
});

describe('Axpy', () => {
  it("gives X's shape, a being N×C×1×1 or N×C", () => {
    expect(
      tops({
        type: 'Axpy',
        bottoms: [
          [2, 3, 1, 1],
          [2, 3, 4, 5],
          [2, 3, 4, 5],
        ],
        topCount: 1,
      }),
    ).toEqual([[2, 3, 4, 5]]);
    expect(
      tops({
        type: 'Axpy',
        bottoms: [
          [2, 3],
          [2, 3, 4, 5],
          [2, 3, 4, 5],
        ],
        topCount: 1,
      }),
    ).toEqual([[2, 3, 4, 5]]);
  });

  it('checks the scale against X and Y against X', () => {
    const f = (a: number[], x: number[], y: number[]) => failure({ type: 'Axpy', bottoms: [a, x, y], topCount: 1 }).message;
    expect(f([2, 4, 1, 1], [2, 3, 4, 5], [2, 3, 4, 5])).toMatch(/must be N×C \(or N×C×1×1\) of X/);
    expect(f([2, 3, 2, 1], [2, 3, 4, 5], [2, 3, 4, 5])).toMatch(/must be 1×1 spatially/);
    expect(f([2, 3, 1, 1], [2, 3, 4, 5], [2, 3, 5, 4])).toMatch(/and Y \("bottom\[2\]", 2×3×5×4\) must have the same shape/);
  });
});

describe('MergeCrop', () => {
  it("keeps bottom 0's size; STACK adds the channels, ADD keeps them", () => {
    expect(
      tops({
        type: 'MergeCrop',
        bottoms: [
          [1, 512, 56, 56],
          [1, 512, 64, 64],
        ],
        topCount: 1,
      }),
    ).toEqual([[1, 1024, 56, 56]]);
    expect(
      tops({
        type: 'MergeCrop',
        param: { operation: 'ADD' },
        bottoms: [
          [1, 8, 5, 5],
          [1, 8, 9, 9],
        ],
        topCount: 1,
      }),
    ).toEqual([[1, 8, 5, 5]]);
  });

  it('refuses a bottom 1 smaller than bottom 0, ADD of unequal channels, and a third forward flag', () => {
    expect(
      failure({
        type: 'MergeCrop',
        bottoms: [
          [1, 2, 9, 9],
          [1, 2, 5, 5],
        ],
        topCount: 1,
      }).message,
    ).toMatch(/are the bottoms swapped\?/);
    const add = failure({
      type: 'MergeCrop',
      param: { operation: 'ADD' },
      bottoms: [
        [1, 2, 5, 5],
        [1, 3, 9, 9],
      ],
      topCount: 1,
    });
    expect([add.message, add.field]).toEqual([
      'layer "layer" (MergeCrop): ADD needs the same number of channels ("bottom[0]" has 2, "bottom[1]" 3)',
      'operation',
    ]);
    const flags = failure({
      type: 'MergeCrop',
      param: { forward: [true, true, false] },
      bottoms: [
        [1, 2, 5, 5],
        [1, 3, 9, 9],
      ],
      topCount: 1,
    });
    expect([flags.field, flags.index]).toEqual(['forward', 2]);
    expect(
      failure({
        type: 'MergeCrop',
        bottoms: [
          [1, 2, 5, 5],
          [2, 3, 9, 9],
        ],
        topCount: 1,
      }).message,
    ).toMatch(/same batch size/);
  });

  it('reads mergecrop_param in the naibaf7/caffe dialect (number 147 there)', () => {
    const text = [
      input('up', [1, 2, 4, 4]),
      input('skip', [1, 3, 8, 8]),
      'layer { name: "m" type: "MergeCrop" bottom: "up" bottom: "skip" top: "m"',
      '  mergecrop_param { operation: ADD } }',
    ].join('\n');
    expect(diagnostic(text)).toBe('4:21: layer "m" (MergeCrop): ADD needs the same number of channels ("up" has 2, "skip" 3)');
  });
});

describe('BatchReindex', () => {
  it("takes its batch size from the index blob's length", () => {
    expect(tops({ type: 'BatchReindex', bottoms: [[4, 3, 2], [7]], topCount: 1 })).toEqual([[7, 3, 2]]);
  });

  it('needs a 1-axis index blob, pointed at in the file', () => {
    const text = [
      input('data', [4, 3]),
      input('idx', [2, 1]),
      'layer { name: "r" type: "BatchReindex" bottom: "data"',
      '  bottom: "idx" top: "r" }',
    ].join('\n');
    expect(diagnostic(text)).toBe('4:3: layer "r" (BatchReindex): the index blob "idx" must have exactly 1 axis (got 2×1)');
  });
});

describe('Filter', () => {
  it("checks Caffe's rules, then says its top size depends on the data, at the layer", () => {
    const f = (bottoms: number[][], topCount = bottoms.length - 1) => failure({ type: 'Filter', bottoms, topCount }).message;
    expect(
      f([
        [4, 3],
        [4, 2],
      ]),
    ).toMatch(/selector blob "bottom\[1\]" \(4×2\): its dimensions must be singletons \(1\), except the first/);
    expect(
      f([
        [5, 3],
        [4, 1],
      ]),
    ).toMatch(/must have the same 0th dimension as the selector blob/);
    expect(f([[4, 3], [4]], 2)).toMatch(/one top per filtered bottom: 1/);
    expect(
      f([
        [4, 3],
        [4, 1, 1, 1],
      ]),
    ).toMatch(/number of non-zero values in "bottom\[1\]", known only from the data/);
    const text = [
      input('data', [4, 3]),
      input('sel', [4]),
      'layer { name: "f" type: "Filter" bottom: "data" bottom: "sel" top: "kept" }',
    ].join('\n');
    expect(diagnostic(text)).toMatch(/^3:1: layer "f" \(Filter\): the first dimension of "kept" is the number of non-zero values in "sel"/);
  });
});

describe('STOCHASTIC pooling', () => {
  it('has the windows of MAX and AVE and refuses padding', () => {
    expect(
      tops({ type: 'Pooling', param: { pool: 'STOCHASTIC', kernel_size: 3, stride: 2 }, bottoms: [[1, 1, 6, 7]], topCount: 1 }),
    ).toEqual([[1, 1, 3, 3]]);
    expect(
      failure({ type: 'Pooling', param: { pool: 'STOCHASTIC', kernel_size: 3, pad: 1 }, bottoms: [[1, 1, 6, 7]], topCount: 1 }).message,
    ).toMatch(/padding implemented only for average and max pooling/);
  });
});

describe('LSTMUnit', () => {
  it('gives c and h shaped like c_prev, from 4·H gate inputs', () => {
    expect(
      tops({
        type: 'LSTMUnit',
        bottoms: [
          [1, 3, 4],
          [1, 3, 16],
          [1, 3],
        ],
        topCount: 2,
      }),
    ).toEqual([
      [1, 3, 4],
      [1, 3, 4],
    ]);
  });

  it("checks Caffe's shapes, at the bottom that is wrong", () => {
    const gates = failure({
      type: 'LSTMUnit',
      bottoms: [
        [1, 3, 4],
        [1, 3, 12],
        [1, 3],
      ],
      topCount: 2,
    });
    expect([gates.message, gates.field, gates.index]).toEqual([
      'layer "layer" (LSTMUnit): the gate input "bottom[1]" (1×3×12) must hold 4 × 4 values per stream (i, f, o, g)',
      'bottom',
      1,
    ]);
    expect(failure({ type: 'LSTMUnit', bottoms: [[1, 3, 4], [1, 3, 16], [3]], topCount: 2 }).index).toBe(2);
    expect(
      failure({
        type: 'LSTMUnit',
        bottoms: [
          [2, 3, 4],
          [1, 3, 16],
          [1, 3],
        ],
        topCount: 2,
      }).index,
    ).toBe(0);
  });
});

describe('LSTM and RNN', () => {
  const lstm = (bottoms: number[][], param: Msg, topCount = 1) => infer({ type: 'LSTM', param, bottoms, topCount });

  it("give T×N×num_output, with the unrolled net's parameter blobs in Caffe's order", () => {
    const r = lstm(
      [
        [5, 2, 3, 2],
        [5, 2],
      ],
      { num_output: 4 },
    );
    expect(r.tops).toEqual([[5, 2, 4]]);
    expect(r.params).toEqual([[16, 6], [16], [16, 4]]);
    const exposed = lstm(
      [
        [5, 2, 6],
        [5, 2],
        [2, 7],
        [1, 2, 4],
        [1, 2, 4],
      ],
      { num_output: 4, expose_hidden: true },
      3,
    );
    expect(exposed.tops).toEqual([
      [5, 2, 4],
      [1, 2, 4],
      [1, 2, 4],
    ]);
    expect(exposed.params).toEqual([[16, 6], [16], [16, 7], [16, 4]]);
    const rnn = infer({
      type: 'RNN',
      param: { num_output: 3 },
      bottoms: [
        [4, 1, 5],
        [4, 1],
      ],
      topCount: 1,
    });
    expect(rnn.params).toEqual([[3, 5], [3], [3, 3], [3, 3], [3]]);
  });

  it("checks RecurrentLayer's rules", () => {
    const f = (bottoms: number[][], param: Msg, topCount = 1) => failure({ type: 'LSTM', param, bottoms, topCount });
    expect(
      f(
        [
          [5, 2, 6],
          [5, 2],
        ],
        {},
      ).message,
    ).toMatch(/num_output must be positive/);
    expect(
      f(
        [
          [5, 2, 6],
          [5, 3],
        ],
        { num_output: 4 },
      ).message,
    ).toMatch(/bottom\[1\] \("bottom\[1\]"\) must have exactly 2 axes -- \(#timesteps, #streams\) = 5×2; got 5×3/);
    expect(
      f(
        [
          [5, 2, 6],
          [5, 2],
          [3, 7],
        ],
        { num_output: 4 },
      ).message,
    ).toMatch(/must have the 2 streams on its first axis/);
    expect(
      f(
        [
          [5, 2, 6],
          [5, 2],
          [1, 2, 4],
        ],
        { num_output: 4, expose_hidden: true },
        3,
      ).message,
    ).toMatch(/4 or 5 bottoms, not 3/);
    expect(
      f(
        [
          [5, 2, 6],
          [5, 2],
          [1, 2, 3],
          [1, 2, 4],
        ],
        { num_output: 4, expose_hidden: true },
        3,
      ).message,
    ).toMatch(/bottom\[2\] \("bottom\[2\]"\) shape must match hidden state input shape: 1×2×4/);
    expect(
      f(
        [
          [5, 2, 6],
          [5, 2],
        ],
        { num_output: 4 },
        2,
      ).message,
    ).toMatch(/has 1 top\(s\) \(the output\), not 2/);
  });
});
