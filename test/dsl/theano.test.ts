// Theano scripts in the sandbox (docs/caffe-semantics.md#theano): conv2d, conv2d_grad_wrt_inputs / conv2d_transpose /
// AbstractConv2d_gradInputs, pool_2d and element-wise ops become Caffe layers with Theano's sizes;
// input_shape chooses among the s sizes a stride-s transposed convolution may make (carried as an
// output adjustment that prototxt cannot hold) and filter_flip travels as a flag.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadNet, readNet } from '../../src/api/load-net.js';
import { DiagnosticError, formatDiagnostic } from '../../src/diagnostics/diagnostic.js';
import { repoRoot } from '../helpers/corpus.js';
import { py, runPy } from './run-py.js';
import { toPrototxt } from '../../src/printer/prototxt-printer.js';

const EXAMPLE = join(repoRoot, 'examples', 'theano-deconv.py');
const inputs = { x: [1, 3, 64, 64] };

function failure(action: () => unknown): string {
  try {
    action();
  } catch (e) {
    if (e instanceof DiagnosticError) return e.diagnostics.map(formatDiagnostic).join('\n');
    throw e;
  }
  throw new Error('expected a diagnostic');
}

describe('examples/theano-deconv.py', () => {
  it('converts to a Deconvolution of size s(i−1) + k − 2p = 4·15 + 8 − 4 = 64', () => {
    const net = loadNet(EXAMPLE, { inputs });
    expect(net.layers.map((l) => l.name)).toEqual(['x', 'conv1', 'conv1_relu', 'pool1', 'conv2', 'conv2_relu', 'pool2', 'score', 'up']);
    expect(net.blob('score').shape).toEqual([1, 21, 16, 16]);
    const up = net.layer('up')!;
    expect(up.type).toBe('Deconvolution');
    expect(up.tops[0].shape).toEqual([1, 21, 64, 64]);
    // Theano's filters are the forward conv's, (C_in, num_output, k, k): Caffe's Deconvolution blob.
    expect(up.paramShapes).toEqual([[21, 21, 8, 8], [21]]);
    // input_shape asked for Caffe's own size: no adjustment, so it is expressible as prototxt.
    expect(up.extension).toEqual({ origin: "Theano's input_shape", outputSize: [64, 64] });
    expect(up.outputAdjust).toEqual([0, 0]);
  });

  it('as prototxt it is an ordinary net with the same shapes', () => {
    const prototxt = toPrototxt(loadNet(EXAMPLE, { inputs }));
    expect(prototxt).toContain('round_mode: FLOOR');
    expect(loadNet(prototxt, { file: 'up.prototxt', inputs }).toJSON()).toEqual(loadNet(EXAMPLE, { inputs }).toJSON());
  });

  it('build(extra=1) picks the next of the 4 sizes: 65, an output adjustment prototxt cannot hold', () => {
    const net = loadNet(EXAMPLE, { inputs, call: 'build(extra=1)' });
    expect(net.blob('up').shape).toEqual([1, 21, 65, 65]);
    expect(net.layer('up')!.outputAdjust).toEqual([1, 1]);
    expect(net.layer('up')!.extension).toEqual({ origin: "Theano's input_shape", outputSize: [65, 65] });
    expect(failure(() => toPrototxt(net))).toBe(
      `${EXAMPLE}:85:21: error: Deconvolution "up" has output adjustment 1 from Theano's input_shape; prototxt cannot express it\n` +
        "  hint: Caffe's Deconvolution always makes the smallest size; choose that size, or crop or pad after it",
    );
  });

  it('build(extra=4) asks for a size no convolution maps to 16: the candidates are I_min … I_min + s − 1', () => {
    expect(failure(() => loadNet(EXAMPLE, { inputs, call: 'build(extra=4)' }))).toBe(
      `${EXAMPLE}:85:21: error: layer "up" (Deconvolution): Theano's input_shape asks for size 68 on axis 2, but no convolution with kernel 8, stride 4, pad 2 maps 68 to the input's 16; the sizes that do: 64, 65, 66, 67`,
    );
  });

  it('the input shape comes from --input', () => {
    expect(failure(() => loadNet(EXAMPLE))).toBe(
      `${EXAMPLE}:45:29: error: ValueError: the shape of x is not known: layer "x" (Input): top "x" has no shape; give one with --input x=N,C,H,W`,
    );
    expect(loadNet(EXAMPLE, { inputs: { x: [2, 3, 32, 48] } }).blob('up').shape).toEqual([2, 21, 32, 48]);
  });
});

const HEAD = py`
  import numpy as np
  import theano
  import theano.tensor as T
  from theano.tensor.nnet import conv2d, conv2d_transpose
  from theano.tensor.nnet.abstract_conv import conv2d_grad_wrt_inputs, AbstractConv2d_gradInputs
  from theano.tensor.signal.pool import pool_2d
  x = T.tensor4('x')
`;

/** The printed value of `expr` after the snippet, with x of the given shape. */
function shapeOf(body: string, expr: string, shape = [1, 2, 10, 10]): string {
  return runPy(`${HEAD}\n${body}\nprint(${expr})\n`, { inputs: new Map([['x', shape]]) }).printed.trim();
}

