// SPP, spatial pyramid pooling (spp_layer.cpp): level l pools the H×W input into 2^l × 2^l bins with
// kernel ceil(H/2^l), pad (kernel·2^l − H + 1)/2 and stride = kernel, through a real Pooling layer (so its
// rounding and checks apply). pyramid_height 1 is that single pooling, (N, C, 1, 1); otherwise every level
// is flattened and concatenated: (N, C·Σ_{l<h} bins_l²), 2 axes. Forward: the same — each level is the
// Pooling layer's forward (MAX, AVE, or STOCHASTIC as at TEST), on the host (a plan host step).
import type { LayerModule } from '../ir/layer-module.js';
import { exactly } from '../ir/layer-module.js';
import { checkPadding, pooledSize, type PoolWindow } from './pooling/pooling.js';
import { showShape } from './blob-checks.js';
import type { SPPParameter } from '../schema/caffe-messages.generated.js';
import type { ForwardLayer, ShapeContext } from '../ir/layer-module.js';
import type { Layer } from '../ir/layer.js';
import type { Tensor } from '../ir/tensor.js';
import { poolingForward } from './pooling/kernels.js';

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
  forward: sppForward,
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

function sppForward(layer: ForwardLayer, [x]: Tensor[]): Tensor[] {
  const height = Number(layer.typeParam.pyramid_height);
  const pool = String(layer.typeParam.pool ?? 'MAX');
  const [n, c, h, w] = x.shape;
  // The shape rule accepted these levels; a failure here is brewnet's bug.
  const internal = {
    fail: (message: string) => {
      throw new Error(`internal: SPP "${layer.name}": ${message}`);
    },
  } as unknown as ShapeContext;
  const levels: Float32Array[] = [];
  for (let level = 0; level < height; level++) {
    const window = levelWindow(level, h, w);
    const [ph, pw] = pooledSize(internal, [h, w], window, 'CEIL');
    const pooling = {
      name: layer.name,
      type: 'Pooling',
      loc: layer.loc,
      typeParam: { pool },
      bottoms: [{ shape: [n, c, h, w] }],
      tops: [{ shape: [n, c, ph, pw] }],
      spatial: { kind: 'window', firstAxis: 2, kernel: window.kernel, stride: window.stride, pad: window.pad, dilation: [1, 1] },
    } as unknown as Layer;
    const [y] = poolingForward(pooling, [x]);
    if (height === 1) return [{ shape: [...layer.tops[0].shape], data: y.data }];
    levels.push(y.data);
  }
  // Flatten each level to (N, C·bins²) and concatenate along axis 1.
  const features = layer.tops[0].shape[1];
  const out = new Float32Array(n * features);
  let offset = 0;
  for (const data of levels) {
    const per = data.length / n;
    for (let i = 0; i < n; i++) out.set(data.subarray(i * per, (i + 1) * per), i * features + offset);
    offset += per;
  }
  return [{ shape: [...layer.tops[0].shape], data: out }];
}
