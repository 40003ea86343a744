// The ONNX mapping table: one entry per Caffe layer type, each writing the ONNX nodes that compute exactly
// what Caffe's layer computes (README.md, "ONNX export", has the table in words). Adding a layer type is
// one entry here. An entry that meets a configuration with no exact ONNX form calls ctx.fail, a located
// diagnostic naming the layer; it never writes an approximation. The bigger entries (convolutions,
// pooling, ArgMax) live in their own files beside this one.
import type { Layer } from '../../ir/layer.js';
import { fasterRcnnProposal } from '../../layers/python.js';
import { argmaxMapping } from './map-argmax.js';
import { convolutionMapping, deconvolutionMapping } from './map-convolution.js';
import { poolingMapping } from './map-pooling.js';
import {
  bnMapping,
  interpMapping,
  mergeCropMapping,
  normalizeMapping,
  permuteMapping,
  priorBoxMapping,
  roiPoolingMapping,
  upsampleMapping,
} from './map-forks.js';
import { mvnMapping, reductionMapping, tileMapping } from './map-reductions.js';
import type { AttrValue } from './onnx-graph.js';
import type { EltwiseParameter } from '../../schema/caffe-messages.generated.js';

export interface LayerContext {
  readonly layer: Layer;
  readonly opset: number;
  /** The value name of bottom i / top i (build-graph.ts has the naming rule). */
  bottom(i: number): string;
  top(i: number): string;
  /** A fresh value name for an intermediate of this layer's decomposition. */
  temp(what: string): string;
  node(opType: string, input: string[], output: string[], attrs?: Record<string, AttrValue | undefined>): void;
  /** An initializer from parameter blob j, optionally with other dims (same count) or re-laid out. */
  param(j: number, role: string, options?: { dims?: number[]; transform?: (blob: Float32Array) => Float32Array }): string;
  /** An initializer computed from all of the layer's parameter blobs when it is written. */
  derived(role: string, dims: number[], make: (params: readonly Float32Array[]) => Float32Array): string;
  floatConst(role: string, dims: number[], values: readonly number[]): string;
  int64Const(role: string, values: readonly number[], scalar?: boolean): string;
  /** Whether the graph's batch axis is symbolic (--batch): shapes must not bake in its size. */
  readonly symbolicBatch: boolean;
  /** A Reshape target for `shape`: with a symbolic batch, axis 0 copies the input's (0) where the sizes agree. */
  shapeConst(role: string, shape: readonly number[], from: readonly number[]): string;
  /** With a symbolic batch, fails when `axis` is the batch axis (the layer's result depends on its size). */
  notBatchAxis(axis: number, what: string): void;
  /** Throws a diagnostic located at the layer: `layer "name" (Type): message`. */
  fail(message: string, hint?: string): never;
}

export type OnnxMapping = (ctx: LayerContext) => void;

const num = (ctx: LayerContext, field: string, fallback: number) => Number(ctx.layer.typeParam[field] ?? fallback);
const rankOf = (ctx: LayerContext) => ctx.layer.bottoms[0].shape.length;
const canonical = (axis: number, rank: number) => (axis < 0 ? axis + rank : axis);

/** Tops that are their bottom unchanged (Split, Dropout in TEST). */
const identity: OnnxMapping = (ctx) => ctx.layer.tops.forEach((_, i) => ctx.node('Identity', [ctx.bottom(0)], [ctx.top(i)]));

/** A tensor reshaped to the top's (static) shape. */
const reshapeToTop: OnnxMapping = (ctx) =>
  ctx.node('Reshape', [ctx.bottom(0), ctx.shapeConst('shape', ctx.layer.tops[0].shape, ctx.layer.bottoms[0].shape)], [ctx.top(0)]);

/**
 * y = shift + scale·x, skipping the identity parts as Caffe's Power/Exp/Log do; returns the value name.
 * With `out`, the last node writes `out` (an Identity when there is nothing to compute).
 */
function affine(ctx: LayerContext, x: string, scale: number, shift: number, out?: string): string {
  const steps: [string, string][] = [];
  if (scale !== 1) steps.push(['Mul', ctx.floatConst('scale', [], [scale])]);
  if (shift !== 0) steps.push(['Add', ctx.floatConst('shift', [], [shift])]);
  if (steps.length === 0 && out) steps.push(['Identity', '']);
  let v = x;
  steps.forEach(([op, operand], i) => {
    const next = out && i === steps.length - 1 ? out : ctx.temp(op === 'Mul' ? 'scaled' : 'shifted');
    ctx.node(op, operand ? [v, operand] : [v], [next]);
    v = next;
  });
  return v;
}

