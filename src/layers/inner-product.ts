// InnerProduct (REFERENCE §2.4): everything from `axis` on is flattened into K inputs, so
// top = bottom[0:axis] ++ [num_output]; weights (num_output, K), or (K, num_output) with transpose.
// Caffe does not check num_output > 0.
import type { LayerModule } from '../ir/layer-module.js';
import { exactly } from '../ir/layer-module.js';
import { canonicalAxis, count } from './shape-utils.js';
import { innerProductForward, innerProductLower } from './compute/inner-product.js';

export const innerProduct: LayerModule = {
  type: 'InnerProduct',
  paramField: 'inner_product_param',
  bottoms: exactly(1),
  tops: exactly(1),
  inPlace: false,
  forward: innerProductForward,
  lower: innerProductLower,
  infer(ctx) {
    const p = ctx.param;
    const bottom = ctx.bottoms[0];
    const axis = canonicalAxis(ctx, Number(p.axis ?? 1), bottom, 'axis', { msg: p, field: 'axis' });
    const numOutput = Number(p.num_output ?? 0);
    const k = count(bottom, axis);
    const weights = p.transpose === true ? [k, numOutput] : [numOutput, k];
    const params = p.bias_term === false ? [weights] : [weights, [numOutput]];
    const m = count(bottom, 0, axis);
    return { tops: [[...bottom.slice(0, axis), numOutput]], params, macs: m * k * numOutput };
  },
};
