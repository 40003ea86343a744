// NetParameter → IR: keep the layers the state selects, check their types, connect blobs, infer shapes,
// check parameters. Every frontend (prototxt, net scripts, valid-size probing) ends here.
import { DiagnosticError, fail } from '../diagnostics/diagnostic.js';
import { filterLayers, netState } from '../frontend/net-state.js';
import type { Shape } from '../ir/layer-module.js';
import { Net, type Phase } from '../ir/net.js';
import { metaOf, setMeta } from '../schema/message.js';
import type { NetParameter } from '../schema/caffe-messages.generated.js';
import { checkLayerTypes } from './check-layer-types.js';
import { checkParams } from './check-params.js';
import { connectBlobs } from './connect-blobs.js';
import { inferShapes } from './infer-shapes.js';
import { activeDialect } from '../schema/caffe-schema.js';
import { tolerateUnknown } from './unknown-layers.js';

export interface BuildOptions {
  /** TRAIN or TEST (default TEST, as Caffe's tools); replaces the file's own state.phase. */
  phase?: Phase | 'train' | 'test';
  /** Replaces the file's state.level (default 0). */
  level?: number;
  /** Appended to the file's state.stage. */
  stages?: string[];
  /** Input shapes by blob name: give or override the tops of Input, data and Python layers. */
  inputs?: Record<string, readonly number[]> | ReadonlyMap<string, readonly number[]>;
  /** Inspection only: keep going past layers of unknown type (see unknown-layers.ts). */
  allowUnknown?: boolean;
  /** With allowUnknown: the top shapes of unknown layers, by layer name. */
  layerShapes?: ReadonlyMap<string, Shape[]>;
}

/** Builds the IR from an upgraded NetParameter (the DSL frontend enters here too). */
export function buildNet(upgraded: NetParameter, options: BuildOptions = {}): Net {
  const state = netState(upgraded, { ...options, phase: normalisePhase(options.phase) });
  const filtered = filterLayers(upgraded.layer ?? [], state);
  const tolerant = options.allowUnknown ? tolerateUnknown(filtered, options.layerShapes ?? new Map()) : undefined;
  const layers = tolerant ? tolerant.layers : filtered;
  // The IR's source is the net as it runs: same message, only the kept layers.
  const source: NetParameter = { ...upgraded, layer: layers };
  const meta = metaOf(upgraded);
  if (meta) setMeta(source, meta);
  const typeErrors = checkLayerTypes(layers).filter(
    (d) => !(tolerant && d.message.startsWith('unsupported layer type') && tolerant.modules.has(String(d.message.match(/"([^"]*)"/)?.[1]))),
  );
  if (typeErrors.some((d) => d.severity === 'error')) throw new DiagnosticError(typeErrors);
  const inputs = inputShapes(options.inputs);
  const { layers: graph, blobVersions } = connectBlobs(layers, tolerant?.modules);
  inferShapes(graph, state.phase, inputs);
  checkParams(graph);
  const net = new Net(source, state, graph, blobVersions);
  // The schema the net was read with (a fork's dialect, or BVLC's).
  net.dialect = activeDialect();
  if (tolerant) net.notes.push(...tolerant.notes);
  return net;
}

function normalisePhase(phase: BuildOptions['phase']): Phase | undefined {
  if (phase === undefined) return undefined;
  const upper = phase.toUpperCase();
  if (upper !== 'TRAIN' && upper !== 'TEST') fail(`phase must be "train" or "test", not "${phase}"`);
  return upper;
}

function inputShapes(inputs: BuildOptions['inputs']): Map<string, Shape> {
  const entries = inputs instanceof Map ? [...inputs.entries()] : Object.entries(inputs ?? {});
  for (const [name, dims] of entries) {
    if (!Array.isArray(dims) || dims.some((d) => !Number.isInteger(d) || d < 0 || d > 2 ** 31 - 1)) {
      fail(`--input ${name}: dimensions must be integers from 0 to 2147483647, got ${JSON.stringify(dims)}`);
    }
  }
  return new Map(entries.map(([name, dims]) => [name, [...dims]]));
}
