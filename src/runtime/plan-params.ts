// Matches parameter blobs (by layer name, as Caffe's CopyTrainedLayersFrom does) to the plan's layers and
// checks their sizes, so a kernel never reads past a short array.
import { DiagnosticError, error } from '../diagnostics/diagnostic.js';
import type { ExecutionPlan } from './execution-plan.js';
import { countOf, showDims } from '../ir/tensor.js';

export type ParamMap = ReadonlyMap<string, readonly Float32Array[]>;

export function paramsForPlan(plan: ExecutionPlan, params: ParamMap): Float32Array[][] {
  const problems = [];
  const out: Float32Array[][] = [];
  for (const layer of plan.layers) {
    if (layer.params.length === 0) {
      out.push([]);
      continue;
    }
    const blobs = params.get(layer.name);
    if (!blobs) {
      problems.push(error(`no parameters for layer "${layer.name}" (${layer.type}); it needs ${layer.params.map(showDims).join(' + ')}`));
      out.push([]);
      continue;
    }
    if (blobs.length !== layer.params.length) {
      problems.push(error(`layer "${layer.name}" (${layer.type}) needs ${layer.params.length} parameter blob(s), got ${blobs.length}`));
    }
    layer.params.forEach((shape, i) => {
      const blob = blobs[i];
      if (blob && blob.length !== countOf(shape)) {
        problems.push(
          error(
            `layer "${layer.name}" parameter blob ${i}: expected ${showDims(shape)} (${countOf(shape)} values), got ${blob.length} values`,
          ),
        );
      }
    });
    out.push([...blobs]);
  }
  if (problems.length) throw new DiagnosticError(problems);
  return out;
}
