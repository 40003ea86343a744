// The layers of caffe-ssd (weiliu89/caffe, branch ssd) that SSD300 and MobileNet-SSD deploy nets use:
// Normalize, Permute, PriorBox and DetectionOutput. Each is one LayerModule — shape rule with the fork's
// checks, parameter blobs, and a reference forward written from the fork's forward code — and runs on the
// host (a plan host step): PriorBox's boxes, NMS and keep_top_k are control flow, not kernels. Permute,
// a gather, also has kernels.
//
// DetectionOutput's top is [1, 1, K, 7] in Caffe-SSD with K known only after NMS; brewnet's shapes are
// static, so its top has room for every detection it may keep — keep_top_k per image (or every prior and
// class when keep_top_k is -1), and at least one row per image — and rows after the detections hold -1.
// Each row is [image, label, score, xmin, ymin, xmax, ymax], by image, then label, then descending score, as
// caffe-ssd writes them; when no image has a detection, caffe-ssd writes one row [i, -1, -1, -1, -1, -1, -1]
// per image i, and so does brewnet (the padding after them stays -1).
import type { Tensor } from '../../ir/tensor.js';
import { has, type Msg } from '../../schema/message.js';
import type { ForwardLayer, LayerModule } from '../../ir/layer-module.js';
import { exactly } from '../../ir/layer-module.js';
import { showShape } from '../blob-checks.js';
import { count } from '../shape-utils.js';
import { coordinates, kernelFunction, linear, strides } from '../kernel-source.js';

const nums = (v: unknown): number[] => (Array.isArray(v) ? v.map(Number) : v === undefined ? [] : [Number(v)]);
const f32 = Math.fround;

// ---- Normalize: L2 normalisation with a learned scale (per channel unless channel_shared) -------------

export const normalize: LayerModule = {
  type: 'Normalize',
  paramField: 'norm_param',
  bottoms: exactly(1),
  tops: exactly(1),
  inPlace: true,
  passThrough: true,
  infer(ctx) {
    const b = ctx.bottoms[0];
    if (b.length < 2) ctx.fail(`Normalize needs at least 2 axes (got ${showShape(b)})`);
    const shared = ctx.param.channel_shared !== false;
    return { tops: [[...b]], params: [shared ? [1] : [b[1]]], macs: 2 * count(b) };
  },
  paramBlobs: () => [{ role: 'scale', filler: 'scale_filler', fallback: { type: 'constant', value: 1 } }],
  forward(layer, [x], [scale]) {
    const p = layer.typeParam;
    const across = p.across_spatial !== false;
    const eps = Number(p.eps ?? 1e-10);
    const [n, c] = x.shape;
    const spatial = count(x.shape, 2);
    const out = new Float32Array(x.data.length);
    const shared = scale.length === 1;
    for (let i = 0; i < n; i++) {
      const base = i * c * spatial;
      if (across) {
        let sum = eps;
        for (let j = 0; j < c * spatial; j++) sum += x.data[base + j] ** 2;
        const norm = Math.sqrt(sum);
        for (let ch = 0; ch < c; ch++) {
          const s = shared ? scale[0] : scale[ch];
          for (let j = 0; j < spatial; j++) out[base + ch * spatial + j] = (x.data[base + ch * spatial + j] / norm) * s;
        }
      } else {
        for (let j = 0; j < spatial; j++) {
          let sum = eps;
          for (let ch = 0; ch < c; ch++) sum += x.data[base + ch * spatial + j] ** 2;
          const norm = Math.sqrt(sum);
          for (let ch = 0; ch < c; ch++)
            out[base + ch * spatial + j] = (x.data[base + ch * spatial + j] / norm) * (shared ? scale[0] : scale[ch]);
        }
      }
    }
    return [{ shape: [...x.shape], data: out }];
  },
};

// ---- Permute: axes reordered; axes the order leaves out follow in their own order ---------------------

