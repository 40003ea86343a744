// The IR of a net still under construction: the layers reachable from some tops, emitted as to_proto
// would (but leniently, see to_proto in net-spec.ts) and built with brewnet's own passes, so that a script can ask
// for a blob's shape (Theano's `x.shape`) with Caffe's exact rules. Inputs take the --input shapes.
import { buildNet } from '../../../passes/build-net.js';
import type { Blob } from '../../../ir/blob.js';
import type { Net } from '../../../ir/net.js';
import { layerModule } from '../../../layers/registry.js';
import type { Runtime } from '../values.js';
import { LayerFunction, type LayerTop } from './net-spec.js';
import { emitLayer, netParameter, newEmitState } from './net-spec.js';
import type { LayerParameter } from '../../../schema/caffe-messages.generated.js';

export interface PartialNet {
  net: Net;
  blobOf(top: LayerTop): Blob;
}

export interface PartialNetOptions {
  /** Names for tops and layers (Theano variables); the rest are named automatically. */
  names?: Map<LayerTop | LayerFunction, string>;
  /** Shapes by blob name (--input). */
  inputShape: (name: string) => readonly number[] | undefined;
}

/** Source layers whose shapes only the data can tell (they take --input shapes). */
function needsShape(layer: LayerParameter): boolean {
  const type = String(layer.type);
  if (!layerModule(type)?.source) return false;
  if (type === 'DummyData' || type === 'MemoryData') return false;
  if (type === 'Input') return !layer.input_param?.shape?.length;
  return true;
}

export function buildPartialNet(tops: LayerTop[], rt: Runtime, options: PartialNetOptions): PartialNet {
  const state = newEmitState(rt, { lenient: true, names: new Map(options.names ?? []) });
  for (const top of tops) emitLayer(top.fn, state);
  const netMsg = netParameter(state);
  const order = [...state.layers.keys()];
  const missing = [...state.layers.values()].filter(needsShape).flatMap((l) => l.top ?? []);
  const given = new Map<string, number[]>();
  for (const name of missing) {
    const shape = options.inputShape(name);
    if (shape) given.set(name, [...shape]);
  }
  const net = buildNet(netMsg, { inputs: given });
  return {
    net,
    blobOf(top) {
      return net.layers[order.indexOf(top.fn)].tops[top.n];
    },
  };
}