const power: OnnxMapping = (ctx) => {
  const p = num(ctx, 'power', 1);
  const [scale, shift] = [num(ctx, 'scale', 1), num(ctx, 'shift', 0)];
  if (p === 0) {
    // Caffe's PowerLayer writes 1 everywhere, whatever the input (inf and NaN included).
    const shape = ctx.temp('shape');
    ctx.node('Shape', [ctx.bottom(0)], [shape]);
    ctx.node('Expand', [ctx.floatConst('one', [], [1]), shape], [ctx.top(0)]);
    return;
  }
  if (p === 1) {
    affine(ctx, ctx.bottom(0), scale, shift, ctx.top(0));
    return;
  }
  const base = affine(ctx, ctx.bottom(0), scale, shift);
  if (p === 2) ctx.node('Mul', [base, base], [ctx.top(0)]);
  else if (p === 0.5) ctx.node('Sqrt', [base], [ctx.top(0)]);
  else ctx.node('Pow', [base, ctx.floatConst('power', [], [p])], [ctx.top(0)]);
};

const exp: OnnxMapping = (ctx) => {
  const base = num(ctx, 'base', -1);
  const ln = base === -1 ? 1 : Math.log(base);
  // base^(shift + scale·x) = e^(ln(base)·shift + ln(base)·scale·x), as Caffe's ExpLayer computes it.
  const v = affine(ctx, ctx.bottom(0), ln * num(ctx, 'scale', 1), ln * num(ctx, 'shift', 0));
  ctx.node('Exp', [v], [ctx.top(0)]);
};

const log: OnnxMapping = (ctx) => {
  const base = num(ctx, 'base', -1);
  const v = affine(ctx, ctx.bottom(0), num(ctx, 'scale', 1), num(ctx, 'shift', 0));
  if (base === -1) {
    ctx.node('Log', [v], [ctx.top(0)]);
    return;
  }
  const ln = ctx.temp('ln');
  ctx.node('Log', [v], [ln]);
  ctx.node('Mul', [ln, ctx.floatConst('inv_log_base', [], [1 / Math.log(base)])], [ctx.top(0)]);
};

const relu: OnnxMapping = (ctx) => {
  const slope = num(ctx, 'negative_slope', 0);
  if (slope === 0) ctx.node('Relu', [ctx.bottom(0)], [ctx.top(0)]);
  else ctx.node('LeakyRelu', [ctx.bottom(0)], [ctx.top(0)], { alpha: { float: slope } });
};

const threshold: OnnxMapping = (ctx) => {
  const above = ctx.temp('above');
  ctx.node('Greater', [ctx.bottom(0), ctx.floatConst('threshold', [], [num(ctx, 'threshold', 0)])], [above]);
  ctx.node('Cast', [above], [ctx.top(0)], { to: 1 });
};

const clip: OnnxMapping = (ctx) => {
  const p = ctx.layer.typeParam;
  if (p.min === undefined || p.max === undefined) ctx.fail('clip_param needs both min and max');
  // Caffe: max(min(x, max), min); ONNX Clip gives the same for min ≤ max, and min when min > max as well.
  const low = ctx.temp('upper_clipped');
  ctx.node('Min', [ctx.bottom(0), ctx.floatConst('max', [], [Number(p.max)])], [low]);
  ctx.node('Max', [low, ctx.floatConst('min', [], [Number(p.min)])], [ctx.top(0)]);
};

const relu6: OnnxMapping = (ctx) => {
  const low = ctx.temp('upper_clipped');
  ctx.node('Min', [ctx.bottom(0), ctx.floatConst('six', [], [6])], [low]);
  ctx.node('Max', [low, ctx.floatConst('zero', [], [0])], [ctx.top(0)]);
};