function permuteOrder(p: Msg, axes: number, fail?: (m: string) => never): number[] {
  const order: number[] = [];
  for (const o of nums(p.order)) {
    if (o >= axes) fail?.(`order ${o} is out of range for a ${axes}-axis blob`);
    if (order.includes(o)) fail?.(`there are duplicate orders (${o})`);
    order.push(o);
  }
  for (let a = 0; a < axes; a++) if (!order.includes(a)) order.push(a);
  return order;
}

export const permute: LayerModule = {
  type: 'Permute',
  paramField: 'permute_param',
  bottoms: exactly(1),
  tops: exactly(1),
  inPlace: false,
  infer(ctx) {
    const b = ctx.bottoms[0];
    const order = permuteOrder(ctx.param, b.length, (m) => ctx.fail(m, { msg: ctx.param, field: 'order' }));
    return { tops: [order.map((a) => b[a])], params: [], macs: 0 };
  },
  // A gather: each top element reads the bottom at its coordinates taken in `order`; on wasm, a strided
  // copy on the host (host-kernels.ts).
  lower(layer) {
    const shape = layer.bottoms[0].shape;
    const order = permuteOrder(layer.typeParam, shape.length);
    const top = order.map((a) => shape[a]);
    const names = top.map((_, k) => `a${k}`);
    const inStrides = strides(shape);
    const body = `${coordinates(top, names)}\nreturn x[${linear(names.map((v, k) => [v, inStrides[order[k]]]))}];`;
    const args = [{ bottom: 0 }];
    const size = count(shape);
    return {
      kernels: [{ source: kernelFunction(['x'], body), args, size, out: { top: 0 } }],
      natives: [{ native: { kind: 'permute', shape: [...shape], order }, args, size, out: { top: 0 } }],
    };
  },
  forward(layer, [x]) {
    const order = permuteOrder(layer.typeParam, x.shape.length);
    const shape = order.map((a) => x.shape[a]);
    const inStrides = x.shape.map((_, i) => count(x.shape, i + 1));
    const out = new Float32Array(x.data.length);
    const idx = new Array<number>(shape.length).fill(0);
    for (let o = 0; o < out.length; o++) {
      let src = 0;
      for (let k = 0; k < shape.length; k++) src += idx[k] * inStrides[order[k]];
      out[o] = x.data[src];
      for (let k = shape.length - 1; k >= 0; k--) {
        if (++idx[k] < shape[k]) break;
        idx[k] = 0;
      }
    }
    return [{ shape, data: out }];
  },
};

// ---- PriorBox: default boxes per feature-map cell, normalised to the image, and their variances ---------

interface PriorBoxConfig {
  minSizes: number[];
  maxSizes: number[];
  aspectRatios: number[];
  /** OpenCV's dialect: explicit box widths and heights instead of sizes and ratios. */
  widths: number[];
  heights: number[];
  clip: boolean;
  variance: number[];
  imgH?: number;
  imgW?: number;
  stepH?: number;
  stepW?: number;
  offset: number;
}

