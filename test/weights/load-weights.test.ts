// Matching a weights file to a net as Caffe's CopyTrainedLayersFrom does (docs/caffe-semantics.md#blobs-and-in-place): by name, blob
// count, Blob::ShapeEquals (legacy 4-D dims from the end), the last copy of a repeated layer; and brewnet's
// diagnostics for everything Caffe would abort on, or silently leave to the fillers.
import { describe, expect, it } from 'vitest';
import { DiagnosticError, formatDiagnostic, loadNet } from '../../src/index.js';
import { fillWeights } from '../../src/weights/fill-weights.js';
import { loadWeights } from '../../src/weights/match-weights.js';
import { expected, fixture, plain, tinyNet, tinyV1Net } from './fixtures.js';

function failure(run: () => unknown): string[] {
  try {
    run();
  } catch (e) {
    if (e instanceof DiagnosticError) return e.diagnostics.map(formatDiagnostic);
    throw e;
  }
  throw new Error('expected a DiagnosticError');
}

const RENAME =
  "  hint: to learn this layer's parameters from scratch instead of copying them, rename the layer (with --allow-missing-weights its fillers then initialise it)";

describe('loadWeights', () => {
  it.each(['good-packed', 'good-unpacked', 'good-double', 'duplicate'])(
    '%s.caffemodel: every parameter of tiny.prototxt, exactly',
    (name) => {
      const file = `${name}.caffemodel`;
      const { params } = loadWeights(tinyNet(), fixture(file), { file });
      const want = Object.fromEntries(['conv1', 'bn1', 'scale1', 'prelu1', 'up1', 'ip1'].map((l) => [l, expected[file].params?.[l]]));
      expect(plain(params)).toEqual(want);
      for (const blobs of params.values()) for (const b of blobs) expect(b).toBeInstanceOf(Float32Array);
    },
  );

  it('copies a V2 InnerProduct stored as 1×1×N×K (bias 1×1×1×N) into (N, K) and (N)', () => {
    // good-packed.caffemodel stores ip1 the legacy way; the net expects 2×12 and 2.
    const { params } = loadWeights(tinyNet(), fixture('good-packed.caffemodel'));
    expect(params.get('ip1')?.map((b) => b.length)).toEqual([24, 2]);
  });

  it.each(['v1-legacy', 'v0-nested'])('%s.caffemodel: V1-era weights for a V1 net', (name) => {
    const file = `${name}.caffemodel`;
    const { params, warnings } = loadWeights(tinyV1Net(), fixture(file), { file });
    expect(plain(params)).toEqual(expected[file].params);
    expect(warnings).toEqual([]);
  });

  it('warns once about file layers with weights that the net lacks; blob-less ones pass silently', () => {
    const { warnings } = loadWeights(tinyNet(), fixture('good-packed.caffemodel'), { file: 'g.caffemodel' });
    expect(warnings.map(formatDiagnostic)).toEqual([
      'warning: g.caffemodel has weights for 1 layer(s) that the net does not have: "old_fc"\n' +
        '  hint: they are ignored, as Caffe ignores them; a layer receives weights only when its name matches',
    ]);
  });

  it('uses the last copy of a layer the file repeats, and says so', () => {
    const { warnings } = loadWeights(tinyNet(), fixture('duplicate.caffemodel'), { file: 'd.caffemodel' });
    expect(warnings.map(formatDiagnostic)).toEqual([
      'tiny.prototxt:6:1: warning: layer "conv1" appears 2 times in d.caffemodel; the last copy is used, as in Caffe',
    ]);
  });

  it('names the layers the file lacks, all at once, at the first one', () => {
    expect(failure(() => loadWeights(tinyNet(), fixture('missing.caffemodel'), { file: 'm.caffemodel' }))).toEqual([
      'tiny.prototxt:10:1: error: m.caffemodel has no weights for 2 layer(s) of the net: "bn1" (BatchNorm), "up1" (Deconvolution)\n' +
        '  hint: the file has "bn_1" (renamed from "bn1"?); --allow-missing-weights (allowMissing in the API) fills them from their fillers',
    ]);
  });

  it('fills missing layers from their fillers when allowed, with the values fillWeights gives for the seed', () => {
    const net = tinyNet();
    const { params, warnings } = loadWeights(net, fixture('missing.caffemodel'), { file: 'm.caffemodel', allowMissing: true, seed: 3 });
    const filled = fillWeights(net, 3);
    const file = plain(params);
    expect(file.bn1).toEqual(plain(filled).bn1);
    expect(file.up1).toEqual(plain(filled).up1);
    expect(file.bn1).toEqual([[0, 0, 0], [0, 0, 0], [0]]);
    for (const layer of ['conv1', 'scale1', 'prelu1', 'ip1']) expect(file[layer]).toEqual(expected['missing.caffemodel'].params?.[layer]);
    expect(warnings.map(formatDiagnostic)).toEqual([
      'warning: m.caffemodel has weights for 2 layer(s) that the net does not have: "bn_1", "old_fc"\n' +
        '  hint: they are ignored, as Caffe ignores them; a layer receives weights only when its name matches',
      'note: 2 layer(s) not in m.caffemodel were filled from their fillers (seed 3): "bn1", "up1"',
    ]);
  });

  it('rejects blobs whose shape differs, comparing legacy dims from the end', () => {
    expect(failure(() => loadWeights(tinyNet(), fixture('wrong-shape.caffemodel'), { file: 'w.caffemodel' }))).toEqual([
      `tiny.prototxt:6:1: error: layer "conv1" (Convolution) blob 0 (weights): shape mismatch: the net expects 3×2×3×3, w.caffemodel has 3×2×2×2\n${RENAME}`,
      `tiny.prototxt:17:1: error: layer "ip1" (InnerProduct) blob 0 (weights): shape mismatch: the net expects 2×12, w.caffemodel has 1×1×2×10 (legacy num×channels×height×width)\n${RENAME}`,
    ]);
  });

  it('rejects V1 legacy dims that differ, even with the right count: they are compared from the end', () => {
    const legacy = '(legacy num×channels×height×width)';
    expect(failure(() => loadWeights(tinyV1Net(), fixture('v1-wrong-dims.caffemodel'), { file: 'v1.caffemodel' }))).toEqual([
      `tiny-v1.prototxt:8:1: error: layer "conv1" (Convolution) blob 0 (weights): shape mismatch: the net expects 2×1×3×3, v1.caffemodel has 2×1×5×5 ${legacy}\n${RENAME}`,
      `tiny-v1.prototxt:10:1: error: layer "ip1" (InnerProduct) blob 0 (weights): shape mismatch: the net expects 3×32, v1.caffemodel has 1×3×1×32 ${legacy}\n${RENAME}`,
    ]);
  });

  it('rejects a blob count that differs from the layer’s, for layers with and without parameters', () => {
    expect(failure(() => loadWeights(tinyNet(), fixture('wrong-count.caffemodel'), { file: 'w.caffemodel' }))).toEqual([
      'tiny.prototxt:5:1: error: layer "data" (Input): incompatible number of blobs: the net expects 0, w.caffemodel has 1\n' +
        '  hint: the net\'s "data" has no parameters, but the file\'s layer of that name (Input) has some: a different layer with the same name?',
      `tiny.prototxt:10:1: error: layer "bn1" (BatchNorm): incompatible number of blobs: the net expects 3 (mean 3, variance 3, scale factor 1), w.caffemodel has 2\n${RENAME}`,
      'tiny.prototxt:17:1: error: layer "ip1" (InnerProduct): incompatible number of blobs: the net expects 2 (weights 2×12, bias 2), w.caffemodel has 1\n' +
        "  hint: the net that wrote these weights may have had bias_term: false; or to learn this layer's parameters from scratch instead of copying them, rename the layer (with --allow-missing-weights its fillers then initialise it)",
    ]);
  });

  it('rejects blobs whose values do not fill their shape (Caffe’s FromProto check)', () => {
    const hint = '  hint: the weights file is damaged or was not written by Caffe';
    expect(failure(() => loadWeights(tinyNet(), fixture('data-count.caffemodel'), { file: 'c.caffemodel' }))).toEqual([
      `tiny.prototxt:6:1: error: layer "conv1" (Convolution) blob 1 (bias): c.caffemodel holds 2 values for its shape 3, which needs 3\n${hint}`,
      `tiny.prototxt:11:1: error: layer "scale1" (Scale) blob 0 (scale): c.caffemodel holds no values for its shape 3, which needs 3\n${hint}`,
    ]);
  });

  it('a wrong layer is an error even when missing layers are allowed', () => {
    expect(failure(() => loadWeights(tinyNet(), fixture('wrong-shape.caffemodel'), { allowMissing: true }))).toHaveLength(2);
  });

  it('names the weights by their path by default, and a buffer "<weights>"', () => {
    const net = tinyNet();
    const path = fixture('missing.caffemodel');
    expect(failure(() => loadWeights(net, path))[0]).toContain(`error: ${path} has no weights for 2 layer(s)`);
    expect(failure(() => loadWeights(net, new Uint8Array(0)))[0]).toContain(
      'error: <weights> is empty (0 bytes): a valid NetParameter without layers, so 6 layer(s)',
    );
  });

  it.each(['shared-owner', 'shared-sharer'])(
    '%s.caffemodel: layers sharing named params get the one array, from whichever layer the file has',
    (name) => {
      const net = loadNet(fixture('shared.prototxt'));
      const { params } = loadWeights(net, fixture(`${name}.caffemodel`));
      expect(plain(params)).toEqual(expected[`${name}.caffemodel`].params);
      expect(params.get('ip_b')?.[0]).toBe(params.get('ip_a')?.[0]);
      expect(params.get('ip_b')?.[1]).toBe(params.get('ip_a')?.[1]);
    },
  );

  it('refuses a net where two layers with parameters share a name (weights are keyed by name)', () => {
    const text = `
layer { name: "data" type: "Input" top: "data" input_param { shape { dim: 1 dim: 4 } } }
layer { name: "fc" type: "InnerProduct" bottom: "data" top: "a" inner_product_param { num_output: 2 } }
layer { name: "fc" type: "InnerProduct" bottom: "data" top: "b" inner_product_param { num_output: 2 } }`;
    const net = loadNet(text, { file: 'dup.prototxt' });
    const message = [
      'dup.prototxt:4:1: error: two layers are named "fc" and one has parameters; weights are matched to layers by name, so they cannot be told apart\n' +
        '  hint: rename one of them (Caffe would copy weights only into the first, at line 3)',
    ];
    expect(failure(() => loadWeights(net, fixture('good-packed.caffemodel')))).toEqual(message);
    expect(failure(() => fillWeights(net))).toEqual(message);
  });
});