/** ShuffleNet's channel shuffle: N×C×… seen as N×g×C/g×(rest), the middle axes transposed, reshaped back. */
const shuffleChannel: OnnxMapping = (ctx) => {
  const shape = ctx.layer.bottoms[0].shape;
  const group = num(ctx, 'group', 1);
  const rest = shape.slice(2).reduce((n, d) => n * d, 1);
  const grouped = [shape[0], group, shape[1] / group, rest];
  const [split, swapped] = [ctx.temp('grouped'), ctx.temp('swapped')];
  ctx.node('Reshape', [ctx.bottom(0), ctx.shapeConst('grouped_shape', grouped, shape)], [split]);
  ctx.node('Transpose', [split], [swapped], { perm: [0, 2, 1, 3] });
  const swappedShape = [shape[0], shape[1] / group, group, rest];
  ctx.node('Reshape', [swapped, ctx.shapeConst('shape', ctx.layer.tops[0].shape, swappedShape)], [ctx.top(0)]);
};

/** SENet's Axpy: a (N×C or N×C×1×1) reshaped to broadcast over X's trailing axes, times X, plus Y. */
const axpy: OnnxMapping = (ctx) => {
  const [a, x] = ctx.layer.bottoms.map((b) => b.shape);
  const scale = ctx.temp('scale');
  const scaled = ctx.temp('scaled');
  ctx.node('Reshape', [ctx.bottom(0), ctx.shapeConst('scale_shape', [x[0], x[1], ...x.slice(2).map(() => 1)], a)], [scale]);
  ctx.node('Mul', [scale, ctx.bottom(1)], [scaled]);
  ctx.node('Add', [scaled, ctx.bottom(2)], [ctx.top(0)]);
};

/** BatchReindex: Gather on axis 0 with the float indices cast to integers (Caffe's static_cast<int>). */
const batchReindex: OnnxMapping = (ctx) => {
  const index = ctx.temp('index');
  ctx.node('Cast', [ctx.bottom(1)], [index], { to: 7 });
  ctx.node('Gather', [ctx.bottom(0), index], [ctx.top(0)], { axis: 0 });
};

const swish: OnnxMapping = (ctx) => {
  const beta = num(ctx, 'beta', 1);
  const scaled = affine(ctx, ctx.bottom(0), beta, 0);
  const gate = ctx.temp('sigmoid');
  ctx.node('Sigmoid', [scaled], [gate]);
  ctx.node('Mul', [ctx.bottom(0), gate], [ctx.top(0)]);
};

const prelu: OnnxMapping = (ctx) => {
  const rank = rankOf(ctx);
  const shared = ctx.layer.typeParam.channel_shared === true;
  // Slopes per channel (axis 1) broadcast over the axes after it; one slope for all when shared.
  const dims = shared ? [1] : [ctx.layer.bottoms[0].shape[1], ...new Array<number>(Math.max(rank - 2, 0)).fill(1)];
  ctx.node('PRelu', [ctx.bottom(0), ctx.param(0, 'slope', { dims })], [ctx.top(0)]);
};

const elu: OnnxMapping = (ctx) => ctx.node('Elu', [ctx.bottom(0)], [ctx.top(0)], { alpha: { float: num(ctx, 'alpha', 1) } });

const unary =
  (op: string): OnnxMapping =>
  (ctx) =>
    ctx.node(op, [ctx.bottom(0)], [ctx.top(0)]);

const innerProduct: OnnxMapping = (ctx) => {
  const { layer } = ctx;
  const p = layer.typeParam;
  const top = layer.tops[0].shape;
  const bottom = layer.bottoms[0].shape;
  const axis = canonical(Number(p.axis ?? 1), bottom.length);
  ctx.notBatchAxis(axis === 0 ? 0 : -1, 'InnerProduct over axis 0');
  // Caffe flattens [0, axis) to M rows and [axis, end) to K columns; ONNX's Flatten does exactly that.
  const flat = ctx.temp('flat');
  ctx.node('Flatten', [ctx.bottom(0)], [flat], { axis });
  const transpose = p.transpose === true;
  const inputs = [flat, ctx.param(0, 'weight')];
  if (p.bias_term !== false) inputs.push(ctx.param(1, 'bias'));
  // W is (N, K) (y = x·Wᵀ), or (K, N) with transpose: true.
  if (top.length === 2) {
    ctx.node('Gemm', inputs, [ctx.top(0)], { transB: transpose ? 0 : 1 });
    return;
  }
  const product = ctx.temp('gemm');
  ctx.node('Gemm', inputs, [product], { transB: transpose ? 0 : 1 });
  ctx.node('Reshape', [product, ctx.shapeConst('shape', top, bottom)], [ctx.top(0)]);
};

