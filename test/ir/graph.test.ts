// Blob naming and in-place rules (Caffe's AppendTop/AppendBottom, docs/caffe-semantics.md#blobs-and-in-place) as the IR shows them.
import { describe, expect, it } from 'vitest';
import { DiagnosticError, loadNet } from '../../src/index.js';

const input = `layer { name: "in" type: "Input" top: "data" input_param { shape { dim: 1 dim: 3 dim: 8 dim: 8 } } }\n`;
const conv = (name: string, bottom: string, top = name) =>
  `layer { name: "${name}" type: "Convolution" bottom: "${bottom}" top: "${top}" convolution_param { num_output: 4 kernel_size: 3 } }\n`;
const relu = (name: string, bottom: string, top: string) => `layer { name: "${name}" type: "ReLU" bottom: "${bottom}" top: "${top}" }\n`;

function diagnostics(text: string, options = {}) {
  try {
    loadNet(text, { file: 'net.prototxt', ...options });
  } catch (e) {
    if (e instanceof DiagnosticError) return e.diagnostics;
    throw e;
  }
  throw new Error('expected diagnostics');
}

describe('IR graph', () => {
  it('makes an in-place layer a new version of its blob', () => {
    const net = loadNet(input + conv('conv1', 'data') + relu('relu1', 'conv1', 'conv1') + conv('conv2', 'conv1'));
    const [, c1, r1, c2] = net.layers;
    expect(c1.tops[0].id).toBe('conv1');
    expect(r1.bottoms[0]).toBe(c1.tops[0]);
    expect(r1.tops[0].id).toBe('conv1@1');
    expect(r1.isInPlace(0)).toBe(true);
    expect(c2.bottoms[0]).toBe(r1.tops[0]);
    expect(net.blob('conv1')).toBe(r1.tops[0]); // the final conv1 is post-ReLU, as Caffe's net.blobs
    expect(net.blobVersions.filter((b) => b.name === 'conv1')).toHaveLength(2);
  });

  it('lists unconsumed blobs as outputs in lexicographic order, and Input tops as inputs', () => {
    const net = loadNet(input + conv('b', 'data') + conv('a', 'data') + conv('C', 'data'));
    expect(net.outputs).toEqual(['C', 'a', 'b']);
    expect(net.inputs).toEqual(['data']);
  });

  it('gives loss layers automatic tops that are not outputs', () => {
    const text = input + `layer { name: "loss" type: "EuclideanLoss" bottom: "data" bottom: "data" }\n`;
    const net = loadNet(text);
    expect(net.layers[1].tops.map((t) => [t.name, t.automatic, t.shape])).toEqual([['(automatic)', true, []]]);
    expect(net.outputs).toEqual([]);
  });

  it('rejects a bottom that names no earlier blob, with a suggestion', () => {
    const [d] = diagnostics(input + conv('conv1', 'dta'));
    expect(d.message).toBe("Unknown bottom blob 'dta' (layer 'conv1', bottom index 0)");
    expect(d.location).toMatchObject({ line: 2, column: 43 });
    expect(d.hint).toBe('did you mean "data"?');
  });

  it('rejects a bottom produced only later: file order is execution order', () => {
    const [d] = diagnostics(input + conv('conv2', 'conv1') + conv('conv1', 'data'));
    expect(d.message).toBe("Unknown bottom blob 'conv1' (layer 'conv2', bottom index 0)");
  });

  it('rejects reusing a top name except in place', () => {
    const [d] = diagnostics(input + conv('conv1', 'data') + conv('conv2', 'data', 'conv1'));
    expect(d.message).toBe("Top blob 'conv1' produced by multiple sources.");
    expect(d.location).toMatchObject({ line: 3 });
    expect(d.hint).toBe('"conv1" is already produced by layer "conv1" (line 2); give this top a new name');
  });

  it('recognises in-place only at the same index', () => {
    const text =
      input +
      `layer { name: "s" type: "Slice" bottom: "data" top: "a" top: "b" slice_param { axis: 1 slice_point: 1 } }\n` +
      `layer { name: "e" type: "Eltwise" bottom: "a" bottom: "b" top: "b" eltwise_param { operation: SUM } }\n`;
    const [d] = diagnostics(
      text.replace('slice_point: 1', 'slice_point: 1 slice_point: 2').replace('top: "b" slice', 'top: "b" top: "c" slice'),
    );
    expect(d.message).toBe("Top blob 'b' produced by multiple sources.");
    expect(d.hint).toBe('in-place computation needs the same name at the same index: "b" is bottom[1] but top[0]');
  });

  it('rejects in-place for layers that refuse it (Flatten, Split, Reshape)', () => {
    const [d] = diagnostics(input + `layer { name: "f" type: "Flatten" bottom: "data" top: "data" }`);
    expect(d.message).toBe('layer "f" (Flatten) does not allow in-place computation (top "data" is also its bottom)');
  });

  it('rejects in-place after another layer read the blob (Caffe splits the blob first)', () => {
    const [d] = diagnostics(input + conv('conv1', 'data') + conv('conv2', 'conv1') + relu('relu1', 'conv1', 'conv1'));
    expect(d.message).toBe("Top blob 'conv1' produced by multiple sources.");
    expect(d.hint).toMatch(/^layer "conv2" \(line 3\) already read "conv1"/);
  });

  it("checks blob counts with Caffe's messages", () => {
    const [d] = diagnostics(input + `layer { name: "c" type: "Concat" top: "c" }`);
    expect(d.message).toBe('layer "c": Concat Layer takes at least 1 bottom blob(s) as input (found 0).');
    const [e] = diagnostics(input + `layer { name: "r" type: "ReLU" bottom: "data" }`);
    expect(e.message).toBe('layer "r": ReLU Layer produces 1 top blob(s) as output (found 0).');
  });

  it('lists every unsupported type at once, with a summary note', () => {
    const all = diagnostics(
      input +
        `layer { name: "i1" type: "Correlation" bottom: "data" top: "i1" }\n` +
        `layer { name: "bn" type: "PSROIPooling" bottom: "i1" top: "bn" }\n` +
        `layer { name: "i2" type: "Correlation" bottom: "bn" top: "i2" }\n`,
    );
    expect(all.map((d) => d.message)).toEqual([
      'unsupported layer type "Correlation" (layer "i1")',
      'unsupported layer type "PSROIPooling" (layer "bn")',
      'unsupported layer type "Correlation" (layer "i2")',
      'this net uses 2 unsupported layer type(s): Correlation (2 layers), PSROIPooling (1 layer)',
    ]);
    expect(all.map((d) => d.location?.line)).toEqual([2, 3, 4, undefined]);
  });

  it('suggests the type a typo meant', () => {
    const [d] = diagnostics(input + `layer { name: "c" type: "Convolutoin" bottom: "data" top: "c" }`);
    expect(d.hint).toBe('did you mean "Convolution"?');
  });

  it("reports a fork's unknown *_param only when the layer type is supported", () => {
    // A *_param no dialect knows (Interp's and BN's are typed by the pspnet/segnet dialects now).
    const [d] = diagnostics(input + `layer { name: "r" type: "ReLU" bottom: "data" top: "r" merge_crop_param { axis: 2 } }`);
    expect(d.message).toBe('unknown field "merge_crop_param" in LayerParameter');
    const [u] = diagnostics(input + `layer { name: "r" type: "Correlation" bottom: "data" top: "r" merge_crop_param { axis: 2 } }`);
    expect(u.message).toBe('unsupported layer type "Correlation" (layer "r")');
  });

  it('--input overrides an Input shape and must name a source top', () => {
    const net = loadNet(input + conv('conv1', 'data'), { inputs: { data: [2, 3, 10, 10] } });
    expect(net.blob('conv1').shape).toEqual([2, 4, 8, 8]);
    const [d] = diagnostics(input, { inputs: { dat: [1] } });
    expect(d.message).toBe('--input names "dat", which is not a top of an Input, data or Python layer');
    expect(d.hint).toBe('did you mean "data"?');
  });

  it('checks ParamSpec counts and shared parameter shapes', () => {
    const [d] = diagnostics(input + `layer { name: "r" type: "ReLU" bottom: "data" top: "r" param { lr_mult: 1 } }`);
    expect(d.message).toBe('Too many params specified for layer r: 1 param entries, but a ReLU layer here has 0 parameter blob(s)');
    const shared = (name: string, n: number) =>
      `layer { name: "${name}" type: "InnerProduct" bottom: "data" top: "${name}" param { name: "w" } inner_product_param { num_output: ${n} } }\n`;
    expect(loadNet(input + shared('a', 5) + shared('b', 5)).layers.length).toBe(3);
    const [s] = diagnostics(input + shared('a', 5) + shared('b', 6));
    expect(s.message).toBe(
      "Cannot share param 'w' owned by layer 'a' with layer 'b'; shape mismatch. Owner layer param shape is 5×192; sharing layer expects shape 6×192",
    );
  });

  it('serialises to the documented JSON form', () => {
    const json = loadNet(input + conv('conv1', 'data') + relu('relu1', 'conv1', 'conv1')).toJSON();
    expect(json).toEqual({
      blobs: { data: [1, 3, 8, 8], conv1: [1, 4, 6, 6] },
      layers: [
        { name: 'in', type: 'Input', bottom: [], top: ['data'], top_shapes: [[1, 3, 8, 8]], params: [], macs: 0 },
        {
          name: 'conv1',
          type: 'Convolution',
          bottom: ['data'],
          top: ['conv1'],
          top_shapes: [[1, 4, 6, 6]],
          params: [[4, 3, 3, 3], [4]],
          macs: 4 * 36 * 27,
        },
        { name: 'relu1', type: 'ReLU', bottom: ['conv1'], top: ['conv1'], top_shapes: [[1, 4, 6, 6]], params: [], macs: 144 },
      ],
      inputs: ['data'],
      outputs: ['conv1'],
    });
  });
});
