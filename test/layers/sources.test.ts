// Layers whose tops come from outside the net (docs/caffe-semantics.md#inputs-and-data): what the parameters fix, what --input
// must give, and the hint the error carries.
import { describe, expect, it } from 'vitest';
import { failure, tops } from '../helpers/shape-context.js';

const dataTops = { top: ['data', 'label'] };

describe('Input', () => {
  it('takes input_param.shape, and a --input shape over it', () => {
    const param = { shape: [{ dim: [1, 3, 224, 224] }] };
    expect(tops({ type: 'Input', param, bottoms: [], topCount: 1 })).toEqual([[1, 3, 224, 224]]);
    expect(tops({ type: 'Input', param, bottoms: [], topCount: 1, userShapes: { 0: [2, 3, 500, 500] } })).toEqual([[2, 3, 500, 500]]);
  });
});

describe('DummyData', () => {
  it('broadcasts one shape to every top, or takes one per top', () => {
    const one = { shape: [{ dim: [2, 3] }] };
    expect(tops({ type: 'DummyData', param: one, bottoms: [], topCount: 2 })).toEqual([
      [2, 3],
      [2, 3],
    ]);
    const each = { shape: [{ dim: [2, 3] }, { dim: [2] }] };
    expect(tops({ type: 'DummyData', param: each, bottoms: [], topCount: 2 })).toEqual([[2, 3], [2]]);
  });

  it('builds 4-D shapes from legacy num/channels/height/width, each once or per top', () => {
    const param = { num: [5], channels: [3], height: [2, 4], width: [6] };
    expect(tops({ type: 'DummyData', param, bottoms: [], topCount: 2 })).toEqual([
      [5, 3, 2, 6],
      [5, 3, 4, 6],
    ]);
  });

  it.each([
    [{ shape: [{ dim: [1] }], num: [1], channels: [1], height: [1], width: [1] }, 1, 'both shape and legacy fields were specified'],
    [{ num: [5], height: [2], width: [2] }, 1, "must specify 'channels' once, or once per top blob (1); specified 0"],
    [{ shape: [{ dim: [1] }, { dim: [2] }, { dim: [3] }] }, 2, "must specify 'shape' once, or once per top blob (2); specified 3"],
    [{}, 1, "must specify 'shape' once, or once per top blob (1); specified 0"],
    [
      { shape: [{ dim: [1] }], data_filler: [{}, {}] },
      3,
      'number of data fillers must be 0, 1 or equal to the number of tops: 3; you specified 2 data fillers',
    ],
    [{ shape: [{ dim: [2, -1] }] }, 1, 'top 0 shape would be 2×-1: dimension 1 is -1, and blob dimensions must be >= 0'],
  ])('rejects %j with %i tops', (param, topCount, message) => {
    expect(failure({ type: 'DummyData', name: 'dd', param: param as never, bottoms: [], topCount }).message).toBe(
      `layer "dd" (DummyData): ${message}`,
    );
  });
});

describe('Data', () => {
  it('cannot know the channels statically: asks for --input with the known dims filled in', () => {
    // batch 64 and crop 227 are known; channels come from the first Datum
    const e = failure({
      type: 'Data',
      name: 'data',
      param: { batch_size: 64 },
      bottoms: [],
      topCount: 2,
      layer: { ...dataTops, transform_param: { crop_size: 227 } },
    });
    expect(e.message).toBe('layer "data" (Data): shape of top "data" cannot be known statically; give it with --input data=64,C,227,227');
  });

  it('uses the --input shape for the data and batch_size for the label', () => {
    expect(
      tops({ type: 'Data', param: { batch_size: 64 }, bottoms: [], topCount: 2, layer: dataTops, userShapes: { 0: [64, 3, 32, 32] } }),
    ).toEqual([[64, 3, 32, 32], [64]]);
    expect(tops({ type: 'Data', param: { batch_size: 64 }, bottoms: [], topCount: 1, userShapes: { 0: [64, 1, 28, 28] } })).toEqual([
      [64, 1, 28, 28],
    ]);
  });

  it('needs --input for the label too when batch_size is not given', () => {
    const e = failure({ type: 'Data', bottoms: [], topCount: 2, layer: dataTops, userShapes: { 0: [1, 3, 8, 8] } });
    expect(e.message).toContain('shape of top "label" cannot be known statically; give it with --input label=N');
  });
});

