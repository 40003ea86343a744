// ONNX forms of Caffe's fork layers (src/layers/forks/), each the ops that compute exactly what the fork's
// forward computes: Permute → Transpose; Normalize → ReduceSum of squares, + eps, Sqrt, Div, Mul by the
// scale (caffe-ssd adds eps under the root); BN → Mul/Add with initializers folded from its blobs
// (PSPNet's, SegNet's INFERENCE) or the batch's own statistics (SegNet's LEARN); Interp → Slice for the
// cropping pads, then Resize with align_corners (PSPNet's caffe_cpu_interp2 aligns the corners); PriorBox →
// an initializer (its boxes depend only on the shapes, so the export computes them with the layer's own
// forward); MergeCrop → Slice + Concat/Add; ROIPooling → MaxRoiPool (ONNX's op is Fast R-CNN's ROI pooling:
// rounded corners, floor/ceil bins, empty bin 0); Upsample → MaxUnpool with the plane-local mask turned into
// whole-tensor indices. DetectionOutput (NMS with keep_top_k and -1 rows) has no exact form: build-graph.ts
// refuses it, saying why (onnxRefusals in mappings.ts).
import type { LayerContext, OnnxMapping } from './mappings.js';

const range = (from: number, to: number) => Array.from({ length: Math.max(to - from, 0) }, (_, i) => from + i);

function reduce(ctx: LayerContext, op: string, input: string, axes: number[], out: string): void {
  const axesAsInput = op === 'ReduceSum' ? ctx.opset >= 13 : ctx.opset >= 18;
  if (axesAsInput) ctx.node(op, [input, ctx.int64Const(`${op}_axes`, axes)], [out], { keepdims: 1 });
  else ctx.node(op, [input], [out], { axes, keepdims: 1 });
}

/** caffe-ssd's Permute: the listed axes, then the others in order. */
export const permuteMapping: OnnxMapping = (ctx) => {
  const rank = ctx.layer.bottoms[0].shape.length;
  const p = ctx.layer.typeParam.order;
  const order = (Array.isArray(p) ? p : p === undefined ? [] : [p]).map(Number);
  for (let a = 0; a < rank; a++) if (!order.includes(a)) order.push(a);
  if (ctx.symbolicBatch && order[0] !== 0) ctx.notBatchAxis(0, 'moving the batch axis');
  ctx.node('Transpose', [ctx.bottom(0)], [ctx.top(0)], { perm: order });
};

/** caffe-ssd's Normalize: x / √(Σx² + eps) over C×H×W (across_spatial) or over C per position, times the scale. */
export const normalizeMapping: OnnxMapping = (ctx) => {
  const p = ctx.layer.typeParam;
  const shape = ctx.layer.bottoms[0].shape;
  const axes = p.across_spatial !== false ? range(1, shape.length) : [1];
  const x = ctx.bottom(0);
  const [sq, sum, padded, norm, unit] = ['square', 'sum_square', 'plus_eps', 'norm', 'unit'].map((w) => ctx.temp(w));
  ctx.node('Mul', [x, x], [sq]);
  reduce(ctx, 'ReduceSum', sq, axes, sum);
  ctx.node('Add', [sum, ctx.floatConst('eps', [], [Number(p.eps ?? 1e-10)])], [padded]);
  ctx.node('Sqrt', [padded], [norm]);
  ctx.node('Div', [x, norm], [unit]);
  const shared = ctx.layer.paramShapes[0].length === 1 && ctx.layer.paramShapes[0][0] === 1 && p.channel_shared !== false;
  const dims = shared ? [1] : [shape[1], ...new Array<number>(shape.length - 2).fill(1)];
  ctx.node('Mul', [unit, ctx.param(0, 'scale', { dims })], [ctx.top(0)]);
};

