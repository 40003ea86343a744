// caffe.coord_map in the sandbox, on the nets of python/caffe/test/test_coord_map.py (written here as a
// snippet), with the values pycaffe's coord_map.py gives (docs/caffe-semantics.md#coordinate-map-tests): every test of the
// file, its extra cases, and pycaffe's failure messages.
import { describe, expect, it } from 'vitest';
import { py, pyFailure, runPy } from './run-py.js';

const COORD_NET = py`
  import caffe
  from caffe import layers as L, params as P
  from caffe.coord_map import coord_map_from_to, crop

  def coord_net_spec(ks=3, stride=1, pad=0, pool=2, dstride=2, dpad=0):
      n = caffe.NetSpec()
      n.data = L.Input(shape=dict(dim=[2, 1, 100, 100]))
      n.aux = L.Input(shape=dict(dim=[2, 1, 20, 20]))
      n.conv = L.Convolution(n.data, num_output=10, kernel_size=ks, stride=stride, pad=pad)
      n.pool = L.Pooling(n.conv, pool=P.Pooling.MAX, kernel_size=pool, stride=pool, pad=0)
      # for upsampling kernel size is 2x stride
      try:
          deconv_ks = [s * 2 for s in dstride]
      except TypeError:
          deconv_ks = dstride * 2
      n.deconv = L.Deconvolution(n.pool, num_output=10, kernel_size=deconv_ks, stride=dstride, pad=dpad)
      return n
`;

/** What `print(expr)` shows after the snippet and `setup`. */
function show(setup: string, expr: string): string {
  return runPy(`${COORD_NET}\n${setup}\nprint(${expr})\n`).printed.trim();
}

describe('test_coord_map.py', () => {
  it('test_conv_pool_deconv: identity for 2× pool and deconv, shift by one for 4×', () => {
    expect(show('n = coord_net_spec()', 'coord_map_from_to(n.deconv, n.data)')).toBe('(1, [1.0], [0.0])');
    expect(show('n = coord_net_spec(pool=4, dstride=4)', 'coord_map_from_to(n.deconv, n.data)')).toBe('(1, [1.0], [-1.0])');
  });

  it('test_pass: a ReLU and a 1×1 convolution map as the identity', () => {
    const setup =
      'n = coord_net_spec()\nn.relu = L.ReLU(n.deconv)\nn.conv1x1 = L.Convolution(n.relu, num_output=10, kernel_size=1, stride=1, pad=0)';
    expect(show(setup, 'coord_map_from_to(n.relu, n.data), coord_map_from_to(n.conv1x1, n.data)')).toBe(
      '(1, [1.0], [0.0]) (1, [1.0], [0.0])',
    );
  });

  it.each([0, 1, 5, 10])('test_padding with pad %i: conv padding shifts by -pad, deconv padding by +pad, both cancel', (pad) => {
    expect(show(`n = coord_net_spec(pad=${pad})`, 'coord_map_from_to(n.deconv, n.data)')).toBe(
      `(1, [1.0], [${-pad}.0])`.replace('[-0.0]', '[0.0]'),
    );
    expect(show(`n = coord_net_spec(dpad=${pad})`, 'coord_map_from_to(n.deconv, n.data)')).toBe(`(1, [1.0], [${pad}.0])`);
    expect(show(`n = coord_net_spec(pad=${pad}, dpad=${pad})`, 'coord_map_from_to(n.deconv, n.data)')).toBe('(1, [1.0], [0.0])');
  });

  it('test_multi_conv: both bottoms of a two-bottom convolution map alike', () => {
    const setup =
      'n = coord_net_spec()\nn.conv_data, n.conv_aux = L.Convolution(n.data, n.aux, ntop=2, num_output=10, kernel_size=5, stride=2, pad=0)';
    expect(show(setup, 'coord_map_from_to(n.conv_data, n.data), coord_map_from_to(n.conv_aux, n.aux)')).toBe(
      '(1, [2.0], [2.0]) (1, [2.0], [2.0])',
    );
  });

  it('test_rect: a 3×5 net maps per axis as the 3×3 and 5×5 nets do', () => {
    expect(show('n = coord_net_spec(ks=3, stride=1, pad=0)', 'coord_map_from_to(n.deconv, n.data)')).toBe('(1, [1.0], [0.0])');
    expect(show('n = coord_net_spec(ks=5, stride=2, pad=10)', 'coord_map_from_to(n.deconv, n.data)')).toBe('(1, [2.0], [-10.0])');
    expect(show('n = coord_net_spec(ks=[3, 5], stride=[1, 2], pad=[0, 10])', 'coord_map_from_to(n.deconv, n.data)')).toBe(
      '(1, [1.0, 2.0], [0.0, -10.0])',
    );
  });

  it('test_nd_conv: three spatial axes', () => {
    const setup = py`
      n = caffe.NetSpec()
      n.data = L.Input(shape=dict(dim=[2, 3, 100, 100, 100]))
      n.conv = L.Convolution(n.data, num_output=10, kernel_size=[3, 3, 3], stride=[1, 1, 1], pad=[0, 1, 2])
      n.pool = L.Pooling(n.conv, pool=P.Pooling.MAX, kernel_size=2, stride=2, pad=0)
      n.deconv = L.Deconvolution(n.pool, num_output=10, kernel_size=4, stride=2, pad=0)
    `;
    expect(show(setup, 'coord_map_from_to(n.deconv, n.data)')).toBe('(1, [1.0, 1.0, 1.0], [0.0, -1.0, -2.0])');
  });

  it.each([0, 3, 10])('test_crop_of_crop with offset %i: the crop adds its offset to b', (offset) => {
    const setup = `n = coord_net_spec()\nn.crop = L.Crop(n.deconv, n.data, axis=2, offset=${offset})`;
    expect(show(setup, 'coord_map_from_to(n.crop, n.data)')).toBe(`(1, [1.0], [${offset}.0])`);
  });

  it('test_crop_helper: crop(n.deconv, n.data) is a Crop with axis 2 and offset [0]', () => {
    const out = show('n = coord_net_spec()\nc = crop(n.deconv, n.data)', 'c.fn.type_name, c.fn.inputs == (n.deconv, n.data), c.fn.params');
    expect(out).toBe("Crop True {'crop_param': {'axis': 2, 'offset': [0]}}");
  });

  it('extra cases: data → deconv, a dilated kernel (extent 5)', () => {
    expect(show('n = coord_net_spec()', 'coord_map_from_to(n.data, n.deconv)')).toBe('(1, [1.0], [0.0])');
    const dilated =
      'n = caffe.NetSpec()\nn.data = L.Input(shape=dict(dim=[1, 1, 20, 20]))\nn.conv = L.Convolution(n.data, num_output=1, kernel_size=3, dilation=2, pad=1)';
    expect(show(dilated, 'coord_map_from_to(n.conv, n.data)')).toBe('(1, [1.0], [1.0])');
  });
});

