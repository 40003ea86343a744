// Upgrades follow Caffe's UpgradeNetAsNeeded (docs/caffe-semantics.md#upgrades); expected values come from Caffe's rules there.
import { describe, expect, it } from 'vitest';
import { DiagnosticError, loadNet, readNet } from '../../src/index.js';
import { toProtoJSON } from '../../src/printer/json-printer.js';
import type { Msg } from '../../src/schema/message.js';

function diagnosticOf(run: () => unknown) {
  try {
    run();
  } catch (e) {
    if (e instanceof DiagnosticError) return e.diagnostics[0];
    throw e;
  }
  throw new Error('expected a diagnostic');
}

describe('V1 → V2', () => {
  const v1 = `name: "v1"
input: "data"
input_dim: 2 input_dim: 3 input_dim: 8 input_dim: 8
layers {
  name: "conv" type: CONVOLUTION bottom: "data" top: "conv"
  blobs_lr: 1 blobs_lr: 2 weight_decay: 1 weight_decay: 0
  param: "w" param: "b"
  convolution_param { num_output: 4 kernel_size: 3 }
}
layers { name: "loss" type: SOFTMAX_LOSS bottom: "conv" bottom: "data" top: "loss" loss_weight: 2 }
`;
  it('maps the type enum, blobs_lr/weight_decay/param names to ParamSpecs, and copies *_param', () => {
    const net = toProtoJSON(readNet(v1)) as any;
    expect(net.layers).toBeUndefined();
    expect(net.layer[1]).toEqual({
      name: 'conv',
      type: 'Convolution',
      bottom: ['data'],
      top: ['conv'],
      param: [
        { name: 'w', lr_mult: 1, decay_mult: 1 },
        { name: 'b', lr_mult: 2, decay_mult: 0 },
      ],
      convolution_param: { num_output: 4, kernel_size: [3] },
    });
    expect(net.layer[2]).toMatchObject({ type: 'SoftmaxWithLoss', loss_weight: [2] });
  });

  it('turns input/input_dim into an Input layer named "input" at the front', () => {
    const net = toProtoJSON(readNet(v1)) as any;
    expect(net.input).toBeUndefined();
    expect(net.input_dim).toBeUndefined();
    expect(net.layer[0]).toEqual({
      name: 'input',
      type: 'Input',
      top: ['data'],
      input_param: { shape: [{ dim: ['2', '3', '8', '8'] }] },
    });
  });

  it('keeps the V1 message as written with upgrade: false', () => {
    const net = toProtoJSON(readNet(v1, { upgrade: false })) as any;
    expect(net.layers[0].type).toBe('CONVOLUTION');
    expect(net.input_dim).toEqual([2, 3, 8, 8]);
  });

  it('keeps source locations through the upgrade', () => {
    const d = diagnosticOf(() =>
      loadNet(v1.replace('num_output: 4 kernel_size: 3', 'num_output: 4 kernel_size: 30'), { file: 'v1.prototxt' }),
    );
    // At kernel_size inside the V1 layer's convolution_param, where the impossible size was written.
    expect(d.location).toMatchObject({ file: 'v1.prototxt', line: 8, column: 37 });
    expect(d.message).toMatch(/^layer "conv" \(Convolution\): /);
  });

  it('pads ParamSpecs up to the highest index given', () => {
    const net = readNet(`layers { name: "ip" type: INNER_PRODUCT weight_decay: 1 weight_decay: 0 }`);
    const specs = (net.layer as Msg[])[0].param as Msg[];
    expect(specs).toHaveLength(2);
    expect(specs[1]).toEqual({ decay_mult: 0 });
  });

  it('moves V1 data-layer preprocessing into transform_param', () => {
    const net = toProtoJSON(
      readNet(
        `layers { name: "d" type: DATA top: "data" data_param { source: "x" batch_size: 4 scale: 0.5 mirror: true crop_size: 7 mean_file: "m" } }`,
      ),
    ) as any;
    expect(net.layer[0].data_param).toEqual({ source: 'x', batch_size: 4 });
    expect(net.layer[0].transform_param).toEqual({ scale: 0.5, mirror: true, crop_size: 7, mean_file: 'm' });
  });

  it('rejects a net that mixes layer and layers, as Caffe does', () => {
    const d = diagnosticOf(() => readNet(`layer { name: "a" type: "Input" }\nlayers { name: "b" type: RELU }`, { file: 'mixed.prototxt' }));
    expect(d.message).toBe("Refusing to upgrade inconsistent NetParameter input; the definition includes both 'layer' and 'layers' fields");
    expect(d.location).toMatchObject({ line: 2, column: 1 });
  });
});

