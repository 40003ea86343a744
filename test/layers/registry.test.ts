// Blob counts, in-place, loss and source flags as Caffe declares them (include/caffe/layers/*_layer.hpp:
// ExactNum/Min/Max{Bottom,Top}Blobs, and the CHECK_NE(top, bottom) in Split, Flatten, Reshape, AbsVal).
import { describe, expect, it } from 'vitest';
import { layerModule, layerRegistry } from '../../src/layers/registry.js';

const INF = Infinity;
// type: [min bottoms, max bottoms, min tops, max tops]
const COUNTS: Record<string, [number, number, number, number]> = {
  Convolution: [1, INF, 1, INF],
  Deconvolution: [1, INF, 1, INF],
  Im2col: [1, 1, 1, 1],
  Pooling: [1, 1, 1, 2],
  SPP: [1, 1, 1, 1],
  InnerProduct: [1, 1, 1, 1],
  LRN: [1, 1, 1, 1],
  Crop: [2, 2, 1, 1],
  Concat: [1, INF, 1, 1],
  Slice: [1, 1, 1, INF],
  Eltwise: [2, INF, 1, 1],
  Split: [1, 1, 1, INF],
  Silence: [1, INF, 0, 0],
  Flatten: [1, 1, 1, 1],
  Reshape: [1, 1, 1, 1],
  Tile: [1, 1, 1, 1],
  Reduction: [1, 1, 1, 1],
  BatchReindex: [2, 2, 1, 1],
  // Recurrent: Caffe's counts depend on expose_hidden (the shape rule checks them exactly); the widest here.
  RNN: [2, 4, 1, 2],
  LSTM: [2, 5, 1, 3],
  LSTMUnit: [3, 3, 2, 2],
  Filter: [2, INF, 1, INF],
  Softmax: [1, 1, 1, 1],
  BatchNorm: [1, 1, 1, 1],
  Scale: [1, 2, 1, 1],
  Bias: [1, 2, 1, 1],
  MVN: [1, 1, 1, 1],
  Embed: [1, 1, 1, 1],
  Parameter: [0, 0, 1, 1],
  ReLU: [1, 1, 1, 1],
  PReLU: [1, 1, 1, 1],
  ELU: [1, 1, 1, 1],
  Sigmoid: [1, 1, 1, 1],
  TanH: [1, 1, 1, 1],
  AbsVal: [1, 1, 1, 1],
  BNLL: [1, 1, 1, 1],
  Power: [1, 1, 1, 1],
  Exp: [1, 1, 1, 1],
  Log: [1, 1, 1, 1],
  Threshold: [1, 1, 1, 1],
  Swish: [1, 1, 1, 1],
  Clip: [1, 1, 1, 1],
  Dropout: [1, 1, 1, 1],
  SoftmaxWithLoss: [2, 2, 1, 2],
  EuclideanLoss: [2, 2, 1, 1],
  SigmoidCrossEntropyLoss: [2, 2, 1, 1],
  MultinomialLogisticLoss: [2, 2, 1, 1],
  InfogainLoss: [2, 3, 1, 2],
  ContrastiveLoss: [3, 3, 1, 1],
  HingeLoss: [2, 2, 1, 1],
  Accuracy: [2, 2, 1, 2],
  ArgMax: [1, 1, 1, 1],
  Input: [0, 0, 1, INF],
  DummyData: [0, 0, 1, INF],
  Data: [0, 0, 1, 2],
  ImageData: [0, 0, 2, 2],
  MemoryData: [0, 0, 2, 2],
  HDF5Data: [0, 0, 1, INF],
  WindowData: [0, 0, 2, 2],
  Python: [0, INF, 0, INF],
};

const NOT_IN_PLACE = ['Split', 'Flatten', 'Reshape', 'AbsVal'];
const IN_PLACE = [
  'ReLU',
  'PReLU',
  'ELU',
  'Sigmoid',
  'TanH',
  'BNLL',
  'Power',
  'Exp',
  'Log',
  'Threshold',
  'Swish',
  'Clip',
  'ReLU6',
  'Dropout',
  'BatchNorm',
  'Scale',
  'Bias',
  'MVN',
  'Softmax',
];
const LOSSES = [
  'SoftmaxWithLoss',
  'EuclideanLoss',
  'SigmoidCrossEntropyLoss',
  'MultinomialLogisticLoss',
  'InfogainLoss',
  'ContrastiveLoss',
  'HingeLoss',
  'SmoothL1Loss',
];
const SOURCES = ['Input', 'Data', 'ImageData', 'MemoryData', 'HDF5Data', 'WindowData', 'Python', 'DenseImageData', 'ImageLabelmapData'];

describe('layer registry', () => {
  // The forks' built-in layers (src/layers/forks/) are in the same registry; test/layers/fork-layers.test.ts covers them.
  const FORK_TYPES = [
    'BN',
    'DetectionOutput',
    'Interp',
    'Normalize',
    'Permute',
    'PriorBox',
    'Upsample',
    'ReLU6',
    'ShuffleChannel',
    'ConvolutionDepthwise',
    'Axpy',
    'MergeCrop',
    'ROIPooling',
    'SmoothL1Loss',
    'Proposal',
    'DenseImageData',
    'ImageLabelmapData',
  ];

  it('registers exactly the BVLC types brewnet covers, and the fork layers', () => {
    const bvlc = [...layerRegistry.keys()].filter((t) => !FORK_TYPES.includes(t));
    expect(bvlc.sort()).toEqual(Object.keys(COUNTS).sort());
    expect(bvlc.length).toBe(60);
    for (const t of FORK_TYPES) expect(layerRegistry.has(t), t).toBe(true);
  });

  it.each(Object.entries(COUNTS))("%s declares Caffe's blob counts", (type, [bMin, bMax, tMin, tMax]) => {
    const m = layerModule(type)!;
    expect(m.type).toBe(type);
    expect([m.bottoms.min, m.bottoms.max, m.tops.min, m.tops.max]).toEqual([bMin, bMax, tMin, tMax]);
  });

  it('marks EqualNumBottomTopBlobs only on Convolution and Deconvolution (Im2col is 1→1)', () => {
    const equal = [...layerRegistry.values()].filter((m) => m.equalBottomTop).map((m) => m.type);
    expect(equal.sort()).toEqual(['Convolution', 'Deconvolution']);
  });

  it('refuses in-place where Caffe does, allows it for element-wise layers', () => {
    for (const t of NOT_IN_PLACE) expect(layerModule(t)!.inPlace, t).toBe(false);
    for (const t of IN_PLACE) expect(layerModule(t)!.inPlace, t).toBe(true);
  });

  it('flags the LossLayer subclasses as losses, and not Accuracy', () => {
    const losses = [...layerRegistry.values()].filter((m) => m.loss).map((m) => m.type);
    expect(losses.sort()).toEqual([...LOSSES].sort());
  });

  it('flags the layers whose tops come from outside the net as sources', () => {
    const sources = [...layerRegistry.values()].filter((m) => m.source).map((m) => m.type);
    expect(sources.sort()).toEqual([...SOURCES].sort());
  });

  it('reads Deconvolution and Im2col parameters from convolution_param, SoftmaxWithLoss from softmax_param', () => {
    expect(layerModule('Deconvolution')!.paramField).toBe('convolution_param');
    expect(layerModule('Im2col')!.paramField).toBe('convolution_param');
    expect(layerModule('SoftmaxWithLoss')!.paramField).toBe('softmax_param');
    expect(layerModule('ArgMax')!.paramField).toBe('argmax_param');
    expect(layerModule('Split')!.paramField).toBeUndefined();
  });
});
