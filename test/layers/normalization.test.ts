// Softmax, LRN, BatchNorm, MVN (docs/caffe-semantics.md#softmax-and-losses, #lrn-batchnorm-scale-and-bias, #parameter-blobs).
import { describe, expect, it } from 'vitest';
import { failure, infer, tops } from '../helpers/shape-context.js';

describe('Softmax', () => {
  it('keeps the shape and checks the axis', () => {
    expect(tops({ type: 'Softmax', bottoms: [[2, 10]], topCount: 1 })).toEqual([[2, 10]]);
    expect(tops({ type: 'Softmax', param: { axis: -1 }, bottoms: [[2, 3, 4]], topCount: 1 })).toEqual([[2, 3, 4]]);
    expect(failure({ type: 'Softmax', param: { axis: 2 }, bottoms: [[2, 10]], topCount: 1 }).message).toContain(
      'axis 2 out of range for 2-D blob',
    );
  });
});

describe('LRN', () => {
  it('keeps a 4-D shape; ACROSS_CHANNELS visits local_size values per output', () => {
    const r = infer({ type: 'LRN', param: { local_size: 5 }, bottoms: [[1, 96, 55, 55]], topCount: 1 });
    expect(r.tops).toEqual([[1, 96, 55, 55]]);
    expect(r.params).toEqual([]);
    // 96·55·55 = 290400 outputs × 5
    expect(r.macs).toBe(290400 * 5);
  });

  it('needs an odd local_size (default 5) and 4 axes', () => {
    expect(tops({ type: 'LRN', bottoms: [[1, 3, 4, 4]], topCount: 1 })).toEqual([[1, 3, 4, 4]]);
    const e = failure({ type: 'LRN', name: 'norm1', param: { local_size: 4 }, bottoms: [[1, 3, 4, 4]], topCount: 1 });
    expect(e.message).toBe('layer "norm1" (LRN): LRN only supports odd values for local_size (got 4)');
    expect(e.field).toBe('local_size');
    expect(failure({ type: 'LRN', bottoms: [[3, 4, 4]], topCount: 1 }).message).toContain('input must have 4 axes');
  });
});

describe('BatchNorm', () => {
  it('has statistics blobs [C], [C], [1] with C = shape(1)', () => {
    const r = infer({ type: 'BatchNorm', bottoms: [[2, 16, 8, 8]], topCount: 1 });
    expect(r.tops).toEqual([[2, 16, 8, 8]]);
    expect(r.params).toEqual([[16], [16], [1]]);
    expect(infer({ type: 'BatchNorm', bottoms: [[32, 100]], topCount: 1 }).params).toEqual([[100], [100], [1]]);
  });

  it('needs a channel axis (Reshape reads shape(1))', () => {
    expect(failure({ type: 'BatchNorm', bottoms: [[5]], topCount: 1 }).message).toContain(
      'needs a bottom with at least 2 axes (N, C, …); got 5',
    );
  });

  it('accepts param specs with lr_mult 0 only', () => {
    const zero = { lr_mult: 0 };
    expect(infer({ type: 'BatchNorm', bottoms: [[2, 4]], topCount: 1, layer: { param: [zero, zero, zero] } }).params).toEqual([
      [4],
      [4],
      [1],
    ]);
    // ParamSpec's lr_mult defaults to 1, so an empty spec is refused too
    const e = failure({ type: 'BatchNorm', name: 'bn', bottoms: [[2, 4]], topCount: 1, layer: { param: [zero, {}] } });
    expect(e.message).toBe(
      'layer "bn" (BatchNorm): cannot configure batch normalization statistics as layer parameters (param lr_mult must be 0)',
    );
    expect([e.field, e.index]).toEqual(['param', 1]);
  });
});

describe('MVN', () => {
  it('keeps the shape and has no parameters', () => {
    expect(infer({ type: 'MVN', param: { across_channels: true }, bottoms: [[2, 3, 4, 4]], topCount: 1 })).toEqual({
      tops: [[2, 3, 4, 4]],
      params: [],
      macs: 96,
    });
  });
});
