// Accuracy (REFERENCE §2.13): a scalar top (shape []), and optionally per-class accuracies [C]. It reads
// predictions along `axis` like SoftmaxWithLoss, but it is not a loss (default loss_weight 0).
import type { LayerModule } from '../ir/layer-module.js';
import { between, exactly } from '../ir/layer-module.js';
import { canonicalAxis, count } from './shape-utils.js';
import { checkLabelCount } from './loss.js';
import { accuracyForward, accuracyLower } from './compute/loss.js';

export const accuracy: LayerModule = {
  type: 'Accuracy',
  paramField: 'accuracy_param',
  bottoms: exactly(2),
  tops: between(1, 2),
  inPlace: false,
  forward: accuracyForward,
  lower: accuracyLower,
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
