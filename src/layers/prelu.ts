// PReLU (REFERENCE §2.15): ReLU with learned negative slopes, one per channel ([C], C = the legacy
// channels(), so at most 4 axes) or one for all ([] with channel_shared). Needs at least 2 axes.
import type { LayerModule } from '../ir/layer-module.js';
import { exactly } from '../ir/layer-module.js';
import { count, legacyDim } from './shape-utils.js';
import { showShape } from './blob-checks.js';
import { preluForward, preluLower } from './compute/prelu.js';

export const prelu: LayerModule = {
  type: 'PReLU',
  paramField: 'prelu_param',
  bottoms: exactly(1),
  tops: exactly(1),
  inPlace: true,
  passThrough: true,
  forward: preluForward,
  lower: preluLower,
  infer(ctx) {
    const bottom = ctx.bottoms[0];
    if (bottom.length < 2) ctx.fail(`number of axes of bottom blob must be >=2; got ${showShape(bottom)}`);
    const slopes = ctx.param.channel_shared === true ? [] : [legacyDim(ctx, bottom, 1)];
    return { tops: [[...bottom]], params: [slopes], macs: count(bottom) };
  },
};
