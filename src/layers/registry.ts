// The one table of layer types brewnet understands: the built-in modules below, and the plug-ins registered
// at run time (registerLayer; src/api/plugins.ts adds their parameter messages to the schema). A type
// missing here is "unsupported" and is reported with its name, layer and line before any shape is inferred.
import type { LayerModule } from '../ir/layer-module.js';
import { accuracy } from './accuracy.js';
import { argmax } from './argmax.js';
import { batchReindex, filter } from './batch-reindex.js';
import { batchNorm } from './batch-norm.js';
import { concat } from './concat.js';
import { convolution } from './convolution/convolution.js';
import { crop } from './crop.js';
import { data, hdf5Data, imageData, memoryData, windowData } from './data.js';
import { deconvolution } from './deconvolution/deconvolution.js';
import { dummyData } from './dummy-data.js';
import { eltwise } from './eltwise.js';
import { embed } from './embed.js';
import { flatten } from './flatten.js';
import { im2col } from './im2col.js';
import { innerProduct } from './inner-product.js';
import { input } from './input.js';
import {
  contrastiveLoss,
  euclideanLoss,
  hingeLoss,
  infogainLoss,
  multinomialLogisticLoss,
  sigmoidCrossEntropyLoss,
  softmaxWithLoss,
} from './loss.js';
import { lrn } from './lrn.js';
import { mvn } from './mvn.js';
import { absVal, bnll, clip, dropout, elu, exp, log, power, relu, relu6, sigmoid, swish, tanh, threshold } from './neuron.js';
import { parameter } from './parameter.js';
import { pooling } from './pooling/pooling.js';
import { prelu } from './prelu.js';
import { python } from './python.js';
import { reduction } from './reduction.js';
import { lstm, lstmUnit, rnn } from './recurrent.js';
import { reshape } from './reshape.js';
import { bias, scale } from './scale-bias.js';
import { silence } from './silence.js';
import { slice } from './slice.js';
import { softmax } from './softmax.js';
import { split } from './split.js';
import { spp } from './spp.js';
import { tile } from './tile.js';
import { detectionOutput, normalize, permute, priorBox } from './forks/ssd.js';
import { bn, interp, upsample } from './forks/segmentation.js';
import { convolutionDepthwise, shuffleChannel } from './forks/mobile.js';
import { axpy } from './forks/senet.js';
import { mergeCrop } from './forks/unet.js';
import { roiPooling } from './forks/rcnn.js';
import { smoothL1Loss } from './forks/smooth-l1-loss.js';
import { proposal } from './forks/proposal.js';
import { denseImageData, imageLabelmapData } from './forks/data-readers.js';

const modules: LayerModule[] = [
  // Vision
  convolution,
  deconvolution,
  im2col,
  pooling,
  spp,
  innerProduct,
  lrn,
  // Blob plumbing
  crop,
  concat,
  slice,
  eltwise,
  split,
  silence,
  flatten,
  reshape,
  tile,
  reduction,
  batchReindex,
  filter,
  // Normalisation and affine
  softmax,
  batchNorm,
  scale,
  bias,
  mvn,
  embed,
  parameter,
  // Recurrent
  rnn,
  lstm,
  lstmUnit,
  // Element-wise
  relu,
  prelu,
  elu,
  sigmoid,
  tanh,
  absVal,
  bnll,
  power,
  exp,
  log,
  threshold,
  swish,
  clip,
  dropout,
  // Losses and metrics
  softmaxWithLoss,
  euclideanLoss,
  sigmoidCrossEntropyLoss,
  multinomialLogisticLoss,
  infogainLoss,
  contrastiveLoss,
  hingeLoss,
  accuracy,
  argmax,
  // Sources
  input,
  dummyData,
  data,
  imageData,
  memoryData,
  hdf5Data,
  windowData,
  python,
  // Caffe's forks (src/layers/forks/): caffe-ssd
  normalize,
  permute,
  priorBox,
  detectionOutput,
  // SegNet, ENet, PSPNet, DeepLab
  bn,
  upsample,
  interp,
  // The mobile nets' (ShuffleNet, MobileNet v2) forks, SENet's, U-Net's (naibaf7/caffe)
  relu6,
  shuffleChannel,
  convolutionDepthwise,
  axpy,
  mergeCrop,
  // Faster R-CNN's (rbgirshick/caffe-fast-rcnn)
  roiPooling,
  smoothL1Loss,
  proposal,
  // The forks' data readers: SegNet's and HED's
  denseImageData,
  imageLabelmapData,
];

const table = new Map(modules.map((m) => [m.type, m]));
const builtIn = new Set(table.keys());

export const layerRegistry: ReadonlyMap<string, LayerModule> = table;

export function layerModule(type: string): LayerModule | undefined {
  return table.get(type);
}

/** Whether a type is one of brewnet's own modules (not a plug-in). */
export function isBuiltInLayer(type: string): boolean {
  return builtIn.has(type);
}

/**
 * Adds a layer type. A built-in type cannot be replaced; registering a plug-in's type again replaces it
 * only if it is the same module object (loading the same plug-in twice is harmless).
 */
export function registerLayer(module: LayerModule): void {
  const existing = table.get(module.type);
  if (existing === module) return;
  if (builtIn.has(module.type)) throw new Error(`layer type "${module.type}" is built into brewnet; a plug-in cannot replace it`);
  if (existing) throw new Error(`layer type "${module.type}" is already registered by another plug-in`);
  table.set(module.type, module);
}
