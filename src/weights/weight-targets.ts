// The layers weights are matched to, by name, as CopyTrainedLayersFrom does: a name finds the first layer
// that has it. Caffe accepts two layers with one name (the second never receives weights), but brewnet's
// weight maps are keyed by layer name, so when such a name carries parameters it is an error here.
import { DiagnosticError, error, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { Layer } from '../ir/layer.js';
import type { Net } from '../ir/net.js';

export interface WeightTargets {
  /** The first layer of each name, with or without parameters. */
  byName: Map<string, Layer>;
  /** The layers with parameter blobs, in net order: the keys of every weight map. */
  withParams: Layer[];
}

export function weightTargets(net: Net): WeightTargets {
  const byName = new Map<string, Layer>();
  const diagnostics: Diagnostic[] = [];
  for (const layer of net.layers) {
    const first = byName.get(layer.name);
    if (!first) {
      byName.set(layer.name, layer);
    } else if (first.paramShapes.length || layer.paramShapes.length) {
      diagnostics.push(
        error(
          `two layers are named "${layer.name}" and one has parameters; weights are matched to layers by name, so they cannot be told apart`,
          layer.loc,
          `rename one of them (Caffe would copy weights only into the first, at ${first.loc ? `line ${first.loc.line}` : 'its position'})`,
        ),
      );
    }
  }
  if (diagnostics.length) throw new DiagnosticError(diagnostics);
  return { byName, withParams: [...byName.values()].filter((l) => l.paramShapes.length > 0) };
}
