// Im2col (docs/caffe-semantics.md#tile-reduction-embed-and-im2col): Convolution's geometry without the weights. Each output position holds the
// C·Πk values of its receptive field, so top[channel_axis] = C·Πk and the spatial dims follow the
// Convolution formula (C++ truncating division). Needs at least one spatial axis. Forward as Caffe's
// im2col_cpu / im2col_nd_cpu, per item of the axes before the channel axis: row (c·k0 + i0)·k1 + i1 … holds,
// at each output position, the input at o·stride − pad + i·dilation, 0 in the padding. It runs on the host.
import type { LayerModule } from '../ir/layer-module.js';
import { exactly } from '../ir/layer-module.js';
import { convGeometry, windowOp } from './conv-geometry.js';
import { count, truncDiv } from './shape-utils.js';
import { checkBlobShape } from './blob-checks.js';
import type { ConvolutionParameter } from '../schema/caffe-messages.generated.js';
import type { ForwardLayer } from '../ir/layer-module.js';
import type { Tensor } from '../ir/tensor.js';
import { countOf } from '../ir/tensor.js';

export const im2col: LayerModule<ConvolutionParameter> = {
  type: 'Im2col',
  paramField: 'convolution_param',
  bottoms: exactly(1),
  tops: exactly(1),
  inPlace: false,
  forward: im2colForward,
  infer(ctx) {
    const bottom = ctx.bottoms[0];
    const g = convGeometry(ctx, bottom, 1);
    const spatial = g.kernel.map((k, i) => {
      const extent = g.dilation[i] * (k - 1) + 1;
      return truncDiv(bottom[g.channelAxis + 1 + i] + 2 * g.pad[i] - extent, g.stride[i]) + 1;
    });
    const columns = bottom[g.channelAxis] * count(g.kernel);
    const top = checkBlobShape(ctx, [...bottom.slice(0, g.channelAxis), columns, ...spatial], 'top shape');
    const spatialOp = windowOp(g, 'window');
    return { tops: [top], params: [], macs: 0, spatial: spatialOp };
  },
};

function im2colForward(layer: ForwardLayer, [x]: Tensor[]): Tensor[] {
  const op = layer.spatial;
  if (!op || op.kind !== 'window') throw new Error('internal: Im2col without a window');
  const inShape = x.shape;
  const outShape = layer.tops[0].shape;
  const axis = op.firstAxis - 1;
  const items = countOf(inShape, 0, axis);
  const channels = inShape[axis];
  const inSpatial = inShape.slice(axis + 1);
  const outSpatial = outShape.slice(axis + 1);
  const kernelCount = op.kernel.reduce((a, k) => a * k, 1);
  const inPlane = inSpatial.reduce((a, d) => a * d, 1);
  const outPlane = outSpatial.reduce((a, d) => a * d, 1);
  const rows = channels * kernelCount;
  const out = new Float32Array(items * rows * outPlane);
  const dims = op.kernel.length;
  const k = new Array<number>(dims);
  const o = new Array<number>(dims);
  for (let n = 0; n < items; n++) {
    for (let row = 0; row < rows; row++) {
      // row = c·Πk + the kernel offset, last spatial axis fastest.
      let rest = row;
      for (let d = dims - 1; d >= 0; d--) {
        k[d] = rest % op.kernel[d];
        rest = Math.floor(rest / op.kernel[d]);
      }
      const c = rest;
      for (let pos = 0; pos < outPlane; pos++) {
        let r = pos;
        for (let d = dims - 1; d >= 0; d--) {
          o[d] = r % outSpatial[d];
          r = Math.floor(r / outSpatial[d]);
        }
        let at = 0;
        let inside = true;
        for (let d = 0; d < dims; d++) {
          const i = o[d] * op.stride[d] - op.pad[d] + k[d] * op.dilation[d];
          if (i < 0 || i >= inSpatial[d]) inside = false;
          at = at * inSpatial[d] + i;
        }
        out[(n * rows + row) * outPlane + pos] = inside ? x.data[(n * channels + c) * inPlane + at] : 0;
      }
    }
  }
  return [{ shape: [...outShape], data: out }];
}
