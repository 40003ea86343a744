// Receptive fields, padding coverage, deconvolution size ambiguity and valid input sizes, against
// hand derivations (the FCN facts: VGG16's fc6/fc7 see 404 px with a 32 px stride).
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeNet } from '../../src/analysis/analyze-net.js';
import { runs } from '../../src/analysis/padding-coverage.js';
import { validInputSizes } from '../../src/analysis/valid-sizes.js';
import { loadNet } from '../../src/index.js';
import { load } from '../helpers/analysis.js';
import { repoRoot } from '../helpers/corpus.js';

const fcn = loadNet(join(repoRoot, 'examples', 'fcn8s-deploy.prototxt'));
const fcnReport = analyzeNet(fcn);
const field = (blob: string) => {
  const rf = fcnReport.receptiveFields.get(fcn.blob(blob))!;
  return { size: rf.size[0].toNumber(), jump: rf.jump[0].toNumber(), start: rf.start[0].toNumber() };
};

describe('receptive fields', () => {
  it('conv1_1 sees 3 px; its unit 0 sits at x = −99 (pad 100)', () => {
    expect(field('conv1_1')).toEqual({ size: 3, jump: 1, start: -99 });
  });

  it('grows through VGG16 as published: pool5 212 px, fc6 404 px, with jump 32', () => {
    expect(field('pool1')).toEqual({ size: 6, jump: 2, start: -98.5 });
    expect(field('pool5').size).toBe(212);
    expect(field('fc6')).toEqual({ size: 404, jump: 32, start: 12.5 });
  });

  it('after upsampling, jump is a fraction of a pixel', () => {
    // upscore2: k4 s2 gathers ⌊3/2⌋ + 1 = 2 units of score_fr (jump 32): 404 + 32.
    expect(field('upscore2')).toEqual({ size: 436, jump: 16, start: -11.5 });
    expect(field('upscore8').jump).toBe(1);
    expect(field('score').start).toBe(0);
  });
});

describe('padding coverage', () => {
  it('marks units that saw only padding, partly padding, or only real pixels', () => {
    // 5 px input, 1×1 conv with pad 2: 9 units, the outer two on each side see only padding.
    const net = load(`
layer { name: "data" type: "Input" top: "data" input_param { shape { dim: 1 dim: 1 dim: 5 dim: 5 } } }
layer { name: "wide" type: "Convolution" bottom: "data" top: "wide" convolution_param { num_output: 1 kernel_size: 1 pad: 2 } }
layer { name: "blur" type: "Convolution" bottom: "wide" top: "blur" convolution_param { num_output: 1 kernel_size: 3 } }`);
    const report = analyzeNet(net);
    const axis = (blob: string) => runs(report.padding.get(net.blob(blob))![0]);
    expect(axis('wide')).toEqual([
      { from: 0, to: 1, kind: 'padding' },
      { from: 2, to: 6, kind: 'inside' },
      { from: 7, to: 8, kind: 'padding' },
    ]);
    // blur unit u reads wide u..u+2: units 0, 1 and 5, 6 mix padding with real pixels.
    expect(axis('blur')).toEqual([
      { from: 0, to: 1, kind: 'partial' },
      { from: 2, to: 4, kind: 'inside' },
      { from: 5, to: 6, kind: 'partial' },
    ]);
  });

  it('FCN-8s: what the final crop throws away was computed partly from real pixels, never from padding alone', () => {
    const score = fcnReport.crops.find((c) => c.layer.name === 'score')!;
    expect(score.border.map((b) => [b.axis, b.side, b.units, b.centres, b.kinds])).toEqual([
      [2, 'before', [0, 30], [-31, -1], { padding: 0, partial: 31, inside: 0 }],
      [2, 'after', [531, 567], [500, 536], { padding: 0, partial: 37, inside: 0 }],
      [3, 'before', [0, 30], [-31, -1], { padding: 0, partial: 31, inside: 0 }],
      [3, 'after', [531, 567], [500, 536], { padding: 0, partial: 37, inside: 0 }],
    ]);
  });
});

describe('deconvolution sizes', () => {
  it('lists the s forward sizes that map to the input size; Caffe makes the smallest', () => {
    const net = load(`
layer { name: "data" type: "Input" top: "data" input_param { shape { dim: 1 dim: 1 dim: 3 dim: 3 } } }
layer { name: "up" type: "Deconvolution" bottom: "data" top: "up" convolution_param { num_output: 1 kernel_size: 4 stride: 2 pad: 1 } }`);
    // I_min = 2·(3−1) + 4 − 2 = 6; conv(k4 s2 p1) maps 6 and 7 to 3.
    expect(analyzeNet(net).deconvolutions.map((d) => [d.axis, d.input, d.sizes, d.caffe])).toEqual([
      [2, 3, [6, 7], 6],
      [3, 3, [6, 7], 6],
    ]);
    const upscore8 = fcnReport.deconvolutions.find((d) => d.layer.name === 'upscore8')!;
    expect(upscore8.sizes).toEqual([568, 569, 570, 571, 572, 573, 574, 575]);
  });
});

describe('valid input sizes', () => {
  it('a 5×5 valid convolution needs at least 5 pixels', () => {
    const net = load(`
layer { name: "data" type: "Input" top: "data" input_param { shape { dim: 1 dim: 1 dim: 8 dim: 8 } } }
layer { name: "conv" type: "Convolution" bottom: "data" top: "conv" convolution_param { num_output: 1 kernel_size: 5 } }`);
    expect(validInputSizes(net, { from: 1, to: 12 }).map((v) => [v.axis, v.valid])).toEqual([
      [2, [{ from: 5, to: 12 }]],
      [3, [{ from: 5, to: 12 }]],
    ]);
  });

  it('a crop back to the input only fits when the upsampled map is large enough', () => {
    const net = load(`
layer { name: "data" type: "Input" top: "data" input_param { shape { dim: 1 dim: 1 dim: 8 dim: 8 } } }
layer { name: "down" type: "Convolution" bottom: "data" top: "down" convolution_param { num_output: 1 kernel_size: 2 stride: 2 } }
layer { name: "up" type: "Deconvolution" bottom: "down" top: "up" convolution_param { num_output: 1 kernel_size: 2 stride: 2 } }
layer { name: "crop" type: "Crop" bottom: "up" bottom: "data" top: "crop" }`);
    // down = trunc((n−2)/2) + 1 (C++ truncation: 1 px still gives 1 unit), up = 2·down: odd n ≥ 3 loses a pixel.
    expect(validInputSizes(net, { from: 1, to: 9 })[0].valid).toEqual([
      { from: 1, to: 2 },
      { from: 4, to: 4 },
      { from: 6, to: 6 },
      { from: 8, to: 8 },
    ]);
  });

  it('FCN accepts any size from 1 (pad 100), for both axes', () => {
    expect(validInputSizes(fcn, { from: 1, to: 64 }).map((v) => v.valid)).toEqual([[{ from: 1, to: 64 }], [{ from: 1, to: 64 }]]);
  });
});
