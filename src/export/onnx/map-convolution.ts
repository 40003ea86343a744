// Convolution → Conv and Deconvolution → ConvTranspose. Caffe's weight layouts are ONNX's: Conv's
// (C_out, C_in/g, k…) and ConvTranspose's (C_in, C_out/g, k…). Pads are explicit and symmetric; a
// Deconvolution's output adjustment (Theano's input_shape asking for a larger size) is output_padding,
// which ONNX adds at the end of each axis, as brewnet's Deconvolution does. Theano's filter_flip (a true
// convolution) has no ONNX attribute, so the exported weights are flipped on every spatial axis instead.
import { filterFlip } from '../../layers/filter-flip.js';
import type { LayerContext, OnnxMapping } from './mappings.js';

/** The weights with every spatial axis reversed (shape: [a, b, k1, k2, …]). */
export function flipSpatial(w: Float32Array, shape: readonly number[]): Float32Array {
  const spatial = shape.slice(2);
  const taps = spatial.reduce((n, d) => n * d, 1);
  const out = new Float32Array(w.length);
  const strides = spatial.map((_, i) => spatial.slice(i + 1).reduce((n, d) => n * d, 1));
  for (let t = 0; t < taps; t++) {
    let flipped = 0;
    for (let a = 0; a < spatial.length; a++) {
      const idx = Math.floor(t / strides[a]) % spatial[a];
      flipped += (spatial[a] - 1 - idx) * strides[a];
    }
    for (let base = 0; base < w.length; base += taps) out[base + flipped] = w[base + t];
  }
  return out;
}

function convolutionLike(ctx: LayerContext, opType: 'Conv' | 'ConvTranspose'): void {
  const { layer } = ctx;
  const op = layer.spatial;
  if (!op || (op.kind !== 'window' && op.kind !== 'transpose')) throw new Error(`internal: ${layer.type} without a window`);
  if (op.firstAxis !== 2)
    ctx.fail(
      `channel axis ${op.firstAxis - 1}: ONNX's ${opType} takes channels on axis 1`,
      'set convolution_param.axis to 1 (transpose the blob before the layer)',
    );
  if (op.kernel.length === 0) ctx.fail(`no spatial axes: ONNX's ${opType} needs at least one`);
  const p = layer.typeParam;
  const shape = layer.paramShapes[0];
  const weight = ctx.param(0, 'weight', filterFlip(layer) ? { transform: (w) => flipSpatial(w, shape) } : {});
  const inputs = [weight];
  if (p.bias_term !== false) inputs.push(ctx.param(1, 'bias'));
  const attrs = {
    kernel_shape: op.kernel,
    strides: op.stride,
    pads: [...op.pad, ...op.pad],
    dilations: op.dilation,
    // The forks' ConvolutionDepthwise: one group per channel (src/layers/forks/mobile.ts).
    group: layer.type === 'ConvolutionDepthwise' ? layer.bottoms[0].shape[1] : Number(p.group ?? 1),
    output_padding: opType === 'ConvTranspose' ? (layer.outputAdjust ?? op.kernel.map(() => 0)) : undefined,
  };
  // Caffe applies one layer to each bottom → top pair with the same weights.
  layer.bottoms.forEach((_, i) => ctx.node(opType, [ctx.bottom(i), ...inputs], [ctx.top(i)], attrs));
}

export const convolutionMapping: OnnxMapping = (ctx) => convolutionLike(ctx, 'Conv');
export const deconvolutionMapping: OnnxMapping = (ctx) => convolutionLike(ctx, 'ConvTranspose');
