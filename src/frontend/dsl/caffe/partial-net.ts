// The IR of a net still under construction: the layers reachable from some tops, emitted as to_proto
// would (but leniently, see to-proto.ts) and built with brewnet's own passes. crop() reads coordinate
// maps from it; Theano's `x.shape` reads shapes. Source layers whose shapes only data can tell (a Python
// data layer) get the --input shape when one is given, else a stand-in size when only the coordinate
// maps matter (they do not depend on sizes; the stand-in only has to be one the net accepts).
import { buildNet } from '../../../api/load-net.js';
import { DiagnosticError } from '../../../diagnostics/diagnostic.js';
import type { Blob } from '../../../ir/blob.js';
import type { Net } from '../../../ir/net.js';
import { layerModule } from '../../../layers/registry.js';
import type { Msg } from '../../../schema/message.js';
import type { Runtime } from '../values.js';
import { LayerFunction, type LayerTop } from './net-spec.js';
import { emitLayer, netParameter, newEmitState, type EmitState } from './to-proto.js';

export interface PartialNet {
  net: Net;
  blobOf(top: LayerTop): Blob;
}

export interface PartialNetOptions {
  /** Names for tops and layers (Theano variables); the rest are named automatically. */
  names?: Map<LayerTop | LayerFunction, string>;
  /** Shapes by blob name (--input). */
  inputs?: ReadonlyMap<string, readonly number[]>;
  /** Give sources without a known shape stand-in sizes (for coordinate maps only). */
  standIns: boolean;
  onLayer?: EmitState['onLayer'];
}

/** Square stand-in sizes tried in turn until the net accepts one. */
const STAND_IN_SIZES = [500, 1000, 224, 2000];

function needsShape(layer: Msg): boolean {
  const type = String(layer.type);
  if (!layerModule(type)?.source) return false;
  if (type === 'DummyData' || type === 'MemoryData') return false;
  if (type === 'Input') return !((layer.input_param as Msg | undefined)?.shape as Msg[] | undefined)?.length;
  return true;
}

export function buildPartialNet(tops: LayerTop[], rt: Runtime, options: PartialNetOptions): PartialNet {
  const state = newEmitState(rt, { lenient: true, names: new Map(options.names ?? []), onLayer: options.onLayer });
  for (const top of tops) emitLayer(top.fn, state);
  const netMsg = netParameter(state);
  const order = [...state.layers.keys()];
  const missing = [...state.layers.values()].filter(needsShape).flatMap((l) => (l.top as string[] | undefined) ?? []);
  const given = new Map<string, number[]>();
  for (const name of missing) {
    const shape = options.inputs?.get(name);
    if (shape) given.set(name, [...shape]);
  }
  const unknown = missing.filter((name) => !given.has(name));
  const attempt = (size?: number): Net => {
    const inputs = new Map(given);
    if (size !== undefined) for (const name of unknown) inputs.set(name, [1, 3, size, size]);
    return buildNet(netMsg, { inputs });
  };
  let net: Net | undefined;
  if (!options.standIns || unknown.length === 0) net = attempt();
  else {
    let last: unknown;
    for (const size of STAND_IN_SIZES) {
      try {
        net = attempt(size);
        break;
      } catch (e) {
        if (!(e instanceof DiagnosticError)) throw e;
        last = e;
      }
    }
    if (!net) throw last;
  }
  const built = net;
  return {
    net: built,
    blobOf(top) {
      const layer = built.layers[order.indexOf(top.fn)];
      return layer.tops[top.n];
    },
  };
}
