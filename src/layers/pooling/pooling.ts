// Pooling (docs/caffe-semantics.md#pooling): 4-D only; CEIL rounding by default, computed in float32; when any pad is
// non-zero the last window must start before in + pad (not in the trailing pad), a clip applied to BOTH axes.
// Only MAX pooling may have a second top (the argmax mask, same shape).
import { has, type Msg } from '../../schema/message.js';
import type { LayerModule, ShapeContext } from '../../ir/layer-module.js';
import { between, exactly } from '../../ir/layer-module.js';
import { count } from '../shape-utils.js';
import { checkBlobShape, showShape } from '../blob-checks.js';
import { poolingForward, poolingLower } from './kernels.js';
import type { PoolingParameter } from '../../schema/caffe-messages.generated.js';

export type RoundMode = 'CEIL' | 'FLOOR';

export interface PoolWindow {
  kernel: [number, number];
  stride: [number, number];
  pad: [number, number];
}

/** One axis before the pad clip: `int(ceil|floor(float(in + 2p − k) / s)) + 1`, float32 like Caffe. */
function unclippedPooled(input: number, kernel: number, stride: number, pad: number, round: RoundMode): number {
  const q = Math.fround(Math.fround(input + 2 * pad - kernel) / Math.fround(stride));
  // ceil(-0.5) is -0, so a kernel larger than the input still gives 1 in CEIL mode.
  return (round === 'FLOOR' ? Math.floor(q) : Math.ceil(q)) + 1;
}

/** PoolingLayer::Reshape's (pooled_h, pooled_w) for an H×W input. */
export function pooledSize(ctx: ShapeContext, input: [number, number], w: PoolWindow, round: RoundMode): [number, number] {
  const out = [0, 1].map((i) => unclippedPooled(input[i], w.kernel[i], w.stride[i], w.pad[i], round));
  if (w.pad[0] !== 0 || w.pad[1] !== 0) {
    for (const i of [0, 1]) {
      if ((out[i] - 1) * w.stride[i] >= input[i] + w.pad[i]) out[i]--;
      if ((out[i] - 1) * w.stride[i] >= input[i] + w.pad[i]) {
        ctx.fail(`last pooling window starts at ${(out[i] - 1) * w.stride[i]}, outside the padded input (${input[i]} + pad ${w.pad[i]})`);
      }
    }
  }
  return [out[0], out[1]];
}

/** Caffe's `pad_h < kernel_h` check, and STOCHASTIC pooling's refusal to pad. */
export function checkPadding(ctx: ShapeContext, w: PoolWindow, pool: string, at?: { msg: Msg; field: string }, where = ''): void {
  if (w.pad[0] === 0 && w.pad[1] === 0) return;
  if (pool !== 'AVE' && pool !== 'MAX') ctx.fail(`${where}padding implemented only for average and max pooling`, at);
  ['h', 'w'].forEach((axis, i) => {
    if (!(w.pad[i] < w.kernel[i])) ctx.fail(`${where}pad_${axis} (${w.pad[i]}) must be less than kernel_${axis} (${w.kernel[i]})`, at);
  });
}

/** `x` or (`x_h` and `x_w`), never a mix: Caffe's pad and stride rule. */
function scalarOrHW(ctx: ShapeContext, p: Msg, base: string, fallback: number, message: string): [number, number] {
  const [h, w] = [`${base}_h`, `${base}_w`];
  const ok = (!has(p, base) && has(p, h) && has(p, w)) || (!has(p, h) && !has(p, w));
  if (!ok) ctx.fail(message, { msg: p, field: has(p, base) ? base : has(p, h) ? w : h });
  if (has(p, h)) return [Number(p[h]), Number(p[w])];
  const v = Number(p[base] ?? fallback);
  return [v, v];
}

