// Phase, level and stage filtering (Caffe's FilterNet / StateMeetsRule, docs/caffe-semantics.md#net-filtering). A layer with
// include rules is kept if the state meets any of them; otherwise it is kept unless the state meets any
// exclude rule. A rule is met when all of its conditions hold.
import { error, DiagnosticError, type Diagnostic } from '../diagnostics/diagnostic.js';
import { locOf } from '../schema/message.js';
import type { LayerParameter, NetParameter, NetStateRule } from '../schema/caffe-messages.generated.js';

import type { NetState, Phase } from '../ir/net.js';

export type { NetState, Phase };

/** Caffe's file-path constructor: phase and level replace the file's `state`, stages are appended. */
export function netState(net: NetParameter, options: { phase?: Phase; level?: number; stages?: string[] }): NetState {
  const fileState = net.state;
  return {
    phase: options.phase ?? 'TEST',
    level: options.level ?? 0,
    stages: [...(fileState?.stage ?? []), ...(options.stages ?? [])],
  };
}

export function stateMeetsRule(state: NetState, rule: NetStateRule): boolean {
  if (rule.phase !== undefined && rule.phase !== state.phase) return false;
  if (rule.min_level !== undefined && state.level < rule.min_level) return false;
  if (rule.max_level !== undefined && state.level > rule.max_level) return false;
  for (const stage of rule.stage ?? []) if (!state.stages.includes(stage)) return false;
  for (const stage of rule.not_stage ?? []) if (state.stages.includes(stage)) return false;
  return true;
}

/** The layers the state keeps, in file order. */
export function filterLayers(layers: LayerParameter[], state: NetState): LayerParameter[] {
  const diagnostics: Diagnostic[] = [];
  const kept = layers.filter((layer) => {
    const include = layer.include ?? [];
    const exclude = layer.exclude ?? [];
    if (include.length && exclude.length) {
      diagnostics.push(
        error(`layer "${layer.name ?? ''}": Specify either include rules or exclude rules; not both.`, locOf(layer, 'exclude')),
      );
      return false;
    }
    if (include.length) return include.some((rule) => stateMeetsRule(state, rule));
    return !exclude.some((rule) => stateMeetsRule(state, rule));
  });
  if (diagnostics.length) throw new DiagnosticError(diagnostics);
  return kept;
}