function priorBoxConfig(p: Msg, fail: (m: string, field?: string) => never): PriorBoxConfig {
  const minSizes = nums(p.min_size);
  const maxSizes = nums(p.max_size);
  const widths = nums(p.width);
  const heights = nums(p.height);
  if (widths.length !== heights.length) fail('width and height must be given the same number of times', 'width');
  if (minSizes.length === 0 && widths.length === 0) fail('must provide min_size', 'min_size');
  minSizes.forEach((m) => m > 0 || fail(`min_size must be positive (got ${m})`, 'min_size'));
  if (maxSizes.length > 0) {
    if (maxSizes.length !== minSizes.length) fail('max_size must be given as many times as min_size', 'max_size');
    maxSizes.forEach((m, i) => m > minSizes[i] || fail(`max_size ${m} must be greater than min_size ${minSizes[i]}`, 'max_size'));
  }
  // Aspect ratios: 1 first, then each new ratio (within 1e-6 of one seen counts as seen) and its flip.
  const flip = p.flip !== false;
  const aspectRatios = [1];
  for (const ar of nums(p.aspect_ratio)) {
    if (aspectRatios.some((a) => Math.abs(ar - a) < 1e-6)) continue;
    aspectRatios.push(ar);
    if (flip) aspectRatios.push(1 / ar);
  }
  const variance = nums(p.variance);
  if (variance.length > 1 && variance.length !== 4) fail('must provide exactly 4 variances, or one', 'variance');
  variance.forEach((v) => v > 0 || fail(`variance must be positive (got ${v})`, 'variance'));
  const cfg: PriorBoxConfig = {
    minSizes,
    maxSizes,
    aspectRatios,
    widths,
    heights,
    clip: p.clip === true,
    variance: variance.length ? variance : [0.1],
    offset: Number(p.offset ?? 0.5),
  };
  if (has(p, 'img_size')) {
    if (has(p, 'img_h') || has(p, 'img_w')) fail('either img_size or img_h/img_w should be specified, not both', 'img_size');
    cfg.imgH = cfg.imgW = Number(p.img_size);
  } else if (has(p, 'img_h') || has(p, 'img_w')) {
    if (!has(p, 'img_h') || !has(p, 'img_w')) fail('img_h and img_w must be given together', has(p, 'img_h') ? 'img_h' : 'img_w');
    [cfg.imgH, cfg.imgW] = [Number(p.img_h), Number(p.img_w)];
  }
  if (has(p, 'step')) {
    if (has(p, 'step_h') || has(p, 'step_w')) fail('either step or step_h/step_w should be specified, not both', 'step');
    cfg.stepH = cfg.stepW = Number(p.step);
  } else if (has(p, 'step_h') || has(p, 'step_w')) {
    if (!has(p, 'step_h') || !has(p, 'step_w')) fail('step_h and step_w must be given together', has(p, 'step_h') ? 'step_h' : 'step_w');
    [cfg.stepH, cfg.stepW] = [Number(p.step_h), Number(p.step_w)];
  }
  return cfg;
}

/** Boxes per cell: one per min_size, one per max_size, one per other aspect ratio and min_size; or the explicit widths. */
const priorsPerCell = (c: PriorBoxConfig) =>
  c.widths.length ? c.widths.length : c.minSizes.length * c.aspectRatios.length + c.maxSizes.length;

export const priorBox: LayerModule = {
  type: 'PriorBox',
  paramField: 'prior_box_param',
  bottoms: exactly(2),
  tops: exactly(1),
  inPlace: false,
  infer(ctx) {
    const cfg = priorBoxConfig(ctx.param, (m, field) => ctx.fail(m, field ? { msg: ctx.param, field } : undefined));
    const [feat] = ctx.bottoms;
    if (feat.length !== 4 || ctx.bottoms[1].length !== 4) ctx.fail('PriorBox needs 4-axis bottoms (the feature map and the image)');
    return { tops: [[1, 2, feat[2] * feat[3] * priorsPerCell(cfg) * 4]], params: [], macs: 0 };
  },
  // The boxes depend only on the parameters and the bottoms' shapes: computed once for them (the plan's
  // and the IR's typeParam are the same object on every pass) and copied out, so a caller may change the
  // top it gets.
  forward(layer, [feat, img]) {
    const key = `${feat.shape.join(',')};${img.shape.join(',')}`;
    let last = priorBoxesOf.get(layer.typeParam);
    if (last?.key !== key) {
      last = { key, data: priorBoxes(layer.typeParam, feat.shape, img.shape) };
      priorBoxesOf.set(layer.typeParam, last);
    }
    const data = new Float32Array(last.data.length);
    data.set(last.data); // (TypedArray.slice copies element by element in Node 20: 13× slower)
    return [{ shape: [1, 2, last.data.length / 2], data }];
  },
};

/** The last boxes computed for a PriorBox parameter message, and the bottom shapes they are for. */
const priorBoxesOf = new WeakMap<Msg, { key: string; data: Float32Array }>();

