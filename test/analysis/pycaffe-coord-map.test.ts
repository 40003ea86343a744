// pycaffe's test_coord_map.py, case by case, with the expected values of docs/caffe-semantics.md#coordinate-map-tests pycaffe builds
// its nets without running Caffe's shape checks; where a case's net would not pass them (a Crop whose
// reference is larger than what it crops, 3-D pooling), the comment says what stands in, and why the
// map under test is unchanged.
import { describe, expect, it } from 'vitest';
import { computeCoordMaps } from '../../src/analysis/coord-maps.js';
import { cropOffsets } from '../../src/analysis/crop-offsets.js';
import { mapBetween, UNCONNECTED } from '../../src/analysis/map-between.js';
import { load, mapFromTo, mapsOf } from '../helpers/analysis.js';

interface Spec {
  ks?: number | [number, number];
  stride?: number | [number, number];
  pad?: number | [number, number];
  pool?: number;
  dstride?: number;
  dpad?: number;
}

/** coord_net_spec: data 2×1×100×100, aux 2×1×20×20, conv → max pool → deconv (kernel 2·dstride). */
function coordNet({ ks = 3, stride = 1, pad = 0, pool = 2, dstride = 2, dpad = 0 }: Spec = {}, extra = ''): string {
  const geometry = (name: string, v: number | [number, number]) =>
    Array.isArray(v) ? `${name}_h: ${v[0]} ${name}_w: ${v[1]}` : `${name === 'kernel' ? 'kernel_size' : name}: ${v}`;
  return `
layer { name: "data" type: "Input" top: "data" input_param { shape { dim: 2 dim: 1 dim: 100 dim: 100 } } }
layer { name: "aux" type: "Input" top: "aux" input_param { shape { dim: 2 dim: 1 dim: 20 dim: 20 } } }
layer { name: "conv" type: "Convolution" bottom: "data" top: "conv"
  convolution_param { num_output: 10 ${geometry('kernel', ks)} ${geometry('stride', stride)} ${geometry('pad', pad)} } }
layer { name: "pool" type: "Pooling" bottom: "conv" top: "pool" pooling_param { pool: MAX kernel_size: ${pool} stride: ${pool} pad: 0 } }
layer { name: "deconv" type: "Deconvolution" bottom: "pool" top: "deconv"
  convolution_param { num_output: 10 kernel_size: ${2 * dstride} stride: ${dstride} pad: ${dpad} } }
${extra}`;
}

// A 20×20 window of data at offset 0: a reference connected to data but small enough for any crop here.
const ref = `layer { name: "ref" type: "Crop" bottom: "data" bottom: "aux" top: "ref" crop_param { axis: 2 offset: 0 } }`;

function cropFails(spec: Spec) {
  const net = load(coordNet(spec, `${ref}\nlayer { name: "crop" type: "Crop" bottom: "deconv" bottom: "ref" top: "crop" }`));
  return cropOffsets(mapsOf(net), net.layer('crop')!);
}

