// DetectionOutput's forward (src/layers/forks/ssd.ts) decodes boxes lazily, orders scores by packed keys and
// runs NMS over flat arrays. This checks it bit for bit against a plain transcription of caffe-ssd's TEST
// forward (below: every box decoded, std::stable_sort as a stable comparator sort, NMS pair by pair) on
// random inputs built to hit ties (scores from a few values, −0 and +0), empty, overlapping and NaN boxes, every
// code type, unshared locations, top_k, keep_top_k, eta and several images. The OpenCV and NumPy oracles
// are in detection-output.test.ts.
import { describe, expect, it } from 'vitest';
import { descendingOrder, detectionOutput } from '../../src/layers/forks/ssd.js';
import type { ForwardLayer } from '../../src/ir/layer-module.js';
import type { Tensor } from '../../src/ir/tensor.js';
import type { Msg } from '../../src/schema/message.js';
import { mulberry32 as random } from '../helpers/random-params.js';

interface Config {
  numClasses: number;
  shareLocation: boolean;
  background: number;
  nmsThreshold: number;
  topK: number;
  eta: number;
  codeType: string;
  varianceInTarget: boolean;
  keepTopK: number;
  confidence: number;
}
type Box = [number, number, number, number];

function decode(prior: Box, v: number[], loc: number[], c: Config): Box {
  const [pxmin, pymin, pxmax, pymax] = prior;
  const vv = c.varianceInTarget ? [1, 1, 1, 1] : v;
  if (c.codeType === 'CORNER') return [pxmin + vv[0] * loc[0], pymin + vv[1] * loc[1], pxmax + vv[2] * loc[2], pymax + vv[3] * loc[3]];
  const pw = pxmax - pxmin;
  const ph = pymax - pymin;
  if (c.codeType === 'CORNER_SIZE')
    return [pxmin + vv[0] * loc[0] * pw, pymin + vv[1] * loc[1] * ph, pxmax + vv[2] * loc[2] * pw, pymax + vv[3] * loc[3] * ph];
  const pcx = (pxmin + pxmax) / 2;
  const pcy = (pymin + pymax) / 2;
  const cx = vv[0] * loc[0] * pw + pcx;
  const cy = vv[1] * loc[1] * ph + pcy;
  const w = Math.exp(vv[2] * loc[2]) * pw;
  const h = Math.exp(vv[3] * loc[3]) * ph;
  return [cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2];
}

const area = (b: Box) => (b[2] < b[0] || b[3] < b[1] ? 0 : (b[2] - b[0]) * (b[3] - b[1]));

function jaccard(a: Box, b: Box): number {
  if (b[0] > a[2] || b[2] < a[0] || b[1] > a[3] || b[3] < a[1]) return 0;
  const w = Math.min(a[2], b[2]) - Math.max(a[0], b[0]);
  const h = Math.min(a[3], b[3]) - Math.max(a[1], b[1]);
  if (w <= 0 || h <= 0) return 0;
  return (w * h) / (area(a) + area(b) - w * h);
}

function nms(boxes: Box[], scores: number[], c: Config): number[] {
  let order = scores.map((s, i) => [s, i] as const).filter(([s]) => s > c.confidence);
  order.sort((a, b) => b[0] - a[0]);
  if (c.topK > -1) order = order.slice(0, c.topK);
  const kept: number[] = [];
  let threshold = c.nmsThreshold;
  for (const [, i] of order) {
    if (kept.every((k) => jaccard(boxes[i], boxes[k]) <= threshold)) {
      kept.push(i);
      if (c.eta < 1 && threshold > 0.5) threshold *= c.eta;
    }
  }
  return kept;
}

/** The transcription: rows [image, label, score, box] in caffe-ssd's order, padded with −1 to `rows`. */
function transcription(c: Config, [loc, conf, prior]: Tensor[], rows: number): Float32Array {
  const images = loc.shape[0];
  const priors = prior.shape[2] / 4;
  const locClasses = c.shareLocation ? 1 : c.numClasses;
  const out = new Float32Array(rows * 7).fill(-1);
  let row = 0;
  for (let n = 0; n < images; n++) {
    const boxesOf = (lc: number): Box[] =>
      Array.from({ length: priors }, (_, p) => {
        const pb = Array.from(prior.data.subarray(p * 4, p * 4 + 4)) as Box;
        const v = Array.from(prior.data.subarray((priors + p) * 4, (priors + p) * 4 + 4));
        const at = ((n * priors + p) * locClasses + lc) * 4;
        return decode(pb, v, Array.from(loc.data.subarray(at, at + 4)), c);
      });
    const shared = c.shareLocation ? boxesOf(0) : undefined;
    const kept = new Map<number, { boxes: Box[]; scores: number[]; indices: number[] }>();
    let total = 0;
    for (let cls = 0; cls < c.numClasses; cls++) {
      if (cls === c.background) continue;
      const scores = Array.from({ length: priors }, (_, p) => conf.data[(n * priors + p) * c.numClasses + cls]);
      const boxes = shared ?? boxesOf(cls);
      const indices = nms(boxes, scores, c);
      kept.set(cls, { boxes, scores, indices });
      total += indices.length;
    }
    if (c.keepTopK > -1 && total > c.keepTopK) {
      const all: [number, number, number][] = [];
      for (const [cls, k] of kept) for (const i of k.indices) all.push([k.scores[i], cls, i]);
      all.sort((a, b) => b[0] - a[0]);
      for (const k of kept.values()) k.indices = [];
      for (const [, cls, i] of all.slice(0, c.keepTopK)) kept.get(cls)!.indices.push(i);
    }
    for (const [cls, k] of [...kept].sort((a, b) => a[0] - b[0]))
      for (const i of k.indices) {
        if (row >= rows) break;
        out.set([n, cls, k.scores[i], ...k.boxes[i]], row * 7);
        row++;
      }
  }
  if (row === 0) for (let n = 0; n < images; n++) out[n * 7] = n;
  return out;
}

