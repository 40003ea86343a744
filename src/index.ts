// brewnet's programmatic API: load a Caffe net into the typed IR and ask it about shapes.
export { loadNet, readNet, type LoadOptions } from './api/load-net.js';
export { buildNet } from './passes/build-net.js';
export { Net, type NetJSON } from './ir/net.js';
export { Layer } from './ir/layer.js';
export { Blob } from './ir/blob.js';
export type { Shape } from './ir/layer-module.js';
export { layerRegistry } from './layers/registry.js';
export { registerLayer, loadPlugin, type LayerPlugin } from './api/plugins.js';
export type { LayerModule, ShapeContext, ShapeResult, ForwardLayer } from './ir/layer-module.js';
export { DIALECTS, DIALECT_NAMES, type Dialect } from './schema/dialects.js';
export { DiagnosticError, formatDiagnostic, type Diagnostic, type SourceLocation } from './diagnostics/diagnostic.js';
export type { Phase } from './ir/net.js';
export { analyzeNet, analysisJSON, type AnalysisReport } from './analysis/analyze-net.js';
export { coordMapFromTo, cropOffsetsBetween, type NumericMap } from './analysis/blob-maps-api.js';
export { fixCrops } from './analysis/fix-crops.js';
// Weights: .caffemodel files matched to a net as Caffe does, or the prototxt's fillers.
export { loadWeights, type LoadWeightsOptions, type LoadedWeights } from './weights/match-weights.js';
export { fillWeights, type WeightMap } from './weights/fill-weights.js';
export { readCaffemodel, type Caffemodel, type WeightLayer, type WeightBlob } from './weights/read-caffemodel.js';
export { compile, type CompileOptions, type CompiledNet } from './runtime/compile.js';
export { runReference, type ReferenceResult } from './runtime/reference-executor.js';
export { buildPlan } from './runtime/build-plan.js';
export type { ExecutionPlan } from './runtime/execution-plan.js';
export type { Tensor } from './ir/tensor.js';
export { readNpy, writeNpy } from './runtime/npy.js';
// Net scripts (.py): pycaffe NetSpec and Theano, run in brewnet's sandbox; prototxt → NetSpec script.
export { runScript, type ScriptOptions, type ScriptRun } from './frontend/dsl/run-script.js';
export { scriptNet, scriptNets, type ScriptNetOptions, type ScriptNet } from './frontend/dsl/script-nets.js';
export { DEFAULT_LIMITS, type Limits } from './frontend/dsl/limits.js';
export { toPrototxt } from './printer/prototxt-printer.js';
export { printNetSpec, type NetSpecScriptOptions } from './printer/netspec-printer.js';
export { layerExtension, type LayerExtension } from './ir/layer-extensions.js';
// ONNX export: the net as an ONNX model with Caffe's exact semantics (src/export/onnx/).
export { exportOnnx, type ExportOnnxOptions, type OnnxFileResult } from './export/onnx/export-onnx.js';
export { checkOnnxModel } from './export/onnx/check-model.js';
// Pictures of a net: SVG laid out by Graphviz (WebAssembly), DOT text, PNG through resvg (WebAssembly).
export { drawNet, drawGraph } from './draw/svg.js';
export { netToDot, type DrawOptions, type RankDir } from './draw/dot.js';
export { netGraph, type NetGraph, type GraphNode, type GraphEdge, type GraphOptions } from './draw/net-graph.js';
export { svgToPng, type PngOptions } from './draw/png.js';
export { FAMILY_STYLES, layerFamily, type LayerFamily } from './draw/layer-style.js';
