// Kernel, stride, pad and dilation of Convolution, Deconvolution and Im2col, parsed exactly as Caffe's
// BaseConvolutionLayer::LayerSetUp does (docs/caffe-semantics.md#convolution), with its checks and messages.
import { has, type Msg } from '../schema/message.js';
import type { Shape, ShapeContext, SpatialOp } from '../ir/layer-module.js';
import { canonicalAxis, nums } from './shape-utils.js';
import type { ConvolutionParameter } from '../schema/caffe-messages.generated.js';

export interface ConvGeometry {
  channelAxis: number;
  /** Number of spatial axes S. */
  spatialAxes: number;
  kernel: number[];
  stride: number[];
  pad: number[];
  dilation: number[];
}

/** The layer's spatial op (its exact coordinate map): a window for Convolution and Im2col, its transpose for Deconvolution. */
export function windowOp(g: ConvGeometry, kind: 'window' | 'transpose'): SpatialOp {
  return { kind, firstAxis: g.channelAxis + 1, kernel: g.kernel, stride: g.stride, pad: g.pad, dilation: g.dilation };
}

function perAxis(ctx: ShapeContext, p: Msg, field: string, values: number[], spatialAxes: number, fallback: number | undefined): number[] {
  if (values.length === 0) {
    // No spatial axes (an `axis` leaving none: Caffe's 0-D convolution, an InnerProduct over the channels)
    // need no kernel size.
    if (fallback === undefined && spatialAxes > 0) ctx.fail(`${field} must be specified`, { msg: p, field });
    return repeat(fallback ?? 1, spatialAxes);
  }
  if (values.length !== 1 && values.length !== spatialAxes) {
    ctx.fail(
      `${field} must be specified once, or once per spatial dimension (${field} specified ${values.length} times; ${spatialAxes} spatial dims)`,
      { msg: p, field },
    );
  }
  return values.length === 1 ? repeat(values[0], spatialAxes) : values.slice();
}

// Plain loops: this runs four times for each convolution of a big net.
function repeat(value: number, n: number): number[] {
  const list: number[] = [];
  for (let i = 0; i < n; i++) list.push(value);
  return list;
}

/** Reads `name_h`/`name_w` (2-D only, exclusive with the repeated form) or the repeated field. */
function hwOrRepeated(
  ctx: ShapeContext,
  p: Msg,
  base: string,
  repeated: string,
  spatialAxes: number,
  fallback: number | undefined,
): number[] {
  const h = `${base}_h`;
  const w = `${base}_w`;
  if (has(p, h) || has(p, w)) {
    if (spatialAxes !== 2) ctx.fail(`${h} & ${w} can only be used for 2D convolution`, { msg: p, field: has(p, h) ? h : w });
    if (nums(p[repeated]).length > 0) {
      const what = base === 'kernel' ? 'kernel_size or kernel_h/w' : `${repeated} or ${h}/${w}`;
      ctx.fail(`either ${what} should be specified; not both`, { msg: p, field: repeated });
    }
    return [Number(p[h] ?? 0), Number(p[w] ?? 0)];
  }
  return perAxis(ctx, p, repeated, nums(p[repeated]), spatialAxes, fallback);
}

/** Where spatial axis `axis`'s kernel size is written (kernel_h/kernel_w or kernel_size), for diagnostics. */
export function kernelField(p: ConvolutionParameter, axis: number): { msg: Msg; field: string; index?: number } {
  if (has(p, 'kernel_h') || has(p, 'kernel_w'))
    return { msg: p, field: axis === 0 && has(p, 'kernel_h') ? 'kernel_h' : has(p, 'kernel_w') ? 'kernel_w' : 'kernel_h' };
  const written = nums(p.kernel_size).length;
  return { msg: p, field: 'kernel_size', index: written > 1 ? axis : 0 };
}

export function convGeometry(ctx: ShapeContext<ConvolutionParameter>, bottom: Shape, minSpatialAxes = 0): ConvGeometry {
  const p = ctx.param;
  const channelAxis = canonicalAxis(ctx, Number(p.axis ?? 1), bottom, 'axis', { msg: p, field: 'axis' });
  const spatialAxes = bottom.length - channelAxis - 1;
  if (spatialAxes < minSpatialAxes) ctx.fail(`needs at least ${minSpatialAxes} spatial axes; bottom has shape ${bottom.join('×')}`);
  const kernel = hwOrRepeated(ctx, p, 'kernel', 'kernel_size', spatialAxes, undefined);
  if (kernel.some((k) => k <= 0))
    ctx.fail('filter dimensions must be nonzero', { msg: p, field: has(p, 'kernel_h') ? 'kernel_h' : 'kernel_size' });
  const stride = hwOrRepeated(ctx, p, 'stride', 'stride', spatialAxes, 1);
  if (stride.some((s) => s <= 0))
    ctx.fail('stride dimensions must be nonzero', { msg: p, field: has(p, 'stride_h') ? 'stride_h' : 'stride' });
  const pad = hwOrRepeated(ctx, p, 'pad', 'pad', spatialAxes, 0);
  const dilation = perAxis(ctx, p, 'dilation', nums(p.dilation), spatialAxes, 1);
  return { channelAxis, spatialAxes, kernel, stride, pad, dilation };
}

/** Output channels and group, with Caffe's divisibility checks. */
export function convChannels(
  ctx: ShapeContext<ConvolutionParameter>,
  geometry: ConvGeometry,
  bottom: Shape,
): { channels: number; numOutput: number; group: number } {
  const p = ctx.param;
  const channels = bottom[geometry.channelAxis];
  const numOutput = Number(p.num_output ?? 0);
  const group = Number(p.group ?? 1);
  if (!(numOutput > 0))
    ctx.fail('num_output must be specified and positive', has(p, 'num_output') ? { msg: p, field: 'num_output' } : undefined);
  if (group <= 0) ctx.fail('group must be positive', { msg: p, field: 'group' });
  if (channels % group !== 0) ctx.fail(`input channels (${channels}) must be a multiple of group (${group})`, { msg: p, field: 'group' });
  if (numOutput % group !== 0)
    ctx.fail(`number of outputs (${numOutput}) should be a multiple of group (${group})`, { msg: p, field: 'num_output' });
  return { channels, numOutput, group };
}

/** All bottoms of a conv layer must have identical shapes (they share the weights). */
export function checkSameBottoms(ctx: ShapeContext): void {
  const first = ctx.bottoms[0];
  ctx.bottoms.forEach((b, i) => {
    if (b.length !== first.length || b.some((d, j) => d !== first[j])) {
      ctx.fail(`shape mismatch - bottom[0]: ${first.join('×')} vs. bottom[${i}]: ${b.join('×')}`);
    }
  });
}

/**
 * The forward-input sizes a convolution (kernel k, stride s, pad p, dilation d) maps to output size
 * `input`: from s(input−1) + d(k−1) + 1 − 2p up to s − 1 more, those that are positive and map back.
 */
export function transposedSizes(input: number, k: number, s: number, p: number, d: number): number[] {
  const extent = d * (k - 1) + 1;
  const smallest = s * (input - 1) + extent - 2 * p;
  return Array.from({ length: s }, (_, r) => smallest + r).filter((x) => x > 0 && Math.floor((x + 2 * p - extent) / s) + 1 === input);
}