describe('ImageData', () => {
  it('knows everything when the images are resized (or cropped): channels 3 if is_color, else 1', () => {
    const param = { batch_size: 32, new_height: 256, new_width: 256 };
    expect(tops({ type: 'ImageData', param, bottoms: [], topCount: 2 })).toEqual([[32, 3, 256, 256], [32]]);
    expect(tops({ type: 'ImageData', param: { ...param, is_color: false }, bottoms: [], topCount: 2 })).toEqual([[32, 1, 256, 256], [32]]);
    expect(tops({ type: 'ImageData', param, bottoms: [], topCount: 2, layer: { transform_param: { crop_size: 227 } } })).toEqual([
      [32, 3, 227, 227],
      [32],
    ]);
  });

  it('defaults batch_size to 1 and asks for H and W when images keep their own size', () => {
    const e = failure({ type: 'ImageData', bottoms: [], topCount: 2, layer: dataTops });
    expect(e.message).toContain('give it with --input data=1,3,H,W');
    expect(tops({ type: 'ImageData', bottoms: [], topCount: 2, userShapes: { 0: [1, 3, 375, 500] } })).toEqual([[1, 3, 375, 500], [1]]);
  });

  it.each([
    [{ new_height: 256 }, {}, 'current implementation requires new_height and new_width to be set at the same time'],
    [{ batch_size: 0 }, {}, 'positive batch size required'],
    [
      { new_height: 200, new_width: 300 },
      { transform_param: { crop_size: 227 } },
      'crop_size 227 is larger than the resized image 200×300',
    ],
  ])('rejects %j', (param, layer, message) => {
    expect(failure({ type: 'ImageData', param: param as never, bottoms: [], topCount: 2, layer }).message).toContain(message);
  });
});

describe('MemoryData', () => {
  it('takes all four dims from its parameters', () => {
    expect(tops({ type: 'MemoryData', param: { batch_size: 10, channels: 3, height: 28, width: 28 }, bottoms: [], topCount: 2 })).toEqual([
      [10, 3, 28, 28],
      [10],
    ]);
  });

  it('needs all four positive', () => {
    expect(failure({ type: 'MemoryData', param: { batch_size: 10, channels: 3, height: 28 }, bottoms: [], topCount: 2 }).message).toContain(
      'batch_size, channels, height, and width must be specified and positive in memory_data_param (got 10, 3, 28, 0)',
    );
  });
});

describe('HDF5Data', () => {
  it('needs --input for every top (dataset shapes live in the files)', () => {
    const layer = { top: ['data', 'label'] };
    expect(failure({ type: 'HDF5Data', param: { batch_size: 8 }, bottoms: [], topCount: 2, layer }).message).toContain(
      'give it with --input data=8,C,H,W',
    );
    expect(
      tops({ type: 'HDF5Data', param: { batch_size: 8 }, bottoms: [], topCount: 2, layer, userShapes: { 0: [8, 10], 1: [8] } }),
    ).toEqual([[8, 10], [8]]);
  });

  it('refuses transform_param', () => {
    const e = failure({ type: 'HDF5Data', bottoms: [], topCount: 1, layer: { transform_param: { scale: 0.5 } } });
    expect(e.message).toContain('HDF5Data does not transform data');
    expect(e.field).toBe('transform_param');
  });
});

describe('WindowData', () => {
  it('warps windows to crop_size × crop_size colour crops (the R-CNN fine-tuning net)', () => {
    const layer = { transform_param: { mirror: true, crop_size: 227 } };
    expect(tops({ type: 'WindowData', param: { batch_size: 128 }, bottoms: [], topCount: 2, layer })).toEqual([[128, 3, 227, 227], [128]]);
  });

  it('needs transform_param.crop_size, and says so when window_data_param.crop_size was used', () => {
    expect(failure({ type: 'WindowData', param: { batch_size: 128 }, bottoms: [], topCount: 2 }).message).toContain(
      'WindowData needs transform_param.crop_size > 0',
    );
    expect(failure({ type: 'WindowData', param: { batch_size: 128, crop_size: 227 }, bottoms: [], topCount: 2 }).message).toContain(
      '(window_data_param.crop_size is not read; Caffe uses transform_param.crop_size)',
    );
  });
});

describe('Python', () => {
  it('takes every top from --input, with any number of bottoms and tops', () => {
    const userShapes = { 0: [1, 3, 500, 500], 1: [1, 1, 500, 500] };
    expect(
      tops({
        type: 'Python',
        param: { module: 'voc_layers', layer: 'VOCSegDataLayer' },
        bottoms: [],
        topCount: 2,
        layer: dataTops,
        userShapes,
      }),
    ).toEqual([
      [1, 3, 500, 500],
      [1, 1, 500, 500],
    ]);
    expect(tops({ type: 'Python', bottoms: [[2, 3]], topCount: 0 })).toEqual([]);
  });

  it('fails for a top without --input, naming it', () => {
    const e = failure({ type: 'Python', name: 'data', bottoms: [], topCount: 2, layer: dataTops, userShapes: { 0: [1, 3, 500, 500] } });
    expect(e.message).toBe('layer "data" (Python): shape of top "label" cannot be known statically; give it with --input label=N,C,H,W');
  });
});
