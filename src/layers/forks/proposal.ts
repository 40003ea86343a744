// Faster R-CNN's region proposals: py-faster-rcnn's Python layer `rpn.proposal_layer.ProposalLayer` (its
// test nets: `param_str: "'feat_stride': 16"`, mapped here by src/layers/python.ts) and OpenCV's `Proposal`
// type (`proposal_param` in the opencv dialect), which stands for the same layer. What it computes at TEST,
// as py-faster-rcnn's proposal_layer.py, generate_anchors.py, bbox_transform.py and nms do, in float32:
//
// - Bottoms: the RPN's object probabilities [1, 2A, H, W] (A background channels, then A object channels;
//   only the object ones are read), its box deltas [1, 4A, H, W] and im_info (image height, width, scale).
//   One image only (py-faster-rcnn asserts it).
// - Anchors: A = ratios × scales boxes around the reference window (0, 0, base−1, base−1), base_size 16:
//   per ratio r the window keeps its area, width round(√(base²/r)) and height round(width·r) (NumPy's
//   round: halves to even), then per scale s both are multiplied by s, all centred on (base−1)/2; ratios
//   0.5, 1, 2 and scales 8, 16, 32 give py-faster-rcnn's nine. They are shifted by feat_stride·(x, y) for
//   every cell, cells in row-major order and the A anchors of a cell together (the order of the scores
//   and deltas read as [H, W, A]).
// - Each anchor is moved by its deltas (dx, dy, dw, dh): with w = x2 − x1 + 1 and centre x1 + w/2, the box
//   has centre dx·w + cx, width e^dw·w, corners centre ∓ width/2 (and the same in y); then the corners are
//   clipped to [0, im_w − 1] and [0, im_h − 1].
// - Boxes with a side (x2 − x1 + 1) under min_size · im_info[2] are dropped (min_size 16 at TEST).
// - The rest by descending score, the first pre_nms_topN (6000 at TEST), then greedy NMS with the +1 pixel
//   area convention, a box kept while its IoU with every kept box is ≤ nms_thresh (0.7), the first
//   post_nms_topN (300) kept.
// - Tops: rois [R, 5] = [0, x1, y1, x2, y2] and, where the layer has a second top, the scores [R, 1].
//
// R is known only after NMS (Caffe reshapes the tops on every forward). brewnet plans the tops at the bound,
// post_nms_topN rows (`variableRows`): the forward returns the R real rows, the runtime pads the top to the
// bound and drops the padding from every blob whose rows follow it (src/runtime/variable-rows.ts). OpenCV's
// layer differs in two ways: it skips the min_size filter and returns post_nms_topN rows, zero-filled.
import type { ForwardLayer, LayerModule } from '../../ir/layer-module.js';
import { between, exactly } from '../../ir/layer-module.js';
import type { Tensor } from '../../ir/tensor.js';
import type { Msg } from '../../schema/message.js';
import { bottomName, showShape } from '../blob-checks.js';

const f32 = Math.fround;
const nums = (v: unknown): number[] => (Array.isArray(v) ? v.map(Number) : v === undefined ? [] : [Number(v)]);

export interface ProposalConfig {
  featStride: number;
  baseSize: number;
  minSize: number;
  ratios: number[];
  scales: number[];
  preNms: number;
  postNms: number;
  nmsThresh: number;
}

/** py-faster-rcnn's TEST configuration (fast_rcnn/config.py) and ProposalLayer's defaults. */
export const FASTER_RCNN_TEST: ProposalConfig = {
  featStride: 16,
  baseSize: 16,
  minSize: 16,
  ratios: [0.5, 1, 2],
  scales: [8, 16, 32],
  preNms: 6000,
  postNms: 300,
  nmsThresh: 0.7,
};

/** OpenCV's proposal_param, its defaults as opencv-caffe.proto gives them. */
export function proposalConfig(p: Msg): ProposalConfig {
  const ratios = nums(p.ratio);
  const scales = nums(p.scale);
  return {
    featStride: Number(p.feat_stride ?? 16),
    baseSize: Number(p.base_size ?? 16),
    minSize: Number(p.min_size ?? 16),
    ratios: ratios.length ? ratios : FASTER_RCNN_TEST.ratios,
    scales: scales.length ? scales : FASTER_RCNN_TEST.scales,
    preNms: Number(p.pre_nms_topn ?? 6000),
    postNms: Number(p.post_nms_topn ?? 300),
    nmsThresh: Number(p.nms_thresh ?? 0.7),
  };
}

