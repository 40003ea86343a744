// How a layer looks in `brewnet draw`: its family (what kind of work it does) and that family's colours.
// One table, so the picture, its legend and the web page agree; pale fills keep black text readable.
import type { Layer } from '../ir/layer.js';

export type LayerFamily =
  | 'input'
  | 'convolution'
  | 'deconvolution'
  | 'pooling'
  | 'fully-connected'
  | 'normalization'
  | 'activation'
  | 'merge'
  | 'crop'
  | 'reshape'
  | 'loss'
  | 'other';

export interface FamilyStyle {
  fill: string;
  border: string;
  label: string;
}

export const FAMILY_STYLES: Record<LayerFamily, FamilyStyle> = {
  input: { fill: '#e6e6e6', border: '#6b6b6b', label: 'input / data' },
  convolution: { fill: '#cfe2f7', border: '#2f6db5', label: 'convolution' },
  deconvolution: { fill: '#ddd3f2', border: '#6a4bb0', label: 'deconvolution' },
  pooling: { fill: '#d3ecd4', border: '#3c8a41', label: 'pooling' },
  'fully-connected': { fill: '#c9e8e4', border: '#2b8378', label: 'fully connected' },
  normalization: { fill: '#f1d9ef', border: '#9c4a94', label: 'normalization / scale' },
  activation: { fill: '#fdefc4', border: '#b48a16', label: 'activation' },
  merge: { fill: '#fde0cf', border: '#c0622b', label: 'merge (Eltwise, Concat)' },
  crop: { fill: '#fbf5b8', border: '#9a8c16', label: 'crop' },
  reshape: { fill: '#e3e8eb', border: '#5f7482', label: 'reshape / slice / dropout' },
  loss: { fill: '#f8d3de', border: '#b23a5f', label: 'loss / softmax / accuracy' },
  other: { fill: '#ffffff', border: '#555555', label: 'other' },
};

const BY_TYPE: Record<string, LayerFamily> = {
  Convolution: 'convolution',
  Deconvolution: 'deconvolution',
  Pooling: 'pooling',
  SPP: 'pooling',
  InnerProduct: 'fully-connected',
  Embed: 'fully-connected',
  BatchNorm: 'normalization',
  Scale: 'normalization',
  Bias: 'normalization',
  LRN: 'normalization',
  MVN: 'normalization',
  Normalize: 'normalization',
  ReLU: 'activation',
  PReLU: 'activation',
  ELU: 'activation',
  Sigmoid: 'activation',
  TanH: 'activation',
  AbsVal: 'activation',
  BNLL: 'activation',
  Power: 'activation',
  Exp: 'activation',
  Log: 'activation',
  Threshold: 'activation',
  Swish: 'activation',
  Clip: 'activation',
  Eltwise: 'merge',
  Concat: 'merge',
  Crop: 'crop',
  Reshape: 'reshape',
  Flatten: 'reshape',
  Slice: 'reshape',
  Split: 'reshape',
  Tile: 'reshape',
  Silence: 'reshape',
  Dropout: 'reshape',
  Reduction: 'reshape',
  ArgMax: 'loss',
  Softmax: 'loss',
  Accuracy: 'loss',
  Parameter: 'input',
};

export function layerFamily(layer: Layer): LayerFamily {
  const known = BY_TYPE[layer.type];
  if (known) return known;
  if (layer.module.source) return 'input';
  if (/Loss$/.test(layer.type)) return 'loss';
  return 'other';
}

/** The colours the analysis uses for what is wrong and for what it checked and found right. */
export const PROBLEM_COLOUR = '#d0021b';
export const OK_COLOUR = '#2e7d32';
export const HIGHLIGHT_COLOUR = '#ff6f00';
