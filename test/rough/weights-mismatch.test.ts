// Weights that do not fit the net (issue 17, items 5 and 8): another net's .caffemodel is one short message
// saying so (how many layers match, a few names of each side, no per-layer "renamed" guess); a 0-byte
// .caffemodel is a valid empty NetParameter, right for a net without parameters, and otherwise names the
// layers it leaves without weights. The caffemodels are generated here from small nets.
import { describe, expect, it } from 'vitest';
import { DiagnosticError, loadNet, loadWeights } from '../../src/index.js';
import { buildPlan } from '../../src/runtime/build-plan.js';
import { encodeCaffemodel } from '../../src/runtime/encode-caffemodel.js';
import { fillWeights } from '../../src/weights/fill-weights.js';

const INPUT = 'layer { name: "data" type: "Input" top: "data" input_param { shape { dim: 1 dim: 3 dim: 8 dim: 8 } } }\n';
const conv = (name: string, bottom: string, n = 4) =>
  `layer { name: "${name}" type: "Convolution" bottom: "${bottom}" top: "${name}" convolution_param { num_output: ${n} kernel_size: 1 } }\n`;

// A VGG-like chain and a GoogLeNet-like one: no layer name in common.
const VGG_NAMES = ['conv1_1', 'conv1_2', 'conv2_1', 'conv2_2', 'conv3_1', 'conv3_2', 'conv3_3', 'conv4_1', 'fc6', 'fc7', 'fc8'];
const GOOGLE_NAMES = [
  'conv1/7x7_s2',
  'conv2/3x3_reduce',
  'conv2/3x3',
  'inception_3a/1x1',
  'inception_3a/3x3_reduce',
  'inception_3a/3x3',
  'inception_3a/5x5',
  'loss3/classifier',
];
const chain = (names: string[]) => INPUT + names.map((n, i) => conv(n, i === 0 ? 'data' : names[i - 1])).join('');

function caffemodelOf(text: string): Uint8Array {
  const net = loadNet(text, { file: 'vgg.prototxt' });
  return encodeCaffemodel(buildPlan(net), fillWeights(net, 1));
}

function failure(f: () => unknown): string[] {
  try {
    f();
  } catch (e) {
    if (e instanceof DiagnosticError) return e.diagnostics.map((d) => `${d.message}${d.hint ? `\n  hint: ${d.hint}` : ''}`);
    throw e;
  }
  throw new Error('expected a DiagnosticError');
}

describe("another net's weights", () => {
  it('says the weights belong to another net, with the counts and a few names, in one message', () => {
    const google = loadNet(chain(GOOGLE_NAMES), { file: 'googlenet.prototxt' });
    const messages = failure(() => loadWeights(google, caffemodelOf(chain(VGG_NAMES)), { file: 'vgg.caffemodel' }));
    expect(messages).toHaveLength(1);
    const [m] = messages;
    expect(m).toContain("vgg.caffemodel seems to hold another net's weights: 0 of this net's 8 layers with parameters are in it");
    expect(m).toContain(
      'it lacks "conv1/7x7_s2", "conv2/3x3_reduce", "conv2/3x3", "inception_3a/1x1", "inception_3a/3x3_reduce" and 3 more',
    );
    expect(m).toContain('has 11 layer(s) this net does not: "conv1_1", "conv1_2", "conv2_1", "conv2_2", "conv3_1" and 6 more');
    expect(m).not.toContain('renamed');
    expect(m.length).toBeLessThan(600);
  });

  it('counts the layers that do match', () => {
    const mixed = [...VGG_NAMES.slice(0, 2), ...GOOGLE_NAMES.slice(2, 8)];
    const net = loadNet(chain(mixed), { file: 'mixed.prototxt' });
    const [m] = failure(() => loadWeights(net, caffemodelOf(chain(VGG_NAMES)), { file: 'vgg.caffemodel' }));
    expect(m).toContain("2 of this net's 8 layers with parameters are in it");
  });

  it('keeps the "renamed" hint for one renamed layer of the right net', () => {
    const renamed = VGG_NAMES.map((n) => (n === 'fc8' ? 'fc8s' : n));
    const net = loadNet(chain(renamed), { file: 'vgg-voc.prototxt' });
    const [m] = failure(() => loadWeights(net, caffemodelOf(chain(VGG_NAMES)), { file: 'vgg.caffemodel' }));
    expect(m).toContain('vgg.caffemodel has no weights for 1 layer(s) of the net: "fc8s" (Convolution)');
    expect(m).toContain('"fc8" (renamed from "fc8s"?)');
  });
});

describe('a 0-byte .caffemodel', () => {
  it('is exactly right for a net without parameters', () => {
    const net = loadNet(INPUT + 'layer { name: "relu" type: "ReLU" bottom: "data" top: "r" }\n');
    const { params, warnings } = loadWeights(net, new Uint8Array(0), { file: 'empty.caffemodel' });
    expect(params.size).toBe(0);
    expect(warnings).toEqual([]);
  });

  it('names the layers it leaves without weights', () => {
    const net = loadNet(chain(['a', 'b']), { file: 'ab.prototxt' });
    expect(failure(() => loadWeights(net, new Uint8Array(0), { file: 'empty.caffemodel' }))).toEqual([
      'empty.caffemodel is empty (0 bytes): a valid NetParameter without layers, so 2 layer(s) of the net have no weights: "a", "b"\n' +
        '  hint: an empty .caffemodel suits only a net without parameters; --allow-missing-weights (allowMissing in the API) fills them from their fillers',
    ]);
  });

  it('with allowMissing, fills them from the fillers', () => {
    const net = loadNet(chain(['a']), { file: 'a.prototxt' });
    const { params } = loadWeights(net, new Uint8Array(0), { allowMissing: true });
    expect(params.get('a')?.[0]).toHaveLength(12);
  });
});
