// The one diagnostic for a layer the runtime cannot execute (a type without kernels, or a parameter
// combination the kernels do not cover), located at the layer so the user sees which one and why.
import { fail } from '../diagnostics/diagnostic.js';
import type { ForwardLayer } from '../ir/layer-module.js';

export function cannotRun(layer: Pick<ForwardLayer, 'name' | 'type' | 'loc'>, why?: string, hint?: string): never {
  const reason = why ? `: ${why}` : '';
  fail(`layer type ${layer.type} (layer "${layer.name}") cannot run yet${reason}`, layer.loc, hint);
}
