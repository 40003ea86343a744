// Loss layers (docs/caffe-semantics.md#softmax-and-losses, #loss-weights): two bottoms (predictions, labels) whose first dims agree, and a
// scalar top (shape [], 0 axes). Each type adds its own checks; all default to loss_weight 1 on top 0.
import { has, type Msg } from '../schema/message.js';
import type { Layer } from '../ir/layer.js';
import type { LoweredLayer } from '../ir/kernel-plan.js';
import { type Tensor, countOf } from '../ir/tensor.js';
import { int, kernelFunction } from './kernel-source.js';
import { softmaxAlong, softmaxForward, softmaxLower } from './softmax.js';
import type { ForwardLayer, LayerModule, Shape, ShapeContext, ShapeResult } from '../ir/layer-module.js';
import { between, exactly } from '../ir/layer-module.js';
import { canonicalAxis, count, legacyDim } from './shape-utils.js';
import { requireAxes, showShape } from './blob-checks.js';
import type { LossParameter } from '../schema/caffe-messages.generated.js';

/** LossLayer::Reshape: `bottom[0]->shape(0) == bottom[1]->shape(0)`. */
function checkSameFirstDim(ctx: ShapeContext): void {
  const [data, label] = ctx.bottoms;
  requireAxes(ctx, data, 1, 'bottom[0]');
  requireAxes(ctx, label, 1, 'bottom[1]');
  if (data[0] !== label[0]) {
    ctx.fail(`the data and label should have the same first dimension: ${showShape(data)} vs. ${showShape(label)}`);
  }
}

/** Softmax-style losses: one label per prediction outside the class axis (outer·inner == label count). */
export function checkLabelCount(ctx: ShapeContext, axis: number, what: string): void {
  const [data, label] = ctx.bottoms;
  const outer = count(data, 0, axis);
  const inner = count(data, axis + 1);
  if (outer * inner !== count(label)) {
    ctx.fail(
      `number of labels must match number of predictions: with ${what} ${axis} and predictions ${showShape(data)}, ` +
        `the label count must be ${outer * inner}, but labels ${showShape(label)} have ${count(label)}`,
    );
  }
}

function lossLayer(
  type: string,
  paramField: string | undefined,
  check: (ctx: ShapeContext) => Shape[] = () => [],
  counts: { bottoms?: LayerModule['bottoms']; tops?: LayerModule['tops'] } = {},
): LayerModule {
  return {
    type,
    paramField,
    bottoms: counts.bottoms ?? exactly(2),
    tops: counts.tops ?? exactly(1),
    inPlace: false,
    loss: true,
    infer(ctx): ShapeResult {
      checkSameFirstDim(ctx);
      const extraTops = check(ctx);
      return { tops: [[], ...extraTops].slice(0, Math.max(1, ctx.topCount)), params: [], macs: 0 };
    },
  };
}

/** The optional second top of SoftmaxWithLoss and InfogainLoss: the softmax probabilities. */
const probabilities = (ctx: ShapeContext): Shape[] => (ctx.topCount >= 2 ? [[...ctx.bottoms[0]]] : []);

// The class axis is softmax_param.axis: SoftmaxWithLoss runs an internal Softmax layer with it.
export const softmaxWithLoss = lossLayer(
  'SoftmaxWithLoss',
  'softmax_param',
  (ctx) => {
    checkLabelCount(
      ctx,
      canonicalAxis(ctx, Number(ctx.param.axis ?? 1), ctx.bottoms[0], 'axis', { msg: ctx.param, field: 'axis' }),
      'softmax axis',
    );
    return probabilities(ctx);
  },
  { tops: between(1, 2) },
);

export const euclideanLoss = lossLayer('EuclideanLoss', 'loss_param', (ctx) => {
  const [a, b] = ctx.bottoms;
  if (count(a, 1) !== count(b, 1)) {
    ctx.fail(`inputs must have the same dimension: ${showShape(a)} has ${count(a, 1)} per item, ${showShape(b)} has ${count(b, 1)}`);
  }
  return [];
});

