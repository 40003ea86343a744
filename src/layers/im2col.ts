// Im2col (docs/caffe-semantics.md#tile-reduction-embed-and-im2col): Convolution's geometry without the weights. Each output position holds the
// C·Πk values of its receptive field, so top[channel_axis] = C·Πk and the spatial dims follow the
// Convolution formula (C++ truncating division). Needs at least one spatial axis.
import type { LayerModule } from '../ir/layer-module.js';
import { exactly } from '../ir/layer-module.js';
import { convGeometry } from './conv-geometry.js';
import { count, truncDiv } from './shape-utils.js';
import { checkBlobShape } from './blob-checks.js';
import type { ConvolutionParameter } from '../schema/caffe-messages.generated.js';

export const im2col: LayerModule<ConvolutionParameter> = {
  type: 'Im2col',
  paramField: 'convolution_param',
  bottoms: exactly(1),
  tops: exactly(1),
  inPlace: false,
  infer(ctx) {
    const bottom = ctx.bottoms[0];
    const g = convGeometry(ctx, bottom, 1);
    const spatial = g.kernel.map((k, i) => {
      const extent = g.dilation[i] * (k - 1) + 1;
      return truncDiv(bottom[g.channelAxis + 1 + i] + 2 * g.pad[i] - extent, g.stride[i]) + 1;
    });
    const columns = bottom[g.channelAxis] * count(g.kernel);
    const top = checkBlobShape(ctx, [...bottom.slice(0, g.channelAxis), columns, ...spatial], 'top shape');
    const spatialOp = {
      kind: 'window' as const,
      firstAxis: g.channelAxis + 1,
      kernel: g.kernel,
      stride: g.stride,
      pad: g.pad,
      dilation: g.dilation,
    };
    return { tops: [top], params: [], macs: 0, spatial: spatialOp };
  },
};