describe('V0 → V1 → V2', () => {
  const v0 = `name: "v0"
input: "data"
input_dim: 1 input_dim: 3 input_dim: 32 input_dim: 32
layers { layer { name: "pad1" type: "padding" pad: 2 } bottom: "data" top: "pad1" }
layers {
  layer { name: "conv1" type: "conv" num_output: 8 kernelsize: 5 stride: 1 biasterm: false blobs_lr: 1 weight_decay: 1
          weight_filler { type: "xavier" } }
  bottom: "pad1" top: "conv1"
}
layers { layer { name: "pool1" type: "pool" pool: AVE kernelsize: 2 stride: 2 } bottom: "conv1" top: "pool1" }
layers { layer { name: "drop" type: "dropout" dropout_ratio: 0.25 } bottom: "pool1" top: "pool1" }
layers { layer { name: "ip" type: "innerproduct" num_output: 10 } bottom: "pool1" top: "ip" }
layers { layer { name: "loss" type: "softmax_loss" } bottom: "ip" bottom: "data" }
`;
  it('folds padding layers into the conv they feed and moves every field into its parameter message', () => {
    const net = toProtoJSON(readNet(v0)) as any;
    expect(net.layer.map((l: any) => [l.name, l.type])).toEqual([
      ['input', 'Input'],
      ['conv1', 'Convolution'],
      ['pool1', 'Pooling'],
      ['drop', 'Dropout'],
      ['ip', 'InnerProduct'],
      ['loss', 'SoftmaxWithLoss'],
    ]);
    expect(net.layer[1]).toEqual({
      name: 'conv1',
      type: 'Convolution',
      bottom: ['data'],
      top: ['conv1'],
      param: [{ lr_mult: 1, decay_mult: 1 }],
      convolution_param: { num_output: 8, bias_term: false, pad: [2], kernel_size: [5], stride: [1], weight_filler: { type: 'xavier' } },
    });
    expect(net.layer[2].pooling_param).toEqual({ pool: 'AVE', kernel_size: 2, stride: 2 });
    expect(net.layer[3].dropout_param).toEqual({ dropout_ratio: 0.25 });
  });

  it('infers shapes through the upgraded net (pad 2 keeps 32 px through a 5×5 conv)', () => {
    const net = loadNet(v0.replace(/layers \{ layer \{ name: "loss".*\n/, ''));
    expect(net.blob('conv1').shape).toEqual([1, 8, 32, 32]);
    expect(net.blob('pool1').shape).toEqual([1, 8, 16, 16]);
  });

  it("rejects an unknown V0 type and a field the type does not have, with Caffe's messages", () => {
    const bad = diagnosticOf(() => readNet(`layers { layer { name: "x" type: "interp" } }`, { file: 'v0.prototxt' }));
    expect(bad.message).toBe('Unknown layer name: interp');
    expect(bad.location).toMatchObject({ line: 1, column: 28 });
    const field = diagnosticOf(() => readNet(`layers {\n  layer { name: "r" type: "relu" kernelsize: 3 }\n}`, { file: 'v0.prototxt' }));
    expect(field.message).toBe('Unknown parameter kernelsize for layer type relu');
    expect(field.location).toMatchObject({ line: 2, column: 34 });
  });

  it('requires a padding layer to feed a conv or pool', () => {
    const d = diagnosticOf(() =>
      readNet(
        `input: "a"\nlayers { layer { name: "p" type: "padding" pad: 1 } bottom: "a" top: "p" }\nlayers { layer { name: "r" type: "relu" } bottom: "p" top: "r" }`,
      ),
    );
    expect(d.message).toBe('Padding layer input to non-convolutional / non-pooling layer type relu');
    expect(d.location).toMatchObject({ line: 3, column: 43 });
  });

  it("refuses a bottom that no earlier layer produces and no net input names, as Caffe's upgrader does", () => {
    const d = diagnosticOf(() =>
      readNet(`input: "data"\nlayers {\n  layer { name: "r" type: "relu" }\n  bottom: "dta"\n  top: "r"\n}`, { file: 'v0.prototxt' }),
    );
    expect(d.message).toBe('Unknown blob input "dta" to layer "r" (bottom 0): no earlier layer produces it and it is not a net input');
    expect(d.location).toMatchObject({ file: 'v0.prototxt', line: 4, column: 3 });
  });
});

describe('input header forms', () => {
  it('input_shape gives one shape per input', () => {
    const net = loadNet(`input: "a" input_shape { dim: 1 dim: 2 } input: "b" input_shape { dim: 3 }`);
    expect(net.blob('a').shape).toEqual([1, 2]);
    expect(net.blob('b').shape).toEqual([3]);
    expect(net.inputs).toEqual(['a', 'b']);
  });

  it('checks that input_dim has four values per input', () => {
    const d = diagnosticOf(() => readNet(`input: "a"\ninput_dim: 1\ninput_dim: 3`, { file: 'dims.prototxt' }));
    expect(d.message).toBe('1 input(s) need 4 input_dim values (N, C, H, W each), found 2');
    expect(d.location).toMatchObject({ line: 2, column: 1 });
  });

  it('drops inputs without dims (legacy) so their consumers ask for a shape', () => {
    const d = diagnosticOf(() => loadNet(`input: "data"\nlayer { name: "r" type: "ReLU" bottom: "data" top: "r" }`));
    expect(d.message).toBe("Unknown bottom blob 'data' (layer 'r', bottom index 0)");
  });
});

describe('BatchNorm upgrade', () => {
  it('sets lr_mult and decay_mult to 0 on exactly three ParamSpecs', () => {
    const three = readNet(`layer { name: "bn" type: "BatchNorm" param { lr_mult: 1 } param { lr_mult: 1 } param { lr_mult: 1 } }`);
    expect(((three.layer as Msg[])[0].param as Msg[]).map((p) => [p.lr_mult, p.decay_mult])).toEqual([
      [0, 0],
      [0, 0],
      [0, 0],
    ]);
    const two = readNet(`layer { name: "bn" type: "BatchNorm" param { lr_mult: 1 } param { lr_mult: 1 } }`);
    expect(((two.layer as Msg[])[0].param as Msg[])[0]).toEqual({ lr_mult: 1 });
  });
});