function priorBoxes(param: Msg, featShape: readonly number[], imgShape: readonly number[]): Float32Array {
  const cfg = priorBoxConfig(param, (m) => {
    throw new Error(`internal: ${m}`);
  });
  const [layerH, layerW] = [featShape[2], featShape[3]];
  const imgH = cfg.imgH ?? imgShape[2];
  const imgW = cfg.imgW ?? imgShape[3];
  const stepH = cfg.stepH ?? f32(imgH / layerH);
  const stepW = cfg.stepW ?? f32(imgW / layerW);
  const dim = layerH * layerW * priorsPerCell(cfg) * 4;
  const out = new Float32Array(2 * dim);
  let at = 0;
  const box = (cx: number, cy: number, w: number, h: number) => {
    out[at++] = f32(f32(cx - f32(w / 2)) / imgW);
    out[at++] = f32(f32(cy - f32(h / 2)) / imgH);
    out[at++] = f32(f32(cx + f32(w / 2)) / imgW);
    out[at++] = f32(f32(cy + f32(h / 2)) / imgH);
  };
  for (let h = 0; h < layerH; h++) {
    for (let w = 0; w < layerW; w++) {
      const cx = f32(f32(w + cfg.offset) * stepW);
      const cy = f32(f32(h + cfg.offset) * stepH);
      if (cfg.widths.length) {
        cfg.widths.forEach((bw, i) => box(cx, cy, bw, cfg.heights[i]));
        continue;
      }
      cfg.minSizes.forEach((min, s) => {
        box(cx, cy, min, min);
        if (cfg.maxSizes.length) {
          const size = f32(Math.sqrt(f32(min * cfg.maxSizes[s])));
          box(cx, cy, size, size);
        }
        for (const ar of cfg.aspectRatios) {
          if (Math.abs(ar - 1) < 1e-6) continue;
          const r = f32(Math.sqrt(ar));
          box(cx, cy, f32(min * r), f32(min / r));
        }
      });
    }
  }
  if (cfg.clip) for (let i = 0; i < dim; i++) out[i] = Math.min(Math.max(out[i], 0), 1);
  for (let i = 0; i < dim; i++) out[dim + i] = cfg.variance.length === 1 ? cfg.variance[0] : cfg.variance[i % 4];
  return out;
}

// ---- DetectionOutput: decode boxes, per-class NMS, keep_top_k -----------------------------------------

interface DetectionConfig {
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

function detectionConfig(p: Msg): DetectionConfig {
  const nms = (p.nms_param as Msg | undefined) ?? {};
  return {
    numClasses: Number(p.num_classes ?? 0),
    shareLocation: p.share_location !== false,
    background: Number(p.background_label_id ?? 0),
    nmsThreshold: Number(nms.nms_threshold ?? 0.3),
    topK: has(nms, 'top_k') ? Number(nms.top_k) : -1,
    eta: Number(nms.eta ?? 1),
    codeType: String(p.code_type ?? 'CORNER'),
    varianceInTarget: p.variance_encoded_in_target === true,
    keepTopK: Number(p.keep_top_k ?? -1),
    confidence: has(p, 'confidence_threshold') ? Number(p.confidence_threshold) : -Infinity,
  };
}

// The forward keeps caffe-ssd's order and arithmetic exactly (every value in doubles, as the transcription
// would compute it) but does the work once: a prior's box is decoded only when a class's top_k reaches it,
// and once for all classes sharing locations; scores are ordered by sorting packed numeric keys; NMS compares
// flat coordinates with each box's area computed once.

/** Float32 bits, to order float32 scores as unsigned integers. */
const scoreBits = new Float32Array(1);
const scoreWord = new Uint32Array(scoreBits.buffer);
const INDEX_SPAN = 2 ** 21;

/**
 * Positions 0…n−1 by descending `scores` (float32 values, never NaN), equal scores in position order: what
 * std::stable_sort with caffe-ssd's descending comparator gives; only the first `limit` of them. Each key
 * is the score's bits, turned so that ascending keys are descending scores, times 2²¹ plus the position:
 * unique and exact in a double (53 bits), so a numeric sort of the keys is the stable order, and a
 * selection of the `limit` smallest keys before it leaves the rest unsorted.
 */
export function descendingOrder(scores: ArrayLike<number>, n: number, limit = n): Int32Array {
  const take = Math.min(limit, n);
  if (n >= INDEX_SPAN) {
    const positions = Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[b] - scores[a] || a - b);
    return Int32Array.from(positions.slice(0, take));
  }
  const keys = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    scoreBits[0] = scores[i] + 0; // −0 and +0 are equal scores
    const u = scoreWord[0];
    const ascending = u & 0x80000000 ? ~u >>> 0 : (u | 0x80000000) >>> 0;
    keys[i] = (0xffffffff - ascending) * INDEX_SPAN + i;
  }
  if (take < n) selectSmallest(keys, take);
  const first = keys.subarray(0, take).sort();
  const order = new Int32Array(take);
  for (let i = 0; i < take; i++) order[i] = first[i] % INDEX_SPAN;
  return order;
}

