// The mobile nets' fork layers: ShuffleNet's ShuffleChannel (farmingyard/ShuffleNet: channels seen as a
// group × C/group matrix, transposed) and the depthwise convolution of the ShuffleNet/MobileNet forks
// (ConvolutionDepthwise, conv_dw_layer.cpp: one k×k filter per channel, num_output ignored — the top has the
// bottom's channels). Both have kernels: ShuffleChannel a gather, ConvolutionDepthwise the Convolution
// module's own kernels (gpu.js and native), with group = C_in = C_out (conv-params.ts reads it so).
// ReLU6, the third layer these nets add, is an element-wise neuron (src/layers/neuron.ts).
import type { Layer } from '../../ir/layer.js';
import type { LoweredLayer } from '../../ir/kernel-plan.js';
import type { ForwardLayer, LayerModule, ShapeContext } from '../../ir/layer-module.js';
import { exactly } from '../../ir/layer-module.js';
import type { Tensor } from '../../ir/tensor.js';
import { countOf } from '../../ir/tensor.js';
import { has } from '../../schema/message.js';
import { showShape } from '../blob-checks.js';
import { convGeometry } from '../conv-geometry.js';
import { convolutionShapes } from '../convolution/convolution.js';
import { convolutionForward, convolutionLower } from '../convolution/kernels.js';
import { coordinates, int, kernelFunction, linear } from '../kernel-source.js';

/** ShuffleChannelLayer: `group` > 0 (LayerSetUp) dividing the channels (Forward's "Wrong group size"). */
function shuffleGroup(ctx: ShapeContext): number {
  const p = ctx.param;
  const group = Number(p.group ?? 1);
  const at = has(p, 'group') ? { msg: p, field: 'group' } : undefined;
  if (!(group > 0)) ctx.fail(`group must be greater than 0 (got ${group})`, at);
  const b = ctx.bottoms[0];
  if (b.length < 2) ctx.fail(`ShuffleChannel needs a bottom with a channel axis (got ${showShape(b)})`);
  if (b[1] % group !== 0) ctx.fail(`the ${b[1]} channels do not split into ${group} groups (wrong group size)`, at);
  return group;
}

/** Top channel j·group + i is bottom channel i·(C/group) + j, for every item and position. */
function shuffleForward(layer: ForwardLayer, [x]: Tensor[]): Tensor[] {
  const group = Number(layer.typeParam.group ?? 1);
  const [n, c] = x.shape;
  const inner = countOf(x.shape, 2);
  const cols = c / group;
  const out = new Float32Array(x.data.length);
  for (let item = 0; item < n; item++) {
    const base = item * c * inner;
    for (let i = 0; i < group; i++) {
      for (let j = 0; j < cols; j++) {
        const from = base + (i * cols + j) * inner;
        out.set(x.data.subarray(from, from + inner), base + (j * group + i) * inner);
      }
    }
  }
  return [{ shape: [...x.shape], data: out }];
}

function shuffleLower(layer: Layer): LoweredLayer {
  const shape = layer.bottoms[0].shape;
  const group = Number(layer.typeParam.group ?? 1);
  const [n, c] = shape;
  const inner = countOf(shape, 2);
  const cols = c / group;
  const body = `
    ${coordinates([n, c, inner], ['item', 'ch', 's'])}
    const j = Math.floor(ch / ${int(group)});
    const i = ch - j * ${int(group)};
    return x[${linear([
      ['item', c * inner],
      ['i', cols * inner],
      ['j', inner],
      ['s', 1],
    ])}];`;
  return { kernels: [{ source: kernelFunction(['x'], body), args: [{ bottom: 0 }], size: layer.tops[0].count, out: { top: 0 } }] };
}

export const shuffleChannel: LayerModule = {
  type: 'ShuffleChannel',
  paramField: 'shuffle_channel_param',
  bottoms: exactly(1),
  tops: exactly(1),
  inPlace: false,
  forward: shuffleForward,
  lower: shuffleLower,
  infer(ctx) {
    shuffleGroup(ctx);
    return { tops: [[...ctx.bottoms[0]]], params: [], macs: 0 };
  },
};

export const convolutionDepthwise: LayerModule = {
  type: 'ConvolutionDepthwise',
  paramField: 'convolution_param',
  bottoms: exactly(1),
  tops: exactly(1),
  inPlace: false,
  forward: convolutionForward,
  lower: convolutionLower,
  paramBlobs: () => [
    { role: 'weights', filler: 'weight_filler' },
    { role: 'bias', filler: 'bias_filler' },
  ],
  infer(ctx) {
    const bottom = ctx.bottoms[0];
    // The fork reads num(), channels(), height() and width(): a 2-D convolution of an N×C×H×W blob.
    if (bottom.length !== 4) ctx.fail(`ConvolutionDepthwise needs an N×C×H×W bottom (got ${showShape(bottom)})`);
    if (has(ctx.param, 'axis') && Number(ctx.param.axis) !== 1)
      ctx.fail('the fork ignores axis and convolves N×C×H×W with the channels on axis 1; remove axis (or write 1)', {
        msg: ctx.param,
        field: 'axis',
      });
    const g = convGeometry(ctx, bottom);
    const channels = bottom[1];
    return convolutionShapes(ctx, g, { channels, numOutput: channels, group: channels });
  },
};
