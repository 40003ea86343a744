// The layers that reduce over trailing axes: MVN, Reduction, and Tile (its inverse in shape). Caffe's
// reductions run over "every axis from k on"; ONNX's Reduce* ops take those axes explicitly (as an input
// from opset 18 on, ReduceSum from 13; an attribute before). An empty axis list means "all axes" in ONNX,
// so where Caffe reduces over no axes the nodes are written without a Reduce.
import type { LayerContext, OnnxMapping } from './mappings.js';

function reduce(ctx: LayerContext, op: string, input: string, axes: number[], keepdims: 0 | 1, out: string): void {
  const axesAsInput = op === 'ReduceSum' ? ctx.opset >= 13 : ctx.opset >= 18;
  if (axesAsInput) ctx.node(op, [input, ctx.int64Const('axes', axes)], [out], { keepdims });
  else ctx.node(op, [input], [out], { axes, keepdims });
}

const range = (from: number, to: number) => Array.from({ length: Math.max(to - from, 0) }, (_, i) => from + i);

/** MVN: x − mean per item (and per channel unless across_channels); with normalize_variance, ÷ (σ + eps). */
export const mvnMapping: OnnxMapping = (ctx) => {
  const p = ctx.layer.typeParam;
  const rank = ctx.layer.bottoms[0].shape.length;
  const axes = range(p.across_channels === true ? 1 : Math.min(2, rank), rank);
  const x = ctx.bottom(0);
  let mean = x;
  if (axes.length) {
    mean = ctx.temp('mean');
    reduce(ctx, 'ReduceMean', x, axes, 1, mean);
  }
  if (p.normalize_variance === false) {
    ctx.node('Sub', [x, mean], [ctx.top(0)]);
    return;
  }
  const centred = ctx.temp('centred');
  ctx.node('Sub', [x, mean], [centred]);
  const sq = ctx.temp('square');
  ctx.node('Mul', [centred, centred], [sq]);
  let variance = sq;
  if (axes.length) {
    variance = ctx.temp('variance');
    reduce(ctx, 'ReduceMean', sq, axes, 1, variance);
  }
  const std = ctx.temp('std');
  ctx.node('Sqrt', [variance], [std]);
  // Caffe adds eps to the standard deviation, not under the root.
  const divisor = ctx.temp('divisor');
  ctx.node('Add', [std, ctx.floatConst('eps', [], [Number(p.eps ?? 1e-9)])], [divisor]);
  ctx.node('Div', [centred, divisor], [ctx.top(0)]);
};

const REDUCE_OPS: Record<string, [reduce: string, elementwise?: string]> = {
  SUM: ['ReduceSum'],
  ASUM: ['ReduceL1', 'Abs'],
  SUMSQ: ['ReduceSumSquare'],
  MEAN: ['ReduceMean'],
};

/** Reduction: SUM, ASUM, SUMSQ or MEAN over every axis from `axis` on, times coeff; the top drops those axes. */
export const reductionMapping: OnnxMapping = (ctx) => {
  const p = ctx.layer.typeParam;
  const rank = ctx.layer.bottoms[0].shape.length;
  const raw = Number(p.axis ?? 0);
  const axis = raw < 0 ? raw + rank : raw;
  const operation = String(p.operation ?? 'SUM');
  const [op, single] = REDUCE_OPS[operation] ?? ctx.fail(`operation ${operation} has no ONNX form`);
  const coeff = Number(p.coeff ?? 1);
  const axes = range(axis, rank);
  const reduced = coeff === 1 ? ctx.top(0) : ctx.temp('reduced');
  if (axes.length) reduce(ctx, op, ctx.bottom(0), axes, 0, reduced);
  else if (operation === 'SUMSQ') ctx.node('Mul', [ctx.bottom(0), ctx.bottom(0)], [reduced]);
  else ctx.node(single ?? 'Identity', [ctx.bottom(0)], [reduced]);
  if (coeff !== 1) ctx.node('Mul', [reduced, ctx.floatConst('coeff', [], [coeff])], [ctx.top(0)]);
};

/** Tile: the block of axes from `axis` on written `tiles` times in a row, which is ONNX's Tile on that axis. */
export const tileMapping: OnnxMapping = (ctx) => {
  const rank = ctx.layer.bottoms[0].shape.length;
  const raw = Number(ctx.layer.typeParam.axis ?? 1);
  const axis = raw < 0 ? raw + rank : raw;
  ctx.notBatchAxis(axis, 'tiling the batch axis');
  const repeats = range(0, rank).map((a) => (a === axis ? Number(ctx.layer.typeParam.tiles) : 1));
  ctx.node('Tile', [ctx.bottom(0), ctx.int64Const('repeats', repeats)], [ctx.top(0)]);
};
