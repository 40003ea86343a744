// Slice (REFERENCE §2.7): cuts one axis into consecutive pieces, at `slice_point`s (strictly increasing,
// one fewer than tops) or into equal parts. `slice_dim` (legacy, uint32) and `axis` exclude each other.
import { has } from '../schema/message.js';
import type { LayerModule } from '../ir/layer-module.js';
import { atLeast, exactly } from '../ir/layer-module.js';
import { canonicalAxis, nums } from './shape-utils.js';
import { showShape } from './blob-checks.js';
import { sliceForward, sliceLower } from './compute/slice.js';

export const slice: LayerModule = {
  type: 'Slice',
  paramField: 'slice_param',
  bottoms: exactly(1),
  tops: atLeast(1),
  inPlace: false,
  forward: sliceForward,
  lower: sliceLower,
  infer(ctx) {
    const p = ctx.param;
    const bottom = ctx.bottoms[0];
    if (has(p, 'axis') && has(p, 'slice_dim')) {
      ctx.fail('either axis or slice_dim should be specified; not both', { msg: p, field: 'slice_dim' });
    }
    let axis: number;
    if (has(p, 'slice_dim')) {
      axis = Number(p.slice_dim);
      if (axis >= bottom.length) ctx.fail(`slice_dim out of range: ${axis} for ${bottom.length}-D bottom ${showShape(bottom)}`, { msg: p, field: 'slice_dim' });
    } else {
      axis = canonicalAxis(ctx, Number(p.axis ?? 1), bottom, 'axis', { msg: p, field: 'axis' });
    }
    const dim = bottom[axis];
    const points = nums(p.slice_point);
    const tops = ctx.topCount;
    let sizes: number[];
    if (points.length > 0) {
      if (points.length !== tops - 1) {
        ctx.fail(`${points.length} slice_point values need ${points.length + 1} tops, but there are ${tops}`, { msg: p, field: 'slice_point' });
      }
      if (tops > dim) ctx.fail(`${tops} tops cannot slice axis ${axis} of size ${dim} (bottom ${showShape(bottom)})`);
      let prev = 0;
      points.forEach((point, i) => {
        if (!(point > prev)) {
          ctx.fail(`slice_point values must be strictly increasing and positive: slice_point[${i}] = ${point} after ${prev}`, { msg: p, field: 'slice_point', index: i });
        }
        prev = point;
      });
      if (prev > dim) {
        ctx.fail(`slice_point ${prev} is beyond the end of axis ${axis} (size ${dim})`, { msg: p, field: 'slice_point', index: points.length - 1 });
      }
      sizes = [...points, dim].map((point, i) => point - (i === 0 ? 0 : points[i - 1]));
    } else {
      if (dim % tops !== 0) ctx.fail(`number of top blobs (${tops}) should evenly divide input slice axis (${dim})`);
      sizes = new Array(tops).fill(dim / tops);
    }
    return { tops: sizes.map((size) => bottom.map((d, j) => (j === axis ? size : d))), params: [], macs: 0 };
  },
};