export const sigmoidCrossEntropyLoss = lossLayer('SigmoidCrossEntropyLoss', 'loss_param', (ctx) => {
  const [a, b] = ctx.bottoms;
  if (count(a) !== count(b)) {
    ctx.fail(
      `SIGMOID_CROSS_ENTROPY_LOSS layer inputs must have the same count: ${showShape(a)} (${count(a)}) vs. ${showShape(b)} (${count(b)})`,
    );
  }
  return [];
});

// Labels are one integer per item: legacy (N, 1, 1, 1).
export const multinomialLogisticLoss = lossLayer('MultinomialLogisticLoss', 'loss_param', (ctx) => {
  const label = ctx.bottoms[1];
  ['channels', 'height', 'width'].forEach((name, i) => {
    const d = legacyDim(ctx, label, i + 1);
    if (d !== 1) ctx.fail(`label ${name} must be 1, but the label shape is ${showShape(label)}`);
  });
  return [];
});

// H is bottom[2] or read from infogain_loss_param.source (not knowable here); either way it is C×C.
export const infogainLoss = lossLayer(
  'InfogainLoss',
  'infogain_loss_param',
  (ctx) => {
    const p = ctx.param;
    if (ctx.bottoms.length < 3 && !has(p, 'source')) ctx.fail('infogain matrix source must be specified (or given as a third bottom)');
    // InfogainLossLayer::LayerSetUp: CHECK(!loss_param().has_normalize()).
    const loss = ctx.layer.loss_param;
    if (loss && has(loss, 'normalize')) ctx.fail('normalize is deprecated. use "normalization"', { msg: loss, field: 'normalize' });
    const axis = canonicalAxis(ctx, Number(p.axis ?? 1), ctx.bottoms[0], 'axis', { msg: p, field: 'axis' });
    checkLabelCount(ctx, axis, 'infogain axis');
    const labels = ctx.bottoms[0][axis];
    if (ctx.bottoms.length >= 3 && count(ctx.bottoms[2]) !== labels * labels) {
      ctx.fail(
        `the infogain matrix ${showShape(ctx.bottoms[2])} must have ${labels}×${labels} = ${labels * labels} elements for ${labels} labels`,
      );
    }
    return probabilities(ctx);
  },
  { bottoms: between(2, 3), tops: between(1, 2) },
);

// Siamese pairs (a, b, similar): a and b are (N, C, 1, 1) with equal C; similar is (N, 1, 1, 1).
export const contrastiveLoss = lossLayer(
  'ContrastiveLoss',
  'contrastive_loss_param',
  (ctx) => {
    const [a, b, similar] = ctx.bottoms;
    const dim = (s: Shape, i: number) => legacyDim(ctx, s, i);
    if (dim(a, 1) !== dim(b, 1)) ctx.fail(`bottom[0] and bottom[1] must have the same channels: ${showShape(a)} vs. ${showShape(b)}`);
    [a, b].forEach((s, i) => {
      if (dim(s, 2) !== 1 || dim(s, 3) !== 1) ctx.fail(`bottom[${i}] must have height and width 1, but its shape is ${showShape(s)}`);
    });
    if (dim(similar, 1) !== 1 || dim(similar, 2) !== 1 || dim(similar, 3) !== 1) {
      ctx.fail(`bottom[2] (the similarity label) must be (N, 1, 1, 1), but its shape is ${showShape(similar)}`);
    }
    return [];
  },
  { bottoms: exactly(3) },
);

export const hingeLoss = lossLayer('HingeLoss', 'hinge_loss_param');

