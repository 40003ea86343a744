// Layers that only rename or reshape data (Split, Flatten, Reshape): every top is bottom[0]'s values
// under the top's shape; no kernel runs and nothing is copied.
import type { Layer } from '../ir/layer.js';
import type { LoweredLayer } from '../ir/kernel-plan.js';
import type { Tensor } from '../ir/tensor.js';

export function aliasForward(layer: Layer, [x]: Tensor[]): Tensor[] {
  return layer.tops.map((t) => ({ shape: [...t.shape], data: x.data }));
}

export function aliasLower(layer: Layer): LoweredLayer {
  return { kernels: [], aliases: layer.tops.map((_, top) => ({ top, bottom: 0 })) };
}
