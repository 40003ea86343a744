// Caffe's fillers (include/caffe/filler.hpp, docs/caffe-semantics.md#fillers, #bilinear-upsampling): exact values where the filler is
// deterministic (constant, bilinear: the kernels those notes give), the formulas' statistics over large blobs where it
// is random, and Caffe's checks as diagnostics.
import { describe, expect, it } from 'vitest';
import { DiagnosticError, formatDiagnostic } from '../../src/index.js';
import type { Msg } from '../../src/schema/message.js';
import { fill, fillerSpec } from '../../src/weights/fillers.js';
import { Rng } from '../../src/weights/prng.js';

const filled = (shape: number[], filler: Msg, seed = 1) => fill(shape, fillerSpec(filler, 'test filler'), new Rng(seed, 'test'));

function failure(run: () => unknown): string {
  try {
    run();
  } catch (e) {
    if (e instanceof DiagnosticError) return e.diagnostics.map(formatDiagnostic).join('\n');
    throw e;
  }
  throw new Error('expected a DiagnosticError');
}

function stats(values: Float32Array) {
  let sum = 0;
  for (const v of values) sum += v;
  const mean = sum / values.length;
  let squares = 0;
  for (const v of values) squares += (v - mean) ** 2;
  return { mean, variance: squares / values.length, min: Math.min(...values.subarray(0, 1e5)), max: Math.max(...values.subarray(0, 1e5)) };
}

function outer(profile: number[]): number[] {
  return profile.flatMap((y) => profile.map((x) => x * y));
}

describe('FillerParameter defaults (from caffe.proto)', () => {
  it('type constant, value 0, min 0, max 1, mean 0, std 1, sparse -1, variance_norm FAN_IN', () => {
    const spec = fillerSpec(undefined, 'w');
    expect([spec.type, spec.value, spec.min, spec.max, spec.mean, spec.std, spec.sparse, spec.variance_norm]).toEqual([
      'constant',
      0,
      0,
      1,
      0,
      1,
      -1,
      'FAN_IN',
    ]);
    // A layer's own default applies only when the filler is absent; written fields keep the .proto defaults.
    expect(fillerSpec(undefined, 'w', undefined, { type: 'constant', value: 0.25 }).value).toBe(0.25);
    expect(fillerSpec({ type: 'constant' }, 'w', undefined, { type: 'constant', value: 0.25 }).value).toBe(0);
  });
});

describe('constant', () => {
  it('fills every element with the float32 value', () => {
    expect(Array.from(filled([2, 3], { type: 'constant', value: 0.1 }))).toEqual(Array(6).fill(Math.fround(0.1)));
    expect(Array.from(filled([4], {}))).toEqual([0, 0, 0, 0]);
  });
});

describe('bilinear (docs/caffe-semantics.md#bilinear-upsampling)', () => {
  it('k = 4 (factor 2): [0.25, 0.75, 0.75, 0.25]², in every (i, j) slice', () => {
    const w = filled([2, 3, 4, 4], { type: 'bilinear' });
    const kernel = outer([0.25, 0.75, 0.75, 0.25]);
    for (let s = 0; s < 6; s++) expect(Array.from(w.subarray(s * 16, (s + 1) * 16))).toEqual(kernel);
  });

  it('k = 16 (factor 8): 0.0625 … 0.9375, 0.9375 … 0.0625 in steps of 0.125', () => {
    const profile = [
      ...Array.from({ length: 8 }, (_, i) => 0.0625 + 0.125 * i),
      ...Array.from({ length: 8 }, (_, i) => 0.9375 - 0.125 * i),
    ];
    expect(Array.from(filled([1, 1, 16, 16], { type: 'bilinear' }))).toEqual(outer(profile));
  });

  it('odd k follows Caffe’s formula: k = 5 is symmetric (f = 3), k = 3 is not (f = 2, c = 3/4)', () => {
    const five = filled([1, 1, 5, 5], { type: 'bilinear' });
    outer([1 / 3, 2 / 3, 1, 2 / 3, 1 / 3]).forEach((v, i) => expect(five[i]).toBeCloseTo(v, 6));
    // (1 − |x/2 − 3/4|) for x = 0, 1, 2: the kernel FCN's surgery.py would centre is [0.5, 1, 0.5]; Caffe's is not.
    expect(Array.from(filled([1, 1, 3, 3], { type: 'bilinear' }))).toEqual(outer([0.25, 0.75, 0.75]));
  });

  it('needs a square 4-axis blob', () => {
    expect(failure(() => filled([1, 1, 4, 3], { type: 'bilinear' }))).toBe(
      'error: test filler: the bilinear filler needs a square kernel; this one is 4×3',
    );
    expect(failure(() => filled([4, 4], { type: 'bilinear' }))).toBe(
      'error: test filler: the bilinear filler needs a 4-axis blob; this one is 4×4',
    );
  });
});

