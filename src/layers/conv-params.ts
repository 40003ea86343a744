// Convolution and Deconvolution geometry as the kernels need it, read from the IR (shapes, the window
// the shape pass recorded, group and bias_term), with 0–2 spatial axes widened to 2 (H = 1 for 1-D).
import type { Layer } from '../ir/layer.js';
import { countOf } from '../ir/tensor.js';
import type { ConvParams } from '../ir/native-kernel-spec.js';
export type { ConvParams };
import { cannotRun } from './cannot-run.js';

const widen = (v: number[], fill: number): [number, number] =>
  v.length === 2 ? [v[0], v[1]] : v.length === 1 ? [fill, v[0]] : [fill, fill];

export function convParams(layer: Layer, bottom = 0): ConvParams {
  const op = layer.spatial;
  if (!op || (op.kind !== 'window' && op.kind !== 'transpose')) throw new Error(`internal: ${layer.type} has no window`);
  const axes = op.kernel.length;
  if (axes > 2) cannotRun(layer, `${axes} spatial axes (the kernels cover 0, 1 or 2)`);
  const inShape = layer.bottoms[bottom].shape;
  const outShape = layer.tops[bottom].shape;
  const c = op.firstAxis - 1;
  const spatialIn = widen(inShape.slice(op.firstAxis), 1);
  const spatialOut = widen(outShape.slice(op.firstAxis), 1);
  return {
    outer: countOf(inShape, 0, c),
    cin: inShape[c],
    cout: outShape[c],
    // The forks' ConvolutionDepthwise is a Convolution with one group per channel (src/layers/forks/mobile.ts).
    group: layer.type === 'ConvolutionDepthwise' ? inShape[c] : Number(layer.typeParam.group ?? 1),
    inH: spatialIn[0],
    inW: spatialIn[1],
    outH: spatialOut[0],
    outW: spatialOut[1],
    kernel: widen(op.kernel, 1),
    stride: widen(op.stride, 1),
    pad: widen(op.pad, 0),
    dilation: widen(op.dilation, 1),
    bias: layer.typeParam.bias_term !== false,
  };
}