const lrn: OnnxMapping = (ctx) => {
  const p = ctx.layer.typeParam;
  const size = num(ctx, 'local_size', 5);
  const alpha = num(ctx, 'alpha', 1);
  const beta = num(ctx, 'beta', 0.75);
  if (p.norm_region !== 'WITHIN_CHANNEL') {
    // ONNX's LRN: x / (bias + α/size · Σ x²) ^ β over channels c − (size−1)/2 … c + (size−1)/2, clipped:
    // Caffe's ACROSS_CHANNELS (size is odd there).
    ctx.node('LRN', [ctx.bottom(0)], [ctx.top(0)], {
      size,
      alpha: { float: alpha },
      beta: { float: beta },
      bias: { float: num(ctx, 'k', 1) },
    });
    return;
  }
  // WITHIN_CHANNEL: y = x · (1 + α · Σ x² / size²) ^ −β over the size×size window clipped to the image.
  // An AveragePool of x² with pad (size−1)/2, stride 1 and the padding counted divides every window by
  // size² (each one lies inside the padded extent), which is the mean Caffe's Power → Pool → Power takes.
  const half = (size - 1) / 2;
  const sq = ctx.temp('square');
  ctx.node('Mul', [ctx.bottom(0), ctx.bottom(0)], [sq]);
  const mean = ctx.temp('mean_square');
  ctx.node('AveragePool', [sq], [mean], {
    kernel_shape: [size, size],
    strides: [1, 1],
    pads: [half, half, half, half],
    count_include_pad: 1,
  });
  const scaled = affine(ctx, mean, alpha, 1);
  const factor = ctx.temp('factor');
  ctx.node('Pow', [scaled, ctx.floatConst('minus_beta', [], [-beta])], [factor]);
  ctx.node('Mul', [ctx.bottom(0), factor], [ctx.top(0)]);
};

const batchNorm: OnnxMapping = (ctx) => {
  const { layer } = ctx;
  const shape = layer.bottoms[0].shape;
  const c = shape[1];
  const eps = num(ctx, 'eps', 1e-5);
  if (layer.typeParam.use_global_stats !== false) {
    // Caffe stores sums and their scale factor (blob 2, the moving_average_fraction accumulation): the
    // statistics are blob / factor, 0 when the factor is 0. Folded here into the initializers.
    const stat = (i: number) => (params: readonly Float32Array[]) => {
      const f = params[2][0] === 0 ? 0 : 1 / params[2][0];
      return Float32Array.from(params[i], (v) => v * f);
    };
    const ones = ctx.floatConst('gamma', [c], new Array<number>(c).fill(1));
    const zeros = ctx.floatConst('beta', [c], new Array<number>(c).fill(0));
    ctx.node(
      'BatchNormalization',
      [ctx.bottom(0), ones, zeros, ctx.derived('mean', [c], stat(0)), ctx.derived('variance', [c], stat(1))],
      [ctx.top(0)],
      {
        epsilon: { float: eps },
      },
    );
    return;
  }
  // use_global_stats: false: the batch's own mean and biased variance over every axis but the channel.
  const axes = shape.map((_, i) => i).filter((i) => i !== 1);
  const reduceMean = (input: string, out: string) => {
    if (ctx.opset >= 18) ctx.node('ReduceMean', [input, ctx.int64Const('axes', axes)], [out], { keepdims: 1 });
    else ctx.node('ReduceMean', [input], [out], { axes, keepdims: 1 });
  };
  const mean = ctx.temp('batch_mean');
  reduceMean(ctx.bottom(0), mean);
  const centred = ctx.temp('centred');
  ctx.node('Sub', [ctx.bottom(0), mean], [centred]);
  const sq = ctx.temp('square');
  ctx.node('Mul', [centred, centred], [sq]);
  const variance = ctx.temp('batch_variance');
  reduceMean(sq, variance);
  const padded = affine(ctx, variance, 1, eps);
  const std = ctx.temp('std');
  ctx.node('Sqrt', [padded], [std]);
  ctx.node('Div', [centred, std], [ctx.top(0)]);
};