describe("pycaffe's test_coord_map.py", () => {
  it('1. test_conv_pool_deconv', () => {
    expect(mapFromTo(load(coordNet()), 'deconv', 'data')).toEqual({ a: [1, 1], b: [0, 0] });
    expect(mapFromTo(load(coordNet({ pool: 4, dstride: 4 })), 'deconv', 'data')).toEqual({ a: [1, 1], b: [-1, -1] });
  });

  it('2. test_pass', () => {
    const net = load(
      coordNet(
        {},
        `layer { name: "relu" type: "ReLU" bottom: "deconv" top: "relu" }
         layer { name: "conv1x1" type: "Convolution" bottom: "relu" top: "conv1x1" convolution_param { num_output: 10 kernel_size: 1 stride: 1 pad: 0 } }`,
      ),
    );
    const deconv = mapFromTo(net, 'deconv', 'data');
    expect(mapFromTo(net, 'relu', 'data')).toEqual(deconv);
    expect(mapFromTo(net, 'conv1x1', 'data')).toEqual(deconv);
  });

  it.each([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10])('3. test_padding with pad %i', (p) => {
    expect(mapFromTo(load(coordNet({ pad: p })), 'deconv', 'data')).toEqual({ a: [1, 1], b: [0 - p, 0 - p] }); // 0 − p: +0, not −0, when p is 0
    expect(mapFromTo(load(coordNet({ dpad: p })), 'deconv', 'data')).toEqual({ a: [1, 1], b: [p, p] });
    expect(mapFromTo(load(coordNet({ pad: p, dpad: p })), 'deconv', 'data')).toEqual({ a: [1, 1], b: [0, 0] });
  });

  it('4. test_multi_conv: top i maps to bottom i', () => {
    const net = load(
      coordNet(
        {},
        `layer { name: "conv2" type: "Convolution" bottom: "data" bottom: "aux" top: "conv_data" top: "conv_aux"
           convolution_param { num_output: 10 kernel_size: 5 stride: 2 pad: 0 } }`,
      ).replace('dim: 20 dim: 20', 'dim: 100 dim: 100'), // Caffe requires equal bottom shapes
    );
    expect(mapFromTo(net, 'conv_data', 'data')).toEqual({ a: [2, 2], b: [2, 2] });
    expect(mapFromTo(net, 'conv_aux', 'aux')).toEqual({ a: [2, 2], b: [2, 2] });
  });

  it('5. test_rect: per-axis kernel, stride and pad (which pycaffe itself rejects)', () => {
    expect(mapFromTo(load(coordNet({ ks: 3, stride: 1, pad: 0 })), 'deconv', 'data')).toEqual({ a: [1, 1], b: [0, 0] });
    expect(mapFromTo(load(coordNet({ ks: 5, stride: 2, pad: 10 })), 'deconv', 'data')).toEqual({ a: [2, 2], b: [-10, -10] });
    expect(mapFromTo(load(coordNet({ ks: [3, 5], stride: [1, 2], pad: [0, 10] })), 'deconv', 'data')).toEqual({ a: [1, 2], b: [0, -10] });
  });

  it('6. test_nd_conv: 3-D convolution (a 2×2×2 stride-2 convolution stands in for 3-D pooling, which Caffe lacks)', () => {
    const net = load(`
layer { name: "data" type: "Input" top: "data" input_param { shape { dim: 2 dim: 3 dim: 100 dim: 100 dim: 100 } } }
layer { name: "conv" type: "Convolution" bottom: "data" top: "conv"
  convolution_param { num_output: 10 kernel_size: 3 kernel_size: 3 kernel_size: 3 stride: 1 stride: 1 stride: 1 pad: 0 pad: 1 pad: 2 } }
layer { name: "pool" type: "Convolution" bottom: "conv" top: "pool" convolution_param { num_output: 10 kernel_size: 2 stride: 2 pad: 0 } }
layer { name: "deconv" type: "Deconvolution" bottom: "pool" top: "deconv" convolution_param { num_output: 10 kernel_size: 4 stride: 2 pad: 0 } }`);
    expect(mapFromTo(net, 'deconv', 'data')).toEqual({ a: [1, 1, 1], b: [0, -1, -2] });
  });

  it.each([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10])('7. test_crop_of_crop with offset %i (cropped to the 20×20 aux)', (offset) => {
    const net = load(
      coordNet(
        {},
        `layer { name: "crop" type: "Crop" bottom: "deconv" bottom: "aux" top: "crop" crop_param { axis: 2 offset: ${offset} } }`,
      ),
    );
    expect(mapFromTo(net, 'crop', 'data')).toEqual({ a: [1, 1], b: [offset, offset] });
  });

  it('8. test_crop_helper: crop(deconv, data) is offset 0', () => {
    const net = load(coordNet({}, `layer { name: "crop" type: "Crop" bottom: "deconv" bottom: "data" top: "crop" }`));
    const report = cropOffsets(mapsOf(net), net.layer('crop')!);
    expect(report).toMatchObject({ axis: 2, offsetComputed: [0, 0], ok: true });
  });

  it('9. test_catch_unconnected', () => {
    const net = load(
      coordNet({}, `layer { name: "ip" type: "InnerProduct" bottom: "deconv" top: "ip" inner_product_param { num_output: 10 } }`),
    );
    expect(() => mapBetween(mapsOf(net), net.blob('ip'), net.blob('data'))).toThrow(UNCONNECTED);
  });

  it('10. test_catch_scale_mismatch', () => {
    // Exact arithmetic: b is −1/4, where pycaffe's floats give −0.2500000000000001.
    expect(mapFromTo(load(coordNet({ pool: 3, dstride: 2 })), 'deconv', 'data')).toEqual({ a: [1.5, 1.5], b: [-0.25, -0.25] });
    expect(cropFails({ pool: 3, dstride: 2 })).toMatchObject({
      offsetComputed: null,
      ok: false,
      reason: 'scale mismatch on crop (a = [1.5 1.5])',
    });
  });

  it('11. test_catch_negative_crop', () => {
    expect(mapFromTo(load(coordNet({ dpad: 10 })), 'deconv', 'data')).toEqual({ a: [1, 1], b: [10, 10] });
    expect(cropFails({ dpad: 10 })).toMatchObject({
      offsetComputed: null,
      ok: false,
      reason: 'cannot crop negative offset (b = [10. 10.])',
    });
  });
});

