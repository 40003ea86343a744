// Flatten (docs/caffe-semantics.md#flatten): merges axes axis…end_axis (both inclusive, both canonicalised) into one.
// end_axis = axis − 1 inserts a 1; an earlier end_axis makes Blob::count(start, end) abort.
import type { LayerModule } from '../ir/layer-module.js';
import { exactly } from '../ir/layer-module.js';
import { canonicalAxis, count } from './shape-utils.js';
import { aliasForward, aliasLower } from './alias.js';
import type { FlattenParameter } from '../schema/caffe-messages.generated.js';

export const flatten: LayerModule<FlattenParameter> = {
  type: 'Flatten',
  paramField: 'flatten_param',
  bottoms: exactly(1),
  tops: exactly(1),
  inPlace: false,
  forward: aliasForward,
  lower: aliasLower,
  infer(ctx) {
    const p = ctx.param;
    const bottom = ctx.bottoms[0];
    const start = canonicalAxis(ctx, Number(p.axis ?? 1), bottom, 'axis', { msg: p, field: 'axis' });
    const end = canonicalAxis(ctx, Number(p.end_axis ?? -1), bottom, 'end_axis', { msg: p, field: 'end_axis' });
    if (end + 1 < start) ctx.fail(`end_axis (${end}) must not come before axis (${start}) − 1`, { msg: p, field: 'end_axis' });
    const top = [...bottom.slice(0, start), count(bottom, start, end + 1), ...bottom.slice(end + 1)];
    return { tops: [top], params: [], macs: 0 };
  },
};
