// Faster R-CNN's SmoothL1Loss (rbgirshick/caffe-fast-rcnn, smooth_L1_loss_layer.cu: the fork has no CPU
// forward), the box-regression loss of py-faster-rcnn's train nets. Bottoms: predictions, targets, and
// optionally the inside and outside weights (both or neither). With d = w_in · (pred − target) and σ² =
// sigma² (smooth_l1_loss_param, field 8266712, default 1):
//   f(d) = 0.5 · σ² · d²     where |d| < 1/σ²
//        = |d| − 0.5 / σ²    otherwise,
// the loss is Σ w_out · f(d) over every element, divided by the batch size (bottom 0's num). Top: a scalar.
// Shape checks as the fork's Reshape: the batch agrees (LossLayer), and channels, height and width of every
// bottom equal bottom 0's (Caffe's legacy 4-axis accessors).
import type { ForwardLayer, LayerModule } from '../../ir/layer-module.js';
import { between } from '../../ir/layer-module.js';
import type { Tensor } from '../../ir/tensor.js';
import { bottomName, showShape } from '../blob-checks.js';
import { legacyDim } from '../shape-utils.js';

const f32 = Math.fround;

function smoothL1Forward(layer: ForwardLayer, bottoms: Tensor[]): Tensor[] {
  const sigma = f32(Number(layer.typeParam.sigma ?? 1));
  const sigma2 = f32(sigma * sigma);
  const [pred, target, inside, outside] = bottoms;
  // Float arithmetic as the fork's kernel (Dtype float; the thresholds 1.0 / sigma2 and 0.5 / sigma2 in double).
  let loss = 0;
  for (let i = 0; i < pred.data.length; i++) {
    let d = f32(pred.data[i] - target.data[i]);
    if (inside) d = f32(d * inside.data[i]);
    const a = Math.abs(d);
    let e = a < 1 / sigma2 ? f32(0.5 * d * d * sigma2) : f32(a - 0.5 / sigma2);
    if (outside) e = f32(e * outside.data[i]);
    loss += e;
  }
  return [{ shape: [], data: Float32Array.of(loss / pred.shape[0]) }];
}

export const smoothL1Loss: LayerModule = {
  type: 'SmoothL1Loss',
  paramField: 'smooth_l1_loss_param',
  bottoms: between(2, 4),
  tops: between(1, 1),
  inPlace: false,
  loss: true,
  forward: smoothL1Forward,
  infer(ctx) {
    const { bottoms } = ctx;
    if (bottoms.length === 3)
      ctx.fail('with weights, give both the inside and the outside weights (4 bottoms), or neither (2 bottoms); this layer has 3');
    const [pred] = bottoms;
    const first = bottomName(ctx, 0);
    if (pred.length < 1 || bottoms[1].length < 1 || pred[0] !== bottoms[1][0])
      ctx.fail(`the data and label should have the same first dimension: ${showShape(pred)} vs. ${showShape(bottoms[1])}`);
    const axes = ['channels', 'height', 'width'];
    for (let b = 1; b < bottoms.length; b++)
      axes.forEach((name, i) => {
        const [want, got] = [legacyDim(ctx, pred, i + 1), legacyDim(ctx, bottoms[b], i + 1)];
        if (want !== got)
          ctx.fail(
            `"${bottomName(ctx, b)}" (${showShape(bottoms[b])}) must have the ${name} of "${first}" (${showShape(pred)}): ${got} ≠ ${want}`,
          );
      });
    return { tops: [[]], params: [], macs: 0 };
  },
};