// The forward pass of SoftmaxWithLoss, so a train_val net runs whole at TEST time, as
// pycaffe's net.forward() does: −Σ log(max(p[label], FLT_MIN)) over the positions whose label is not
// ignore_label, divided by loss_param.normalization's normalizer (VALID: the counted positions; FULL: all;
// BATCH_SIZE: the outer count; NONE: 1; the legacy `normalize: false` means BATCH_SIZE), at least 1; the
// second top is the softmax. Labels are read as Caffe casts them (static_cast<int>); one out of range (and not
// ignored) makes the loss NaN: Caffe checks that only in debug builds.
const FLT_MIN = 1.17549435e-38;

export function split(layer: ForwardLayer, axisValue: unknown): { outer: number; dim: number; inner: number } {
  const shape = layer.bottoms[0].shape;
  const raw = Number(axisValue ?? 1);
  const axis = raw < 0 ? raw + shape.length : raw;
  return { outer: countOf(shape, 0, axis), dim: shape[axis], inner: countOf(shape, axis + 1) };
}

export function ignoreLabel(p: Msg | undefined): number | undefined {
  return p?.ignore_label === undefined ? undefined : Number(p.ignore_label);
}

/**
 * 'VALID' | 'FULL' | 'BATCH_SIZE' | 'NONE', with the legacy `normalize` flag; `fallback` where neither is
 * written (VALID, the field's default; SigmoidCrossEntropyLoss says BATCH_SIZE, for backward compatibility).
 */
function normalization(layer: ForwardLayer, fallback = 'VALID'): string {
  const p = lossParam(layer);
  if (p?.normalization !== undefined) return String(p.normalization);
  if (p?.normalize !== undefined) return p.normalize === false ? 'BATCH_SIZE' : 'VALID';
  return fallback;
}

/** LossLayer::GetNormalizer: the divisor for `mode`, at least 1. */
function normalizer(mode: string, outer: number, inner: number, valid: number): number {
  return Math.max(1, mode === 'FULL' ? outer * inner : mode === 'VALID' ? valid : mode === 'BATCH_SIZE' ? outer : 1);
}

export const toInt = (v: number) => (v >= 0 ? Math.floor(v) : Math.ceil(v));

/**
 * loss_param sits beside the type's own `*_param` (softmax_param, infogain_loss_param, …): a host step
 * carries it as `lossParam`; the reference executor passes the IR's layer, whose proto holds it.
 */
function lossParam(layer: ForwardLayer): LossParameter | undefined {
  if (layer.lossParam) return layer.lossParam as LossParameter;
  const proto = (layer as Partial<Layer>).proto;
  if (!proto) throw new Error(`internal: ${layer.type} "${layer.name}" needs its LayerParameter (loss_param) to run`);
  return proto.loss_param;
}

export function softmaxWithLossForward(layer: ForwardLayer, [x, label]: Tensor[]): Tensor[] {
  const { outer, dim, inner } = split(layer, layer.typeParam.axis);
  const ignore = ignoreLabel(lossParam(layer));
  const [prob] = softmaxForward(layer as Layer, [x]);
  let loss = 0;
  let counted = 0;
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const l = toInt(label.data[o * inner + i]);
      if (l === ignore) continue;
      loss -= l >= 0 && l < dim ? Math.log(Math.max(prob.data[(o * dim + l) * inner + i], FLT_MIN)) : NaN;
      counted++;
    }
  }
  const mode = normalization(layer);
  const tops: Tensor[] = [{ shape: [], data: Float32Array.of(loss / normalizer(mode, outer, inner, counted)) }];
  if (layer.tops.length > 1) tops.push(prob);
  return tops;
}

