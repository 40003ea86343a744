// The segmentation forks' layers: BN (SegNet's and ENet's, or PSPNet's — one type name, two layers),
// SegNet's Upsample (max-unpooling with the mask a two-top Pooling writes) and PSPNet's/DeepLab's Interp
// (bilinear resize, corners aligned, by zoom/shrink factors or to a size). Each is a LayerModule with the
// fork's shape rule and a reference forward written from the fork's code; they run as host steps.
//
// BN: which fork's BN a net means follows the dialect it is read in (pspnet: slope, bias, mean, variance,
// y = slope·(x − mean)/√(var + eps) + bias; otherwise SegNet's: scale and shift, INFERENCE y = scale·x +
// shift, LEARN normalising with the batch's own mean and variance, eps 1e-9, as SegNet's test nets do).
import type { Tensor } from '../../ir/tensor.js';
import { activeDialect } from '../../schema/caffe-schema.js';
import { has } from '../../schema/message.js';
import type { ForwardLayer, LayerModule } from '../../ir/layer-module.js';
import { exactly } from '../../ir/layer-module.js';
import { showShape } from '../blob-checks.js';
import { count } from '../shape-utils.js';

const f32 = Math.fround;

export const bn: LayerModule = {
  type: 'BN',
  paramField: 'bn_param',
  bottoms: exactly(1),
  tops: exactly(1),
  inPlace: true,
  passThrough: true,
  infer(ctx) {
    const b = ctx.bottoms[0];
    if (b.length !== 4) ctx.fail(`BN needs a 4-axis bottom (got ${showShape(b)})`);
    const blob = [1, b[1], 1, 1];
    const psp = activeDialect() === 'pspnet';
    return { tops: [[...b]], params: psp ? [blob, blob, blob, blob] : [blob, blob], macs: 2 * count(b) };
  },
  paramBlobs: (layer) =>
    layer.paramShapes.length === 4
      ? [
          { role: 'slope', filler: 'slope_filler', fallback: { type: 'constant', value: 1 } },
          { role: 'bias', filler: 'bias_filler' },
          { role: 'mean' },
          { role: 'variance', fallback: { type: 'constant', value: 1 } },
        ]
      : [
          { role: 'scale', filler: 'scale_filler', fallback: { type: 'constant', value: 1 } },
          { role: 'shift', filler: 'shift_filler' },
        ],
  forward(layer: ForwardLayer, [x]: Tensor[], params: Float32Array[]) {
    const [n, c, h, w] = x.shape;
    const hw = h * w;
    const out = new Float32Array(x.data.length);
    const p = layer.typeParam;
    for (let ch = 0; ch < c; ch++) {
      let mul: number;
      let add: number;
      if (params.length === 4) {
        const [slope, bias, mean, variance] = params;
        const inv = 1 / Math.sqrt(variance[ch] + Number(p.eps ?? 1e-5));
        mul = slope[ch] * inv;
        add = bias[ch] - mean[ch] * mul;
      } else if (String(p.bn_mode ?? 'LEARN') === 'INFERENCE') {
        [mul, add] = [params[0][ch], params[1][ch]];
      } else {
        let sum = 0;
        let sq = 0;
        for (let i = 0; i < n; i++) {
          for (let j = 0; j < hw; j++) {
            const v = x.data[(i * c + ch) * hw + j];
            sum += v;
            sq += v * v;
          }
        }
        const mean = sum / (n * hw);
        const variance = sq / (n * hw) - mean * mean;
        mul = params[0][ch] / Math.sqrt(variance + 1e-9);
        add = params[1][ch] - mean * mul;
      }
      for (let i = 0; i < n; i++) {
        const base = (i * c + ch) * hw;
        for (let j = 0; j < hw; j++) out[base + j] = x.data[base + j] * mul + add;
      }
    }
    return [{ shape: [...x.shape], data: out }];
  },
};

/** SegNet's output size: upsample_h/w, else bottom · scale (minus one with pad_out). */
function upsampleSize(p: Record<string, unknown>, h: number, w: number): [number, number] {
  if (has(p as never, 'upsample_h') && has(p as never, 'upsample_w') && Number(p.upsample_h) > 0 && Number(p.upsample_w) > 0)
    return [Number(p.upsample_h), Number(p.upsample_w)];
  const scale = Number(p.scale ?? 2);
  const sh = Number(p.scale_h ?? scale);
  const sw = Number(p.scale_w ?? scale);
  return [h * sh - (p.pad_out_h ? 1 : 0), w * sw - (p.pad_out_w ? 1 : 0)];
}

