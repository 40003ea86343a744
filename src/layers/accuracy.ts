// Accuracy (docs/caffe-semantics.md#accuracy-and-argmax): a scalar top (shape []), and optionally per-class accuracies [C]. It reads
// predictions along `axis` like SoftmaxWithLoss, but it is not a loss (default loss_weight 0).
import type { ForwardLayer, LayerModule } from '../ir/layer-module.js';
import { between, exactly } from '../ir/layer-module.js';
import { canonicalAxis, count } from './shape-utils.js';
import { checkLabelCount, ignoreLabel, split, toInt } from './loss.js';
import type { Layer } from '../ir/layer.js';
import type { LoweredLayer } from '../ir/kernel-plan.js';
import type { Tensor } from '../ir/tensor.js';
import { int, kernelFunction } from './kernel-source.js';
import type { AccuracyParameter } from '../schema/caffe-messages.generated.js';

export const accuracy: LayerModule<AccuracyParameter> = {
  type: 'Accuracy',
  paramField: 'accuracy_param',
  bottoms: exactly(2),
  tops: between(1, 2),
  inPlace: false,
  forward: (layer, bottoms) => accuracyForward(layer, bottoms),
  lower: (layer) => accuracyLower(layer),
  infer(ctx) {
    const p = ctx.param;
    const [data, label] = ctx.bottoms;
    const topK = Number(p.top_k ?? 1);
    // Caffe compares with the integer quotient count(data) / count(label), its idea of "classes".
    const classes = Math.trunc(count(data) / count(label));
    if (topK > classes) {
      ctx.fail(`top_k must be less than or equal to the number of classes: top_k ${topK}, ${classes} classes`, { msg: p, field: 'top_k' });
    }
    const axis = canonicalAxis(ctx, Number(p.axis ?? 1), data, 'axis', { msg: p, field: 'axis' });
    checkLabelCount(ctx, axis, 'label axis');
    const tops = ctx.topCount > 1 ? [[], [data[axis]]] : [[]];
    return { tops, params: [], macs: 0 };
  },
};

// The forward pass: a position counts when fewer than top_k classes score ≥ the true class's
// score (the true class among them); the second top is the accuracy per class. A label out of range (and not
// ignore_label) makes the result NaN.
function accuracyParams(layer: ForwardLayer) {
  const p = layer.typeParam;
  return { ...split(layer, p.axis), topK: Number(p.top_k ?? 1), ignore: ignoreLabel(p) };
}

function accuracyForward(layer: ForwardLayer, [x, label]: Tensor[]): Tensor[] {
  const { outer, dim, inner, topK, ignore } = accuracyParams(layer);
  let correct = 0;
  let counted = 0;
  const perClass = new Float64Array(dim);
  const perClassCount = new Float64Array(dim);
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const l = toInt(label.data[o * inner + i]);
      if (l === ignore) continue;
      counted++;
      if (l < 0 || l >= dim) {
        correct = NaN;
        continue;
      }
      perClassCount[l]++;
      const truth = x.data[(o * dim + l) * inner + i];
      let better = -1; // the true class counts itself
      for (let k = 0; k < dim && better < topK; k++) if (x.data[(o * dim + k) * inner + i] >= truth) better++;
      if (better < topK) {
        correct++;
        perClass[l]++;
      }
    }
  }
  const tops: Tensor[] = [{ shape: [], data: Float32Array.of(counted === 0 ? 0 : correct / counted) }];
  if (layer.tops.length > 1)
    tops.push({ shape: [dim], data: Float32Array.from(perClass, (c, k) => (perClassCount[k] === 0 ? 0 : c / perClassCount[k])) });
  return tops;
}

function accuracyLower(layer: Layer): LoweredLayer {
  const { outer, dim, inner, topK, ignore } = accuracyParams(layer);
  // One thread per class for the per-class top (c = the thread); the overall accuracy uses c = -1 (all).
  const body = (perClass: boolean) => `
    let correct = 0.0;
    let counted = 0.0;
    for (let o = 0; o < ${int(outer)}; o++) {
      for (let i = 0; i < ${int(inner)}; i++) {
        const raw = label[o * ${int(inner)} + i];
        let l = Math.floor(raw);
        if (raw < 0.0) { l = Math.ceil(raw); }
        if (${ignore === undefined ? 'true' : `l !== ${int(ignore)}.0`}${perClass ? ' && l === this.thread.x' : ''}) {
          counted += 1.0;
          if (l < 0.0 || l >= ${int(dim)}.0) {
            correct = correct + 0.0 / 0.0;
          } else {
            const truth = x[(o * ${int(dim)} + l) * ${int(inner)} + i];
            let better = -1.0;
            for (let k = 0; k < ${int(dim)}; k++) {
              if (x[(o * ${int(dim)} + k) * ${int(inner)} + i] >= truth) { better += 1.0; }
            }
            if (better < ${int(topK)}.0) { correct += 1.0; }
          }
        }
      }
    }
    if (counted === 0.0) { return 0.0; }
    return correct / counted;`;
  const kernels: LoweredLayer['kernels'] = [
    { source: kernelFunction(['x', 'label'], body(false)), args: [{ bottom: 0 }, { bottom: 1 }], size: 1, out: { top: 0 } },
  ];
  if (layer.tops.length > 1)
    kernels.push({ source: kernelFunction(['x', 'label'], body(true)), args: [{ bottom: 0 }, { bottom: 1 }], size: dim, out: { top: 1 } });
  return { kernels };
}
