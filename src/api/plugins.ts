// Layer plug-ins: a layer type brewnet does not know, given as one object — its type, its parameter message
// (a proto2 snippet and the LayerParameter field that holds it), blob counts, shape rule, and optionally its
// coordinate map (the shape rule's `spatial`), reference forward and gpu.js lowering. registerLayer adds the
// message to every dialect's schema and the module to the one layer registry; from then on the type is
// parsed, shape-checked, analysed, drawn and run like a built-in one (a layer with a forward and no
// lowering runs as a host step). loadPlugin imports a plug-in file (`--plugin` on every command).
import { moduleURL, pathKind, PLATFORM } from '#platform';
import { DiagnosticError, error, fail } from '../diagnostics/diagnostic.js';
import type { BlobCount, LayerModule } from '../ir/layer-module.js';
import { registerLayer as addToRegistry, layerModule } from '../layers/registry.js';
import { extendSchema } from '../schema/caffe-schema.js';

export interface LayerPlugin extends Omit<LayerModule, 'bottoms' | 'tops' | 'inPlace' | 'paramField'> {
  /** Exactly n, or { min, max } (default exactly 1). */
  bottoms?: number | BlobCount;
  tops?: number | BlobCount;
  /** Whether top i may be bottom i (default false). */
  inPlace?: boolean;
  /**
   * The parameter message: proto2 text declaring it (package caffe is implied), the LayerParameter field
   * that holds it and that field's number (pick one no fork uses, e.g. above 10000).
   */
  param?: { proto: string; field: string; id: number; message: string };
}

const count = (c: number | BlobCount | undefined): BlobCount =>
  c === undefined ? { min: 1, max: 1 } : typeof c === 'number' ? { min: c, max: c } : c;

const registered = new WeakMap<object, LayerModule>();

/** Registers a layer plug-in (or a LayerModule); returns the module the registry holds. */
export function registerLayer(plugin: LayerPlugin | LayerModule): LayerModule {
  const done = registered.get(plugin);
  if (done) return done;
  const where = `plug-in layer "${String(plugin.type)}"`;
  if (typeof plugin.type !== 'string' || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(plugin.type))
    fail(`a plug-in needs a layer type name (letters, digits, _), got ${JSON.stringify(plugin.type)}`);
  if (typeof plugin.infer !== 'function') fail(`${where} has no shape rule: give it infer(ctx) returning { tops, params }`);
  if (layerModule(plugin.type))
    fail(`${where}: brewnet already has a layer type "${plugin.type}"`, undefined, 'a plug-in adds a type; it cannot replace one');
  const p = 'param' in plugin ? plugin.param : undefined;
  if (p) {
    const proto = /^\s*(syntax|package)\b/m.test(p.proto) ? p.proto : `syntax = "proto2";\npackage caffe;\n${p.proto}`;
    try {
      extendSchema({ proto, fields: [{ message: 'LayerParameter', name: p.field, id: p.id, type: p.message }] });
    } catch (e) {
      throw new DiagnosticError([
        error(
          `${where}: its parameter message does not load: ${(e as Error).message}`,
          undefined,
          'param.proto is proto2 text declaring param.message in package caffe',
        ),
      ]);
    }
  }
  const module: LayerModule = {
    ...(plugin as LayerModule),
    ...(p ? { paramField: p.field } : {}),
    bottoms: count(plugin.bottoms as number | BlobCount | undefined),
    tops: count(plugin.tops as number | BlobCount | undefined),
    inPlace: plugin.inPlace ?? false,
  };
  addToRegistry(module);
  registered.set(plugin, module);
  return module;
}

/** Imports a plug-in file (its default export: one plug-in or a list) and registers what it defines. */
export async function loadPlugin(path: string): Promise<LayerModule[]> {
  if (PLATFORM === 'node' && pathKind(path) === 'missing') fail(`no such plug-in file: ${path}`);
  let mod: { default?: unknown };
  try {
    mod = (await import(/* @vite-ignore */ moduleURL(path))) as { default?: unknown };
  } catch (e) {
    fail(`plug-in ${path} failed to load: ${(e as Error).message}`);
  }
  const value = mod.default;
  const plugins = Array.isArray(value) ? value : [value];
  if (value === undefined || plugins.some((x) => typeof x !== 'object' || x === null)) {
    fail(`plug-in ${path} must export default a layer plug-in object (or a list of them)`, undefined, 'see examples/plugins/');
  }
  return plugins.map((x) => registerLayer(x as LayerPlugin));
}
