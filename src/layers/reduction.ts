// Reduction (REFERENCE §2.17): SUM, ASUM, SUMSQ or MEAN over all axes from `axis` on (only trailing
// reductions exist), so top = bottom[0:axis]; the default axis 0 gives a scalar [].
import type { LayerModule } from '../ir/layer-module.js';
import { exactly } from '../ir/layer-module.js';
import { canonicalAxis, count } from './shape-utils.js';

export const reduction: LayerModule = {
  type: 'Reduction',
  paramField: 'reduction_param',
  bottoms: exactly(1),
  tops: exactly(1),
  inPlace: false,
  infer(ctx) {
    const bottom = ctx.bottoms[0];
    const axis = canonicalAxis(ctx, Number(ctx.param.axis ?? 0), bottom, 'axis', { msg: ctx.param, field: 'axis' });
    return { tops: [bottom.slice(0, axis)], params: [], macs: count(bottom) };
  },
};
