// Parameter (parameter_layer.hpp): exposes a learned blob of parameter_param.shape as its only top.
// No shape given means a scalar [] (an empty BlobShape). Forward: the top shares the blob's data, so it is
// the blob (a host step, no kernels).
import type { LayerModule } from '../ir/layer-module.js';
import { exactly } from '../ir/layer-module.js';
import { nums } from './shape-utils.js';
import { checkBlobShape } from './blob-checks.js';
import type { ParameterParameter } from '../schema/caffe-messages.generated.js';

export const parameter: LayerModule<ParameterParameter> = {
  type: 'Parameter',
  paramField: 'parameter_param',
  bottoms: exactly(0),
  tops: exactly(1),
  inPlace: false,
  forward: (layer, _bottoms, [blob]) => [{ shape: [...layer.tops[0].shape], data: Float32Array.from(blob) }],
  infer(ctx) {
    const shape = checkBlobShape(ctx, nums(ctx.param.shape?.dim), 'parameter shape');
    return { tops: [[...shape]], params: [[...shape]], macs: 0 };
  },
};
