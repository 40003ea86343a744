// NetSpec.to_proto() and caffe.to_proto(*tops) (REFERENCE §4.2–4.3): each top's layer is emitted after
// its inputs (depth-first, memoised), tops are named from the NetSpec or automatically (`Convolution1`,
// counted per type), in-place layers write their bottoms, and keywords are routed and assigned as
// pycaffe does. Where pycaffe would fail to serialise, the same failure is reported at the keyword,
// with a hint; a `lenient` emission (used to compute coordinate maps of a net under construction)
// instead does what the user meant and leaves out what it cannot place.
import type protobuf from 'protobufjs';
import type { Pos } from '../../../../grammar/python-ast.js';
import { closest } from '../../../diagnostics/suggest.js';
import { newMessage } from '../../../schema/build-message.js';
import { messageType } from '../../../schema/caffe-schema.js';
import { metaOf, type Msg } from '../../../schema/message.js';
import { setLayerExtension } from '../../../ir/layer-extensions.js';
import { PyError } from '../errors.js';
import { hashKey } from '../operators.js';
import { PyDict, typeName, type PyValue, type Runtime } from '../values.js';
import { assignProto, type AssignContext } from './assign-proto.js';
import { wrapMessage } from './message-proxy.js';
import { LayerFunction, LayerTop, netSpecHooks, NetSpecObject } from './net-spec.js';
import { ownField, routeKeyword } from '../../../schema/pycaffe-params.js';

export interface EmitState {
  rt: Runtime;
  file: string;
  /** Emitted layers, in emission order. */
  layers: Map<LayerFunction, Msg>;
  /** Names from the NetSpec (tops, and Functions with no tops). */
  names: Map<LayerTop | LayerFunction, string>;
  autonames: Map<string, number>;
  lenient: boolean;
  /** Turns a message value (a MessageProxy) back into its typed message, for message-valued keywords. */
  messageOf?: AssignContext['messageOf'];
  /** Called with each new layer message (Theano attaches its layer extensions here). */
  onLayer?: (fn: LayerFunction, layer: Msg) => void;
}

function loc(state: EmitState, pos: Pos) {
  return { file: state.file, line: pos.line, column: pos.column, offset: pos.offset };
}

function topName(top: LayerTop, state: EmitState): string {
  let name = state.names.get(top);
  if (name === undefined) {
    const n = (state.autonames.get(top.fn.layerType) ?? 0) + 1;
    state.autonames.set(top.fn.layerType, n);
    name = top.fn.layerType + n;
    state.names.set(top, name);
  }
  return name;
}

function layerName(fn: LayerFunction, state: EmitState): string {
  let name = state.names.get(fn);
  if (name === undefined) {
    if (fn.ntop > 0) name = topName(fn.tops[0], state);
    else {
      const n = (state.autonames.get(fn.layerType) ?? 0) + 1;
      state.autonames.set(fn.layerType, n);
      name = fn.layerType + n;
    }
    state.names.set(fn, name);
  }
  return name;
}

export function emitLayer(fn: LayerFunction, state: EmitState): void {
  if (state.layers.has(fn)) return;
  const bottoms: string[] = [];
  for (const input of fn.inputs) {
    emitLayer(input.fn, state);
    bottoms.push((state.layers.get(input.fn)!.top as string[])[input.n]);
  }
  const at = loc(state, fn.pos);
  const layer = newMessage('LayerParameter', at);
  const meta = metaOf(layer)!;
  layer.type = fn.layerType;
  meta.fieldLocs.set('type', [at]);
  if (bottoms.length) {
    layer.bottom = bottoms;
    meta.fieldLocs.set('bottom', bottoms.map(() => at));
  }
  const tops = fn.inPlace ? [...bottoms] : fn.tops.map((t) => topName(t, state));
  if (tops.length) {
    layer.top = tops;
    meta.fieldLocs.set('top', tops.map(() => at));
  }
  layer.name = layerName(fn, state);
  meta.fieldLocs.set('name', [at]);
  if (fn.fill) fn.fill(layer);
  if (fn.extension) setLayerExtension(layer, fn.extension);
  for (const keyword of fn.params) assignKeyword(fn, layer, keyword.name, keyword.value, keyword.pos, state);
  state.layers.set(fn, layer);
  state.onLayer?.(fn, layer);
}

