// pycaffe NetSpec semantics (docs/caffe-semantics.md#netspec-objects, #netspec-keywords, #netspec-order), on the nets of python/caffe/test/test_net_spec.py
// (written here as snippets) and examples/pycaffe/caffenet.py: layer order, automatic names, in-place
// layers, top-less layers, keyword routing, and pycaffe's failures.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadNet } from '../../src/api/load-net.js';
import { readNetParameter } from '../../src/frontend/prototxt/read-net-parameter.js';
import type { Msg } from '../../src/schema/message.js';
import { corpusAvailable, corpusPath } from '../helpers/corpus.js';
import { py, pyFailure, runPy } from './run-py.js';

const LENETS = py`
  import caffe
  from caffe import layers as L
  from caffe import params as P

  def lenet(batch_size):
      n = caffe.NetSpec()
      n.data, n.label = L.DummyData(shape=[dict(dim=[batch_size, 1, 28, 28]),
                                           dict(dim=[batch_size, 1, 1, 1])],
                                    transform_param=dict(scale=1./255), ntop=2)
      n.conv1 = L.Convolution(n.data, kernel_size=5, num_output=20, weight_filler=dict(type='xavier'))
      n.pool1 = L.Pooling(n.conv1, kernel_size=2, stride=2, pool=P.Pooling.MAX)
      n.conv2 = L.Convolution(n.pool1, kernel_size=5, num_output=50, weight_filler=dict(type='xavier'))
      n.pool2 = L.Pooling(n.conv2, kernel_size=2, stride=2, pool=P.Pooling.MAX)
      n.ip1 = L.InnerProduct(n.pool2, num_output=500, weight_filler=dict(type='xavier'))
      n.relu1 = L.ReLU(n.ip1, in_place=True)
      n.ip2 = L.InnerProduct(n.relu1, num_output=10, weight_filler=dict(type='xavier'))
      n.loss = L.SoftmaxWithLoss(n.ip2, n.label)
      return n.to_proto()

  def anon_lenet(batch_size):
      data, label = L.DummyData(shape=[dict(dim=[batch_size, 1, 28, 28]),
                                       dict(dim=[batch_size, 1, 1, 1])],
                                transform_param=dict(scale=1./255), ntop=2)
      conv1 = L.Convolution(data, kernel_size=5, num_output=20, weight_filler=dict(type='xavier'))
      pool1 = L.Pooling(conv1, kernel_size=2, stride=2, pool=P.Pooling.MAX)
      conv2 = L.Convolution(pool1, kernel_size=5, num_output=50, weight_filler=dict(type='xavier'))
      pool2 = L.Pooling(conv2, kernel_size=2, stride=2, pool=P.Pooling.MAX)
      ip1 = L.InnerProduct(pool2, num_output=500, weight_filler=dict(type='xavier'))
      relu1 = L.ReLU(ip1, in_place=True)
      ip2 = L.InnerProduct(relu1, num_output=10, weight_filler=dict(type='xavier'))
      loss = L.SoftmaxWithLoss(ip2, label)
      return loss.to_proto()

  def silent_net():
      n = caffe.NetSpec()
      n.data, n.data2 = L.DummyData(shape=dict(dim=3), ntop=2)
      n.silence_data = L.Silence(n.data, ntop=0)
      n.silence_data2 = L.Silence(n.data2, ntop=0)
      return n.to_proto()
`;

/** Runs the lenet snippets and returns the NetParameter text `expr` evaluates to. */
function netText(expr: string): string {
  const run = runPy(`${LENETS}\nwith open('net.prototxt', 'w') as f:\n    f.write(str(${expr}))\n`);
  return run.files.get('net.prototxt')!;
}

function layers(text: string): { name: string; type: string; bottom: string[]; top: string[] }[] {
  return ((readNetParameter(text, 'net.prototxt').layer as Msg[]) ?? []).map((l) => ({
    name: l.name as string,
    type: l.type as string,
    bottom: (l.bottom as string[] | undefined) ?? [],
    top: (l.top as string[] | undefined) ?? [],
  }));
}

