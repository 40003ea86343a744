// Turns a net into an ONNX graph: names every blob version (the rule below), makes the Input layers' tops
// graph inputs and the net's outputs graph outputs, and asks the mapping table (mappings.ts) for each
// layer's nodes. Parameters reach the graph as initializers whose values are read from `params` only when
// the writer streams them.
//
// Names. The value holding a blob's final version — what Caffe's net.blobs holds after a forward pass, and
// every graph input and output — keeps the blob's Caffe name. A version that a later in-place layer
// overwrites (conv1 before its in-place ReLU) is `name@v`, v its version number (0 for the layer that first
// wrote it). A decomposition's intermediate values are `layer/what`; initializers are `layer/role`. Any
// name already taken gets `#2`, `#3`, … appended. Nodes are named after their layer (`layer`, then
// `layer/OpType` for the others of a decomposition).
import { DiagnosticError, error, fail, type Diagnostic } from '../../diagnostics/diagnostic.js';
import type { Blob } from '../../ir/blob.js';
import type { Layer } from '../../ir/layer.js';
import type { Net } from '../../ir/net.js';
import { onnxMappings, onnxRefusals, type LayerContext } from './mappings.js';
import { OnnxGraph, valueInfo, type AttrValue } from './onnx-graph.js';

/** Parameter blob j of a layer (Caffe's layout), asked for when the initializer made from it is written. */
export type ParamSource = (layer: Layer, j: number) => Float32Array;

export interface BuildOptions {
  opset: number;
  /** Name the graph inputs' first axis with this symbol instead of its number (a free batch size). */
  batchSymbol?: string;
  /** The blobs to make graph outputs (their final versions); default the net's outputs. */
  outputs?: readonly string[];
}

export function buildOnnxGraph(net: Net, params: ParamSource, options: BuildOptions): OnnxGraph {
  if (net.state.phase !== 'TEST') fail('ONNX export writes the net as it runs for inference: load it in the TEST phase (--phase test)');
  const graph = new OnnxGraph();
  // Keyed by the Blob itself: ids can coincide (blob "x" version 1 and a blob named "x@1" are both `x@1`).
  const finals = new Set(net.blobs);
  for (const b of net.blobs) graph.reserve(b.name);
  const names = new Map<Blob, string>();
  for (const b of net.blobVersions) {
    names.set(b, finals.has(b) ? b.name : graph.unique(`${b.name}@${b.version}`));
  }
  const nameOf = (b: Blob) => names.get(b)!;
  const dims = (b: Blob) => (options.batchSymbol && b.shape.length > 0 ? [options.batchSymbol, ...b.shape.slice(1)] : b.shape);

  const problems: Diagnostic[] = [];
  for (const layer of net.layers) {
    if (layer.type === 'Input') {
      for (const top of layer.tops) graph.inputs.push(valueInfo(nameOf(top), dims(top)));
      continue;
    }
    if (layer.module.source && !layer.module.knownCode?.(layer)) {
      problems.push(
        error(
          `layer "${layer.name}" (${layer.type}) reads its data from outside the net; ONNX export needs its tops as graph inputs`,
          layer.loc,
          'replace it by an Input layer (or give its tops with --input name=dims and an Input layer)',
        ),
      );
      continue;
    }
    const mapping = onnxMappings[layer.type];
    if (!mapping) {
      problems.push(
        error(
          `layer "${layer.name}" (${layer.type}) has no ONNX form in brewnet's export${onnxRefusals[layer.type] ? `: ${onnxRefusals[layer.type]}` : ''}`,
          layer.loc,
          `the layer types that export are listed in README.md ("ONNX export")`,
        ),
      );
      continue;
    }
    try {
      mapping(layerContext(layer, graph, params, nameOf, options));
    } catch (e) {
      if (e instanceof DiagnosticError) problems.push(...e.diagnostics);
      else throw e;
    }
  }
  if (problems.length) throw new DiagnosticError(problems);

  const outputs = new Set(options.outputs ?? net.outputs);
  for (const name of outputs) net.blob(name);
  for (const b of net.blobs) {
    if (outputs.has(b.name)) graph.outputs.push(valueInfo(nameOf(b), dims(b)));
  }
  const io = new Set([...graph.inputs, ...graph.outputs].map((v) => v.name));
  for (const b of net.blobVersions) {
    if (!b.automatic && !io.has(nameOf(b)) && b.producer.type !== 'Input') graph.valueInfo.push(valueInfo(nameOf(b), dims(b)));
  }
  return graph;
}

function layerContext(
  layer: Layer,
  graph: OnnxGraph,
  params: ParamSource,
  nameOf: (b: Blob) => string,
  options: BuildOptions,
): LayerContext {
  let nodes = 0;
  const symbolicBatch = options.batchSymbol !== undefined;
  const fail = (message: string, hint?: string): never => {
    throw new DiagnosticError([error(`layer "${layer.name}" (${layer.type}): ${message}`, layer.loc, hint)]);
  };
  return {
    layer,
    opset: options.opset,
    symbolicBatch,
    shapeConst(role, shape, from) {
      const dims = [...shape];
      if (symbolicBatch) {
        if (shape[0] !== from[0])
          fail(`it changes the batch axis (${from[0]} → ${shape[0]}), so the batch cannot be symbolic`, 'export without --batch');
        dims[0] = 0;
      }
      return graph.int64Const(`${layer.name}/${role}`, dims);
    },
    notBatchAxis(axis, what) {
      if (symbolicBatch && axis === 0) fail(`${what} depends on the batch size, so the batch cannot be symbolic`, 'export without --batch');
    },
    bottom: (i) => nameOf(layer.bottoms[i]),
    top: (i) => nameOf(layer.tops[i]),
    temp: (what) => graph.unique(`${layer.name}/${what}`),
    node(opType: string, input: string[], output: string[], attrs?: Record<string, AttrValue | undefined>) {
      const name = graph.unique(nodes++ === 0 ? layer.name : `${layer.name}/${opType}`);
      graph.node(opType, name, input, output, attrs);
    },
    param(j, role, options = {}) {
      const shape = layer.paramShapes[j];
      return graph.floatTensor(`${layer.name}/${role}`, options.dims ?? shape, () => {
        const blob = params(layer, j);
        return options.transform ? options.transform(blob) : blob;
      });
    },
    derived(role, dimsOf, make) {
      return graph.floatTensor(`${layer.name}/${role}`, dimsOf, () => make(layer.paramShapes.map((_, j) => params(layer, j))));
    },
    floatConst: (role, d, values) => graph.floatConst(`${layer.name}/${role}`, d, values),
    int64Const: (role, values, scalar) => graph.int64Const(`${layer.name}/${role}`, values, scalar),
    fail,
  };
}