export const upsample: LayerModule = {
  type: 'Upsample',
  paramField: 'upsample_param',
  bottoms: exactly(2),
  tops: exactly(1),
  inPlace: false,
  infer(ctx) {
    const [x, mask] = ctx.bottoms;
    if (x.length !== 4 || mask.length !== 4) ctx.fail('Upsample needs 4-axis bottoms (the values and the pooling mask)');
    if (x.some((d, i) => d !== mask[i])) ctx.fail(`the mask (${showShape(mask)}) must have the shape of the values (${showShape(x)})`);
    const p = ctx.param;
    if (has(p, 'scale_h') !== has(p, 'scale_w'))
      ctx.fail('scale_h and scale_w must be given together', { msg: p, field: has(p, 'scale_h') ? 'scale_h' : 'scale_w' });
    const [h, w] = upsampleSize(p, x[2], x[3]);
    if (!(h > 0 && w > 0)) ctx.fail(`the output size ${h}×${w} must be positive`);
    return { tops: [[x[0], x[1], h, w]], params: [], macs: 0 };
  },
  forward(layer, [x, mask]) {
    const [n, c, h, w] = x.shape;
    const [, , oh, ow] = layer.tops[0].shape;
    const out = new Float32Array(n * c * oh * ow);
    for (let plane = 0; plane < n * c; plane++) {
      for (let i = 0; i < h * w; i++) {
        const idx = Math.trunc(mask.data[plane * h * w + i]);
        if (idx < 0 || idx >= oh * ow)
          throw new Error(
            `layer "${layer.name}" (Upsample): mask index ${idx} is outside the ${oh}×${ow} output; the scale does not match the pooling that made the mask`,
          );
        out[plane * oh * ow + idx] = x.data[plane * h * w + i];
      }
    }
    return [{ shape: [n, c, oh, ow], data: out }];
  },
};

/** PSPNet's InterpLayer::Reshape: output size from the (cropped) input and the one rule given. */
function interpSize(p: Record<string, unknown>, hin: number, win: number, fail: (m: string) => never): [number, number] {
  const pb = Number(p.pad_beg ?? 0);
  const pe = Number(p.pad_end ?? 0);
  if (pb > 0 || pe > 0) fail('only non-positive padding (cropping) is supported: pad_beg and pad_end must be ≤ 0');
  const h = hin + pb + pe;
  const w = win + pb + pe;
  const hasShrink = has(p as never, 'shrink_factor');
  const hasZoom = has(p as never, 'zoom_factor');
  const shrink = Number(p.shrink_factor ?? 1);
  const zoom = Number(p.zoom_factor ?? 1);
  if (hasShrink && shrink < 1) fail('shrink_factor must be positive');
  if (hasZoom && zoom < 1) fail('zoom_factor must be positive');
  let out: [number, number];
  if (hasShrink && !hasZoom) out = [Math.trunc((h - 1) / shrink) + 1, Math.trunc((w - 1) / shrink) + 1];
  else if (hasZoom && !hasShrink) out = [h + (h - 1) * (zoom - 1), w + (w - 1) * (zoom - 1)];
  else if (has(p as never, 'height') && has(p as never, 'width')) out = [Number(p.height), Number(p.width)];
  else if (hasShrink && hasZoom) {
    const [sh, sw] = [Math.trunc((h - 1) / shrink) + 1, Math.trunc((w - 1) / shrink) + 1];
    out = [sh + (sh - 1) * (zoom - 1), sw + (sw - 1) * (zoom - 1)];
  } else fail('give zoom_factor, shrink_factor (or both), or height and width');
  if (!(h > 0 && w > 0)) fail(`the cropped input ${h}×${w} must be positive`);
  if (!(out[0] > 0 && out[1] > 0)) fail(`the output size ${out[0]}×${out[1]} must be positive`);
  return out;
}

export const interp: LayerModule = {
  type: 'Interp',
  paramField: 'interp_param',
  bottoms: exactly(1),
  tops: exactly(1),
  inPlace: false,
  infer(ctx) {
    const x = ctx.bottoms[0];
    if (x.length !== 4) ctx.fail(`Interp needs a 4-axis bottom (got ${showShape(x)})`);
    const [h, w] = interpSize(ctx.param, x[2], x[3], (m) => ctx.fail(m));
    return { tops: [[x[0], x[1], h, w]], params: [], macs: 4 * x[0] * x[1] * h * w };
  },
  // caffe_cpu_interp2: corners aligned, ratios and positions in float as the fork computes them.
  forward(layer, [x]) {
    const [n, c, hin, win] = x.shape;
    const [, , h2, w2] = layer.tops[0].shape;
    const off = -Number(layer.typeParam.pad_beg ?? 0);
    const pe = Number(layer.typeParam.pad_end ?? 0);
    const h1 = hin - off + pe;
    const w1 = win - off + pe;
    const out = new Float32Array(n * c * h2 * w2);
    const rh = h2 > 1 ? f32((h1 - 1) / (h2 - 1)) : 0;
    const rw = w2 > 1 ? f32((w1 - 1) / (w2 - 1)) : 0;
    for (let plane = 0; plane < n * c; plane++) {
      const src = plane * hin * win;
      const at = (y: number, xx: number) => x.data[src + (off + y) * win + off + xx];
      for (let y = 0; y < h2; y++) {
        const hr = h1 === h2 ? y : f32(rh * y);
        const hy = Math.trunc(hr);
        const hp = hy < h1 - 1 ? 1 : 0;
        const l1 = f32(hr - hy);
        const l0 = f32(1 - l1);
        for (let xx = 0; xx < w2; xx++) {
          const wr = w1 === w2 ? xx : f32(rw * xx);
          const wx = Math.trunc(wr);
          const wp = wx < w1 - 1 ? 1 : 0;
          const m1 = f32(wr - wx);
          const m0 = f32(1 - m1);
          out[(plane * h2 + y) * w2 + xx] =
            l0 * (m0 * at(hy, wx) + m1 * at(hy, wx + wp)) + l1 * (m0 * at(hy + hp, wx) + m1 * at(hy + hp, wx + wp));
        }
      }
    }
    return [{ shape: [n, c, h2, w2], data: out }];
  },
};