/** Scale and Bias: the operand covers axes [axis, axis + its rank) of bottom 0; trailing 1s make ONNX broadcast it there. */
const scaleBias: OnnxMapping = (ctx) => {
  const { layer } = ctx;
  const shape = layer.bottoms[0].shape;
  const given = layer.bottoms.length === 2;
  const operand = given ? layer.bottoms[1].shape : layer.paramShapes[0];
  const raw = Number(layer.typeParam.axis ?? 1);
  const axis = operand.length === 0 ? 0 : canonical(raw, shape.length);
  if (operand.length > 0) ctx.notBatchAxis(axis, `an operand over axis ${axis}`);
  const trailing = shape.length - axis - operand.length;
  const dims = operand.length === 0 ? [] : [...operand, ...new Array<number>(trailing).fill(1)];
  let operandValue: string;
  let biasParam: number | undefined;
  if (given) {
    operandValue = ctx.temp('operand');
    ctx.node('Reshape', [ctx.bottom(1), ctx.int64Const('operand_shape', dims)], [operandValue]);
    biasParam = layer.type === 'Scale' && layer.typeParam.bias_term === true ? 0 : undefined;
  } else {
    operandValue = ctx.param(0, layer.type === 'Bias' ? 'bias' : 'scale', { dims });
    biasParam = layer.type === 'Scale' && layer.typeParam.bias_term === true ? 1 : undefined;
  }
  if (layer.type === 'Bias') {
    ctx.node('Add', [ctx.bottom(0), operandValue], [ctx.top(0)]);
    return;
  }
  if (biasParam === undefined) {
    ctx.node('Mul', [ctx.bottom(0), operandValue], [ctx.top(0)]);
    return;
  }
  const scaled = ctx.temp('scaled');
  ctx.node('Mul', [ctx.bottom(0), operandValue], [scaled]);
  ctx.node('Add', [scaled, ctx.param(biasParam, 'bias', { dims })], [ctx.top(0)]);
};

const eltwise: OnnxMapping = (ctx) => {
  const { layer } = ctx;
  const p: EltwiseParameter = layer.typeParam;
  const op = String(p.operation ?? 'SUM');
  const inputs = layer.bottoms.map((_, i) => ctx.bottom(i));
  if (op !== 'SUM' && inputs.length === 1) return ctx.node('Identity', inputs, [ctx.top(0)]);
  if (op === 'PROD') return fold(ctx, 'Mul', inputs);
  if (op === 'MAX') return fold(ctx, 'Max', inputs);
  const coeffs = Array.isArray(p.coeff) ? p.coeff : [];
  // Caffe adds coeff_i · x_i in bottom order, starting from coeff_0 · x_0.
  const terms = inputs.map((x, i) => {
    const c = coeffs[i] ?? 1;
    if (c === 1) return x;
    const t = ctx.temp(`term${i}`);
    ctx.node('Mul', [x, ctx.floatConst(`coeff${i}`, [], [c])], [t]);
    return t;
  });
  if (terms.length === 1) ctx.node('Identity', terms, [ctx.top(0)]);
  else fold(ctx, 'Add', terms);
};

/** x0 op x1 op x2 … left to right (Caffe's order), the last node writing top 0. */
function fold(ctx: LayerContext, op: string, inputs: string[]): void {
  let acc = inputs[0];
  for (let i = 1; i < inputs.length; i++) {
    const out = i === inputs.length - 1 ? ctx.top(0) : ctx.temp(`${op.toLowerCase()}${i}`);
    ctx.node(op, [acc, inputs[i]], [out]);
    acc = out;
  }
}

const concat: OnnxMapping = (ctx) => {
  const p = ctx.layer.typeParam;
  const rank = ctx.layer.tops[0].shape.length;
  const axis = p.concat_dim !== undefined ? Number(p.concat_dim) : canonical(Number(p.axis ?? 1), rank);
  ctx.notBatchAxis(axis, 'joining along the batch axis');
  ctx.node(
    'Concat',
    ctx.layer.bottoms.map((_, i) => ctx.bottom(i)),
    [ctx.top(0)],
    { axis },
  );
};

const slice: OnnxMapping = (ctx) => {
  const p = ctx.layer.typeParam;
  const rank = rankOf(ctx);
  const axis = p.slice_dim !== undefined ? Number(p.slice_dim) : canonical(Number(p.axis ?? 1), rank);
  ctx.notBatchAxis(axis, 'slicing the batch axis');
  let at = 0;
  const axes = ctx.int64Const('axes', [axis]);
  ctx.layer.tops.forEach((t, k) => {
    const size = t.shape[axis];
    ctx.node('Slice', [ctx.bottom(0), ctx.int64Const(`starts${k}`, [at]), ctx.int64Const(`ends${k}`, [at + size]), axes], [ctx.top(k)]);
    at += size;
  });
};