/** Reorders distinct `keys` so that the k smallest come first, in some order (quickselect, Hoare's partition). */
function selectSmallest(keys: Float64Array, k: number): void {
  let lo = 0;
  let hi = keys.length - 1;
  while (lo < hi) {
    const [a, b, c] = [keys[lo], keys[(lo + hi) >>> 1], keys[hi]];
    const pivot = a < b ? (b < c ? b : a < c ? c : a) : a < c ? a : b < c ? c : b;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (keys[i] < pivot) i++;
      while (keys[j] > pivot) j--;
      if (i <= j) {
        const t = keys[i];
        keys[i++] = keys[j];
        keys[j--] = t;
      }
    }
    // Now keys[lo…j] ≤ pivot ≤ keys[i…hi], and j < i.
    if (k - 1 <= j) hi = j;
    else if (k - 1 >= i) lo = i;
    else return;
  }
}

/** Decoded boxes of one image and location class, decoded on first use (caffe-ssd's DecodeBBox). */
class DecodedBoxes {
  readonly box: Float64Array;
  readonly area: Float64Array;
  private readonly done: Uint8Array;
  private image = -1;
  private locClass = -1;

  constructor(
    private readonly prior: Float32Array,
    private readonly loc: Float32Array,
    private readonly priors: number,
    private readonly locClasses: number,
    private readonly c: DetectionConfig,
  ) {
    this.box = new Float64Array(priors * 4);
    this.area = new Float64Array(priors);
    this.done = new Uint8Array(priors);
  }

  /** Starts over for image n's boxes of location class lc (the same ones again are kept). */
  use(n: number, lc: number): void {
    if (n === this.image && lc === this.locClass) return;
    [this.image, this.locClass] = [n, lc];
    this.done.fill(0);
  }

  /** Decodes prior p's box for the image and class in use, if not done yet. */
  decode(p: number): void {
    if (this.done[p]) return;
    this.done[p] = 1;
    const { prior, loc, c, box } = this;
    const px0 = prior[p * 4];
    const py0 = prior[p * 4 + 1];
    const px1 = prior[p * 4 + 2];
    const py1 = prior[p * 4 + 3];
    // (A 1-channel prior has no variances: only variance_encoded_in_target, which reads none, allows it.)
    const vo = (this.priors + p) * 4;
    const [v0, v1, v2, v3] = c.varianceInTarget ? [1, 1, 1, 1] : [prior[vo], prior[vo + 1], prior[vo + 2], prior[vo + 3]];
    const lo = ((this.image * this.priors + p) * this.locClasses + this.locClass) * 4;
    const [l0, l1, l2, l3] = [loc[lo], loc[lo + 1], loc[lo + 2], loc[lo + 3]];
    let x0: number, y0: number, x1: number, y1: number;
    if (c.codeType === 'CORNER') {
      [x0, y0, x1, y1] = [px0 + v0 * l0, py0 + v1 * l1, px1 + v2 * l2, py1 + v3 * l3];
    } else {
      const pw = px1 - px0;
      const ph = py1 - py0;
      if (c.codeType === 'CORNER_SIZE') {
        [x0, y0, x1, y1] = [px0 + v0 * l0 * pw, py0 + v1 * l1 * ph, px1 + v2 * l2 * pw, py1 + v3 * l3 * ph];
      } else {
        const pcx = (px0 + px1) / 2;
        const pcy = (py0 + py1) / 2;
        const cx = v0 * l0 * pw + pcx;
        const cy = v1 * l1 * ph + pcy;
        const w = Math.exp(v2 * l2) * pw;
        const h = Math.exp(v3 * l3) * ph;
        [x0, y0, x1, y1] = [cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2];
      }
    }
    box[p * 4] = x0;
    box[p * 4 + 1] = y0;
    box[p * 4 + 2] = x1;
    box[p * 4 + 3] = y1;
    this.area[p] = x1 < x0 || y1 < y0 ? 0 : (x1 - x0) * (y1 - y0);
  }
}