describe('conv2d border modes, strides, dilation and groups (Theano: O = ⌊(I + 2p − d(k−1) − 1)/s⌋ + 1)', () => {
  const W = "W = theano.shared(np.zeros((4, 2, 3, 3), dtype='float32'))";
  it.each([
    ["'valid'", '(1, 4, 8, 8)'],
    ["'full'", '(1, 4, 12, 12)'],
    ["'half'", '(1, 4, 10, 10)'],
    ['1', '(1, 4, 10, 10)'],
    ['(0, 2)', '(1, 4, 8, 12)'],
    ['((1, 1), (0, 0))', '(1, 4, 10, 8)'],
  ])('border_mode=%s', (mode, expected) => {
    expect(shapeOf(W, `conv2d(x, W, border_mode=${mode}).shape`)).toBe(expected);
  });

  it('subsample, filter_dilation and num_groups', () => {
    expect(shapeOf(W, 'conv2d(x, W, subsample=(2, 3)).shape')).toBe('(1, 4, 4, 3)');
    expect(shapeOf(W, "conv2d(x, W, filter_dilation=(2, 2), border_mode='half').shape")).toBe('(1, 4, 10, 10)');
    const grouped = "G = theano.shared(np.zeros((4, 1, 3, 3), dtype='float32'))";
    expect(shapeOf(grouped, 'conv2d(x, G, num_groups=2).shape')).toBe('(1, 4, 8, 8)');
  });

  it('asymmetric padding and unknown modes are refused', () => {
    expect(() => shapeOf(W, 'conv2d(x, W, border_mode=((1, 2), (0, 0)))')).toThrow(
      /NotImplementedError: asymmetric padding \(1, 2\) has no Caffe equivalent/,
    );
    expect(() => shapeOf(W, "conv2d(x, W, border_mode='same')")).toThrow(/ValueError: invalid border_mode 'same'/);
  });
});

describe('the transposed convolution, three ways', () => {
  const W = "W = theano.shared(np.zeros((2, 3, 4, 4), dtype='float32'))";
  it('conv2d_grad_wrt_inputs, conv2d_transpose and AbstractConv2d_gradInputs agree', () => {
    expect(shapeOf(W, 'conv2d_grad_wrt_inputs(x, W, input_shape=(1, 3, 21, 21), subsample=(2, 2), border_mode=1).shape')).toBe(
      '(1, 3, 21, 21)',
    );
    expect(shapeOf(W, 'conv2d_transpose(x, W, output_shape=(None, None, 20, 21), input_dilation=(2, 2), border_mode=1).shape')).toBe(
      '(1, 3, 20, 21)',
    );
    expect(shapeOf(W, 'AbstractConv2d_gradInputs(subsample=(2, 2), border_mode=1)(W, x, (20, 20)).shape')).toBe('(1, 3, 20, 20)');
  });

  it('input_shape must give the spatial sizes when the stride is not 1, and channels that match the filters', () => {
    expect(() => shapeOf(W, 'conv2d_grad_wrt_inputs(x, W, input_shape=(1, 3, None, 20), subsample=(2, 2))')).toThrow(
      /ValueError: input_shape\[2\] must be given: with subsample 2 several sizes are plausible/,
    );
    expect(() => shapeOf(W, 'conv2d_grad_wrt_inputs(x, W, input_shape=(1, 5, 13, 13))')).toThrow(
      /ValueError: conv2d_grad_wrt_inputs: input_shape\[1\] is 5, but the filters make 3 channels/,
    );
  });

  it('filter_flip=True (Theano’s default: a true convolution) is carried, and refused as prototxt', () => {
    const script = `${HEAD}\n${W}\ny = conv2d_grad_wrt_inputs(x, W, input_shape=(1, 3, 13, 13))\nf = theano.function([x], y)\n`;
    const net = loadNet(script, { file: 'flip.py', inputs: { x: [1, 2, 10, 10] } });
    expect(net.layers[1].extension).toEqual({ origin: "Theano's input_shape", filterFlip: true, outputSize: [13, 13] });
    expect(failure(() => toPrototxt(net))).toMatch(
      /^flip\.py:10:5: error: Deconvolution "y" uses filter_flip=True \(a flipped kernel, a true convolution\); prototxt cannot express it\n {2}hint: Caffe correlates without flipping/,
    );
  });
});

describe('pooling and element-wise ops', () => {
  it('pool_2d: ignore_border=True floors (FLOOR), False keeps the partial window (CEIL)', () => {
    expect(shapeOf('', 'pool_2d(x, ws=(2, 2), ignore_border=True).shape', [1, 1, 5, 5])).toBe('(1, 1, 2, 2)');
    expect(shapeOf('', 'pool_2d(x, ws=(2, 2), ignore_border=False).shape', [1, 1, 5, 5])).toBe('(1, 1, 3, 3)');
    expect(
      shapeOf('', "pool_2d(x, ws=(3, 3), stride=(2, 2), pad=(1, 1), ignore_border=True, mode='average_inc_pad').shape", [1, 1, 7, 7]),
    ).toBe('(1, 1, 4, 4)');
    expect(() => shapeOf('', "pool_2d(x, ws=(2, 2), mode='average_exc_pad')")).toThrow(
      /NotImplementedError: pool_2d mode 'average_exc_pad' has no Caffe equivalent/,
    );
  });

  it('relu, sigmoid, tanh, sums and scalings become layers named after their variables', () => {
    const script = py`
      import theano
      import theano.tensor as T
      x = T.tensor4('x')
      a = T.nnet.relu(x, 0.1)
      b = T.nnet.sigmoid(x)
      s = a + b
      y = T.tanh(s * 0.5)
      f = theano.function([x], y)
    `;
    const net = readNet(script, { file: 'ops.py' });
    const layers = (net.layer as { name: string; type: string }[]).map((l) => `${l.name}:${l.type}`);
    expect(layers).toEqual(['x:Input', 'a:ReLU', 'b:Sigmoid', 's:Eltwise', 'Power1:Power', 'y:TanH']);
    expect(JSON.stringify(net.layer)).toContain('"negative_slope":0.10000000149011612');
    expect(JSON.stringify(net.layer)).toContain('"scale":0.5');
  });
});