/** BN: PSPNet's (slope, bias, mean, variance) or SegNet's (scale, shift; bn_mode INFERENCE or LEARN). */
export const bnMapping: OnnxMapping = (ctx) => {
  const { layer } = ctx;
  const shape = layer.bottoms[0].shape;
  const c = shape[1];
  const dims = [1, c, 1, 1];
  const p = layer.typeParam;
  if (layer.paramShapes.length === 4) {
    // y = x·m + a, m = slope/√(var + eps), a = bias − mean·m: the reference forward's own folding.
    const eps = Number(p.eps ?? 1e-5);
    const mul = (params: readonly Float32Array[]) => Float32Array.from(params[0], (s, ch) => s / Math.sqrt(params[3][ch] + eps));
    const scaled = ctx.temp('scaled');
    ctx.node('Mul', [ctx.bottom(0), ctx.derived('mul', dims, mul)], [scaled]);
    const add = ctx.derived('add', dims, (params) => {
      const m = mul(params);
      return Float32Array.from(params[1], (b, ch) => b - params[2][ch] * m[ch]);
    });
    ctx.node('Add', [scaled, add], [ctx.top(0)]);
    return;
  }
  if (String(p.bn_mode ?? 'LEARN') === 'INFERENCE') {
    const scaled = ctx.temp('scaled');
    ctx.node('Mul', [ctx.bottom(0), ctx.param(0, 'scale', { dims })], [scaled]);
    ctx.node('Add', [scaled, ctx.param(1, 'shift', { dims })], [ctx.top(0)]);
    return;
  }
  // LEARN: the batch's mean and biased variance (E[x²] − mean²) per channel, eps 1e-9 under the root.
  const axes = [0, 2, 3];
  const x = ctx.bottom(0);
  const [mean, sq, meanSq, mean2, variance, padded, std, centred, unit, scaled] = [
    'batch_mean',
    'square',
    'mean_square',
    'mean_squared',
    'batch_variance',
    'plus_eps',
    'std',
    'centred',
    'unit',
    'scaled',
  ].map((w) => ctx.temp(w));
  reduce(ctx, 'ReduceMean', x, axes, mean);
  ctx.node('Mul', [x, x], [sq]);
  reduce(ctx, 'ReduceMean', sq, axes, meanSq);
  ctx.node('Mul', [mean, mean], [mean2]);
  ctx.node('Sub', [meanSq, mean2], [variance]);
  ctx.node('Add', [variance, ctx.floatConst('eps', [], [1e-9])], [padded]);
  ctx.node('Sqrt', [padded], [std]);
  ctx.node('Sub', [x, mean], [centred]);
  ctx.node('Div', [centred, std], [unit]);
  ctx.node('Mul', [unit, ctx.param(0, 'scale', { dims })], [scaled]);
  ctx.node('Add', [scaled, ctx.param(1, 'shift', { dims })], [ctx.top(0)]);
};

/** A sizes input for Resize: the top's H×W after the bottom's own N×C (read at run time with a symbolic batch). */
function resizeSizes(ctx: LayerContext, x: string, top: readonly number[]): string {
  if (!ctx.symbolicBatch) return ctx.int64Const('sizes', top);
  const [shape, nc, sizes] = [ctx.temp('shape'), ctx.temp('batch_channels'), ctx.temp('sizes')];
  ctx.node('Shape', [x], [shape]);
  ctx.node('Slice', [shape, ctx.int64Const('nc_start', [0]), ctx.int64Const('nc_end', [2])], [nc]);
  ctx.node('Concat', [nc, ctx.int64Const('hw', top.slice(2))], [sizes], { axis: 0 });
  return sizes;
}

/** PSPNet's/DeepLab's Interp: crop by the (non-positive) pads, then bilinear with the corners aligned. */
export const interpMapping: OnnxMapping = (ctx) => {
  const p = ctx.layer.typeParam;
  const [, , hin, win] = ctx.layer.bottoms[0].shape;
  const top = ctx.layer.tops[0].shape;
  const off = -Number(p.pad_beg ?? 0);
  const pe = Number(p.pad_end ?? 0);
  let x = ctx.bottom(0);
  if (off !== 0 || pe !== 0) {
    const cropped = ctx.temp('cropped');
    ctx.node(
      'Slice',
      [x, ctx.int64Const('starts', [off, off]), ctx.int64Const('ends', [hin + pe, win + pe]), ctx.int64Const('axes', [2, 3])],
      [cropped],
    );
    x = cropped;
  }
  const [h1, w1] = [hin - off + pe, win - off + pe];
  if (h1 === top[2] && w1 === top[3]) {
    ctx.node('Identity', [x], [ctx.top(0)]);
    return;
  }
  ctx.node('Resize', [x, '', '', resizeSizes(ctx, x, top)], [ctx.top(0)], {
    mode: { string: 'linear' },
    coordinate_transformation_mode: { string: 'align_corners' },
  });
};

/** PriorBox: boxes and variances from the shapes alone, computed once by the layer's forward and written as an initializer. */
export const priorBoxMapping: OnnxMapping = (ctx) => {
  const { layer } = ctx;
  const forward = layer.module.forward!;
  const bottoms = layer.bottoms.map((b) => ({ shape: [...b.shape], data: new Float32Array(0) }));
  const [priors] = forward(layer, bottoms, []);
  ctx.node('Identity', [ctx.floatConst('priors', [...priors.shape], Array.from(priors.data))], [ctx.top(0)]);
};

