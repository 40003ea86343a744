// --allow-unknown: shapes and analyze keep going past a layer of unknown type — through it when --shape
// gives its tops, else leaving it and what reads it out, with a located note.
import { describe, expect, it } from 'vitest';
import { loadNet } from '../../src/api/load-net.js';
import { runCli } from '../helpers/run-cli.js';

const NET = `name: "t"
layer { name: "data" type: "Input" top: "data" input_param { shape { dim: 1 dim: 3 dim: 8 dim: 8 } } }
layer { name: "conv" type: "Convolution" bottom: "data" top: "conv" convolution_param { num_output: 4 kernel_size: 3 } }
layer { name: "odd" type: "FancyPool" bottom: "conv" top: "odd" }
layer { name: "relu" type: "ReLU" bottom: "odd" top: "odd" }
layer { name: "fc" type: "InnerProduct" bottom: "odd" top: "fc" inner_product_param { num_output: 2 } }
layer { name: "side" type: "ReLU" bottom: "conv" top: "side" }
`;

describe('--allow-unknown', () => {
  it('without it, the unknown type stops the net', () => {
    expect(() => loadNet(NET)).toThrow(/unsupported layer type "FancyPool"/);
  });

  it('without --shape, the unknown layer and what reads it are left out, with notes', () => {
    const net = loadNet(NET, { allowUnknown: true });
    expect(net.layers.map((l) => l.name)).toEqual(['data', 'conv', 'side']);
    expect(net.notes.map((n) => n.message)).toEqual([
      'layer "odd" has the unsupported type "FancyPool"; its tops (odd) and what reads them are left out',
      '2 layer(s) after them have unknown shapes and are left out: relu, fc',
    ]);
    expect(net.notes[0].location?.line).toBe(4);
  });

  it('with --shape, shapes flow through it', () => {
    const net = loadNet(NET, { allowUnknown: true, layerShapes: new Map([['odd', [[1, 4, 3, 3]]]]) });
    expect(net.blob('fc').shape).toEqual([1, 2]);
    expect(net.layers[1 + 1].type).toBe('FancyPool');
    expect(() => loadNet(NET, { allowUnknown: true, layerShapes: new Map([['odd', [[1, 4, 3, 3], [1]]]]) })).toThrow(
      /gives 2 top shape\(s\) for this FancyPool layer, which has 1 top/,
    );
  });

  it('from the CLI: shapes prints the note and the rest of the net', () => {
    // The net's text stands for the file (loadNet takes either).
    const r = runCli(['shapes', NET, '--allow-unknown']);
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/4:\d+: note: layer "odd" has the unsupported type "FancyPool"/);
    expect(r.stdout).toMatch(/side\s+ReLU/);
  });
});
