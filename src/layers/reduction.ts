// Reduction (docs/caffe-semantics.md#tile-reduction-embed-and-im2col): SUM, ASUM, SUMSQ or MEAN over all axes from `axis` on (only trailing
// reductions exist), so top = bottom[0:axis]; the default axis 0 gives a scalar [].
import type { LayerModule } from '../ir/layer-module.js';
import { exactly } from '../ir/layer-module.js';
import { canonicalAxis, count } from './shape-utils.js';
import type { ForwardLayer } from '../ir/layer-module.js';
import type { Tensor } from '../ir/tensor.js';
import { countOf } from '../ir/tensor.js';
import type { ReductionParameter } from '../schema/caffe-messages.generated.js';

export const reduction: LayerModule<ReductionParameter> = {
  type: 'Reduction',
  paramField: 'reduction_param',
  bottoms: exactly(1),
  tops: exactly(1),
  forward: reductionForward,
  inPlace: false,
  infer(ctx) {
    const bottom = ctx.bottoms[0];
    const axis = canonicalAxis(ctx, Number(ctx.param.axis ?? 0), bottom, 'axis', { msg: ctx.param, field: 'axis' });
    return { tops: [bottom.slice(0, axis)], params: [], macs: count(bottom) };
  },
};

// Forward: Reduction as Caffe's ReductionLayer::Forward_cpu: over all axes from `axis` on, SUM, ASUM (Σ|x|), SUMSQ (Σx²) or MEAN, times `coeff`. No kernels: it runs on the host (a plan host step).
function reductionForward(layer: ForwardLayer, [x]: Tensor[]): Tensor[] {
  const p = layer.typeParam;
  const op = String(p.operation ?? 'SUM');
  const coeff = Number(p.coeff ?? 1);
  const outShape = layer.tops[0].shape;
  const groups = countOf(outShape);
  const dim = x.data.length / groups;
  const out = new Float32Array(groups);
  for (let g = 0; g < groups; g++) {
    let acc = 0;
    for (let i = g * dim; i < (g + 1) * dim; i++) {
      const v = x.data[i];
      acc += op === 'ASUM' ? Math.abs(v) : op === 'SUMSQ' ? v * v : v;
    }
    out[g] = (op === 'MEAN' ? acc / dim : acc) * coeff;
  }
  return [{ shape: [...outShape], data: out }];
}
