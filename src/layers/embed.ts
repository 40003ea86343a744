// Embed (docs/caffe-semantics.md#tile-reduction-embed-and-im2col): a lookup table; each bottom value is an index in [0, input_dim), so
// top = bottom.shape ++ [num_output]. Weights are (input_dim, num_output), transposed relative to
// InnerProduct; a lookup does no multiply-accumulates.
import type { LayerModule } from '../ir/layer-module.js';
import { exactly } from '../ir/layer-module.js';
import type { EmbedParameter } from '../schema/caffe-messages.generated.js';

export const embed: LayerModule<EmbedParameter> = {
  type: 'Embed',
  paramField: 'embed_param',
  bottoms: exactly(1),
  tops: exactly(1),
  inPlace: false,
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
