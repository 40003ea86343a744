// Softmax (REFERENCE §2.12): normalises along `axis` (canonicalised, default 1); top = bottom shape.
// Caffe copies bottom to top and works in the top, so in-place is safe.
import type { LayerModule } from '../ir/layer-module.js';
import { exactly } from '../ir/layer-module.js';
import { canonicalAxis, count } from './shape-utils.js';
import { softmaxForward, softmaxLower } from './compute/softmax.js';

export const softmax: LayerModule = {
  type: 'Softmax',
  paramField: 'softmax_param',
  bottoms: exactly(1),
  tops: exactly(1),
  inPlace: true,
  forward: softmaxForward,
  lower: softmaxLower,
  infer(ctx) {
    const bottom = ctx.bottoms[0];
    canonicalAxis(ctx, Number(ctx.param.axis ?? 1), bottom, 'axis', { msg: ctx.param, field: 'axis' });
    return { tops: [[...bottom]], params: [], macs: count(bottom) };
  },
};
