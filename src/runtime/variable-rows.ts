// Tops whose number of rows only the data tells (py-faster-rcnn's proposals: R regions after NMS, at most
// post_nms_topN), and the blobs whose rows follow them. brewnet's plans are static, so such a top is planned
// at its bound: its layer's forward returns the R real rows, the runtime pads the top to the bound (zero
// rows: for ROIPooling, a one-pixel region of image 0) and, after the pass, gives every blob that follows
// it with its first R rows only. That is exactly what Caffe computes for R rows only if each row of every
// later blob depends on the same row of its bottoms alone, so every layer that reads such a blob must be
// one of ROW_WISE's, else the net stops here with a located diagnostic naming it.
import { fail } from '../diagnostics/diagnostic.js';
import type { Layer } from '../ir/layer.js';
import type { Net } from '../ir/net.js';
import type { Msg } from '../schema/message.js';

const axisOf = (p: Msg, field: string, fallback: number, axes: number) => {
  const a = Number(p[field] ?? fallback);
  return a < 0 ? a + axes : a;
};
const count = (s: readonly number[], from = 0) => s.slice(from).reduce((a, b) => a * b, 1);

/**
 * Whether each row (axis 0) of every top depends only on the same row of the bottoms marked `follows`
 * (and on whole bottoms that do not follow): per layer type.
 */
const ROW_WISE: Record<string, (layer: Layer, follows: boolean[]) => boolean> = {};
const always = () => true;
for (const t of [
  'ReLU',
  'PReLU',
  'ELU',
  'Sigmoid',
  'TanH',
  'AbsVal',
  'BNLL',
  'Exp',
  'Log',
  'Power',
  'Threshold',
  'Dropout',
  'Clip',
  'Swish',
  'ReLU6',
  'Split',
  'Silence',
  'BatchNorm',
  'BN',
  'LRN',
  'MVN',
  'Convolution',
  'ConvolutionDepthwise',
  'Deconvolution',
  'Pooling',
  'Eltwise',
  'Normalize',
  'Interp',
])
  ROW_WISE[t] = always;
const alongAxis = (field: string, fallback: number) => (l: Layer) => axisOf(l.typeParam, field, fallback, l.bottoms[0].shape.length) >= 1;
Object.assign(ROW_WISE, {
  InnerProduct: alongAxis('axis', 1),
  Softmax: alongAxis('axis', 1),
  Flatten: alongAxis('axis', 1),
  Concat: (l: Layer) =>
    (l.typeParam.concat_dim !== undefined ? Number(l.typeParam.concat_dim) : axisOf(l.typeParam, 'axis', 1, l.bottoms[0].shape.length)) >=
    1,
  Slice: (l: Layer) =>
    (l.typeParam.slice_dim !== undefined ? Number(l.typeParam.slice_dim) : axisOf(l.typeParam, 'axis', 1, l.bottoms[0].shape.length)) >= 1,
  Crop: alongAxis('axis', 2),
  // Scale/Bias: along axis ≥ 1, and a second bottom (the factors) that does not follow the rows.
  Scale: (l: Layer, f: boolean[]) => alongAxis('axis', 1)(l) && !f[1],
  Bias: (l: Layer, f: boolean[]) => alongAxis('axis', 1)(l) && !f[1],
  // Rows kept whole: the first axis unchanged and each row's count unchanged.
  Reshape: (l: Layer) => l.tops[0].shape[0] === l.bottoms[0].shape[0] && count(l.tops[0].shape, 1) === count(l.bottoms[0].shape, 1),
  ArgMax: (l: Layer) => l.typeParam.axis === undefined || axisOf(l.typeParam, 'axis', 0, l.bottoms[0].shape.length) >= 1,
  // ROIPooling pools each region on its own; the feature map must be whole.
  ROIPooling: (_l: Layer, f: boolean[]) => !f[0] && f[1],
  // ENet's spatial dropout at TEST (the identity); any other Python layer's code is unknown.
  Python: (l: Layer) => l.module.knownCode?.(l) === true,
});

/**
 * For every blob version (IR id) whose rows follow a variable-rows top, the id of that layer's first top
 * (whose real row count the runtime records). Empty for the nets without such a layer. With `check`, a
 * layer reading such a blob that is not row-wise is a located error.
 */
export function variableRowBlobs(net: Net, check = true): Map<string, string> {
  const follows = new Map<string, string>();
  for (const layer of net.layers) {
    if (layer.module.variableRows?.(layer)) {
      for (const top of layer.tops) follows.set(top.id, layer.tops[0].id);
      continue;
    }
    const sources = layer.bottoms.map((b) => follows.get(b.id));
    const from = [...new Set(sources.filter((s): s is string => s !== undefined))];
    if (from.length === 0) continue;
    const blob = layer.bottoms[sources.findIndex((s) => s !== undefined)];
    const producer = net.layers.find((l) => l.tops.some((t) => t.id === from[0]))!;
    const why =
      `"${blob.name}", whose rows only the data tells (the ${producer.tops[0].shape[0]} rows planned for layer "${producer.name}" are a bound; ` +
      'brewnet gives the real ones)';
    // Without the check (`brewnet shapes`, a TRAIN net): the rows are followed only through row-wise layers.
    if (
      !check &&
      (from.length > 1 ||
        !ROW_WISE[layer.type]?.(
          layer,
          sources.map((s) => s !== undefined),
        ))
    )
      continue;
    if (from.length > 1)
      fail(`layer "${layer.name}" (${layer.type}) reads blobs whose rows follow two different variable-row layers`, layer.loc);
    const rule = ROW_WISE[layer.type];
    if (
      !rule ||
      !rule(
        layer,
        sources.map((s) => s !== undefined),
      )
    )
      fail(
        `layer "${layer.name}" (${layer.type}) reads ${why}, and its rows may mix: brewnet runs a layer after such a blob only where each row of its tops depends on the same row alone`,
        layer.loc,
        'the layers brewnet runs there: ROIPooling on the regions, InnerProduct, Softmax, Flatten and Concat along axis ≥ 1, element-wise layers',
      );
    for (const top of layer.tops) follows.set(top.id, from[0]);
  }
  return follows;
}

/** A top planned at `bound` rows given `real` rows: padded with zero rows. */
export function padRows(data: Float32Array, real: number, bound: number, rowSize: number, what: string): Float32Array {
  if (real > bound) throw new Error(`internal: ${what} gave ${real} rows; its plan has room for ${bound}`);
  if (data.length !== real * rowSize) throw new Error(`internal: ${what} gave ${data.length} values for ${real} rows of ${rowSize}`);
  if (real === bound) return data;
  const out = new Float32Array(bound * rowSize);
  out.set(data);
  return out;
}
