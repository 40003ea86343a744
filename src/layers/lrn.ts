// LRN (REFERENCE §2.14): local response normalisation over an odd window of channels (or of pixels with
// WITHIN_CHANNEL); 4-D only; top = bottom shape. Not marked in-place: its backward pass reads both the
// bottom and the top data.
import type { LayerModule } from '../ir/layer-module.js';
import { exactly } from '../ir/layer-module.js';
import { count } from './shape-utils.js';
import { showShape } from './blob-checks.js';
import { lrnForward, lrnLower } from './compute/lrn.js';

export const lrn: LayerModule = {
  type: 'LRN',
  paramField: 'lrn_param',
  bottoms: exactly(1),
  tops: exactly(1),
  inPlace: false,
  passThrough: true,
  forward: lrnForward,
  lower: lrnLower,
  infer(ctx) {
    const p = ctx.param;
    const size = Number(p.local_size ?? 5);
    if (size % 2 !== 1) ctx.fail(`LRN only supports odd values for local_size (got ${size})`, { msg: p, field: 'local_size' });
    const bottom = ctx.bottoms[0];
    if (bottom.length !== 4) ctx.fail(`input must have 4 axes, corresponding to (num, channels, height, width); got ${showShape(bottom)}`);
    const window = p.norm_region === 'WITHIN_CHANNEL' ? size * size : size;
    return { tops: [[...bottom]], params: [], macs: count(bottom) * window };
  },
};
