// Parameter blobs for a plan from a .caffemodel, without the net's IR (what a compiled module has): layers
// matched by name as Caffe's CopyTrainedLayersFrom does, every blob checked with Caffe's ShapeEquals.
import { DiagnosticError, error, type Diagnostic } from '../diagnostics/diagnostic.js';
import { blobShapeEquals, showBlobShape } from '../weights/blob-shape-rule.js';
import { readCaffemodel } from '../weights/read-caffemodel.js';
import type { ExecutionPlan } from './execution-plan.js';
import type { ParamMap } from './plan-params.js';
import { showDims } from '../ir/tensor.js';

export function loadPlanWeights(plan: ExecutionPlan, source: string | Uint8Array, file?: string): ParamMap {
  const wanted = new Map(plan.layers.filter((l) => l.params.length > 0).map((l) => [l.name, l]));
  const model = readCaffemodel(source, { file, keepData: (name) => wanted.has(name) });
  const found = new Map<string, Float32Array[]>();
  const problems: Diagnostic[] = [];
  for (const layer of model.layers) {
    const target = wanted.get(layer.name);
    if (!target) continue;
    if (layer.blobs.length !== target.params.length) {
      problems.push(
        error(`${model.file}: layer "${layer.name}" has ${layer.blobs.length} blob(s); the net expects ${target.params.length}`),
      );
      continue;
    }
    const bad = target.params.findIndex((shape, i) => !blobShapeEquals(shape, layer.blobs[i]));
    if (bad >= 0) {
      problems.push(
        error(
          `${model.file}: layer "${layer.name}" blob ${bad}: expected ${showDims(target.params[bad])}, found ${showBlobShape(layer.blobs[bad])}`,
        ),
      );
      continue;
    }
    found.set(
      layer.name,
      layer.blobs.map((b) => b.data),
    );
  }
  const missing = [...wanted.keys()].filter((n) => !found.has(n));
  if (missing.length) problems.push(error(`${model.file} has no weights for layer(s) ${missing.map((n) => JSON.stringify(n)).join(', ')}`));
  if (problems.length) throw new DiagnosticError(problems);
  return found;
}