describe('test_net_spec.py nets', () => {
  it('lenet(50): NetSpec names, DFS order, in-place relu1 (layer[6].bottom == top), 9 layers', () => {
    const text = netText('lenet(50)');
    expect(layers(text).map((l) => `${l.name}:${l.type}`)).toEqual([
      'data:DummyData',
      'conv1:Convolution',
      'pool1:Pooling',
      'conv2:Convolution',
      'pool2:Pooling',
      'ip1:InnerProduct',
      'relu1:ReLU',
      'ip2:InnerProduct',
      'loss:SoftmaxWithLoss',
    ]);
    const relu = layers(text)[6];
    expect(relu.bottom).toEqual(['ip1']);
    expect(relu.top).toEqual(relu.bottom);
    expect(layers(text)[0].top).toEqual(['data', 'label']);
    // Caffe builds it with 9 layers; so does brewnet, with LeNet's shapes.
    const net = loadNet(text, { file: 'lenet.prototxt' });
    expect(net.layers).toHaveLength(9);
    expect(net.blob('pool2').shape).toEqual([50, 50, 4, 4]);
    expect(net.blob('ip2').shape).toEqual([50, 10]);
  });

  it('anon_lenet(50): automatic names counted per type, in-place ReLU1 on InnerProduct1', () => {
    const ls = layers(netText('anon_lenet(50)'));
    expect(ls.map((l) => l.name)).toEqual([
      'DummyData1',
      'Convolution1',
      'Pooling1',
      'Convolution2',
      'Pooling2',
      'InnerProduct1',
      'ReLU1',
      'InnerProduct2',
      'SoftmaxWithLoss1',
    ]);
    expect(ls[0].top).toEqual(['DummyData1', 'DummyData2']);
    expect(ls[6].bottom).toEqual(['InnerProduct1']);
    expect(ls[6].top).toEqual(['InnerProduct1']);
    expect(ls[8].bottom).toEqual(['InnerProduct2', 'DummyData2']);
  });

  it('silent_net(): top-less layers are named by their NetSpec attribute; the net has no outputs', () => {
    const text = netText('silent_net()');
    expect(layers(text).map((l) => [l.name, l.top.length])).toEqual([
      ['data', 2],
      ['silence_data', 0],
      ['silence_data2', 0],
    ]);
    expect(loadNet(text, { file: 'silent.prototxt' }).outputs).toEqual([]);
  });

  it('test_type_error: a tuple of tops is not a Top; unpacking it with * is', () => {
    expect(
      pyFailure(py`
      from caffe import layers as L
      data = L.DummyData(ntop=2)
      L.Silence(*data, ntop=0)
      L.Silence(data, ntop=0)
    `),
    ).toBe(
      "net.py:4:1: error: TypeError: Silence input 0 is not a Top (type is <class 'tuple'>)\n  hint: unpack several tops with *: L.Silence(*tops, …)",
    );
  });
});

describe('keyword routing and naming (docs/caffe-semantics.md#netspec-keywords)', () => {
  const HEAD =
    'import caffe\nfrom caffe import layers as L, params as P\nn = caffe.NetSpec()\nn.data = L.Input(shape=dict(dim=[1, 3, 8, 8]))\n';
  const text = (body: string) =>
    runPy(`${HEAD}${body}\nwith open('n.prototxt', 'w') as f:\n    f.write(str(n.to_proto()))\n`).files.get('n.prototxt')!;

  it('name, loss_weight, include and param go to LayerParameter; the top keeps the NetSpec name', () => {
    const t = text(
      "n.c = L.Convolution(n.data, num_output=2, kernel_size=3, name='myconv', loss_weight=1, include=dict(phase=caffe.TRAIN), param=[dict(lr_mult=1), dict(lr_mult=2)])",
    );
    const layer = (readNetParameter(t, 'n').layer as Msg[])[1];
    expect(layer).toMatchObject({
      name: 'myconv',
      top: ['c'],
      loss_weight: [1],
      include: [{ phase: 'TRAIN' }],
      param: [{ lr_mult: 1 }, { lr_mult: 2 }],
    });
    expect(layer.convolution_param).toEqual({ num_output: 2, kernel_size: [3] });
  });

  it('a kwarg the type message has wins over LayerParameter: L.Python(layer=…) fills python_param.layer', () => {
    const layer = (readNetParameter(text("n.p = L.Python(n.data, module='m', layer='MyLayer', param_str='x')"), 'n').layer as Msg[])[1];
    expect(layer.python_param).toEqual({ module: 'm', layer: 'MyLayer', param_str: 'x' });
  });

  it('an unnamed in-place layer burns an automatic name; a top assigned twice keeps the last name', () => {
    const t = text('relu = L.ReLU(n.data, in_place=True)\nn.conv = L.Convolution(relu, num_output=1, kernel_size=1)\nn.again = n.conv');
    expect(layers(t).map((l) => `${l.name}(${l.bottom}->${l.top})`)).toEqual(['data(->data)', 'ReLU1(data->data)', 'again(data->again)']);
  });

  it('a re-assigned NetSpec name keeps its first position', () => {
    const t = text('n.a = L.Input(shape=dict(dim=[1]))\nn.b = L.Input(shape=dict(dim=[2]))\nn.a = L.Input(shape=dict(dim=[3]))');
    expect(layers(t).map((l) => l.name)).toEqual(['data', 'a', 'b']);
    expect(t.indexOf('dim: 3')).toBeLessThan(t.indexOf('dim: 2'));
  });

  it.each([
    [
      'n.c = L.Convolution(n.data, num_output=2, kernel_size=(3, 3))',
      'net.py:5:43: error: TypeError: (3, 3) has type tuple, but expected one of: int\n  hint: pycaffe expands only lists: write kernel_size=[3, 3]',
    ],
    [
      'n.c = L.Convolution(n.data, num_output=2, kernel_sizee=3)',
      "net.py:5:43: error: TypeError: Convolution() got an unknown parameter 'kernel_sizee' (did you mean 'kernel_size'?)",
    ],
    ['n.c = L.Convolution(n.data, bogus=1)', "net.py:5:29: error: TypeError: Convolution() got an unknown parameter 'bogus'"],
    [
      'n.up = L.Deconvolution(n.data, num_output=21, kernel_size=4)',
      'net.py:5:32: error: AttributeError: num_output\n  hint: pycaffe cannot serialise L.Deconvolution(num_output=…): Deconvolution has no parameter message of its own; write convolution_param=dict(num_output=…)',
    ],
    [
      'n.p = L.Pooling(n.data, pool=7)',
      'net.py:5:25: error: ValueError: Unknown enum value: 7\n  hint: pool (PoolMethod) takes MAX = 0, AVE = 1, STOCHASTIC = 2',
    ],
    [
      'n.c = L.Convolution(n.data, num_output=2.5)',
      'net.py:5:29: error: TypeError: 2.5 has type float, but expected one of: int\n  hint: for num_output (uint32) of Convolution()',
    ],
    [
      'n.c = L.Convolution(n.data, num_output=-1)',
      'net.py:5:29: error: ValueError: Value out of range: -1\n  hint: num_output is a uint32 (0 to 4294967295)',
    ],
    [
      "n.c = L.Convolution(n.data, weight_filler='xavier')",
      'net.py:5:29: error: AttributeError: Assignment not allowed to field "weight_filler" in protocol message object.\n  hint: weight_filler is a FillerParameter message: give it as weight_filler=dict(…)',
    ],
    [
      'n.c = L.Convolution(n.data, param=[])',
      'net.py:5:29: error: IndexError: list index out of range\n  hint: pycaffe reads the first item of param=[…]; leave the keyword out instead of giving an empty list',
    ],
    [
      'n.p = L.Pooling(n.data, pool=P.Poolng.MAX)',
      "net.py:5:32: error: AttributeError: module 'caffe_pb2' has no attribute 'PoolngParameter' (did you mean P.Pooling?)",
    ],
    ['print(n.conv1)', "net.py:5:9: error: KeyError: 'conv1'\n  hint: a NetSpec top must be assigned before it is read"],
    [
      'n.t = (n.data, n.data)',
      "net.py:5:3: error: TypeError: NetSpec attribute 't' holds a tuple, not a Top\n  hint: unpack a layer's tops: n.a, n.b = L.Layer(…, ntop=2)",
    ],
  ])('%s', (body, expected) => {
    expect(pyFailure(`${HEAD}${body}\nstr(n.to_proto())\n`)).toBe(expected);
  });
});

