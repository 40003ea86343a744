// The forks' data readers: SegNet's DenseImageData (alexgkendall/caffe-segnet: an image and its per-pixel
// label map, both resized to new_height × new_width) and HED's ImageLabelmapData (s9xie/hed: an image and
// its edge map, read through BVLC's image_data_param). Like BVLC's readers (../data.ts) they read files
// brewnet does not open: what their parameters fix is known, the rest of each top's shape comes from
// --input, and at run time their tops are the plan's inputs, fed by the caller.
import type { LayerModule, ShapeContext } from '../../ir/layer-module.js';
import { exactly } from '../../ir/layer-module.js';
import { sourceTop } from '../source-shape.js';

/** The image top (N, C, H, W) and the label map (N, 1, H, W) from a batch size, colour flag and size. */
function imageAndLabel(ctx: ShapeContext, batch: number, color: boolean, height: number, width: number) {
  if (!(batch > 0)) ctx.fail('positive batch size required', { msg: ctx.param, field: 'batch_size' });
  const h = height > 0 ? height : undefined;
  const w = width > 0 ? width : undefined;
  return {
    tops: [sourceTop(ctx, 0, [batch, color ? 3 : 1, h, w]), sourceTop(ctx, 1, [batch, 1, h, w])],
    params: [],
    macs: 0,
  };
}

export const denseImageData: LayerModule = {
  type: 'DenseImageData',
  paramField: 'dense_image_data_param',
  bottoms: exactly(0),
  tops: exactly(2),
  inPlace: false,
  source: true,
  infer(ctx) {
    const p = ctx.param;
    // SegNet's layer crops to crop_height × crop_width when both are set, else resizes to new_height × new_width.
    const crop = Number(p.crop_height ?? 0) > 0 && Number(p.crop_width ?? 0) > 0;
    const height = Number(crop ? p.crop_height : (p.new_height ?? 0));
    const width = Number(crop ? p.crop_width : (p.new_width ?? 0));
    return imageAndLabel(ctx, Number(p.batch_size ?? 1), p.is_color !== false, height, width);
  },
};

export const imageLabelmapData: LayerModule = {
  type: 'ImageLabelmapData',
  paramField: 'image_data_param',
  bottoms: exactly(0),
  tops: exactly(2),
  inPlace: false,
  source: true,
  infer(ctx) {
    const p = ctx.param;
    const crop = Number(ctx.layer.transform_param?.crop_size ?? 0);
    const height = crop || Number(p.new_height ?? 0);
    const width = crop || Number(p.new_width ?? 0);
    return imageAndLabel(ctx, Number(p.batch_size ?? 1), p.is_color !== false, height, width);
  },
};