describe('the extra cases of docs/caffe-semantics.md#coordinate-map-tests', () => {
  it('data → deconv is the identity too', () => {
    expect(mapFromTo(load(coordNet()), 'data', 'deconv')).toEqual({ a: [1, 1], b: [0, 0] });
  });

  it('per-layer maps of the default net', () => {
    const net = load(coordNet());
    const maps = computeCoordMaps(net).maps;
    const data = net.blob('data');
    const asNumbers = (blob: string) =>
      maps
        .get(net.blob(blob))!
        .get(data)!
        .map((m) => [m.a.toNumber(), m.b.toNumber()]);
    expect(asNumbers('conv')).toEqual([
      [1, -1],
      [1, -1],
    ]);
    expect(asNumbers('pool')).toEqual([
      [0.5, -0.75],
      [0.5, -0.75],
    ]); // pool (y/2 − 0.25) ∘ conv (x − 1)
    expect(asNumbers('deconv')).toEqual([
      [1, 0],
      [1, 0],
    ]); // deconv (2y + 1.5) ∘ pool
  });

  it('a 2×2 convolution: negative offset one way, non-integer the other', () => {
    const net = load(
      `
layer { name: "data" type: "Input" top: "data" input_param { shape { dim: 1 dim: 1 dim: 10 dim: 10 } } }
layer { name: "conv" type: "Convolution" bottom: "data" top: "conv" convolution_param { num_output: 1 kernel_size: 2 } }
layer { name: "c1" type: "Crop" bottom: "conv" bottom: "data" top: "c1" crop_param { offset: 0 } }
layer { name: "c2" type: "Crop" bottom: "data" bottom: "conv" top: "c2" }`.replace(/layer \{ name: "c1".*\n/, ''),
    );
    expect(mapFromTo(net, 'conv', 'data')).toEqual({ a: [1, 1], b: [0.5, 0.5] });
    expect(cropOffsets(mapsOf(net), net.layer('c2')!).reason).toBe('cannot crop noninteger offset (b = [-0.5 -0.5])');
  });

  it('a dilated convolution uses the dilated extent', () => {
    const net = load(`
layer { name: "data" type: "Input" top: "data" input_param { shape { dim: 1 dim: 1 dim: 10 dim: 10 } } }
layer { name: "conv" type: "Convolution" bottom: "data" top: "conv" convolution_param { num_output: 1 kernel_size: 3 dilation: 2 pad: 1 } }`);
    expect(mapFromTo(net, 'conv', 'data')).toEqual({ a: [1, 1], b: [1, 1] });
  });

  it('a pass-through-only path is the identity (where pycaffe raises AttributeError)', () => {
    const net = load(coordNet({}, `layer { name: "relu" type: "ReLU" bottom: "data" top: "relu" }`));
    expect(mapFromTo(net, 'relu', 'data')).toEqual({ a: [1, 1], b: [0, 0] });
  });
});
