// The deconvolution problems of issue 6 (batch 1, Caffe layout: x [Cin,H,W], w [Cin,Cout,K,K], no bias),
// with their seeded data. P1, P2 and P5 also come "as FCN ships them": Caffe's bilinear filler on the
// channel diagonal, zero elsewhere (FCN's surgery.interp), which is what the targets for FCN upsampling
// are about. P5 is followed by FCN-8s's final Crop to 500×500 at offset 31.
import { uniform } from '../random.js';

export interface Problem {
  id: string;
  title: string;
  cin: number;
  cout: number;
  h: number;
  w: number;
  k: number;
  s: number;
  p: number;
  /** Dense uniform weights, or FCN's bilinear kernels on the channel diagonal. */
  weights: 'dense' | 'bilinear';
  /** A Crop after the deconvolution: output size and offset on both spatial axes. */
  crop?: { size: number; offset: number };
  /** Seed of the data (PERF-BASELINE's: 1234 + problem number). */
  seed: number;
}

const base = {
  P1: { title: 'FCN-32s upscore', cin: 21, cout: 21, h: 16, w: 16, k: 64, s: 32, p: 0, seed: 1235 },
  P2: { title: 'FCN-8s upscore2', cin: 21, cout: 21, h: 34, w: 34, k: 4, s: 2, p: 0, seed: 1236 },
  P3: { title: 'generator 256→128', cin: 256, cout: 128, h: 16, w: 16, k: 4, s: 2, p: 1, seed: 1237 },
  P4: { title: 'FSRCNN-style 56→1', cin: 56, cout: 1, h: 64, w: 64, k: 9, s: 3, p: 3, seed: 1238 },
  P5: {
    title: 'FCN-8s upscore8 + Crop 500² @31',
    cin: 21,
    cout: 21,
    h: 70,
    w: 70,
    k: 16,
    s: 8,
    p: 0,
    seed: 1239,
    crop: { size: 500, offset: 31 },
  },
} as const;

export const PROBLEMS: Problem[] = [
  { id: 'P1', ...base.P1, weights: 'dense' },
  { id: 'P1-bilinear', ...base.P1, title: `${base.P1.title}, FCN bilinear weights`, weights: 'bilinear' },
  { id: 'P2', ...base.P2, weights: 'dense' },
  { id: 'P2-bilinear', ...base.P2, title: `${base.P2.title}, FCN bilinear weights`, weights: 'bilinear' },
  { id: 'P3', ...base.P3, weights: 'dense' },
  { id: 'P4', ...base.P4, weights: 'dense' },
  { id: 'P5', ...base.P5, weights: 'dense' },
  { id: 'P5-bilinear', ...base.P5, title: `${base.P5.title}, FCN bilinear weights`, weights: 'bilinear' },
];

export function problemById(id: string): Problem {
  const p = PROBLEMS.find((q) => q.id === id);
  if (!p) throw new Error(`unknown problem ${id}; known: ${PROBLEMS.map((q) => q.id).join(', ')}`);
  return p;
}

/** Caffe's deconvolution output size: s(i − 1) + k − 2p. */
export const fullSize = (q: Problem, i: number) => q.s * (i - 1) + q.k - 2 * q.p;

/** The output's [C, H, W] (after the crop, if any). */
export function outputDims(q: Problem): [number, number, number] {
  if (q.crop) return [q.cout, q.crop.size, q.crop.size];
  return [q.cout, fullSize(q, q.h), fullSize(q, q.w)];
}

/** Where output row/column 0 sits in the uncropped deconvolution output. */
export const cropOffset = (q: Problem) => q.crop?.offset ?? 0;

export function inputData(q: Problem): Float32Array {
  return uniform(q.cin * q.h * q.w, q.seed);
}

/** Caffe's bilinear filler value at (i, j) of a k×k kernel (REFERENCE: f = ⌈k/2⌉, c = (2f − 1 − f%2)/(2f)). */
export function bilinearTap(k: number, i: number, j: number): number {
  const f = Math.ceil(k / 2);
  const c = (2 * f - 1 - (f % 2)) / (2 * f);
  return (1 - Math.abs(i / f - c)) * (1 - Math.abs(j / f - c));
}

/** The weights in Caffe's layout [Cin, Cout, K, K]. */
export function weightData(q: Problem): Float32Array {
  const { cin, cout, k } = q;
  if (q.weights === 'dense') return uniform(cin * cout * k * k, q.seed + 1000);
  const w = new Float32Array(cin * cout * k * k);
  for (let c = 0; c < Math.min(cin, cout); c++) {
    for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) w[((c * cout + c) * k + i) * k + j] = bilinearTap(k, i, j);
  }
  return w;
}

/** Taps landing on each output position of one axis: #{(i, t) : s·i + t − p = o}. */
function tapsPerPosition(q: Problem, size: number, outStart: number, outLength: number): number[] {
  const counts = new Array<number>(outLength).fill(0);
  for (let i = 0; i < size; i++) {
    for (let t = 0; t < q.k; t++) {
      const o = q.s * i + t - q.p - outStart;
      if (o >= 0 && o < outLength) counts[o]++;
    }
  }
  return counts;
}

/**
 * Useful multiply-accumulates: those that reach an output that is kept (all of them without a crop, where
 * this is Cin·Cout·H·W·K²). Counted as for dense weights also for the bilinear variants, so their GFLOP/s
 * compare with the dense problem's.
 */
export function usefulMacs(q: Problem): number {
  const [, oh, ow] = outputDims(q);
  const sum = (a: number[]) => a.reduce((x, y) => x + y, 0);
  return q.cin * q.cout * sum(tapsPerPosition(q, q.h, cropOffset(q), oh)) * sum(tapsPerPosition(q, q.w, cropOffset(q), ow));
}

export function describe(q: Problem): string {
  const [c, oh, ow] = outputDims(q);
  const pad = q.p ? ` p${q.p}` : '';
  const crop = q.crop ? ` → Crop ${q.crop.size}² @${q.crop.offset}` : '';
  return `${q.cin}×${q.h}×${q.w} → ${q.cout}, k${q.k} s${q.s}${pad}${crop} (out ${c}×${oh}×${ow})`;
}