describe("pycaffe's failures", () => {
  const fails = (setup: string, call: string) => pyFailure(`${COORD_NET}\n${setup}\n${call}\n`).replace(/^net\.py:\d+:\d+: error: /, '');

  it('test_catch_unconnected: no spatial path through an InnerProduct', () => {
    expect(fails('n = coord_net_spec()\nn.ip = L.InnerProduct(n.deconv, num_output=10)', 'coord_map_from_to(n.ip, n.data)')).toBe(
      'RuntimeError: Could not compute map between tops; are they connected by spatial layers?',
    );
  });

  it('test_catch_scale_mismatch: 3× pooling, 2× deconvolution', () => {
    expect(fails('n = coord_net_spec(pool=3, dstride=2)', 'crop(n.deconv, n.data)')).toBe(
      'AssertionError: scale mismatch on crop (a = [1.5])',
    );
  });

  it('test_catch_negative_crop: a deconvolution padded by 10', () => {
    expect(fails('n = coord_net_spec(dpad=10)', 'crop(n.deconv, n.data)')).toBe('AssertionError: cannot crop negative offset (b = [10.])');
  });

  it('a 2×2 kernel: negative (b = [0.5]) one way, non-integer (b = [-0.5]) the other', () => {
    const setup =
      'n = caffe.NetSpec()\nn.data = L.Input(shape=dict(dim=[1, 1, 20, 20]))\nn.conv = L.Convolution(n.data, num_output=1, kernel_size=2)';
    expect(fails(setup, 'crop(n.conv, n.data)')).toBe('AssertionError: cannot crop negative offset (b = [0.5])');
    expect(fails(setup, 'crop(n.data, n.conv)')).toBe('AssertionError: cannot crop noninteger offset (b = [-0.5])');
  });

  it('a stride of 0 (which Caffe refuses) is a located Python error, not an internal one', () => {
    // Found by the fuzz campaign (case 535 of seed 1): FCN's conv_relu with stride=0, then crop().
    expect(fails('n = coord_net_spec(stride=0)', 'crop(n.deconv, n.data)')).toBe(
      'ZeroDivisionError: coord_map: a stride of 0 has no coordinate map (Caffe requires stride ≥ 1)',
    );
  });

  it('the error points at the crop() call in the script', () => {
    const source = `${COORD_NET}\nn = coord_net_spec(dpad=10)\nx = crop(n.deconv, n.data)\n`;
    const line = source.split('\n').indexOf('x = crop(n.deconv, n.data)') + 1;
    expect(pyFailure(source)).toBe(`net.py:${line}:5: error: AssertionError: cannot crop negative offset (b = [10.])`);
  });
});
