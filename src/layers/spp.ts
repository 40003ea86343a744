// SPP, spatial pyramid pooling (spp_layer.cpp): level l pools the H×W input into 2^l × 2^l bins with
// kernel ceil(H/2^l), pad (kernel·2^l − H + 1)/2 and stride = kernel, through a real Pooling layer (so its
// rounding and checks apply). pyramid_height 1 is that single pooling, (N, C, 1, 1); otherwise every level
// is flattened and concatenated: (N, C·Σ_{l<h} bins_l²), 2 axes.
import type { LayerModule } from '../ir/layer-module.js';
import { exactly } from '../ir/layer-module.js';
import { checkPadding, pooledSize, type PoolWindow } from './pooling/pooling.js';
import { showShape } from './blob-checks.js';
import type { SPPParameter } from '../schema/caffe-messages.generated.js';

/** SPPLayer::GetPoolingParam for one pyramid level. */
function levelWindow(level: number, h: number, w: number): PoolWindow {
  const bins = 2 ** level;
  const kernel = [Math.ceil(h / bins), Math.ceil(w / bins)] as [number, number];
  const pad = [Math.trunc((kernel[0] * bins - h + 1) / 2), Math.trunc((kernel[1] * bins - w + 1) / 2)] as [number, number];
  return { kernel, stride: [...kernel], pad };
}

export const spp: LayerModule<SPPParameter> = {
  type: 'SPP',
  paramField: 'spp_param',
  bottoms: exactly(1),
  tops: exactly(1),
  inPlace: false,
  infer(ctx) {
    const p = ctx.param;
    const height = Number(p.pyramid_height ?? 0);
    const pool = String(p.pool ?? 'MAX');
    const bottom = ctx.bottoms[0];
    if (bottom.length !== 4) ctx.fail(`input must have 4 axes, corresponding to (num, channels, height, width); got ${showShape(bottom)}`);
    const [n, c, h, w] = bottom;
    if (!(h > 0 && w > 0)) ctx.fail('input dimensions cannot be zero');
    // With 0 levels Caffe's internal Concat has no bottoms and aborts.
    if (!(height >= 1)) ctx.fail('pyramid_height must be specified and at least 1', { msg: p, field: 'pyramid_height' });
    let features = 0;
    let macs = 0;
    for (let level = 0; level < height; level++) {
      const window = levelWindow(level, h, w);
      checkPadding(ctx, window, pool, undefined, `pyramid level ${level} (${2 ** level}×${2 ** level} bins over ${h}×${w}): `);
      const [ph, pw] = pooledSize(ctx, [h, w], window, 'CEIL');
      if (height === 1) return { tops: [[n, c, ph, pw]], params: [], macs: n * c * ph * pw * window.kernel[0] * window.kernel[1] };
      features += c * ph * pw;
      macs += n * c * ph * pw * window.kernel[0] * window.kernel[1];
    }
    return { tops: [[n, features]], params: [], macs };
  },
};
