// Reduction as Caffe's ReductionLayer::Forward_cpu: over all axes from `axis` on, SUM, ASUM (Σ|x|), SUMSQ
// (Σx²) or MEAN, times `coeff`. No kernels: it runs on the host (a plan host step).
import type { ForwardLayer } from '../layer-module.js';
import type { Tensor } from '../../runtime/tensor.js';
import { countOf } from '../../runtime/tensor.js';

export function reductionForward(layer: ForwardLayer, [x]: Tensor[]): Tensor[] {
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
