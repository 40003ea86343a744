// Pooling → MaxPool / AveragePool with explicit pads, matching Caffe exactly:
// - Caffe's output size (ceil rounding, the last window dropped when it would start in the padding) is
//   reached with floor rounding and an end pad e = (out−1)·s + k − p − in per axis: windows then start at
//   o·s − p as in Caffe, and the last one is the last Caffe computes. When e < 0 (floor rounding left
//   input unused) the end pad is 0 and a Slice keeps the first `out` windows if ONNX makes more.
// - MAX ignores padding in both (Caffe clips the window to the image), so MaxPool is exact. Its mask top
//   (Caffe's in-plane index h·W + w of the first maximum) is MaxPool's Indices modulo H·W, as float.
// - AVE: Caffe divides by the window clipped to [−p, in + p), not by k·k and not by the part inside the
//   image. AveragePool counting the padding divides every window by k·k (all lie inside the padded
//   extent); a constant factor k·k / Caffe's divisor per output position corrects the border windows.
import type { LayerContext, OnnxMapping } from './mappings.js';

export const poolingMapping: OnnxMapping = (ctx) => {
  const { layer } = ctx;
  const method = String(layer.typeParam.pool ?? 'MAX');
  if (method !== 'MAX' && method !== 'AVE')
    ctx.fail(`${method} pooling has no ONNX form in the export yet (at TEST it is Σx²/Σx per window; random in TRAIN)`);
  const op = layer.spatial;
  if (!op || op.kind !== 'window') throw new Error('internal: Pooling without a window');
  const inSize = layer.bottoms[0].shape.slice(op.firstAxis);
  const outSize = layer.tops[0].shape.slice(op.firstAxis);
  const { kernel, stride, pad } = op;
  const endPad = outSize.map((out, a) => (out - 1) * stride[a] + kernel[a] - pad[a] - inSize[a]);
  endPad.forEach((e, a) => {
    if (e >= kernel[a])
      ctx.fail(
        `the last window on axis ${a + op.firstAxis} lies wholly outside the input (kernel ${kernel[a]}, stride ${stride[a]}, input ${inSize[a]}); ONNX pooling cannot express it`,
      );
  });
  const pads = [...pad, ...endPad.map((e) => Math.max(e, 0))];
  const onnxOut = inSize.map((n, a) => Math.floor((n + pads[a] + pads[a + kernel.length] - kernel[a]) / stride[a]) + 1);
  const needsSlice = onnxOut.some((o, a) => o !== outSize[a]);
  const attrs = { kernel_shape: kernel, strides: stride, pads };
  const withMask = layer.tops.length === 2;

  const sliced = (value: string, top: string) => {
    const axes = outSize.map((_, a) => a + op.firstAxis);
    ctx.node(
      'Slice',
      [
        value,
        ctx.int64Const(
          'starts',
          outSize.map(() => 0),
        ),
        ctx.int64Const('ends', outSize),
        ctx.int64Const('axes', axes),
      ],
      [top],
    );
  };

  if (method === 'MAX') {
    const y = needsSlice ? ctx.temp('pooled') : ctx.top(0);
    const indices = withMask ? ctx.temp('indices') : undefined;
    ctx.node('MaxPool', [ctx.bottom(0)], indices ? [y, indices] : [y], attrs);
    if (needsSlice) sliced(y, ctx.top(0));
    if (indices) {
      const plane = ctx.temp('plane_index');
      ctx.node('Mod', [indices, ctx.int64Const('plane', [inSize.reduce((n, d) => n * d, 1)], true)], [plane]);
      const asFloat = needsSlice ? ctx.temp('mask') : ctx.top(1);
      ctx.node('Cast', [plane], [asFloat], { to: 1 });
      if (needsSlice) sliced(asFloat, ctx.top(1));
    }
    return;
  }

  const correction = averageCorrection(inSize, outSize, kernel, stride, pad);
  const pooled = needsSlice || correction ? ctx.temp('pooled') : ctx.top(0);
  ctx.node('AveragePool', [ctx.bottom(0)], [pooled], { ...attrs, count_include_pad: 1 });
  let value = pooled;
  if (needsSlice) {
    value = correction ? ctx.temp('kept') : ctx.top(0);
    sliced(pooled, value);
  }
  if (correction) ctx.node('Mul', [value, ctx.floatConst('divisor_correction', outSize, correction)], [ctx.top(0)]);
};

/** k·k / Caffe's divisor at each output position, or undefined when it is 1 everywhere. */
function averageCorrection(inSize: number[], outSize: number[], kernel: number[], stride: number[], pad: number[]): number[] | undefined {
  // Caffe's divisor per axis: the window clipped to the padded extent [−p, in + p).
  const perAxis = outSize.map((out, a) =>
    Array.from({ length: out }, (_, o) => {
      const start = o * stride[a] - pad[a];
      return kernel[a] / (Math.min(start + kernel[a], inSize[a] + pad[a]) - start);
    }),
  );
  if (perAxis.every((f) => f.every((v) => v === 1))) return undefined;
  const values: number[] = [];
  const walk = (a: number, acc: number) => {
    if (a === perAxis.length) {
      values.push(acc);
      return;
    }
    for (const f of perAxis[a]) walk(a + 1, acc * f);
  };
  walk(0, 1);
  return values;
}

export type { LayerContext };
