// A forward convolution with stride s maps s different input sizes to one output size, so the size a
// transposed convolution should produce is ambiguous (docs/caffe-semantics.md#transposed-convolution-sizes): I_min = s(O−1) + d(k−1) + 1 − 2p
// up to I_min + s − 1 all give O. Caffe's Deconvolution always produces I_min; Theano asks for
// input_shape, PyTorch for output_padding.
import type { Layer } from '../ir/layer.js';
import type { Net } from '../ir/net.js';
import { transposedSizes } from '../layers/conv-geometry.js';

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
