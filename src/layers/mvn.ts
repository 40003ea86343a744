// MVN (mvn_layer.cpp): mean-variance normalisation per item (and per channel unless across_channels);
// top = bottom shape. Forward works element-wise after the statistics, so in-place is allowed.
import type { LayerModule } from '../ir/layer-module.js';
import { exactly } from '../ir/layer-module.js';
import { count } from './shape-utils.js';
import type { ForwardLayer } from '../ir/layer-module.js';
import type { Tensor } from '../ir/tensor.js';
import { countOf } from '../ir/tensor.js';
import type { MVNParameter } from '../schema/caffe-messages.generated.js';

export const mvn: LayerModule<MVNParameter> = {
  type: 'MVN',
  paramField: 'mvn_param',
  bottoms: exactly(1),
  tops: exactly(1),
  forward: mvnForward,
  inPlace: true,
  passThrough: true,
  infer(ctx) {
    return { tops: [[...ctx.bottoms[0]]], params: [], macs: count(ctx.bottoms[0]) };
  },
};

// Forward: MVN as Caffe's MVNLayer::Forward_cpu: per item (and per channel unless across_channels) subtract the mean; with normalize_variance divide by sqrt(E[(x − mean)²]) + eps — eps added to the standard deviation, not under the root. No kernels: it runs on the host (a plan host step).
function mvnForward(layer: ForwardLayer, [x]: Tensor[]): Tensor[] {
  const p = layer.typeParam;
  const normalize = p.normalize_variance !== false;
  const across = p.across_channels === true;
  const eps = Number(p.eps ?? 1e-9);
  const groups = across ? x.shape[0] : countOf(x.shape, 0, Math.min(2, x.shape.length));
  const dim = x.data.length / groups;
  const out = new Float32Array(x.data.length);
  for (let g = 0; g < groups; g++) {
    const base = g * dim;
    let sum = 0;
    for (let i = 0; i < dim; i++) sum += x.data[base + i];
    const mean = sum / dim;
    let sq = 0;
    for (let i = 0; i < dim; i++) sq += (x.data[base + i] - mean) ** 2;
    const div = normalize ? Math.sqrt(sq / dim) + eps : 1;
    for (let i = 0; i < dim; i++) out[base + i] = (x.data[base + i] - mean) / div;
  }
  return [{ shape: [...x.shape], data: out }];
}
