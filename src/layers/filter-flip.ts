// Theano's filter_flip, read by Convolution and Deconvolution (reference forwards and kernels).
import type { Layer } from '../ir/layer.js';

/**
 * Whether the weights are flipped spatially (Theano's `filter_flip`, its default: a true convolution), from
 * the IR's layer extension. Convolution and Deconvolution both read it.
 */
export function filterFlip(layer: Layer): boolean {
  return layer.extension?.filterFlip === true;
}