function randomCase(seed: number) {
  const r = random(seed);
  const pick = <T>(xs: T[]): T => xs[Math.floor(r() * xs.length)];
  const c: Config = {
    numClasses: pick([1, 2, 3, 5]),
    shareLocation: r() < 0.6,
    background: pick([0, 0, 1, -1]),
    nmsThreshold: pick([0, 0.3, 0.45, 0.7]),
    topK: pick([-1, 0, 3, 10, 1000]),
    eta: pick([1, 1, 0.9]),
    codeType: pick(['CORNER', 'CORNER_SIZE', 'CENTER_SIZE']),
    varianceInTarget: r() < 0.3,
    keepTopK: pick([-1, 0, 1, 4, 12]),
    confidence: pick([-Infinity, 0, 0.2, 0.5]),
  };
  if (c.eta < 1) c.nmsThreshold = 0.8;
  const images = pick([1, 1, 2, 3]);
  const priors = pick([1, 7, 40, 150, 700]);
  const locClasses = c.shareLocation ? 1 : c.numClasses;
  // Scores from a few values (ties), with −0 and +0 among them; a few boxes empty or inverted.
  const levels = [-0, 0, 0.1, 0.25, 0.5, 0.5, 0.75, 0.9, Math.fround(1 / 3)];
  const conf = Float32Array.from({ length: images * priors * c.numClasses }, () => (r() < 0.5 ? pick(levels) : r()));
  const loc = Float32Array.from({ length: images * priors * locClasses * 4 }, () =>
    r() < 0.1 ? pick([0, -0, 0, -0, NaN, 200]) : (r() - 0.5) * 2,
  );
  const prior = new Float32Array(2 * priors * 4);
  for (let p = 0; p < priors; p++) {
    const [x, y] = [r() * 0.8, r() * 0.8];
    const [w, h] = r() < 0.1 ? [0, -0.1 * r()] : [0.05 + r() * 0.4, 0.05 + r() * 0.4];
    prior.set([x, y, x + w, y + h], p * 4);
    prior.set([0.1 + r() * 0.1, 0.1 + r() * 0.1, 0.2 + r() * 0.1, 0.2 + r() * 0.1], (priors + p) * 4);
  }
  const param: Msg = {
    num_classes: c.numClasses,
    share_location: c.shareLocation,
    background_label_id: c.background,
    nms_param: { nms_threshold: c.nmsThreshold, ...(c.topK > -1 ? { top_k: c.topK } : {}), eta: c.eta },
    code_type: c.codeType,
    variance_encoded_in_target: c.varianceInTarget,
    keep_top_k: c.keepTopK,
    ...(c.confidence > -Infinity ? { confidence_threshold: c.confidence } : {}),
  };
  const perImage = c.keepTopK > -1 ? c.keepTopK : priors * c.numClasses;
  const rows = Math.max(perImage, 1) * images;
  const bottoms: Tensor[] = [
    { shape: [images, priors * locClasses * 4], data: loc },
    { shape: [images, priors * c.numClasses], data: conf },
    { shape: [1, 2, priors * 4], data: prior },
  ];
  const layer: ForwardLayer = {
    name: 'det',
    type: 'DetectionOutput',
    typeParam: param,
    bottoms: bottoms.map((b) => ({ shape: b.shape })),
    tops: [{ shape: [1, 1, rows, 7] }],
  };
  return { c, layer, bottoms, rows };
}

describe('DetectionOutput forward against a plain transcription of caffe-ssd', () => {
  it('gives the same rows, bit for bit, on 400 random cases with ties', () => {
    let detections = 0;
    let cut = 0;
    for (let seed = 1; seed <= 400; seed++) {
      const { c, layer, bottoms, rows } = randomCase(seed);
      const expected = transcription(c, bottoms, rows);
      const [actual] = detectionOutput.forward!(layer, bottoms, []);
      expect(actual.shape).toEqual([1, 1, rows, 7]);
      // Object.is per value: −0 and NaN count.
      const differs = Array.from(expected).findIndex((v, i) => !Object.is(v, actual.data[i]));
      expect(differs, `seed ${seed}: first differing value`).toBe(-1);
      detections += expected.filter((v, i) => i % 7 === 1 && v >= 0).length;
      if (c.keepTopK > 0) cut++;
    }
    // The cases do detect things, and keep_top_k often applies.
    expect(detections).toBeGreaterThan(2000);
    expect(cut).toBeGreaterThan(100);
  });
});

describe('descendingOrder', () => {
  // Past 2²¹ positions the keys would not fit in 53 bits: a comparator sort takes over.
  it.each([1000, 2 ** 21])('%i scores from a few levels: by level, then position, the first 50', (n) => {
    const levels = [0.5, -0, 0.75, 0, 0.25, 0.75];
    const scores = Float32Array.from({ length: n }, (_, i) => levels[(i * 7 + (i >> 3)) % levels.length]);
    const expected: number[] = [];
    for (const level of [0.75, 0.5, 0.25, 0]) for (let i = 0; i < n && expected.length < 50; i++) if (scores[i] === level) expected.push(i);
    expect(Array.from(descendingOrder(scores, n, 50))).toEqual(expected.slice(0, 50));
  });
});
