// Convolution (docs/caffe-semantics.md#convolution): cross-correlation, out = trunc((in + 2p − (d(k−1)+1)) / s) + 1 per axis.
import type { LayerModule, ShapeContext, ShapeResult } from '../../ir/layer-module.js';
import { atLeast } from '../../ir/layer-module.js';
import { checkSameBottoms, convChannels, convGeometry, kernelField, type ConvGeometry, windowOp } from '../conv-geometry.js';
import { count, truncDiv } from '../shape-utils.js';
import { convolutionForward, convolutionLower } from './kernels.js';
import type { ConvolutionParameter } from '../../schema/caffe-messages.generated.js';

export const convolution: LayerModule<ConvolutionParameter> = {
  type: 'Convolution',
  paramField: 'convolution_param',
  bottoms: atLeast(1),
  tops: atLeast(1),
  equalBottomTop: true,
  inPlace: false,
  forward: convolutionForward,
  lower: convolutionLower,
  infer(ctx) {
    checkSameBottoms(ctx);
    const bottom = ctx.bottoms[0];
    const g = convGeometry(ctx, bottom);
    return convolutionShapes(ctx, g, convChannels(ctx, g, bottom));
  },
};

/**
 * Tops, weights (C_out, C_in/g, k…), bias and window of a convolution with this geometry and these channels;
 * shared with the forks' ConvolutionDepthwise (src/layers/forks/mobile.ts), which fixes group = C_out = C_in.
 */
export function convolutionShapes(
  ctx: ShapeContext,
  g: ConvGeometry,
  { channels, numOutput, group }: { channels: number; numOutput: number; group: number },
): ShapeResult {
  const bottom = ctx.bottoms[0];
  const spatial = g.kernel.map((k, i) => {
    const extent = g.dilation[i] * (k - 1) + 1;
    const out = truncDiv(bottom[g.channelAxis + 1 + i] + 2 * g.pad[i] - extent, g.stride[i]) + 1;
    if (out < 0) {
      ctx.fail(
        `spatial axis ${i}: input ${bottom[g.channelAxis + 1 + i]} with pad ${g.pad[i]} is smaller than the kernel extent ${extent} (output would be ${out})`,
        kernelField(ctx.param, i),
      );
    }
    return out;
  });
  const top = [...bottom.slice(0, g.channelAxis), numOutput, ...spatial];
  const weights = [numOutput, channels / group, ...g.kernel];
  const params = ctx.param.bias_term === false ? [weights] : [weights, [numOutput]];
  const macs = ctx.bottoms.length * count(top) * (channels / group) * count(g.kernel);
  const spatialOp = windowOp(g, 'window');
  return { tops: ctx.bottoms.map(() => top), params, macs, spatial: spatialOp };
}
