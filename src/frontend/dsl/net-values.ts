// Script values that are nets, as NetParameters: what to_proto() returned, a NetSpec, a Top (its
// ancestors, as caffe.to_proto(top) gives them), and whatever other modules register (Theano graphs).
import type { Msg } from '../../schema/message.js';
import { MessageProxy } from './caffe/message-proxy.js';
import { LayerTop, NetSpecObject } from './caffe/net-spec.js';
import { emitLayer, netParameter, netSpecToNetParameter, newEmitState } from './caffe/net-spec.js';
import type { PyValue, Runtime } from './values.js';

/** `wholeNetsOnly`: accept only values that stand for a whole net (not a single top or variable). */
export type NetConverter = (value: PyValue, rt: Runtime, wholeNetsOnly: boolean) => Msg | undefined;

/** Converters for values of other modules (the Theano module adds its graphs here). */
export const netConverters: NetConverter[] = [];

/**
 * The net a value stands for. Module-level variables are searched with `wholeNetsOnly` (a NetSpec, a
 * NetParameter, a Theano function), so that a script's intermediate tops are not taken for nets.
 */
export function netOfValue(value: PyValue, rt: Runtime, wholeNetsOnly = false): Msg | undefined {
  if (value instanceof MessageProxy && value.type.name === 'NetParameter') return value.materialise();
  if (value instanceof NetSpecObject) return netSpecToNetParameter(value, newEmitState(rt));
  if (value instanceof LayerTop && !wholeNetsOnly) {
    const state = newEmitState(rt);
    emitLayer(value.fn, state);
    return netParameter(state);
  }
  for (const convert of netConverters) {
    const net = convert(value, rt, wholeNetsOnly);
    if (net) return net;
  }
  return undefined;
}
