// A forward convolution with stride s maps s different input sizes to one output size, so the size a
// transposed convolution should produce is ambiguous (REFERENCE §6.1): I_min = s(O−1) + d(k−1) + 1 − 2p
// up to I_min + s − 1 all give O. Caffe's Deconvolution always produces I_min; Theano asks for
// input_shape, PyTorch for output_padding.
import type { Layer } from '../ir/layer.js';
import type { Net } from '../ir/net.js';

export interface DeconvSizes {
  layer: Layer;
  axis: number;
  /** The Deconvolution's input size: the forward convolution's output. */
  input: number;
  /** Every forward-input size the same convolution maps to `input`. */
  sizes: number[];
  /** What Caffe produces: the smallest. */
  caffe: number;
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

export function deconvolutionSizes(net: Net): DeconvSizes[] {
  const out: DeconvSizes[] = [];
  for (const layer of net.layers) {
    const op = layer.spatial;
    if (op?.kind !== 'transpose') continue;
    op.kernel.forEach((k, j) => {
      const axis = op.firstAxis + j;
      const input = layer.bottoms[0].shape[axis];
      const s = op.stride[j];
      const smallest = s * (input - 1) + op.dilation[j] * (k - 1) + 1 - 2 * op.pad[j];
      out.push({ layer, axis, input, sizes: transposedSizes(input, k, s, op.pad[j], op.dilation[j]), caffe: smallest });
    });
  }
  return out;
}