describe('random fillers: the distributions Caffe draws from', () => {
  it('uniform on [min, max)', () => {
    const s = stats(filled([1000, 1000], { type: 'uniform', min: -2, max: 3 }));
    expect(s.min).toBeGreaterThanOrEqual(-2);
    expect(s.max).toBeLessThan(3);
    expect(s.mean).toBeCloseTo(0.5, 2);
    expect(s.variance / (25 / 12)).toBeCloseTo(1, 2);
  });

  it('gaussian N(mean, std²), and the share within one std', () => {
    const w = filled([1000, 1000], { type: 'gaussian', mean: 1, std: 2 });
    const s = stats(w);
    expect(s.mean).toBeCloseTo(1, 2);
    expect(Math.sqrt(s.variance)).toBeCloseTo(2, 2);
    const within = w.filter((v) => Math.abs(v - 1) < 2).length / w.length;
    expect(within).toBeCloseTo(0.6827, 2);
  });

  it('gaussian sparse: each value kept with probability sparse / shape(0)', () => {
    const w = filled([100, 1000], { type: 'gaussian', sparse: 10 });
    expect(w.filter((v) => v !== 0).length / w.length).toBeCloseTo(0.1, 2);
  });

  // Weights 256×64×3×3: fan_in = count/num = 576, fan_out = count/channels = 2304.
  const shape = [256, 64, 3, 3];
  it.each([
    ['FAN_IN', 576],
    ['FAN_OUT', 2304],
    ['AVERAGE', 1440],
  ])('xavier %s: uniform on ±sqrt(3/n), n = %i', (norm, n) => {
    const s = stats(filled(shape, { type: 'xavier', variance_norm: norm }));
    const scale = Math.sqrt(3 / n);
    expect(s.min).toBeGreaterThanOrEqual(-Math.fround(scale));
    expect(s.max).toBeLessThanOrEqual(Math.fround(scale));
    expect(s.max / scale).toBeGreaterThan(0.999);
    expect(s.variance / (1 / n)).toBeCloseTo(1, 1);
    expect(Math.abs(s.mean)).toBeLessThan(0.01 * scale);
  });

  it.each([
    ['FAN_IN', 576],
    ['FAN_OUT', 2304],
    ['AVERAGE', 1440],
  ])('msra %s: gaussian with std sqrt(2/n), n = %i', (norm, n) => {
    const s = stats(filled(shape, { type: 'msra', variance_norm: norm }));
    expect(s.variance / (2 / n)).toBeCloseTo(1, 1);
    expect(Math.abs(s.mean)).toBeLessThan(0.01 * Math.sqrt(2 / n));
  });

  it('positive_unitball: values in [0, 1], each of the num() rows sums to 1', () => {
    const w = filled([7, 3, 4, 5], { type: 'positive_unitball' });
    for (let i = 0; i < 7; i++) {
      const row = w.subarray(i * 60, (i + 1) * 60);
      expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
      for (const v of row) expect(v >= 0 && v <= 1).toBe(true);
    }
  });
});

describe('determinism', () => {
  it('the same seed and stream give the same values; another seed or stream others', () => {
    const a = fill([100], fillerSpec({ type: 'gaussian' }, 'w'), new Rng(5, 'conv1/0'));
    expect(fill([100], fillerSpec({ type: 'gaussian' }, 'w'), new Rng(5, 'conv1/0'))).toEqual(a);
    expect(fill([100], fillerSpec({ type: 'gaussian' }, 'w'), new Rng(6, 'conv1/0'))).not.toEqual(a);
    expect(fill([100], fillerSpec({ type: 'gaussian' }, 'w'), new Rng(5, 'conv1/1'))).not.toEqual(a);
  });
});

describe("Caffe's checks", () => {
  it.each([
    [[3], { type: 'gausian' }, 'error: test filler: unknown filler type "gausian"\n  hint: did you mean "gaussian"?'],
    [[3], { type: 'uniform', min: 1, max: 0 }, 'error: test filler: the uniform range needs min <= max (min 1, max 0)'],
    [[3], { type: 'gaussian', std: 0 }, 'error: test filler: the gaussian needs std > 0 (std 0)'],
    [
      [3],
      { type: 'constant', sparse: 2 },
      'error: test filler: sparsity is not supported by the constant filler (sparse: 2); only gaussian supports it',
    ],
    [[3], { type: 'gaussian', sparse: -2 }, 'error: test filler: sparse must be -1 (off) or >= 0 (got -2)'],
    [
      [3, 4],
      { type: 'gaussian', sparse: 4 },
      "error: test filler: sparse (4) cannot exceed the blob's first dimension (3): it is the mean number of non-zero inputs per output",
    ],
    [
      [2, 3, 3, 3, 3],
      { type: 'xavier' },
      "error: test filler: Caffe's xavier filler reads the blob's legacy num() and channels(), which refuse blobs with more than 4 axes (this one is 2×3×3×3×3)\n  hint: Caffe cannot build this layer either; use a gaussian or uniform filler",
    ],
    [[0, 3], { type: 'constant' }, "error: test filler: Caffe's constant filler refuses an empty blob (shape 0×3)"],
  ])('%j %j', (shape, filler, message) => {
    expect(failure(() => filled(shape, filler))).toBe(message);
  });
});
