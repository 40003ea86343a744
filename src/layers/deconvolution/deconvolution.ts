// Deconvolution (docs/caffe-semantics.md#deconvolution): the transpose of Convolution with the same blob. Per spatial axis
// out = s(i−1) + d(k−1) + 1 − 2p (the smallest size the forward conv maps back to); weights are laid out
// (C_in, num_output/group, k…) because Caffe swaps conv_in/conv_out channels when dimensions are reversed.
// A layer from Theano's conv2d_grad_wrt_inputs carries the size it asked for (its input_shape,
// docs/caffe-semantics.md#theano): any of the s sizes the forward convolution maps back, so Caffe's size plus 0 ≤ a < s.
import type { LayerModule } from '../../ir/layer-module.js';
import { atLeast } from '../../ir/layer-module.js';
import { checkSameBottoms, convChannels, convGeometry, transposedSizes, windowOp } from '../conv-geometry.js';
import { count } from '../shape-utils.js';
import { checkBlobShape } from '../blob-checks.js';
import { deconvolutionForward, deconvolutionLower } from './kernels.js';
import type { ConvolutionParameter } from '../../schema/caffe-messages.generated.js';

export const deconvolution: LayerModule<ConvolutionParameter> = {
  type: 'Deconvolution',
  paramField: 'convolution_param',
  bottoms: atLeast(1),
  tops: atLeast(1),
  equalBottomTop: true,
  inPlace: false,
  forward: deconvolutionForward,
  lower: deconvolutionLower,
  infer(ctx) {
    checkSameBottoms(ctx);
    const bottom = ctx.bottoms[0];
    const g = convGeometry(ctx, bottom);
    const { channels, numOutput, group } = convChannels(ctx, g, bottom);
    const caffeSizes = g.kernel.map((k, i) => {
      const extent = g.dilation[i] * (k - 1) + 1;
      return g.stride[i] * (bottom[g.channelAxis + 1 + i] - 1) + extent - 2 * g.pad[i];
    });
    const asked = ctx.extension?.outputSize;
    const spatial = caffeSizes.map((size, i) => {
      const want = asked?.[i];
      if (want === undefined || want === size) return size;
      const input = bottom[g.channelAxis + 1 + i];
      const sizes = transposedSizes(input, g.kernel[i], g.stride[i], g.pad[i], g.dilation[i]);
      if (!sizes.includes(want)) {
        const how = `kernel ${g.kernel[i]}, stride ${g.stride[i]}, pad ${g.pad[i]}${g.dilation[i] !== 1 ? `, dilation ${g.dilation[i]}` : ''}`;
        ctx.fail(
          `${ctx.extension!.origin} asks for size ${want} on axis ${g.channelAxis + 1 + i}, but no convolution with ${how} maps ${want} to the input's ${input}; ` +
            `the sizes that do: ${sizes.join(', ')}`,
        );
      }
      return want;
    });
    const outputAdjust = asked ? spatial.map((size, i) => size - caffeSizes[i]) : undefined;
    const top = checkBlobShape(ctx, [...bottom.slice(0, g.channelAxis), numOutput, ...spatial], 'top shape');
    const weights = [channels, numOutput / group, ...g.kernel];
    const params = ctx.param.bias_term === false ? [weights] : [weights, [numOutput]];
    // Every input element is scattered through its group's (num_output/group)·Πk weights.
    const macs = ctx.bottoms.length * count(bottom) * (numOutput / group) * count(g.kernel);
    const spatialOp = windowOp(g, 'transpose');
    return { tops: ctx.bottoms.map(() => top), params, macs, spatial: spatialOp, outputAdjust };
  },
};
