// Layer types from well-known Caffe forks. brewnet does not run them, but saying where a type comes from
// (and the BVLC equivalent, where there is one) turns "unsupported" into something a user can act on.
export const FORK_LAYER_HINTS: Readonly<Record<string, string>> = {
  BN: 'BN comes from the SegNet/PSPNet forks; in BVLC Caffe it is BatchNorm followed by Scale (bias_term: true)',
  Interp: 'Interp comes from the DeepLab/PSPNet forks (bilinear resize); BVLC Caffe has no equivalent layer',
  Upsample: 'Upsample comes from the SegNet fork (max-unpooling with pooling indices)',
  Normalize: 'Normalize comes from the SSD fork (L2 normalisation with a learned scale)',
  Permute: 'Permute comes from the SSD fork',
  PriorBox: 'PriorBox comes from the SSD fork',
  DetectionOutput: 'DetectionOutput comes from the SSD fork',
  ROIPooling: 'ROIPooling comes from the Faster R-CNN fork',
  PSROIPooling: 'PSROIPooling comes from the R-FCN fork (daijifeng001/caffe-rfcn)',
  MergeCrop: 'MergeCrop comes from the U-Net fork (naibaf7/caffe); BVLC Caffe expresses it as Crop + Concat',
  DepthwiseConvolution: 'DepthwiseConvolution comes from a MobileNet fork; BVLC Caffe uses Convolution with group = channels',
  Upsampling: 'use Deconvolution with a bilinear filler, as FCN does',
};
