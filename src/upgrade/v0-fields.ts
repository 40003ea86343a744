// Where each V0 field goes in V1, by V0 layer type (Caffe's UpgradeV0LayerParameter, docs/caffe-semantics.md#upgrades):
// [V1 parameter message field, field inside it]. `repeated` marks V1 fields that became repeated
// (a conv's pad, kernel_size and stride). A V0 field with no entry for the layer's type is an error.
export interface V0Target {
  param: string;
  field: string;
  repeated?: boolean;
}

const conv = (field: string, repeated = false): V0Target => ({ param: 'convolution_param', field, repeated });
const pool = (field: string): V0Target => ({ param: 'pooling_param', field });
const ip = (field: string): V0Target => ({ param: 'inner_product_param', field });
const transform = (field: string): V0Target => ({ param: 'transform_param', field });
const dataLayers = (field: string, imagesField = field): Record<string, V0Target> => ({
  data: { param: 'data_param', field },
  hdf5_data: { param: 'hdf5_data_param', field },
  images: { param: 'image_data_param', field: imagesField },
  window_data: { param: 'window_data_param', field },
});
const anyDataLayer = (target: V0Target): Record<string, V0Target> => ({ data: target, images: target, window_data: target });

export const V0_FIELDS: Readonly<Record<string, Readonly<Record<string, V0Target>>>> = {
  num_output: { conv: conv('num_output'), innerproduct: ip('num_output') },
  biasterm: { conv: conv('bias_term'), innerproduct: ip('bias_term') },
  weight_filler: { conv: conv('weight_filler'), innerproduct: ip('weight_filler') },
  bias_filler: { conv: conv('bias_filler'), innerproduct: ip('bias_filler') },
  pad: { conv: conv('pad', true), pool: pool('pad') },
  kernelsize: { conv: conv('kernel_size', true), pool: pool('kernel_size') },
  group: { conv: conv('group') },
  stride: { conv: conv('stride', true), pool: pool('stride') },
  pool: { pool: pool('pool') },
  dropout_ratio: { dropout: { param: 'dropout_param', field: 'dropout_ratio' } },
  local_size: { lrn: { param: 'lrn_param', field: 'local_size' } },
  alpha: { lrn: { param: 'lrn_param', field: 'alpha' } },
  beta: { lrn: { param: 'lrn_param', field: 'beta' } },
  k: { lrn: { param: 'lrn_param', field: 'k' } },
  source: { ...dataLayers('source'), infogain_loss: { param: 'infogain_loss_param', field: 'source' } },
  batchsize: {
    data: { param: 'data_param', field: 'batch_size' },
    hdf5_data: { param: 'hdf5_data_param', field: 'batch_size' },
    images: { param: 'image_data_param', field: 'batch_size' },
    window_data: { param: 'window_data_param', field: 'batch_size' },
  },
  scale: anyDataLayer(transform('scale')),
  meanfile: anyDataLayer(transform('mean_file')),
  cropsize: anyDataLayer(transform('crop_size')),
  mirror: anyDataLayer(transform('mirror')),
  rand_skip: { data: { param: 'data_param', field: 'rand_skip' }, images: { param: 'image_data_param', field: 'rand_skip' } },
  shuffle_images: { images: { param: 'image_data_param', field: 'shuffle' } },
  new_height: { images: { param: 'image_data_param', field: 'new_height' } },
  new_width: { images: { param: 'image_data_param', field: 'new_width' } },
  concat_dim: { concat: { param: 'concat_param', field: 'concat_dim' } },
  det_fg_threshold: { window_data: { param: 'window_data_param', field: 'fg_threshold' } },
  det_bg_threshold: { window_data: { param: 'window_data_param', field: 'bg_threshold' } },
  det_fg_fraction: { window_data: { param: 'window_data_param', field: 'fg_fraction' } },
  det_context_pad: { window_data: { param: 'window_data_param', field: 'context_pad' } },
  det_crop_mode: { window_data: { param: 'window_data_param', field: 'crop_mode' } },
  hdf5_output_param: { hdf5_output: { param: 'hdf5_output_param', field: '' } },
};

/** Fields carried over as they are, or handled elsewhere. */
export const V0_COPIED = new Set(['name', 'type', 'blobs', 'blobs_lr', 'weight_decay']);