function assignKeyword(fn: LayerFunction, layer: Msg, name: string, value: PyValue, pos: Pos, state: EmitState): void {
  const ctx: AssignContext = { rt: state.rt, file: state.file, pos, owner: `${fn.layerType}()`, messageOf: state.messageOf };
  if (state.lenient && (name === 'include' || name === 'exclude')) return;
  const route = routeKeyword(fn.layerType, name);
  try {
    if (route.to === 'typeParam') {
      const paramType = ownField(messageType('LayerParameter'), route.paramField)!.resolvedType as protobuf.Type;
      let param = layer[route.paramField] as Msg | undefined;
      if (!param) {
        param = newMessage(paramType.name, loc(state, pos));
        layer[route.paramField] = param;
        metaOf(layer)!.fieldLocs.set(route.paramField, [loc(state, pos)]);
      }
      assignProto(param, paramType, name, value, ctx);
    } else if (route.to === 'layer') {
      assignProto(layer, messageType('LayerParameter'), name, value, ctx);
    } else if (state.lenient && route.borrowedFrom) {
      // What the user meant, for the coordinate maps: L.Deconvolution(x, kernel_size=4, …).
      assignKeyword(fn, layer, route.borrowedFrom, dictOf(name, value), pos, state);
    } else if (!state.lenient) {
      throw unplaced(fn, name, route, pos);
    }
  } catch (e) {
    if (!state.lenient || !(e instanceof PyError)) throw e;
  }
}

function dictOf(name: string, value: PyValue): PyValue {
  const d = new PyDict();
  d.entries.set(hashKey(name), [name, value]);
  return d;
}

function unplaced(fn: LayerFunction, name: string, route: Extract<ReturnType<typeof routeKeyword>, { to: 'nowhere' }>, pos: Pos): PyError {
  if (route.borrowedFrom) {
    return new PyError(
      'AttributeError',
      name,
      pos,
      `pycaffe cannot serialise L.${fn.layerType}(${name}=…): ${fn.layerType} has no parameter message of its own; write ${route.borrowedFrom}=dict(${name}=…)`,
    );
  }
  const hint = closest(name, route.candidates);
  return new PyError('TypeError', `${fn.layerType}() got an unknown parameter '${name}'${hint ? ` (did you mean '${hint}'?)` : ''}`, pos);
}

/** The NetParameter of the emitted layers. */
export function netParameter(state: EmitState, at?: Pos): Msg {
  const net = newMessage('NetParameter', at ? loc(state, at) : undefined);
  const layers = [...state.layers.values()];
  if (layers.length) {
    net.layer = layers;
    metaOf(net)!.fieldLocs.set('layer', layers.map((l) => metaOf(l)?.loc ?? loc(state, at ?? { line: 1, column: 1, offset: 0 })));
  }
  return net;
}

export function newEmitState(rt: Runtime, options: Partial<EmitState> = {}): EmitState {
  return { rt, file: rt.file, layers: new Map(), names: new Map(), autonames: new Map(), lenient: false, ...options };
}

/** NetSpec.to_proto(): every assigned top, in assignment order, named by its attribute. */
export function netSpecToNetParameter(spec: NetSpecObject, state: EmitState): Msg {
  // names = {top: name}: a top assigned twice keeps the last name.
  for (const [name, value] of spec.tops) if (value instanceof LayerTop || value instanceof LayerFunction) state.names.set(value, name);
  for (const [name, value] of spec.tops) {
    if (value instanceof LayerTop) emitLayer(value.fn, state);
    else if (value instanceof LayerFunction) emitLayer(value, state);
    else {
      const what = typeName(value);
      throw new PyError(
        'TypeError',
        `NetSpec attribute '${name}' holds a ${what}, not a Top`,
        spec.assignedAt.get(name),
        what === 'tuple' ? `unpack a layer's tops: n.a, n.b = L.Layer(…, ntop=2)` : 'assign the result of an L.<Layer>(…) call',
      );
    }
  }
  return netParameter(state, state.rt.pos);
}

netSpecHooks.toProto = (tops, rt) => {
  const state = newEmitState(rt);
  for (const top of tops) emitLayer(top.fn, state);
  return wrapMessage(netParameter(state, rt.pos), 'NetParameter');
};

netSpecHooks.netSpecToProto = (spec, rt) => {
  const state = newEmitState(rt);
  return wrapMessage(netSpecToNetParameter(spec, state), 'NetParameter');
};
