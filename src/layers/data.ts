// Data-reading layers (docs/caffe-semantics.md#inputs-and-data). Caffe shapes their tops from the first record it reads, so only
// what the parameters fix is known statically; the rest comes from --input (see source-shape.ts).
// Label tops are (batch_size).
import { has } from '../schema/message.js';
import type { LayerModule, ShapeContext } from '../ir/layer-module.js';
import { atLeast, between, exactly } from '../ir/layer-module.js';
import { batchSize, sourceTop } from './source-shape.js';

/** transform_param.crop_size, which fixes H and W when non-zero (DataTransformer::InferBlobShape). */
function cropSize(ctx: ShapeContext): number {
  return Number(ctx.layer.transform_param?.crop_size ?? 0);
}

function dataLayer(type: string, paramField: string, tops: LayerModule['tops'], infer: LayerModule['infer']): LayerModule {
  return { type, paramField, bottoms: exactly(0), tops, inPlace: false, source: true, infer };
}

// LMDB/LevelDB Datum records: (batch_size, datum channels, crop or datum H, crop or datum W).
export const data = dataLayer('Data', 'data_param', between(1, 2), (ctx) => {
  const batch = batchSize(ctx.param.batch_size);
  const crop = cropSize(ctx) || undefined;
  const tops = [sourceTop(ctx, 0, [batch, undefined, crop, crop])];
  if (ctx.topCount > 1) tops.push(sourceTop(ctx, 1, [batch]));
  return { tops, params: [], macs: 0 };
});

// Image files: channels from is_color; H and W from crop_size, else new_height/new_width, else the image.
export const imageData = dataLayer('ImageData', 'image_data_param', exactly(2), (ctx) => {
  const p = ctx.param;
  const batch = Number(p.batch_size ?? 1);
  if (!(batch > 0)) ctx.fail('positive batch size required', { msg: p, field: 'batch_size' });
  const newHeight = Number(p.new_height ?? 0);
  const newWidth = Number(p.new_width ?? 0);
  if (newHeight > 0 !== newWidth > 0) {
    ctx.fail('current implementation requires new_height and new_width to be set at the same time', {
      msg: p,
      field: newHeight > 0 ? 'new_height' : 'new_width',
    });
  }
  const crop = cropSize(ctx);
  if (crop > 0 && newHeight > 0 && (crop > newHeight || crop > newWidth)) {
    ctx.fail(`crop_size ${crop} is larger than the resized image ${newHeight}×${newWidth}`);
  }
  const channels = p.is_color === false ? 1 : 3;
  const height = crop || newHeight || undefined;
  const width = crop || newWidth || undefined;
  return { tops: [sourceTop(ctx, 0, [batch, channels, height, width]), sourceTop(ctx, 1, [batch])], params: [], macs: 0 };
});

// Arrays handed in from C++/Python: every dim is a parameter, and all must be positive.
export const memoryData = dataLayer('MemoryData', 'memory_data_param', exactly(2), (ctx) => {
  const p = ctx.param;
  const dims = ['batch_size', 'channels', 'height', 'width'].map((f) => Number(p[f] ?? 0));
  if (!dims.every((d) => d > 0)) {
    ctx.fail(`batch_size, channels, height, and width must be specified and positive in memory_data_param (got ${dims.join(', ')})`);
  }
  return { tops: [sourceTop(ctx, 0, dims), sourceTop(ctx, 1, [dims[0]])], params: [], macs: 0 };
});

// Each top reads the HDF5 dataset of the same name: (batch_size, dataset.shape[1:]…), any rank.
export const hdf5Data = dataLayer('HDF5Data', 'hdf5_data_param', atLeast(1), (ctx) => {
  if (has(ctx.layer, 'transform_param')) ctx.fail('HDF5Data does not transform data', { msg: ctx.layer, field: 'transform_param' });
  const batch = batchSize(ctx.param.batch_size);
  const tops = Array.from({ length: ctx.topCount }, (_, i) => sourceTop(ctx, i, [batch, undefined, undefined, undefined]));
  return { tops, params: [], macs: 0 };
});

// R-CNN windows warped to crop_size × crop_size. Caffe takes the channel count from the window file, but
// it decodes every image as colour (3 channels, cv::Vec3b), so 3 is the only count that works.
export const windowData = dataLayer('WindowData', 'window_data_param', exactly(2), (ctx) => {
  const crop = cropSize(ctx);
  if (!(crop > 0)) {
    const stale = has(ctx.param, 'crop_size') ? ' (window_data_param.crop_size is not read; Caffe uses transform_param.crop_size)' : '';
    ctx.fail(`WindowData needs transform_param.crop_size > 0${stale}`);
  }
  const batch = batchSize(ctx.param.batch_size);
  return { tops: [sourceTop(ctx, 0, [batch, 3, crop, crop]), sourceTop(ctx, 1, [batch])], params: [], macs: 0 };
});
