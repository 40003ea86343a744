// Concat (REFERENCE §2.6): bottoms agree on every axis but the concat axis, whose sizes add up. The legacy
// `concat_dim` (uint32, used as-is) and `axis` (canonicalised) exclude each other.
import { has } from '../schema/message.js';
import type { LayerModule } from '../ir/layer-module.js';
import { atLeast, exactly } from '../ir/layer-module.js';
import { canonicalAxis } from './shape-utils.js';
import { showShape } from './blob-checks.js';
import { concatForward, concatLower } from './compute/concat.js';

export const concat: LayerModule = {
  type: 'Concat',
  paramField: 'concat_param',
  bottoms: atLeast(1),
  tops: exactly(1),
  inPlace: false,
  forward: concatForward,
  lower: concatLower,
  infer(ctx) {
    const p = ctx.param;
    const first = ctx.bottoms[0];
    if (has(p, 'axis') && has(p, 'concat_dim')) {
      ctx.fail('either axis or concat_dim should be specified; not both', { msg: p, field: 'concat_dim' });
    }
    let axis: number;
    if (has(p, 'concat_dim')) {
      axis = Number(p.concat_dim);
      if (axis >= first.length) ctx.fail(`concat_dim out of range: ${axis} for ${first.length}-D bottom ${showShape(first)}`, { msg: p, field: 'concat_dim' });
    } else {
      axis = canonicalAxis(ctx, Number(p.axis ?? 1), first, 'axis', { msg: p, field: 'axis' });
    }
    const top = [...first];
    ctx.bottoms.slice(1).forEach((b, k) => {
      const i = k + 1;
      if (b.length !== first.length) {
        ctx.fail(`all inputs must have the same #axes: bottom[0] is ${showShape(first)}, bottom[${i}] is ${showShape(b)}`);
      }
      if (b.some((d, j) => j !== axis && d !== first[j])) {
        ctx.fail(`all inputs must have the same shape, except at concat_axis (${axis}): bottom[0] is ${showShape(first)}, bottom[${i}] is ${showShape(b)}`);
      }
      top[axis] += b[axis];
    });
    // Joining along N or C keeps every spatial coordinate where it was (a merge the analysis checks).
    return { tops: [top], params: [], macs: 0, spatial: axis <= 1 ? { kind: 'identity' } : undefined };
  },
};
