// The ONNX export's own rules: external data (forced by a low threshold on a small net), symbolic batch,
// opsets, value names for in-place chains, every runnable layer type in the mapping table, and the
// diagnostics for what cannot be exported — plus the CLI (`convert --to onnx`, --check).
import { existsSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadNet } from '../../src/api/load-net.js';
import { DiagnosticError } from '../../src/diagnostics/diagnostic.js';
import { checkOnnxModel } from '../../src/export/onnx/check-model.js';
import { compareOutputs, runOnnxruntime, seededInputs } from '../../src/export/onnx/check-onnxruntime.js';
import { exportOnnx } from '../../src/export/onnx/export-onnx.js';
import { writeOnnxFile } from '../../src/export/onnx/write-onnx-file.js';
import { onnxMappings } from '../../src/export/onnx/mappings.js';
import { layerRegistry } from '../../src/layers/registry.js';
import { runReference } from '../../src/runtime/reference-executor.js';
import { repoRoot } from '../helpers/corpus.js';
import { runCli } from '../helpers/run-cli.js';
import { scaledParams } from '../helpers/scaled-params.js';
import { decodeModel } from './onnx-decode.js';

const lenet = `${repoRoot}/examples/lenet-v1.prototxt`;
const tmp = () => mkdtempSync(join(tmpdir(), 'brewnet-onnx-'));

function diagnosticsOf(f: () => unknown): string[] {
  try {
    f();
  } catch (e) {
    if (e instanceof DiagnosticError)
      return e.diagnostics.map((d) => `${d.location ? `${d.location.line}:${d.location.column}: ` : ''}${d.message}`);
    throw e;
  }
  throw new Error('expected a diagnostic');
}

async function agreement(net: ReturnType<typeof loadNet>, model: string | Uint8Array, params: Map<string, Float32Array[]>) {
  const inputs = seededInputs(net, 5);
  return compareOutputs(net, await runOnnxruntime(model, inputs), runReference(net, params, inputs).blobs).maxRelative;
}

