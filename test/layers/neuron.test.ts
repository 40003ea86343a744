// Element-wise layers and PReLU (docs/caffe-semantics.md#neurons).
import { describe, expect, it } from 'vitest';
import { failure, infer, tops } from '../helpers/shape-context.js';

const NEURONS: [string, Record<string, unknown>][] = [
  ['ReLU', { negative_slope: 0.1 }],
  ['ELU', { alpha: 0.5 }],
  ['Sigmoid', {}],
  ['TanH', {}],
  ['AbsVal', {}],
  ['BNLL', {}],
  ['Power', { power: 2, scale: 0.5, shift: 1 }],
  ['Exp', { base: 2 }],
  ['Log', {}],
  ['Threshold', { threshold: 0.3 }],
  ['Swish', { beta: 2 }],
  ['Clip', { min: -1, max: 1 }],
  ['Dropout', { dropout_ratio: 0.3 }],
];

describe('neuron layers', () => {
  it.each(NEURONS)('%s keeps the shape, any rank, with no parameters', (type, param) => {
    for (const bottom of [[2, 3, 4, 5], [7], [], [1, 2, 3, 4, 5, 6]]) {
      const r = infer({ type, param: param as never, bottoms: [bottom], topCount: 1 });
      expect(r.tops).toEqual([bottom]);
      expect(r.params).toEqual([]);
    }
  });

  it('counts one operation per element', () => {
    expect(infer({ type: 'ReLU', bottoms: [[2, 3, 4, 5]], topCount: 1 }).macs).toBe(120);
  });

  it('Dropout has the same shape in TRAIN and TEST', () => {
    expect(tops({ type: 'Dropout', phase: 'TRAIN', bottoms: [[64, 4096]], topCount: 1 })).toEqual([[64, 4096]]);
  });

  it.each(['Exp', 'Log'])('%s takes base −1 (e) or a positive base only', (type) => {
    expect(tops({ type, param: { base: -1 }, bottoms: [[3]], topCount: 1 })).toEqual([[3]]);
    expect(tops({ type, param: { base: 10 }, bottoms: [[3]], topCount: 1 })).toEqual([[3]]);
    for (const base of [0, -2]) {
      const e = failure({ type, name: 'f', param: { base }, bottoms: [[3]], topCount: 1 });
      expect(e.message).toBe(`layer "f" (${type}): base must be strictly positive (or -1 for e); got ${base}`);
      expect(e.field).toBe('base');
    }
  });
});

describe('PReLU', () => {
  it('learns one slope per channel, or one shared slope of shape []', () => {
    expect(infer({ type: 'PReLU', bottoms: [[2, 16, 8, 8]], topCount: 1 })).toEqual({ tops: [[2, 16, 8, 8]], params: [[16]], macs: 2048 });
    expect(infer({ type: 'PReLU', param: { channel_shared: true }, bottoms: [[2, 16, 8, 8]], topCount: 1 }).params).toEqual([[]]);
    expect(infer({ type: 'PReLU', bottoms: [[2, 16]], topCount: 1 }).params).toEqual([[16]]);
  });

  it('needs 2 to 4 axes (channels() is a legacy accessor)', () => {
    expect(failure({ type: 'PReLU', bottoms: [[16]], topCount: 1 }).message).toContain('number of axes of bottom blob must be >=2; got 16');
    expect(failure({ type: 'PReLU', bottoms: [[1, 2, 3, 4, 5]], topCount: 1 }).message).toContain(
      'cannot use legacy accessors on blobs with > 4 axes',
    );
  });
});