export function softmaxWithLossLower(layer: Layer): LoweredLayer {
  const { outer, dim, inner } = split(layer, layer.typeParam.axis);
  const ignore = ignoreLabel(lossParam(layer));
  const mode = normalization(layer);
  const normalizer =
    mode === 'FULL' ? `${int(outer * inner)}.0` : mode === 'VALID' ? 'counted' : mode === 'BATCH_SIZE' ? `${int(outer)}.0` : '1.0';
  const at = (k: string) => `x[(o * ${int(dim)} + ${k}) * ${int(inner)} + i]`;
  const body = `
    let loss = 0.0;
    let counted = 0.0;
    for (let o = 0; o < ${int(outer)}; o++) {
      for (let i = 0; i < ${int(inner)}; i++) {
        const raw = label[o * ${int(inner)} + i];
        let l = Math.floor(raw);
        if (raw < 0.0) { l = Math.ceil(raw); }
        if (${ignore === undefined ? 'true' : `l !== ${int(ignore)}.0`}) {
          counted += 1.0;
          if (l < 0.0 || l >= ${int(dim)}.0) {
            loss = loss + 0.0 / 0.0;
          } else {
            let max = -3.4028234663852886e+38;
            for (let k = 0; k < ${int(dim)}; k++) { max = Math.max(max, ${at('k')}); }
            let sum = 0.0;
            let mine = 0.0;
            for (let k = 0; k < ${int(dim)}; k++) {
              const e = Math.exp(${at('k')} - max);
              sum += e;
              if (k === l) { mine = e; }
            }
            loss -= Math.log(Math.max(mine / sum, ${FLT_MIN}));
          }
        }
      }
    }
    return loss / Math.max(1.0, ${normalizer});`;
  const kernels: LoweredLayer['kernels'] = [
    { source: kernelFunction(['x', 'label'], body), args: [{ bottom: 0 }, { bottom: 1 }], size: 1, out: { top: 0 } },
  ];
  if (layer.tops.length > 1) {
    // The probabilities: Softmax's kernels (row max and sum into its temporaries, then each unit), the last into top 1.
    const softmax = softmaxLower(layer).kernels;
    const unit = softmax[softmax.length - 1];
    kernels.push(...softmax.slice(0, -1), { ...unit, size: layer.tops[1].count, out: { top: 1 } });
  }
  return { kernels };
}

softmaxWithLoss.forward = softmaxWithLossForward;
softmaxWithLoss.lower = softmaxWithLossLower;

// The other BVLC losses, as their *_loss_layer.cpp Forward_cpu (float64 accumulation; loss_weight scales only
// the gradient, never the top). None has kernels: each runs on the host (a plan host step). A label is read
// as Caffe casts it (static_cast<int>); one out of range, which Caffe checks only in debug builds, gives NaN.
const scalar = (v: number): Tensor[] => [{ shape: [], data: Float32Array.of(v) }];
/** kLOG_THRESHOLD (loss_layer.hpp): probabilities are clamped to it before the log. */
const LOG_THRESHOLD = 1e-20;

/** EuclideanLoss: Σ(a − b)² / N / 2, N = bottom[0]'s first dimension. */
euclideanLoss.forward = (layer, [a, b]) => {
  let sum = 0;
  for (let i = 0; i < a.data.length; i++) sum += (a.data[i] - b.data[i]) ** 2;
  return scalar(sum / a.shape[0] / 2);
};

/**
 * SigmoidCrossEntropyLoss, the stable form: −Σ [x·(t − (x ≥ 0)) − log(1 + e^(x − 2x·(x ≥ 0)))] over the
 * positions whose target (cast to int) is not ignore_label, divided by the normalizer (outer = N, inner =
 * the count per item; BATCH_SIZE where loss_param says nothing).
 */
sigmoidCrossEntropyLoss.forward = (layer, [x, t]) => {
  const ignore = ignoreLabel(lossParam(layer));
  let loss = 0;
  let valid = 0;
  for (let i = 0; i < x.data.length; i++) {
    if (ignore !== undefined && toInt(t.data[i]) === ignore) continue;
    const v = x.data[i];
    const pos = v >= 0 ? 1 : 0;
    loss -= v * (t.data[i] - pos) - Math.log(1 + Math.exp(v - 2 * v * pos));
    valid++;
  }
  const n = x.shape[0];
  return scalar(loss / normalizer(normalization(layer, 'BATCH_SIZE'), n, x.data.length / n, valid));
};

