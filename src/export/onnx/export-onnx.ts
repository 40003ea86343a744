// The API of the ONNX export: exportOnnx(net, options) gives the model's bytes; writeOnnxFile streams it to
// a file (initializer by initializer, so memory stays bounded by the largest parameter blob), switching to
// ONNX external data when the initializers pass `externalDataAbove` (default: near protobuf's 2 GB limit).
// Parameters come from a weight map, a .caffemodel, or the prototxt's fillers — the last made lazily, one
// layer at a time, as the writer reaches it.
import { DiagnosticError, error, fail } from '../../diagnostics/diagnostic.js';
import type { Layer } from '../../ir/layer.js';
import type { Net } from '../../ir/net.js';
import type { ParamMap } from '../../runtime/plan-params.js';
import { fillBlob } from '../../weights/fill-weights.js';
import { paramBlobSpecs } from '../../weights/layer-param-fillers.js';
import { loadWeights } from '../../weights/match-weights.js';
import { storageKeys } from '../../weights/shared-params.js';
import { weightTargets } from '../../weights/weight-targets.js';
import { buildOnnxGraph, type ParamSource } from './build-graph.js';
import { checkOnnxModel, graphModel } from './check-model.js';
import type { OnnxGraph } from './onnx-graph.js';
import { writeModel, type ModelMeta } from './write-model.js';

export const DEFAULT_OPSET = 17;
export const MIN_OPSET = 13;
export const MAX_OPSET = 21;
/** Initializer bytes above which writeOnnxFile puts them in a data file: protobuf messages stop at 2 GiB. */
export const EXTERNAL_DATA_ABOVE = 2_000_000_000;

export interface ExportOnnxOptions {
  /** Parameter blobs by layer name (Caffe's order and layout), or a .caffemodel path or its bytes. */
  weights?: ParamMap | string | Uint8Array;
  /** Without weights: every parameter from the prototxt's fillers, seeded (default 0). */
  seed?: number;
  /** With a .caffemodel: fill the layers it lacks from their fillers instead of failing. */
  allowMissingWeights?: boolean;
  /** ONNX opset of the default domain, 13–21 (default 17). */
  opset?: number;
  /** Name the inputs' and outputs' first axis with this symbol (a free batch size) instead of its number. */
  batchSymbol?: string;
  /** The blobs to make graph outputs (their final values, as Caffe's net.blobs); default the net's outputs. */
  outputs?: readonly string[];
  /** writeOnnxFile: initializer bytes above which they go to `<file>.data` as ONNX external data. */
  externalDataAbove?: number;
}

export interface OnnxFileResult {
  file: string;
  /** Size of the model file, and of the external data file when there is one. */
  bytes: number;
  externalData?: { file: string; bytes: number };
  initializerBytes: number;
  nodes: number;
  opset: number;
}

/** ONNX IR version that goes with an opset (the first IR release that carried it). */
export function irVersionFor(opset: number): number {
  if (opset <= 14) return 7;
  if (opset <= 18) return 8;
  if (opset <= 20) return 9;
  return 10;
}

function checkedOpset(opset: number | undefined): number {
  const v = opset ?? DEFAULT_OPSET;
  if (!Number.isInteger(v) || v < MIN_OPSET || v > MAX_OPSET) {
    fail(
      `opset ${v} is not supported by brewnet's ONNX export`,
      undefined,
      `choose an opset from ${MIN_OPSET} to ${MAX_OPSET} (default ${DEFAULT_OPSET})`,
    );
  }
  return v;
}

/** Parameters as the writer asks for them: from a map, a .caffemodel, or filled lazily from the fillers. */
export function paramSource(net: Net, options: Pick<ExportOnnxOptions, 'weights' | 'seed' | 'allowMissingWeights'>): ParamSource {
  const { weights } = options;
  if (weights instanceof Map) {
    const problems = weightTargets(net).withParams.flatMap((layer) =>
      layer.paramShapes.flatMap((shape, j) => {
        const blob = weights.get(layer.name)?.[j];
        const n = shape.reduce((a, d) => a * d, 1);
        if (blob?.length === n) return [];
        return [
          error(
            `layer "${layer.name}" (${layer.type}) parameter blob ${j}: expected ${shape.join('×')} (${n} values), got ${blob ? `${blob.length} values` : 'none'}`,
            layer.loc,
          ),
        ];
      }),
    );
    if (problems.length) throw new DiagnosticError(problems);
    return (layer, j) =>
      weights.get(layer.name)?.[j] ?? fail(`no parameter blob ${j} for layer "${layer.name}" (${layer.type})`, layer.loc);
  }
  if (weights !== undefined) {
    const { params } = loadWeights(net, weights as string | Uint8Array, { allowMissing: options.allowMissingWeights, seed: options.seed });
    return (layer, j) => params.get(layer.name)![j];
  }
  const seed = options.seed ?? 0;
  const targets = weightTargets(net).withParams;
  // Filler problems are diagnostics now, before a byte is written.
  for (const layer of targets) paramBlobSpecs(layer);
  const keys = storageKeys(targets);
  // A shared blob (ParamSpec name) is its owner's: key "layerIndex/j" names the owner and its blob.
  return (layer: Layer, j: number) => {
    const [owner, ownerBlob] = keys.get(layer)![j].split('/').map(Number);
    return fillBlob(net.layers[owner], ownerBlob, seed);
  };
}

/** brewnet's version as the model's producer_version (test/export/onnx-export.test.ts keeps it equal to package.json's). */
export const PRODUCER_VERSION = '0.1.0';

export function meta(net: Net, opset: number): ModelMeta {
  return { irVersion: irVersionFor(opset), opset, graphName: net.name || 'net', producerVersion: PRODUCER_VERSION };
}

export function build(net: Net, options: ExportOnnxOptions): { graph: OnnxGraph; opset: number } {
  const opset = checkedOpset(options.opset);
  const graph = buildOnnxGraph(net, paramSource(net, options), { opset, batchSymbol: options.batchSymbol, outputs: options.outputs });
  const problems = checkOnnxModel(graphModel(graph, irVersionFor(opset), opset));
  if (problems.length) throw new Error(`internal: the exported ONNX graph breaks ONNX's rules:\n${problems.join('\n')}`);
  return { graph, opset };
}

export const totalBytes = (graph: OnnxGraph) => graph.initializers.reduce((n, i) => n + i.byteLength, 0);

/** The model as bytes (for models under 2 GB; writeOnnxFile streams bigger ones to disk). */
export function exportOnnx(net: Net, options: ExportOnnxOptions = {}): Uint8Array {
  const { graph, opset } = build(net, options);
  if (totalBytes(graph) > EXTERNAL_DATA_ABOVE) {
    fail(
      `the model's parameters take ${totalBytes(graph)} bytes, more than one protobuf message holds`,
      undefined,
      'write it to a file with writeOnnxFile (brewnet convert --to onnx -o FILE), which uses ONNX external data',
    );
  }
  const chunks: Uint8Array[] = [];
  writeModel(graph, meta(net, opset), (c) => chunks.push(c.slice()));
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}
