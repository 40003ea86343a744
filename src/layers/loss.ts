// Loss layers (REFERENCE §2.12, §3.4): two bottoms (predictions, labels) whose first dims agree, and a
// scalar top (shape [], 0 axes). Each type adds its own checks; all default to loss_weight 1 on top 0.
import { has } from '../schema/message.js';
import type { LayerModule, Shape, ShapeContext, ShapeResult } from '../ir/layer-module.js';
import { between, exactly } from '../ir/layer-module.js';
import { canonicalAxis, count, legacyDim } from './shape-utils.js';
import { requireAxes, showShape } from './blob-checks.js';
import { softmaxWithLossForward, softmaxWithLossLower } from './compute/loss.js';

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
    checkLabelCount(ctx, canonicalAxis(ctx, Number(ctx.param.axis ?? 1), ctx.bottoms[0], 'axis', { msg: ctx.param, field: 'axis' }), 'softmax axis');
    return probabilities(ctx);
  },
  { tops: between(1, 2) },
);
softmaxWithLoss.forward = softmaxWithLossForward;
softmaxWithLoss.lower = softmaxWithLossLower;

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
    ctx.fail(`SIGMOID_CROSS_ENTROPY_LOSS layer inputs must have the same count: ${showShape(a)} (${count(a)}) vs. ${showShape(b)} (${count(b)})`);
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
    const axis = canonicalAxis(ctx, Number(p.axis ?? 1), ctx.bottoms[0], 'axis', { msg: p, field: 'axis' });
    checkLabelCount(ctx, axis, 'infogain axis');
    const labels = ctx.bottoms[0][axis];
    if (ctx.bottoms.length >= 3 && count(ctx.bottoms[2]) !== labels * labels) {
      ctx.fail(`the infogain matrix ${showShape(ctx.bottoms[2])} must have ${labels}×${labels} = ${labels * labels} elements for ${labels} labels`);
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