describe('ONNX export', () => {
  // Layer types that run but have no ONNX form in the export yet: each is refused with a located error (the
  // losses by design; the fork layers, which landed after the export, are open work). A type that starts to
  // run without an entry, and is not named here, fails this test.
  const NOT_EXPORTED_YET = [
    'SoftmaxWithLoss',
    'Accuracy',
    'DetectionOutput',
    'Proposal',
    'SmoothL1Loss',
    'Upsample',
    'RNN',
    'LSTM',
    'LSTMUnit',
    'EuclideanLoss',
    'SigmoidCrossEntropyLoss',
    'MultinomialLogisticLoss',
    'InfogainLoss',
    'ContrastiveLoss',
    'HingeLoss',
    'Parameter',
    'Embed',
    'Im2col',
    'SPP',
    'DummyData',
  ];

  it('every layer type brewnet runs has an entry in the mapping table (or is refused by name)', () => {
    const runnable = [...layerRegistry.values()].filter((m) => m.forward && m.type !== 'Input').map((m) => m.type);
    expect(runnable.filter((t) => !onnxMappings[t] && !NOT_EXPORTED_YET.includes(t))).toEqual([]);
  });

  it('writes initializers as external data above the threshold, and onnxruntime reads them', async () => {
    const net = loadNet(lenet, { inputs: { data: [2, 1, 28, 28] } });
    const params = scaledParams(net, 2);
    const dir = tmp();
    const file = join(dir, 'lenet.onnx');
    const result = writeOnnxFile(net, file, { weights: params, externalDataAbove: 1000 });
    expect(result.externalData?.file).toBe(`${file}.data`);
    expect(result.bytes).toBeLessThan(20_000);
    const model = decodeModel(readFileSync(file));
    expect(checkOnnxModel(model)).toEqual([]);
    const tensors = model.graph!.initializer!;
    const weights = tensors.find((t) => t.name === 'ip1/weight')!;
    expect(weights.dataLocation).toBe(1);
    const entries = Object.fromEntries(weights.externalData!.map((e) => [e.key, e.value]));
    expect(entries.location).toBe('lenet.onnx.data');
    expect(Number(entries.offset) % 4096).toBe(0);
    expect(Number(entries.length)).toBe(500 * 800 * 4);
    // The bytes at that offset are the parameter blob itself.
    const data = readFileSync(`${file}.data`);
    const blob = new Float32Array(
      data.buffer.slice(data.byteOffset + Number(entries.offset), data.byteOffset + Number(entries.offset) + Number(entries.length)),
    );
    const want = params.get('ip1')![0];
    expect(Buffer.from(blob.buffer).equals(Buffer.from(want.buffer, want.byteOffset, want.byteLength))).toBe(true);
    expect(await agreement(net, file, params)).toBeLessThanOrEqual(1e-4);
    // The same net below the threshold: one file, the same numbers.
    const inline = writeOnnxFile(net, join(dir, 'inline.onnx'), { weights: params });
    expect(inline.externalData).toBeUndefined();
    expect(statSync(join(dir, 'inline.onnx')).size).toBeGreaterThan(500 * 800 * 4);
    expect(existsSync(join(dir, 'inline.onnx.data'))).toBe(false);
  });

  it('writes the same model to a file as to bytes', () => {
    const net = loadNet(lenet);
    const file = join(tmp(), 'a.onnx');
    writeOnnxFile(net, file, { seed: 3 });
    expect(readFileSync(file).equals(exportOnnx(net, { seed: 3 }))).toBe(true);
  });

  it('a symbolic batch runs at another batch size', async () => {
    const net = loadNet(lenet, { inputs: { data: [1, 1, 28, 28] } });
    const params = scaledParams(net, 4);
    const bytes = exportOnnx(net, { weights: params, batchSymbol: 'N' });
    const model = decodeModel(bytes);
    expect(model.graph!.input![0].type!.tensorType!.shape!.dim![0]).toEqual({ dimParam: 'N' });
    const at3 = loadNet(lenet, { inputs: { data: [3, 1, 28, 28] } });
    expect(await agreement(at3, bytes, params)).toBeLessThanOrEqual(1e-4);
  });

  it('exports at every supported opset; refuses others', async () => {
    const net = loadNet(`${repoRoot}/test/fixtures/numerics/normalization/net.prototxt`);
    const params = scaledParams(net, 9);
    for (const opset of [13, 17, 18, 21]) {
      const model = decodeModel(exportOnnx(net, { weights: params, opset }));
      expect(model.opsetImport).toEqual([{ domain: '', version: opset }]);
      expect(await agreement(net, exportOnnx(net, { weights: params, opset }), params), `opset ${opset}`).toBeLessThanOrEqual(1e-4);
    }
    expect(diagnosticsOf(() => exportOnnx(net, { opset: 11 }))).toEqual(["opset 11 is not supported by brewnet's ONNX export"]);
  });

  it('names values after Caffe blobs: the final version keeps the name, overwritten ones get @version', () => {
    const net = loadNet(`input: "data" input_shape { dim: 1 dim: 2 dim: 4 dim: 4 }
      layer { name: "conv" type: "Convolution" bottom: "data" top: "x" convolution_param { num_output: 2 kernel_size: 1 } }
      layer { name: "relu" type: "ReLU" bottom: "x" top: "x" }
      layer { name: "scale" type: "Power" bottom: "x" top: "x" power_param { scale: 2 shift: 1 } }
      layer { name: "x@1" type: "Sigmoid" bottom: "x" top: "x@1" }`);
    const graph = decodeModel(exportOnnx(net)).graph!;
    const produced = graph.node!.map((n) => `${n.opType}:${n.input![0]}→${n.output!.join(',')}`);
    expect(produced).toEqual(['Conv:data→x@0', 'Relu:x@0→x@1#2', 'Mul:x@1#2→scale/scaled', 'Add:scale/scaled→x', 'Sigmoid:x→x@1']);
    expect(graph.output!.map((o) => o.name)).toEqual(['x@1']);
  });

  it('refuses what has no exact ONNX form, naming every such layer at its line', () => {
    const net = loadNet(
      `input: "data" input_shape { dim: 1 dim: 2 dim: 5 dim: 5 }
layer { name: "stoch" type: "Pooling" bottom: "data" top: "p" pooling_param { pool: STOCHASTIC kernel_size: 2 } }
layer { name: "outside" type: "Pooling" bottom: "data" top: "q" pooling_param { pool: MAX kernel_size: 1 stride: 3 } }
layer { name: "conv" type: "Convolution" bottom: "data" top: "c" convolution_param { num_output: 2 kernel_size: 1 axis: 2 } }
layer { name: "loss" type: "EuclideanLoss" bottom: "data" bottom: "data" top: "l" }`,
      { file: 'bad.prototxt' },
    );
    expect(diagnosticsOf(() => exportOnnx(net))).toEqual([
      '2:1: layer "stoch" (Pooling): STOCHASTIC pooling has no ONNX form in the export yet (at TEST it is Σx²/Σx per window; random in TRAIN)',
      '3:1: layer "outside" (Pooling): the last window on axis 2 lies wholly outside the input (kernel 1, stride 3, input 5); ONNX pooling cannot express it',
      '4:1: layer "conv" (Convolution): channel axis 2: ONNX\'s Conv takes channels on axis 1',
      '5:1: layer "loss" (EuclideanLoss) has no ONNX form in brewnet\'s export',
    ]);
  });

  it("refuses DetectionOutput, saying why ONNX's NonMaxSuppression differs", () => {
    const net = loadNet(`${repoRoot}/test/fixtures/oracle/detection/net.prototxt`);
    const messages = diagnosticsOf(() => exportOnnx(net));
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatch(
      /^\d+:1: layer "det" \(DetectionOutput\) has no ONNX form in brewnet's export: caffe-ssd's NMS keeps keep_top_k detections per image across classes/,
    );
  });

  it("refuses py-faster-rcnn's proposals, as the Python layer and as OpenCV's Proposal type", () => {
    for (const [name, type] of [
      ['python_vgg', 'Python'],
      ['proposal_cuts', 'Proposal'],
    ]) {
      const messages = diagnosticsOf(() => exportOnnx(loadNet(`${repoRoot}/test/fixtures/proposal/${name}/net.prototxt`)));
      expect(messages, name).toHaveLength(1);
      expect(messages[0]).toMatch(new RegExp(`^5:1: layer "proposal" \\(${type}\\).*its number of regions is known only after NMS`));
    }
  });

  it('refuses a symbolic batch where a layer depends on the batch size', () => {
    const net = loadNet(`input: "data" input_shape { dim: 2 dim: 3 }
layer { name: "r" type: "Reshape" bottom: "data" top: "r" reshape_param { shape { dim: 1 dim: 6 } } }`);
    expect(diagnosticsOf(() => exportOnnx(net, { batchSymbol: 'N' }))).toEqual([
      '2:1: layer "r" (Reshape): it changes the batch axis (2 → 1), so the batch cannot be symbolic',
    ]);
  });
});