/**
 * One image's detections, class by class in ascending label order, each class's in the order NMS kept them
 * (caffe-ssd's ApplyNMSFast): the class, the prior, the score and the decoded box.
 */
interface Kept {
  cls: number[];
  score: number[];
  box: number[];
}

/** Per-class working arrays, one per forward: candidates and the boxes a class keeps (at most every prior). */
class NmsScratch {
  readonly candidates: Int32Array;
  readonly scores: Float32Array;
  readonly box: Float64Array;
  readonly area: Float64Array;
  constructor(priors: number) {
    this.candidates = new Int32Array(priors);
    this.scores = new Float32Array(priors);
    this.box = new Float64Array(priors * 4);
    this.area = new Float64Array(priors);
  }
}

/**
 * ApplyNMSFast for one class: priors scoring above the threshold, by descending score (stable), top_k of
 * them, each kept unless its JaccardOverlap with one kept before exceeds the (adaptive) NMS threshold.
 * JaccardOverlap is 0 for boxes apart or only touching, never 0/0 for two empty boxes.
 */
function nmsClass(
  scores: Float32Array,
  base: number,
  stride: number,
  cls: number,
  boxes: DecodedBoxes,
  c: DetectionConfig,
  scratch: NmsScratch,
  kept: Kept,
): void {
  const { candidates, box: kb, area: ka } = scratch;
  const candidateScores = scratch.scores;
  const priors = boxes.area.length;
  let m = 0;
  for (let p = 0; p < priors; p++) {
    const s = scores[base + p * stride];
    if (s > c.confidence) {
      candidates[m] = p;
      candidateScores[m++] = s;
    }
  }
  const order = descendingOrder(candidateScores, m, c.topK > -1 ? c.topK : m);
  let count = 0;
  let threshold = c.nmsThreshold;
  for (let t = 0; t < order.length; t++) {
    const p = candidates[order[t]];
    boxes.decode(p);
    const a0 = boxes.box[p * 4];
    const a1 = boxes.box[p * 4 + 1];
    const a2 = boxes.box[p * 4 + 2];
    const a3 = boxes.box[p * 4 + 3];
    const areaA = boxes.area[p];
    let keep = true;
    for (let k = 0; k < count; k++) {
      const b0 = kb[k * 4];
      const b1 = kb[k * 4 + 1];
      const b2 = kb[k * 4 + 2];
      const b3 = kb[k * 4 + 3];
      if (b0 > a2 || b2 < a0 || b1 > a3 || b3 < a1) continue;
      const w = Math.min(a2, b2) - Math.max(a0, b0);
      const h = Math.min(a3, b3) - Math.max(a1, b1);
      if (w <= 0 || h <= 0) continue;
      if (!((w * h) / (areaA + ka[k] - w * h) <= threshold)) {
        keep = false;
        break;
      }
    }
    if (keep) {
      kb[count * 4] = a0;
      kb[count * 4 + 1] = a1;
      kb[count * 4 + 2] = a2;
      kb[count * 4 + 3] = a3;
      ka[count++] = areaA;
      kept.cls.push(cls);
      kept.score.push(candidateScores[order[t]]);
      kept.box.push(a0, a1, a2, a3);
      if (c.eta < 1 && threshold > 0.5) threshold *= c.eta;
    }
  }
}

