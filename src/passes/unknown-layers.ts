// The tolerant mode for inspection (--allow-unknown): a layer whose type brewnet does not know no longer
// stops the net. Given its top shapes (--shape layer=dims, once per top) it stays, as an opaque layer with
// those tops; without them it is left out, and so is every layer that reads what it (or a layer left out
// after it) writes — their shapes cannot be known. What was left out is said in one note.
import type { Diagnostic, SourceLocation } from '../diagnostics/diagnostic.js';
import type { LayerModule, Shape } from '../ir/layer-module.js';
import { layerRegistry } from '../layers/registry.js';
import { locOf } from '../schema/message.js';
import type { LayerParameter } from '../schema/caffe-messages.generated.js';

const note = (message: string, location?: SourceLocation, hint?: string): Diagnostic => ({ severity: 'note', message, location, hint });

export interface TolerantLayers {
  layers: LayerParameter[];
  /** Modules for the unknown types kept (their tops given). */
  modules: Map<string, LayerModule>;
  notes: Diagnostic[];
}

function opaqueModule(type: string, shapes: ReadonlyMap<string, Shape[]>): LayerModule {
  return {
    type,
    bottoms: { min: 0, max: Infinity },
    tops: { min: 0, max: Infinity },
    inPlace: true,
    infer(ctx) {
      const tops = shapes.get(ctx.name)!;
      if (tops.length !== ctx.topCount)
        ctx.fail(`--shape gives ${tops.length} top shape(s) for this ${type} layer, which has ${ctx.topCount} top(s)`);
      return { tops: tops.map((t) => [...t]), params: [], macs: 0 };
    },
  };
}

export function tolerateUnknown(layers: readonly LayerParameter[], shapes: ReadonlyMap<string, Shape[]>): TolerantLayers {
  const kept: LayerParameter[] = [];
  const modules = new Map<string, LayerModule>();
  const unknownBlobs = new Set<string>();
  const dropped: string[] = [];
  const notes: Diagnostic[] = [];
  for (const layer of layers) {
    const type = String(layer.type ?? '');
    const name = String(layer.name ?? '');
    const bottoms = layer.bottom ?? [];
    const tops = layer.top ?? [];
    const known = layerRegistry.has(type);
    if (!known && shapes.has(name)) {
      modules.set(type, opaqueModule(type, shapes));
      kept.push(layer);
      for (const t of tops) unknownBlobs.delete(t);
      continue;
    }
    if (!known || bottoms.some((b) => unknownBlobs.has(b))) {
      for (const t of tops) unknownBlobs.add(t);
      if (!known)
        notes.push(
          note(
            `layer "${name}" has the unsupported type "${type}"; its tops (${tops.join(', ') || 'none'}) and what reads them are left out`,
            locOf(layer, 'type'),
            `give its top shapes with --shape ${name}=N,C,H,W (once per top) to keep going through it`,
          ),
        );
      else dropped.push(name);
      continue;
    }
    for (const t of tops) unknownBlobs.delete(t);
    kept.push(layer);
  }
  if (dropped.length)
    notes.push(
      note(
        `${dropped.length} layer(s) after them have unknown shapes and are left out: ${dropped.slice(0, 8).join(', ')}${dropped.length > 8 ? ', …' : ''}`,
      ),
    );
  return { layers: kept, modules, notes };
}
