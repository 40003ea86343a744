// ArgMax (REFERENCE §2.13, §7.16): whether `axis` is SET changes the output. With it, the top is the
// bottom with shape[axis] = top_k; without it, each item is searched whole and the top is
// (N, 1 or 2 with out_max_val, top_k, 1, …) padded with 1s to at least 3 axes.
import { has } from '../schema/message.js';
import type { LayerModule } from '../ir/layer-module.js';
import { exactly } from '../ir/layer-module.js';
import { canonicalAxis, count } from './shape-utils.js';
import { requireAxes, showShape } from './blob-checks.js';
import { argmaxForward, argmaxLower } from './compute/argmax.js';

export const argmax: LayerModule = {
  type: 'ArgMax',
  paramField: 'argmax_param',
  bottoms: exactly(1),
  tops: exactly(1),
  inPlace: false,
  forward: argmaxForward,
  lower: argmaxLower,
  infer(ctx) {
    const p = ctx.param;
    const bottom = ctx.bottoms[0];
    const topK = Number(p.top_k ?? 1);
    if (topK < 1) ctx.fail('top k must not be less than 1', { msg: p, field: 'top_k' });
    if (has(p, 'axis')) {
      const axis = canonicalAxis(ctx, Number(p.axis), bottom, 'axis', { msg: p, field: 'axis' });
      if (topK > bottom[axis]) {
        ctx.fail(`top_k must be less than or equal to the dimension of the axis: top_k ${topK}, axis ${axis} has ${bottom[axis]}`, { msg: p, field: 'top_k' });
      }
      const top = [...bottom];
      top[axis] = topK;
      return { tops: [top], params: [], macs: count(bottom) };
    }
    requireAxes(ctx, bottom, 1, 'bottom');
    const perItem = count(bottom, 1);
    if (topK > perItem) {
      ctx.fail(
        `top_k must be less than or equal to the dimension of the flattened bottom blob per instance: top_k ${topK}, ${showShape(bottom)} has ${perItem}`,
        { msg: p, field: 'top_k' },
      );
    }
    const top = new Array(Math.max(bottom.length, 3)).fill(1);
    top[0] = bottom[0];
    top[1] = p.out_max_val === true ? 2 : 1;
    top[2] = topK;
    return { tops: [top], params: [], macs: count(bottom) };
  },
};