/** The kernel from kernel_size or kernel_h & kernel_w (LayerSetUp's first two checks). */
function kernelOf(ctx: ShapeContext, p: Msg): [number, number] {
  const hasSize = has(p, 'kernel_size');
  const hasHW = has(p, 'kernel_h') && has(p, 'kernel_w');
  if (hasSize === hasHW) {
    if (hasSize) ctx.fail('filter size is kernel_size OR kernel_h and kernel_w; not both', { msg: p, field: 'kernel_h' });
    if (has(p, 'kernel_h') || has(p, 'kernel_w')) {
      ctx.fail('for non-square filters both kernel_h and kernel_w are required', {
        msg: p,
        field: has(p, 'kernel_h') ? 'kernel_h' : 'kernel_w',
      });
    }
    ctx.fail('filter size must be given: kernel_size, or kernel_h and kernel_w (or global_pooling: true)');
  }
  return hasSize ? [Number(p.kernel_size), Number(p.kernel_size)] : [Number(p.kernel_h), Number(p.kernel_w)];
}

export const pooling: LayerModule<PoolingParameter> = {
  type: 'Pooling',
  paramField: 'pooling_param',
  bottoms: exactly(1),
  // Caffe's MaxTopBlobs is 2 for MAX and 1 otherwise; the per-method limit is checked in infer.
  tops: between(1, 2),
  inPlace: false,
  forward: poolingForward,
  lower: poolingLower,
  infer(ctx) {
    const p = ctx.param;
    const pool = p.pool ?? 'MAX';
    // OpenCV's dialect (BVLC pull request 3057) says ceil_mode: false where BVLC says round_mode: FLOOR.
    const round: RoundMode = has(p, 'ceil_mode') ? (p.ceil_mode ? 'CEIL' : 'FLOOR') : (p.round_mode ?? 'CEIL');
    const global = p.global_pooling === true;
    if (ctx.topCount > 1 && pool !== 'MAX') {
      ctx.fail(`only MAX pooling has a second (mask) top; ${pool} pooling produces at most 1 top blob`);
    }
    if (global && (has(p, 'kernel_size') || has(p, 'kernel_h') || has(p, 'kernel_w'))) {
      const field = ['kernel_size', 'kernel_h', 'kernel_w'].find((f) => has(p, f)) as string;
      ctx.fail('with global_pooling: true filter size cannot be specified', { msg: p, field });
    }
    const kernel = global ? undefined : kernelOf(ctx, p);
    if (kernel && !(kernel[0] > 0 && kernel[1] > 0)) {
      ctx.fail('filter dimensions cannot be zero', { msg: p, field: has(p, 'kernel_size') ? 'kernel_size' : 'kernel_h' });
    }
    const pad = scalarOrHW(ctx, p, 'pad', 0, 'pad is pad OR pad_h and pad_w are required');
    const stride = scalarOrHW(ctx, p, 'stride', 1, 'stride is stride OR stride_h and stride_w are required');
    if (global && (pad[0] !== 0 || pad[1] !== 0 || stride[0] !== 1 || stride[1] !== 1)) {
      ctx.fail(`with global_pooling: true; only pad = 0 and stride = 1 (pad ${pad.join('/')}, stride ${stride.join('/')})`);
    }
    // Caffe divides by the stride in float without checking it; 0 would give inf or NaN.
    if (!(stride[0] > 0 && stride[1] > 0))
      ctx.fail('stride dimensions must be nonzero', { msg: p, field: has(p, 'stride_h') ? 'stride_h' : 'stride' });
    if (kernel) checkPadding(ctx, { kernel, stride, pad }, pool, { msg: p, field: has(p, 'pad_h') ? 'pad_h' : 'pad' });

    const bottom = ctx.bottoms[0];
    if (bottom.length !== 4) {
      ctx.fail(`input must have 4 axes, corresponding to (num, channels, height, width); got ${showShape(bottom)}`);
    }
    const [n, c, h, w] = bottom;
    const window: PoolWindow = { kernel: kernel ?? [h, w], stride, pad };
    if (!(window.kernel[0] > 0 && window.kernel[1] > 0)) ctx.fail('filter dimensions cannot be zero (global pooling over an empty input)');
    const [ph, pw] = pooledSize(ctx, [h, w], window, round);
    const top = checkBlobShape(ctx, [n, c, ph, pw], 'top shape');
    const spatial = { kind: 'window' as const, firstAxis: 2, kernel: [...window.kernel], stride, pad, dilation: [1, 1] };
    return {
      tops: Array.from({ length: ctx.topCount }, () => [...top]),
      params: [],
      macs: count(top) * window.kernel[0] * window.kernel[1],
      spatial,
    };
  },
};
