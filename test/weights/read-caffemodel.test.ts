// Decoding .caffemodel files written by Python's google.protobuf (generate.py): every layout Caffe and
// protobuf produce gives exactly the float32 values generate.py recorded, from a path or a buffer, through
// any read window.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readCaffemodel, type Caffemodel } from '../../src/weights/read-caffemodel.js';
import { expected, fixture } from './fixtures.js';

const GOOD = ['good-packed', 'good-unpacked', 'good-double', 'v1-legacy', 'v0-nested', 'duplicate', 'missing'].map(
  (f) => `${f}.caffemodel`,
);

function valuesOf(model: Caffemodel, names: string[]): Record<string, number[][]> {
  const out: Record<string, number[][]> = {};
  // The last layer of a name wins, as in Caffe (duplicate.caffemodel).
  for (const layer of model.layers) if (names.includes(layer.name)) out[layer.name] = layer.blobs.map((b) => Array.from(b.data));
  return out;
}

describe('readCaffemodel', () => {
  it.each(GOOD)('%s: every blob holds exactly the values generate.py wrote', (file) => {
    const want = expected[file].params ?? {};
    const model = readCaffemodel(fixture(file));
    expect(valuesOf(model, Object.keys(want))).toEqual(want);
  });

  it('reads names, types, shapes and legacy dims of a V2 file, in file order', () => {
    const model = readCaffemodel(fixture('good-packed.caffemodel'), { file: 'g.caffemodel' });
    expect(model.format).toBe('layer');
    expect(model.file).toBe('g.caffemodel');
    expect(model.layers.map((l) => [l.index, l.name, l.type, l.blobs.length])).toEqual([
      [0, 'data', 'Input', 0],
      [1, 'conv1', 'Convolution', 2],
      [2, 'bn1', 'BatchNorm', 3],
      [3, 'scale1', 'Scale', 2],
      [4, 'prelu1', 'PReLU', 1],
      [5, 'up1', 'Deconvolution', 1],
      [6, 'ip1', 'InnerProduct', 2],
      [7, 'old_fc', 'InnerProduct', 2],
      [8, 'loss', 'SoftmaxWithLoss', 0],
    ]);
    const conv1 = model.layers[1].blobs;
    expect(conv1.map((b) => [b.shape, b.legacy, b.count])).toEqual([
      [[3, 2, 3, 3], undefined, 54],
      [[3], undefined, 3],
    ]);
    // conv1 also carries diffs (all 7): skipped, not mixed into the values.
    expect(Array.from(conv1[0].data)).not.toContain(7);
    const ip1 = model.layers[6].blobs;
    expect(ip1.map((b) => [b.shape, b.legacy])).toEqual([
      [[], [1, 1, 2, 12]],
      [[], [1, 1, 1, 2]],
    ]);
  });

  it('reads V1 `layers` with enum types and legacy dims, and V0 layers nested in them', () => {
    const v1 = readCaffemodel(fixture('v1-legacy.caffemodel'));
    expect(v1.format).toBe('layers');
    expect(v1.layers.map((l) => [l.name, l.type, l.blobs.map((b) => b.legacy)])).toEqual([
      [
        'conv1',
        'CONVOLUTION',
        [
          [2, 1, 3, 3],
          [1, 1, 1, 2],
        ],
      ],
      ['relu1', 'RELU', []],
      [
        'ip1',
        'INNER_PRODUCT',
        [
          [1, 1, 3, 32],
          [1, 1, 1, 3],
        ],
      ],
    ]);
    const v0 = readCaffemodel(fixture('v0-nested.caffemodel'));
    expect(v0.layers.map((l) => [l.name, l.type, l.blobs.length])).toEqual([
      ['conv1', 'convolution', 2],
      ['relu1', 'relu', 0],
      ['ip1', 'inner_product', 2],
    ]);
  });

  it.each(GOOD)('%s: a buffer, and files read through windows of 8 and 13 bytes, decode the same', (file) => {
    const whole = readCaffemodel(fixture(file), { file });
    expect(readCaffemodel(readFileSync(fixture(file)), { file })).toEqual(whole);
    expect(readCaffemodel(fixture(file), { file, windowBytes: 8 })).toEqual(whole);
    expect(readCaffemodel(fixture(file), { file, windowBytes: 13 })).toEqual(whole);
  });

  it('counts the values of layers it is told not to keep, without reading them', () => {
    const model = readCaffemodel(fixture('good-packed.caffemodel'), { keepData: (name) => name !== 'old_fc' });
    const old = model.layers.find((l) => l.name === 'old_fc');
    expect(old?.blobs.map((b) => [b.count, b.data.length, b.shape])).toEqual([
      [20, 0, [4, 5]],
      [4, 0, [4]],
    ]);
    expect(model.layers.find((l) => l.name === 'conv1')?.blobs[0].data.length).toBe(54);
    // Unpacked values are counted one by one.
    const unpacked = readCaffemodel(fixture('good-unpacked.caffemodel'), { keepData: () => false });
    expect(unpacked.layers.map((l) => l.blobs.map((b) => [b.count, b.data.length]))[1]).toEqual([
      [3, 0],
      [3, 0],
      [1, 0],
    ]);
  });

  // Byte sequences from the protobuf encoding guide: int32 −1 is ten bytes (sign-extended to 64 bits), and a
  // varint continues while the high bit is set.
  it('decodes negative int32 legacy dims and int64 dims beyond 32 bits', () => {
    const num = [0x08, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]; // num: -1
    const width = [0x20, 0x96, 0x01]; // width: 150
    const dim = [0x08, 0x80, 0x80, 0x80, 0x80, 0x80, 0x20]; // dim: 2^40
    const shape = [0x3a, dim.length, ...dim]; // BlobShape shape = 7
    const blob = [...num, ...width, ...shape];
    const layer = [0x0a, 0x01, 0x78, 0x3a, blob.length, ...blob]; // name "x", blobs = 7
    const net = Buffer.from([0xa2, 0x06, layer.length, ...layer]); // layer = 100
    const [x] = readCaffemodel(net).layers;
    expect(x.name).toBe('x');
    expect(x.blobs[0].legacy).toEqual([-1, 0, 0, 150]);
    expect(x.blobs[0].shape).toEqual([2 ** 40]);
  });
});