/** MultinomialLogisticLoss: −Σ log(max(p[n, label_n], 1e-20)) / N over the N items; bottom 0 holds probabilities. */
multinomialLogisticLoss.forward = (layer, [p, label]) => {
  const n = p.shape[0];
  const dim = p.data.length / n;
  let loss = 0;
  for (let i = 0; i < n; i++) {
    const l = toInt(label.data[i]);
    loss -= l >= 0 && l < dim ? Math.log(Math.max(p.data[i * dim + l], LOG_THRESHOLD)) : NaN;
  }
  return scalar(loss / n);
};

/**
 * InfogainLoss (the current form, with its internal softmax): p = softmax over the infogain axis, then
 * −Σ_positions Σ_l H[label, l]·log(max(p_l, 1e-20)) over positions not ignored, divided by the normalizer
 * (VALID by default); the optional second top is p. H is bottom 2 (C×C, row = the true label). Caffe sets
 * its internal Softmax's axis to the infogain axis, whatever softmax_param says.
 */
infogainLoss.forward = (layer, [x, label, h]) => {
  const { outer, dim, inner } = split(layer, layer.typeParam.axis);
  const ignore = ignoreLabel(lossParam(layer));
  const prob = softmaxAlong(x, outer, dim, inner);
  let loss = 0;
  let valid = 0;
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const l = toInt(label.data[o * inner + i]);
      if (l === ignore) continue;
      if (l < 0 || l >= dim) loss = NaN;
      else for (let k = 0; k < dim; k++) loss -= h.data[l * dim + k] * Math.log(Math.max(prob[(o * dim + k) * inner + i], LOG_THRESHOLD));
      valid++;
    }
  }
  const tops = scalar(loss / normalizer(normalization(layer), outer, inner, valid));
  if (layer.tops.length > 1) tops.push({ shape: [...x.shape], data: Float32Array.from(prob) });
  return tops;
};
infogainLoss.cannotRunWhy = (layer) =>
  layer.bottoms.length < 3
    ? {
        why: 'its infogain matrix H is read from the file in infogain_loss_param.source',
        hint: 'give H as a third bottom (a C×C blob, e.g. an Input fed with the matrix)',
      }
    : undefined;

/**
 * ContrastiveLoss: d² = ‖a_n − b_n‖² per pair; a similar pair (similar cast to int ≠ 0) adds d², a dissimilar
 * one max(margin − d, 0)² (legacy_version: max(margin − d², 0)); the sum over N pairs / N / 2.
 */
contrastiveLoss.forward = (layer, [a, b, similar]) => {
  const margin = Number(layer.typeParam.margin ?? 1);
  const legacy = layer.typeParam.legacy_version === true;
  const n = a.shape[0];
  const channels = a.data.length / n;
  let loss = 0;
  for (let i = 0; i < n; i++) {
    let d2 = 0;
    for (let c = 0; c < channels; c++) d2 += (a.data[i * channels + c] - b.data[i * channels + c]) ** 2;
    if (toInt(similar.data[i]) !== 0) loss += d2;
    else if (legacy) loss += Math.max(margin - d2, 0);
    else loss += Math.max(margin - Math.sqrt(d2), 0) ** 2;
  }
  return scalar(loss / n / 2);
};

/**
 * HingeLoss: t = x with the true class's score negated, then max(0, 1 + t) everywhere; L1 (the default)
 * sums it, L2 sums its squares; divided by N.
 */
hingeLoss.forward = (layer, [x, label]) => {
  const n = x.shape[0];
  const dim = x.data.length / n;
  const l2 = String(layer.typeParam.norm ?? 'L1') === 'L2';
  let loss = 0;
  for (let i = 0; i < n; i++) {
    const l = toInt(label.data[i]);
    if (l < 0 || l >= dim) loss = NaN;
    for (let j = 0; j < dim; j++) {
      const t = Math.max(0, 1 + (j === l ? -1 : 1) * x.data[i * dim + j]);
      loss += l2 ? t * t : t;
    }
  }
  return scalar(loss / n);
};
