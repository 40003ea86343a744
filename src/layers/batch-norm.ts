// BatchNorm (REFERENCE §2.14, §7.12): top = bottom shape; three statistics blobs, mean sum [C], variance
// sum [C] and their scale factor [1], with C = shape(1). They are not learned: an explicit param {} with
// a non-zero lr_mult is refused.
import type { Msg } from '../schema/message.js';
import type { LayerModule } from '../ir/layer-module.js';
import { exactly } from '../ir/layer-module.js';
import { count } from './shape-utils.js';
import { showShape } from './blob-checks.js';
import { batchNormForward, batchNormLower } from './compute/batch-norm.js';

export const batchNorm: LayerModule = {
  type: 'BatchNorm',
  paramField: 'batch_norm_param',
  bottoms: exactly(1),
  tops: exactly(1),
  inPlace: true,
  passThrough: true,
  forward: batchNormForward,
  lower: batchNormLower,
  infer(ctx) {
    const bottom = ctx.bottoms[0];
    // LayerSetUp takes C = 1 for a 1-axis blob, but Reshape then reads shape(1) and aborts: ≥ 2 axes.
    if (bottom.length < 2) ctx.fail(`needs a bottom with at least 2 axes (N, C, …); got ${showShape(bottom)}`);
    const specs = (ctx.layer.param as Msg[] | undefined) ?? [];
    specs.slice(0, 3).forEach((spec, i) => {
      if (Number(spec.lr_mult ?? 1) !== 0) {
        ctx.fail('cannot configure batch normalization statistics as layer parameters (param lr_mult must be 0)', { msg: ctx.layer, field: 'param', index: i });
      }
    });
    const channels = bottom[1];
    return { tops: [[...bottom]], params: [[channels], [channels], [1]], macs: count(bottom) };
  },
};
