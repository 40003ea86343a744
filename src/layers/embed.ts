// Embed (docs/caffe-semantics.md#tile-reduction-embed-and-im2col): a lookup table; each bottom value is an index in [0, input_dim), so
// top = bottom.shape ++ [num_output]. Weights are (input_dim, num_output), transposed relative to
// InnerProduct; a lookup does no multiply-accumulates. Forward as EmbedLayer::Forward_cpu: top row n is
// weight row static_cast<int>(bottom[n]), plus the bias when bias_term; an index outside [0, input_dim)
// (checked by Caffe only in debug builds) gives a row of NaN. It runs on the host (a plan host step).
import type { LayerModule } from '../ir/layer-module.js';
import { exactly } from '../ir/layer-module.js';
import type { EmbedParameter } from '../schema/caffe-messages.generated.js';
import type { ForwardLayer } from '../ir/layer-module.js';
import type { Tensor } from '../ir/tensor.js';

export const embed: LayerModule<EmbedParameter> = {
  type: 'Embed',
  paramField: 'embed_param',
  bottoms: exactly(1),
  tops: exactly(1),
  inPlace: false,
  forward: embedForward,
  infer(ctx) {
    const p = ctx.param;
    const numOutput = Number(p.num_output ?? 0);
    if (!(numOutput > 0)) ctx.fail('EmbedLayer num_output must be positive', { msg: p, field: 'num_output' });
    const inputDim = Number(p.input_dim ?? 0);
    if (!(inputDim > 0)) ctx.fail('EmbedLayer input_dim must be positive', { msg: p, field: 'input_dim' });
    const weights = [inputDim, numOutput];
    const params = p.bias_term === false ? [weights] : [weights, [numOutput]];
    return { tops: [[...ctx.bottoms[0], numOutput]], params, macs: 0 };
  },
};

function embedForward(layer: ForwardLayer, [x]: Tensor[], [weight, bias]: Float32Array[]): Tensor[] {
  const numOutput = Number(layer.typeParam.num_output);
  const inputDim = Number(layer.typeParam.input_dim);
  const out = new Float32Array(x.data.length * numOutput);
  for (let n = 0; n < x.data.length; n++) {
    const v = x.data[n];
    const index = v >= 0 ? Math.floor(v) : Math.ceil(v);
    for (let j = 0; j < numOutput; j++) {
      const w = index >= 0 && index < inputDim ? weight[index * numOutput + j] : NaN;
      out[n * numOutput + j] = bias ? w + bias[j] : w;
    }
  }
  return [{ shape: [...layer.tops[0].shape], data: out }];
}