function detectionRows(c: DetectionConfig, priors: number, images: number): number {
  const perImage = c.keepTopK > -1 ? c.keepTopK : priors * c.numClasses;
  return Math.max(perImage, 1) * images;
}

export const detectionOutput: LayerModule = {
  type: 'DetectionOutput',
  paramField: 'detection_output_param',
  bottoms: exactly(3),
  tops: exactly(1),
  inPlace: false,
  infer(ctx) {
    const p = ctx.param;
    if (!has(p, 'num_classes')) ctx.fail('must specify num_classes');
    const c = detectionConfig(p);
    const [loc, conf, prior] = ctx.bottoms;
    // Boxes then variances; with variance_encoded_in_target the variances are never read, and OpenCV's
    // layer takes (and requires) the boxes alone, 1×1×(4·priors).
    const priors = prior.length >= 3 ? prior[2] / 4 : NaN;
    const channels = c.varianceInTarget ? [1, 2] : [2];
    if (prior.length < 3 || !channels.includes(prior[1]) || !Number.isInteger(priors))
      ctx.fail(`the prior bottom must be 1×${channels.join(' or ')}×(4·priors) (got ${showShape(prior)})`);
    const locClasses = c.shareLocation ? 1 : c.numClasses;
    if (count(loc, 1) !== priors * locClasses * 4)
      ctx.fail(`number of priors must match number of location predictions (${priors} priors, loc ${showShape(loc)})`);
    if (count(conf, 1) !== priors * c.numClasses)
      ctx.fail(
        `number of priors must match number of confidence predictions (${priors} priors × ${c.numClasses} classes, conf ${showShape(conf)})`,
      );
    if (c.nmsThreshold < 0) ctx.fail('nms_threshold must be non negative', { msg: (p.nms_param as Msg) ?? p, field: 'nms_threshold' });
    if (loc[0] !== conf[0]) ctx.fail(`loc and conf disagree on the number of images (${loc[0]} and ${conf[0]})`);
    return { tops: [[1, 1, detectionRows(c, priors, loc[0]), 7]], params: [], macs: 0 };
  },
  forward(layer: ForwardLayer, [loc, conf, prior]: Tensor[]) {
    const c = detectionConfig(layer.typeParam);
    const images = loc.shape[0];
    const priors = prior.shape[2] / 4;
    const locClasses = c.shareLocation ? 1 : c.numClasses;
    const rows = layer.tops[0].shape[2];
    const out = new Float32Array(rows * 7).fill(-1);
    const boxes = new DecodedBoxes(prior.data, loc.data, priors, locClasses, c);
    const scratch = new NmsScratch(priors);
    let row = 0;
    for (let n = 0; n < images; n++) {
      const kept: Kept = { cls: [], score: [], box: [] };
      for (let cls = 0; cls < c.numClasses; cls++) {
        if (cls === c.background) continue;
        boxes.use(n, c.shareLocation ? 0 : cls);
        nmsClass(conf.data, n * priors * c.numClasses + cls, c.numClasses, cls, boxes, c, scratch, kept);
      }
      // keep_top_k: the best detections over all classes (descending score, ties in the order above), written
      // by class and, within a class, by that rank: the order above, as a class's are by descending score.
      let written: ArrayLike<number> = Int32Array.from({ length: kept.cls.length }, (_, i) => i);
      if (c.keepTopK > -1 && kept.cls.length > c.keepTopK) written = descendingOrder(kept.score, kept.cls.length, c.keepTopK).sort();
      for (let j = 0; j < written.length; j++) {
        const k = written[j];
        if (row >= rows) break;
        const at = row * 7;
        out[at] = n;
        out[at + 1] = kept.cls[k];
        out[at + 2] = kept.score[k];
        for (let e = 0; e < 4; e++) out[at + 3 + e] = kept.box[k * 4 + e];
        row++;
      }
    }
    // No detection in any image: caffe-ssd's "fake results", one row per image with only its index.
    if (row === 0) for (let n = 0; n < images; n++) out[n * 7] = n;
    return [{ shape: [1, 1, rows, 7], data: out }];
  },
};