/** U-Net's MergeCrop: bottom 1 centre-cropped to bottom 0's size, then STACK (Concat on channels) or ADD; zeros for a bottom with forward: false. */
export const mergeCropMapping: OnnxMapping = (ctx) => {
  const { layer } = ctx;
  const p = layer.typeParam;
  const [a, b] = layer.bottoms.map((x) => x.shape);
  const flags = Array.isArray(p.forward) ? (p.forward as boolean[]) : [];
  const [useA, useB] = [flags[0] ?? true, flags[1] ?? true];
  const axes = range(2, a.length);
  const offset = axes.map((i) => Math.trunc((b[i] - a[i]) / 2));
  const crop = ctx.temp('cropped');
  ctx.node(
    'Slice',
    [
      ctx.bottom(1),
      ctx.int64Const('starts', offset),
      ctx.int64Const(
        'ends',
        offset.map((o, k) => o + a[axes[k]]),
      ),
      ctx.int64Const('axes', axes),
    ],
    [crop],
  );
  const zerosLike = (v: string, what: string) => {
    const [shape, zeros] = [ctx.temp(`${what}_shape`), ctx.temp(`${what}_zeros`)];
    ctx.node('Shape', [v], [shape]);
    ctx.node('ConstantOfShape', [shape], [zeros], { value: { tensor: { dims: [1], floats: [0] } } });
    return zeros;
  };
  const first = useA ? ctx.bottom(0) : zerosLike(ctx.bottom(0), 'bottom0');
  const second = useB ? crop : zerosLike(crop, 'bottom1');
  if (String(p.operation ?? 'STACK') === 'ADD') ctx.node('Add', [first, second], [ctx.top(0)]);
  else ctx.node('Concat', [first, second], [ctx.top(0)], { axis: 1 });
};

/** Faster R-CNN's ROIPooling: ONNX's MaxRoiPool is the same computation on R×5 regions. */
export const roiPoolingMapping: OnnxMapping = (ctx) => {
  const { layer } = ctx;
  const p = layer.typeParam;
  const rois = layer.bottoms[1].shape;
  let r = ctx.bottom(1);
  if (rois.length !== 2) {
    r = ctx.temp('rois');
    ctx.node('Reshape', [ctx.bottom(1), ctx.int64Const('rois_shape', [rois[0], 5])], [r]);
  }
  ctx.node('MaxRoiPool', [ctx.bottom(0), r], [ctx.top(0)], {
    pooled_shape: [Number(p.pooled_h), Number(p.pooled_w)],
    spatial_scale: { float: Number(p.spatial_scale ?? 1) },
  });
};

/**
 * SegNet's Upsample: each value written at its mask index within its own output plane, zeros elsewhere.
 * ONNX's MaxUnpool takes int64 indices into the whole output tensor, so the float plane-local mask is
 * Cast (Caffe's static_cast<int>) and offset by each plane's start, (n·C + c)·H_out·W_out, N read from the
 * input. output_shape fixes the top's size; kernel_shape 1 only satisfies the op's required attribute.
 */
export const upsampleMapping: OnnxMapping = (ctx) => {
  const [, c] = ctx.layer.bottoms[0].shape;
  const top = ctx.layer.tops[0].shape;
  const plane = top[2] * top[3];
  const x = ctx.bottom(0);
  const [maskInt, shape, n, items, itemsCol, itemOffset, channels, withItem, indices] = [
    'mask_int',
    'shape',
    'batch',
    'items',
    'items_column',
    'item_offset',
    'channel_offset',
    'mask_item',
    'indices',
  ].map((w) => ctx.temp(w));
  ctx.node('Cast', [ctx.bottom(1)], [maskInt], { to: 7 });
  ctx.node('Shape', [x], [shape]);
  ctx.node('Gather', [shape, ctx.int64Const('batch_axis', [0], true)], [n], { axis: 0 });
  ctx.node('Range', [ctx.int64Const('zero', [0], true), n, ctx.int64Const('one', [1], true)], [items]);
  ctx.node('Reshape', [items, ctx.int64Const('column', [-1, 1, 1, 1])], [itemsCol]);
  ctx.node('Mul', [itemsCol, ctx.int64Const('item_stride', [c * plane], true)], [itemOffset]);
  ctx.node(
    'Reshape',
    [
      ctx.int64Const(
        'channel_starts',
        range(0, c).map((ch) => ch * plane),
      ),
      ctx.int64Const('channel_shape', [1, c, 1, 1]),
    ],
    [channels],
  );
  ctx.node('Add', [maskInt, itemOffset], [withItem]);
  ctx.node('Add', [withItem, channels], [indices]);
  ctx.node('MaxUnpool', [x, indices, resizeSizes(ctx, x, top)], [ctx.top(0)], { kernel_shape: [1, 1] });
};
