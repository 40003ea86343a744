// ArgMax → TopK. Caffe ranks equal values with the larger index first (partial_sort with std::greater on
// (value, index) pairs); ONNX's TopK puts the smaller index first. Running TopK on the axis reversed makes
// its tie order Caffe's, and index (dim − 1 − i) maps a reversed position back. Tops are float, as Caffe's.
// Without an axis Caffe ranks each item's flattened values and writes (N, 1, top_k) indices, or indices
// then values as (N, 2, top_k), padded with 1s to the bottom's rank.
import type { OnnxMapping } from './mappings.js';

export const argmaxMapping: OnnxMapping = (ctx) => {
  const { layer } = ctx;
  const p = layer.typeParam;
  const shape = layer.bottoms[0].shape;
  const topK = Number(p.top_k ?? 1);
  const values = p.out_max_val === true;
  const hasAxis = p.axis !== undefined;
  let x = ctx.bottom(0);
  let axis: number;
  if (hasAxis) {
    const raw = Number(p.axis);
    axis = raw < 0 ? raw + shape.length : raw;
    ctx.notBatchAxis(axis, 'ranking along the batch axis');
  } else {
    axis = 1;
    const flat = ctx.temp('flat');
    ctx.node('Flatten', [x], [flat], { axis: 1 });
    x = flat;
  }
  const dim = hasAxis ? shape[axis] : shape.slice(1).reduce((n, d) => n * d, 1);
  const reversed = ctx.temp('reversed');
  ctx.node(
    'Slice',
    [
      x,
      ctx.int64Const('starts', [-1]),
      ctx.int64Const('ends', [-(dim + 1)]),
      ctx.int64Const('axes', [axis]),
      ctx.int64Const('steps', [-1]),
    ],
    [reversed],
  );
  const topValues = ctx.temp('values');
  const reversedIndex = ctx.temp('reversed_indices');
  ctx.node('TopK', [reversed, ctx.int64Const('k', [topK])], [topValues, reversedIndex], { axis, largest: 1, sorted: 1 });
  const index = ctx.temp('indices');
  ctx.node('Sub', [ctx.int64Const('last', [dim - 1], true), reversedIndex], [index]);
  const top = layer.tops[0].shape;
  if (hasAxis) {
    if (values) ctx.node('Identity', [topValues], [ctx.top(0)]);
    else ctx.node('Cast', [index], [ctx.top(0)], { to: 1 });
    return;
  }
  const indexFloat = ctx.temp('indices_float');
  ctx.node('Cast', [index], [indexFloat], { to: 1 });
  if (!values) {
    ctx.node('Reshape', [indexFloat, ctx.shapeConst('shape', top, shape)], [ctx.top(0)]);
    return;
  }
  const both = ctx.temp('indices_values');
  ctx.node('Concat', [indexFloat, topValues], [both], { axis: 1 });
  ctx.node('Reshape', [both, ctx.shapeConst('shape', top, shape)], [ctx.top(0)]);
};