describe('brewnet convert --to onnx', () => {
  it('writes the model and checks it in onnxruntime-node', () => {
    const file = join(tmp(), 'conv.onnx');
    const fixture = 'test/fixtures/numerics/conv';
    const r = runCli([
      'convert',
      `${fixture}/net.prototxt`,
      '--weights',
      `${fixture}/weights.caffemodel`,
      '--to',
      'onnx',
      '-o',
      file,
      '--check',
    ]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^wrote .*conv\.onnx \(0\.0 MB\): 6 nodes, opset 17\n/);
    expect(r.stdout).toMatch(/\n  conv3 2×3×3×4: max \|onnxruntime − reference\| = \d\.\d\de-\d+ \(\d\.\d\de-\d+ of the largest value\)\n/);
    expect(r.stdout).toMatch(
      /check: onnxruntime-node agrees with brewnet's reference executor; max relative difference \d\.\d\de-([5-9]|[1-9]\d)\n$/,
    );
  });

  it('says so when the output folder does not exist, and when an onnx flag comes without --to onnx', () => {
    const missing = join(tmp(), 'no', 'such', 'net.onnx');
    const r = runCli(['convert', 'examples/lenet-v1.prototxt', '--to', 'onnx', '-o', missing]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`error: cannot write ${missing}: the folder`);
    expect(r.stderr).toContain('hint: create it first');
    const onlyOnnx = runCli(['convert', 'examples/lenet-v1.prototxt', '--opset', '17']);
    expect(onlyOnnx.status).toBe(1);
    expect(onlyOnnx.stderr).toContain('error: --opset applies to --to onnx only');
  });
});
