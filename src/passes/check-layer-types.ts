// Before anything is connected: every layer must have a type brewnet knows. All unsupported types of a
// net are reported at once (a fork's net usually has several), each at its `type:` line. Unknown
// `*_param` fields held back by the checker are reported now, for supported layers only.
import { error, type Diagnostic } from '../diagnostics/diagnostic.js';
import { didYouMean } from '../diagnostics/suggest.js';
import { layerRegistry } from '../layers/registry.js';
import { FORK_LAYER_HINTS } from './fork-layer-types.js';
import { locOf, metaOf } from '../schema/message.js';
import type { LayerParameter } from '../schema/caffe-messages.generated.js';

export function checkLayerTypes(layers: readonly LayerParameter[]): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  const known = [...layerRegistry.keys()];
  const unsupported = new Map<string, number>();
  for (const layer of layers) {
    const type = layer.type;
    const name = layer.name ?? '';
    if (!type) {
      diagnostics.push(error(`layer "${name}" has no type`, locOf(layer), 'add a line such as type: "Convolution"'));
      continue;
    }
    if (!layerRegistry.has(type)) {
      const seen = unsupported.get(type) ?? 0;
      unsupported.set(type, seen + 1);
      // The hint once per type: a net with 50 BN layers needs the explanation once.
      const hint = seen === 0 ? typeHint(type, known) : undefined;
      diagnostics.push(error(`unsupported layer type "${type}" (layer "${name}")`, locOf(layer, 'type'), hint));
      continue;
    }
    diagnostics.push(...(metaOf(layer)?.deferred ?? []));
  }
  if (unsupported.size > 1 || [...unsupported.values()].some((n) => n > 1)) {
    const list = [...unsupported].map(([type, n]) => `${type} (${n} layer${n > 1 ? 's' : ''})`).join(', ');
    diagnostics.push({ severity: 'note', message: `this net uses ${unsupported.size} unsupported layer type(s): ${list}` });
  }
  return diagnostics;
}

// A typo gets "did you mean"; a fork's layer that merely contains a BVLC name (ROIPooling) does not.
function typeHint(type: string, known: string[]): string | undefined {
  if (FORK_LAYER_HINTS[type]) return FORK_LAYER_HINTS[type];
  const lower = type.toLowerCase();
  const related = known.filter((k) => lower.includes(k.toLowerCase()) || k.toLowerCase().includes(lower));
  return didYouMean(
    type,
    known.filter((k) => !related.includes(k) || k.toLowerCase() === lower),
  );
}