/** NumPy's round: halves to the even neighbour. */
function roundHalfEven(v: number): number {
  const r = Math.round(v);
  return Math.abs(v % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** generate_anchors: per ratio, then per scale, [x1, y1, x2, y2] around the reference window's centre. */
export function baseAnchors(c: ProposalConfig): number[][] {
  const ctr = 0.5 * (c.baseSize - 1);
  const out: number[][] = [];
  const box = (w: number, h: number) => [ctr - 0.5 * (w - 1), ctr - 0.5 * (h - 1), ctr + 0.5 * (w - 1), ctr + 0.5 * (h - 1)];
  for (const r of c.ratios) {
    const w = roundHalfEven(Math.sqrt((c.baseSize * c.baseSize) / r));
    const h = roundHalfEven(w * r);
    for (const s of c.scales) out.push(box(w * s, h * s));
  }
  return out;
}

/** The tops' rows at most (the planned shapes' first axis). */
export function proposalInfer(
  c: ProposalConfig,
  bottoms: readonly (readonly number[])[],
  topCount: number,
  fail: (m: string) => never,
  name: (i: number) => string,
): number[][] {
  const a = c.ratios.length * c.scales.length;
  const [prob, deltas, info] = bottoms;
  if (!(c.postNms > 0)) fail(`post_nms_topn must be > 0 (got ${c.postNms}): the number of regions is planned at that bound`);
  if (!(c.featStride > 0)) fail(`feat_stride must be > 0 (got ${c.featStride})`);
  if (prob.length !== 4 || prob[1] !== 2 * a)
    fail(`"${name(0)}" must be 1×${2 * a}×H×W (background then object scores of ${a} anchors; got ${showShape(prob)})`);
  if (prob[0] !== 1) fail(`only single-image batches are supported, as in py-faster-rcnn (got ${prob[0]} images in "${name(0)}")`);
  if (deltas.length !== 4 || deltas[0] !== 1 || deltas[1] !== 4 * a || deltas[2] !== prob[2] || deltas[3] !== prob[3])
    fail(`"${name(1)}" must be 1×${4 * a}×${prob[2]}×${prob[3]} (4 deltas per anchor; got ${showShape(deltas)})`);
  if (info.reduce((x, y) => x * y, 1) < 3) fail(`"${name(2)}" must hold 3 values: image height, width and scale (got ${showShape(info)})`);
  return [
    [c.postNms, 5],
    [c.postNms, 1],
  ].slice(0, topCount);
}

/** The R real rows: rois [R, 5] and scores [R, 1]. */
export function proposalForward(c: ProposalConfig, [prob, deltas, info]: Tensor[], topCount: number): Tensor[] {
  const anchors = baseAnchors(c);
  const a = anchors.length;
  const [h, w] = [prob.shape[2], prob.shape[3]];
  const [imH, imW, imScale] = [info.data[0], info.data[1], info.data[2]];
  const plane = h * w;
  const minSize = f32(c.minSize * imScale);
  const boxes: number[][] = [];
  const scores: number[] = [];
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      for (let k = 0; k < a; k++) {
        const cell = y * w + x;
        const [ax1, ay1, ax2, ay2] = anchors[k].map((v, i) => f32(v + c.featStride * (i % 2 === 0 ? x : y)));
        const d = (j: number) => deltas.data[(4 * k + j) * plane + cell];
        const bw = f32(f32(ax2 - ax1) + 1);
        const bh = f32(f32(ay2 - ay1) + 1);
        const cx = f32(ax1 + f32(0.5 * bw));
        const cy = f32(ay1 + f32(0.5 * bh));
        const pcx = f32(f32(d(0) * bw) + cx);
        const pcy = f32(f32(d(1) * bh) + cy);
        const pw = f32(f32(Math.exp(d(2))) * bw);
        const ph = f32(f32(Math.exp(d(3))) * bh);
        const clip = (v: number, max: number) => Math.max(Math.min(v, f32(max - 1)), 0);
        const box = [
          clip(f32(pcx - f32(0.5 * pw)), imW),
          clip(f32(pcy - f32(0.5 * ph)), imH),
          clip(f32(pcx + f32(0.5 * pw)), imW),
          clip(f32(pcy + f32(0.5 * ph)), imH),
        ];
        if (f32(f32(box[2] - box[0]) + 1) < minSize || f32(f32(box[3] - box[1]) + 1) < minSize) continue;
        boxes.push(box);
        scores.push(prob.data[(a + k) * plane + cell]);
      }
    }
  }
  // Descending score (a stable order for equal scores; py-faster-rcnn's argsort leaves them unspecified).
  let order = scores.map((_, i) => i).sort((i, j) => scores[j] - scores[i]);
  if (c.preNms > 0) order = order.slice(0, c.preNms);
  const area = (b: number[]) => f32(f32(f32(b[2] - b[0]) + 1) * f32(f32(b[3] - b[1]) + 1));
  const kept: number[] = [];
  const suppressed = new Uint8Array(order.length);
  for (let i = 0; i < order.length && kept.length < c.postNms; i++) {
    if (suppressed[i]) continue;
    const bi = boxes[order[i]];
    kept.push(order[i]);
    for (let j = i + 1; j < order.length; j++) {
      if (suppressed[j]) continue;
      const bj = boxes[order[j]];
      const iw = Math.max(0, f32(f32(Math.min(bi[2], bj[2]) - Math.max(bi[0], bj[0])) + 1));
      const ih = Math.max(0, f32(f32(Math.min(bi[3], bj[3]) - Math.max(bi[1], bj[1])) + 1));
      const inter = f32(iw * ih);
      if (f32(inter / f32(f32(area(bi) + area(bj)) - inter)) > c.nmsThresh) suppressed[j] = 1;
    }
  }
  const rois = new Float32Array(kept.length * 5);
  kept.forEach((k, r) => rois.set([0, ...boxes[k]], r * 5));
  const tops: Tensor[] = [{ shape: [kept.length, 5], data: rois }];
  if (topCount > 1) tops.push({ shape: [kept.length, 1], data: Float32Array.from(kept, (k) => scores[k]) });
  return tops;
}

export const proposal: LayerModule = {
  type: 'Proposal',
  paramField: 'proposal_param',
  bottoms: exactly(3),
  tops: between(1, 2),
  inPlace: false,
  variableRows: () => true,
  infer(ctx) {
    const c = proposalConfig(ctx.param);
    const tops = proposalInfer(
      c,
      ctx.bottoms,
      ctx.topCount,
      (m) => ctx.fail(m),
      (i) => bottomName(ctx, i),
    );
    return { tops, params: [], macs: 0 };
  },
  forward: (layer: ForwardLayer, bottoms: Tensor[]) => proposalForward(proposalConfig(layer.typeParam), bottoms, layer.tops.length),
};
