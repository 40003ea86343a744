// The page's Caffe-style preprocessing (web/preprocess.ts), checked by hand-computed pixels: pycaffe's
// Transformer order is channel swap, raw_scale, mean subtraction, input_scale, in C×H×W layout.
import { describe, expect, it } from 'vitest';
import { parseNumbers, toBlob } from '../../web/preprocess.js';

describe('preprocess', () => {
  // Two pixels, RGBA: (10, 20, 30) and (200, 100, 50).
  const rgba = new Uint8Array([10, 20, 30, 255, 200, 100, 50, 255]);

  it('swaps RGB to BGR, subtracts the mean per net channel, lays out C×H×W', () => {
    const blob = toBlob(rgba, 2, 1, 3, { mean: [1, 2, 3], rawScale: 1, inputScale: 1, swap: [2, 1, 0] });
    expect([...blob]).toEqual([30 - 1, 50 - 1, 20 - 2, 100 - 2, 10 - 3, 200 - 3]);
  });

  it('raw_scale before the mean, input_scale after it; one mean for every channel', () => {
    const blob = toBlob(rgba, 2, 1, 3, { mean: [0.5], rawScale: 1 / 255, inputScale: 2, swap: [0, 1, 2] });
    const expected = [10, 200, 20, 100, 30, 50].map((v) => (v / 255 - 0.5) * 2);
    [...blob].forEach((v, i) => expect(v).toBeCloseTo(expected[i], 6));
  });

  it('one channel is the grey value; bad inputs are clear errors', () => {
    const grey = toBlob(rgba, 2, 1, 1, { mean: [0], rawScale: 1, inputScale: 1, swap: [0, 1, 2] });
    expect(grey[0]).toBeCloseTo(0.299 * 10 + 0.587 * 20 + 0.114 * 30, 4);
    expect(() => toBlob(rgba, 3, 1, 3, { mean: [0], rawScale: 1, inputScale: 1, swap: [2, 1, 0] })).toThrow(/expected 3×1 RGBA pixels/);
    expect(() => toBlob(rgba, 2, 1, 4, { mean: [0], rawScale: 1, inputScale: 1, swap: [2, 1, 0] })).toThrow(/1 or 3 channels/);
    expect(parseNumbers('104, 117,123', 'mean')).toEqual([104, 117, 123]);
    expect(() => parseNumbers('104, x', 'mean')).toThrow(/mean: expected numbers/);
  });
});