const crop: OnnxMapping = (ctx) => {
  const op = ctx.layer.spatial;
  if (!op || op.kind !== 'crop') throw new Error('internal: Crop without offsets');
  const top = ctx.layer.tops[0].shape;
  const axes = op.offset.map((_, i) => op.firstAxis + i);
  ctx.notBatchAxis(axes[0], 'cropping the batch axis');
  ctx.node(
    'Slice',
    [
      ctx.bottom(0),
      ctx.int64Const('starts', op.offset),
      ctx.int64Const(
        'ends',
        op.offset.map((o, i) => o + top[axes[i]]),
      ),
      ctx.int64Const('axes', axes),
    ],
    [ctx.top(0)],
  );
};

const softmax: OnnxMapping = (ctx) => {
  // Softmax-13 normalises along one axis, as Caffe's does.
  ctx.node('Softmax', [ctx.bottom(0)], [ctx.top(0)], { axis: canonical(num(ctx, 'axis', 1), rankOf(ctx)) });
};

export const onnxMappings: Readonly<Record<string, OnnxMapping>> = {
  Convolution: convolutionMapping,
  Deconvolution: deconvolutionMapping,
  Pooling: poolingMapping,
  InnerProduct: innerProduct,
  LRN: lrn,
  Crop: crop,
  Concat: concat,
  Slice: slice,
  Split: identity,
  Eltwise: eltwise,
  Flatten: reshapeToTop,
  Reshape: reshapeToTop,
  Softmax: softmax,
  BatchNorm: batchNorm,
  Scale: scaleBias,
  Bias: scaleBias,
  ReLU: relu,
  PReLU: prelu,
  ELU: elu,
  Sigmoid: unary('Sigmoid'),
  TanH: unary('Tanh'),
  AbsVal: unary('Abs'),
  // Caffe's BNLL is log(1 + eˣ), computed stably; ONNX's Softplus is the same function.
  BNLL: unary('Softplus'),
  Power: power,
  Exp: exp,
  Log: log,
  Threshold: threshold,
  Clip: clip,
  Swish: swish,
  Dropout: identity,
  // Only the Python layers whose code brewnet knows get here: ENet's spatial dropout at TEST (the identity) and
  // py-faster-rcnn's ProposalLayer (refused as the Proposal type is).
  Python: (ctx) =>
    fasterRcnnProposal(ctx.layer.typeParam) ? ctx.fail(`py-faster-rcnn's ProposalLayer: ${onnxRefusals.Proposal}`) : identity(ctx),
  ArgMax: argmaxMapping,
  MVN: mvnMapping,
  Reduction: reductionMapping,
  Tile: tileMapping,
  // Silence makes nothing: no node.
  Silence: () => {},
  BatchReindex: batchReindex,
  ReLU6: relu6,
  ShuffleChannel: shuffleChannel,
  ConvolutionDepthwise: convolutionMapping,
  Axpy: axpy,
  Permute: permuteMapping,
  Normalize: normalizeMapping,
  PriorBox: priorBoxMapping,
  BN: bnMapping,
  Interp: interpMapping,
  MergeCrop: mergeCropMapping,
  ROIPooling: roiPoolingMapping,
  Upsample: upsampleMapping,
};

/**
 * Why a layer type that runs has no ONNX form: said in the export's diagnostic, so a user knows whether
 * to wait for the export or change the net.
 */
export const onnxRefusals: Readonly<Record<string, string>> = {
  Proposal:
    "its number of regions is known only after NMS (brewnet plans it at post_nms_topN and drops the padding after the pass); ONNX's NonMaxSuppression does not give py-faster-rcnn's boxes, min_size filter and clipping as one node",
  DetectionOutput:
    "caffe-ssd's NMS keeps keep_top_k detections per image across classes and pads with -1 rows; ONNX's NonMaxSuppression returns per-class indices, so the result differs",
  RNN: "the recurrent layers' unrolled Caffe nets (cont resets, exposed states) are not mapped to ONNX's RNN/LSTM yet",
  LSTM: "the recurrent layers' unrolled Caffe nets (cont resets, exposed states) are not mapped to ONNX's RNN/LSTM yet",
  LSTMUnit: 'LSTMUnit (with its cont input) is not mapped to ONNX ops yet',
  SoftmaxWithLoss: 'losses are training layers; ONNX export writes the net as it runs for inference',
  SmoothL1Loss: 'losses are training layers; ONNX export writes the net as it runs for inference',
  Accuracy: 'Accuracy is a training/evaluation layer; ONNX export writes the net as it runs for inference',
};
