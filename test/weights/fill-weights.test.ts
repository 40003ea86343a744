// fillWeights: each layer type's blobs get the filler Caffe's LayerSetUp uses, with Caffe's per-layer defaults
// (PReLU 0.25, Scale 1, biases 0, BatchNorm statistics 0), deterministically for a seed.
import { describe, expect, it } from 'vitest';
import { DiagnosticError, formatDiagnostic, loadNet } from '../../src/index.js';
import { fillWeights } from '../../src/weights/fill-weights.js';
import { fixture, plain, tinyNet } from './fixtures.js';

describe('fillWeights', () => {
  it('tiny.prototxt: every layer type with its own filler and default', () => {
    const p = plain(fillWeights(tinyNet(), 42));
    expect(Object.keys(p)).toEqual(['conv1', 'bn1', 'scale1', 'prelu1', 'up1', 'ip1']);
    // conv1: xavier, fan_in = 2·3·3 = 18; bias: the default constant 0.
    const scale = Math.fround(Math.sqrt(Math.fround(3 / 18)));
    expect(p.conv1[0]).toHaveLength(54);
    expect(p.conv1[0].every((v) => Math.abs(v) <= scale)).toBe(true);
    expect(new Set(p.conv1[0]).size).toBe(54);
    expect(p.conv1[1]).toEqual([0, 0, 0]);
    expect(p.bn1).toEqual([[0, 0, 0], [0, 0, 0], [0]]);
    expect(p.scale1).toEqual([
      [1, 1, 1],
      [0, 0, 0],
    ]);
    expect(p.prelu1).toEqual([[0.25, 0.25, 0.25]]);
    const kernel = [0.25, 0.75, 0.75, 0.25].flatMap((y) => [0.25, 0.75, 0.75, 0.25].map((x) => x * y));
    expect(p.up1).toEqual([[...kernel, ...kernel, ...kernel]]);
    // ip1: gaussian std 0.01, bias constant 0.5.
    expect(p.ip1[0].every((v) => Math.abs(v) < 0.06)).toBe(true);
    expect(p.ip1[1]).toEqual([0.5, 0.5]);
  });

  it('is deterministic for a seed, and a layer’s values do not depend on the other layers', () => {
    const a = plain(fillWeights(tinyNet(), 7));
    expect(plain(fillWeights(tinyNet(), 7))).toEqual(a);
    expect(plain(fillWeights(tinyNet(), 8)).conv1).not.toEqual(a.conv1);
    const alone = loadNet(
      `layer { name: "data" type: "Input" top: "data" input_param { shape { dim: 1 dim: 2 dim: 4 dim: 4 } } }
       layer { name: "conv1" type: "Convolution" bottom: "data" top: "conv1"
               convolution_param { num_output: 3 kernel_size: 3 weight_filler { type: "xavier" } } }`,
    );
    expect(plain(fillWeights(alone, 7)).conv1).toEqual(a.conv1);
  });

  it('written fillers override the layer defaults: PReLU, Scale, Bias', () => {
    const net = loadNet(`
layer { name: "data" type: "Input" top: "data" input_param { shape { dim: 1 dim: 2 dim: 3 dim: 3 } } }
layer { name: "pr" type: "PReLU" bottom: "data" top: "a" prelu_param { filler { type: "constant" value: 0.1 } } }
layer { name: "sc" type: "Scale" bottom: "data" top: "b" scale_param { filler { value: 3 } bias_term: true bias_filler { type: "constant" value: -1 } } }
layer { name: "bi" type: "Bias" bottom: "data" top: "c" bias_param { filler { type: "constant" value: 2 } } }
layer { name: "shared" type: "PReLU" bottom: "data" top: "d" prelu_param { channel_shared: true } }`);
    expect(plain(fillWeights(net))).toEqual({
      pr: [[Math.fround(0.1), Math.fround(0.1)]],
      sc: [
        [3, 3],
        [-1, -1],
      ],
      bi: [[2, 2]],
      shared: [[0.25]],
    });
  });

  it('a Scale with two bottoms has only its bias, from bias_filler', () => {
    const net = loadNet(`
layer { name: "data" type: "Input" top: "data" top: "s" input_param { shape { dim: 1 dim: 2 dim: 3 dim: 3 } shape { dim: 2 } } }
layer { name: "sc" type: "Scale" bottom: "data" bottom: "s" top: "b" scale_param { bias_term: true bias_filler { type: "constant" value: 4 } } }`);
    expect(plain(fillWeights(net))).toEqual({ sc: [[4, 4]] });
  });

  it('shared params: the owner fills, every sharer gets the same array', () => {
    const params = fillWeights(loadNet(fixture('shared.prototxt')), 1);
    expect(params.get('ip_b')?.[0]).toBe(params.get('ip_a')?.[0]);
    // The owner's fillers (uniform weights, bias 0), not the sharer's (gaussian, 9).
    expect(Array.from(params.get('ip_b')?.[1] ?? [])).toEqual([0, 0, 0]);
    expect(Array.from(params.get('ip_a')?.[0] ?? []).every((v) => v >= 0 && v < 1)).toBe(true);
  });

  it('reports every bad filler at its line, at once', () => {
    const net = loadNet(
      `layer { name: "data" type: "Input" top: "data" input_param { shape { dim: 1 dim: 2 dim: 4 dim: 4 } } }
layer { name: "c1" type: "Convolution" bottom: "data" top: "c1"
  convolution_param { num_output: 2 kernel_size: 3
    weight_filler { type: "xaviar" } } }
layer { name: "c2" type: "Convolution" bottom: "data" top: "c2"
  convolution_param { num_output: 2 kernel_size: 3 bias_filler { type: "uniform" min: 2 max: 1 } } }`,
      { file: 'bad.prototxt' },
    );
    try {
      fillWeights(net);
      throw new Error('expected a DiagnosticError');
    } catch (e) {
      expect(e).toBeInstanceOf(DiagnosticError);
      expect((e as DiagnosticError).diagnostics.map(formatDiagnostic)).toEqual([
        'bad.prototxt:4:5: error: layer "c1" (Convolution) weight_filler: unknown filler type "xaviar"\n  hint: did you mean "xavier"?',
        'bad.prototxt:6:52: error: layer "c2" (Convolution) bias_filler: the uniform range needs min <= max (min 2, max 1)',
      ]);
    }
  });
});