describe.skipIf(!corpusAvailable)('examples/pycaffe/caffenet.py (../shared/corpus)', () => {
  const run = corpusAvailable
    ? runPy(readFileSync(corpusPath('bvlc-caffe/examples/pycaffe/caffenet.py'), 'utf8'), { file: 'caffenet.py' })
    : undefined;

  it('writes train.prototxt and test.prototxt with print(…, file=f)', () => {
    expect([...run!.files.keys()]).toEqual(['train.prototxt', 'test.prototxt']);
  });

  it('names every layer automatically, in to_proto(loss, acc) order', () => {
    const ls = layers(run!.files.get('test.prototxt')!);
    expect(ls.map((l) => l.name)).toEqual([
      'Data1',
      'Convolution1',
      'ReLU1',
      'Pooling1',
      'LRN1',
      'Convolution2',
      'ReLU2',
      'Pooling2',
      'LRN2',
      'Convolution3',
      'ReLU3',
      'Convolution4',
      'ReLU4',
      'Convolution5',
      'ReLU5',
      'Pooling3',
      'InnerProduct1',
      'ReLU6',
      'Dropout1',
      'InnerProduct2',
      'ReLU7',
      'Dropout2',
      'InnerProduct3',
      'SoftmaxWithLoss1',
      'Accuracy1',
    ]);
    expect(ls[0].top).toEqual(['Data1', 'Data2']);
    expect(ls[24].bottom).toEqual(['InnerProduct3', 'Data2']);
  });

  it('builds CaffeNet: conv1 96×55×55, pool5 256×6×6, fc8 1000 (the published architecture)', () => {
    const net = loadNet(run!.files.get('train.prototxt')!, { file: 'train.prototxt', inputs: { Data1: [256, 3, 227, 227], Data2: [256] } });
    expect(net.blob('Convolution1').shape).toEqual([256, 96, 55, 55]);
    expect(net.blob('Pooling3').shape).toEqual([256, 256, 6, 6]);
    expect(net.blob('InnerProduct3').shape).toEqual([256, 1000]);
    expect(net.layer('Convolution2')!.paramShapes[0]).toEqual([256, 48, 5, 5]);
  });
});
