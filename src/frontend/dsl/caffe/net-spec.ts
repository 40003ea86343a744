// pycaffe's NetSpec objects (docs/caffe-semantics.md#netspec-objects): `L.<Type>(*bottoms, **kwargs)` makes a layer Function
// (returned as its Function, its Top, or a tuple of Tops by ntop), `P.<Msg>.<ENUM>` reads enum values,
// and a NetSpec remembers the tops assigned to it, in assignment order, by name.
// to_proto() — NetSpec.to_proto() and caffe.to_proto(*tops) — is at the end of this file.
import type protobuf from 'protobufjs';
import type { Pos } from '../../../../grammar/python-ast.js';
import { closest } from '../../../diagnostics/suggest.js';
import { setLayerExtension, type LayerExtension } from '../../../ir/layer-extensions.js';
import { newMessage } from '../../../schema/build-message.js';
import { caffeRoot, messageType } from '../../../schema/caffe-schema.js';
import { metaOf, type Msg } from '../../../schema/message.js';
import { ownField, routeKeyword } from '../../../schema/pycaffe-params.js';
import { attributeError, keyError, PyError, typeError } from '../errors.js';
import { hashKey } from '../operators.js';
import { HostObject, PyBuiltin, PyDict, PyTuple, typeName, type PyValue, type Runtime } from '../values.js';
import { assignProto, type AssignContext } from './assign-proto.js';
import { wrapMessage } from './message-proxy.js';
import type { LayerParameter } from '../../../schema/caffe-messages.generated.js';

export interface Keyword {
  name: string;
  value: PyValue;
  /** Where the keyword was written (the call's position when unknown). */
  pos: Pos;
}

/** One layer of the graph (pycaffe's Function): its type, bottoms, keyword parameters and tops. */
export class LayerFunction extends HostObject {
  readonly typeName = 'Function';
  readonly tops: LayerTop[];
  /**
   * Builders that are not NetSpec calls (Theano's ops) fill the LayerParameter themselves instead of
   * through keywords.
   */
  fill?: (layer: Msg) => void;
  /** Facts the LayerParameter cannot hold (Theano's output size and filter flip). */
  extension?: LayerExtension;

  constructor(
    readonly layerType: string,
    readonly inputs: LayerTop[],
    readonly params: Keyword[],
    readonly ntop: number,
    readonly inPlace: boolean,
    /** The call that made the layer. */
    readonly pos: Pos,
  ) {
    super();
    this.tops = Array.from({ length: ntop }, (_, n) => new LayerTop(this, n));
  }

  override getAttr(name: string, rt: Runtime): PyValue | undefined {
    switch (name) {
      case 'tops':
        return new PyTuple(this.tops);
      case 'type_name':
        return this.layerType;
      case 'ntop':
        return BigInt(this.ntop);
      case 'in_place':
        return this.inPlace;
      case 'inputs':
        return new PyTuple(this.inputs);
      case 'params': {
        const d = new PyDict();
        for (const k of this.params) d.entries.set(hashKey(k.name), [k.name, k.value]);
        return d;
      }
      default:
        void rt;
        return undefined;
    }
  }

  override attrNames(): string[] {
    return ['tops', 'type_name', 'ntop', 'in_place', 'inputs', 'params'];
  }

  override repr(): string {
    return `<caffe.net_spec.Function ${this.layerType}>`;
  }
}

/** Output `n` of a layer (pycaffe's Top). */
export class LayerTop extends HostObject {
  readonly typeName = 'Top';
  constructor(
    readonly fn: LayerFunction,
    readonly n: number,
  ) {
    super();
  }

  override getAttr(name: string, rt: Runtime): PyValue | undefined {
    switch (name) {
      case 'fn':
        return this.fn;
      case 'n':
        return BigInt(this.n);
      case 'to_proto':
        return new PyBuiltin('to_proto', () => topsToProto([this], rt));
      default:
        return undefined;
    }
  }

  override attrNames(): string[] {
    return ['fn', 'n', 'to_proto'];
  }

  override repr(): string {
    return `<caffe.net_spec.Top ${this.fn.layerType}[${this.n}]>`;
  }
}

/** caffe.NetSpec(): named tops in assignment order (a re-assigned name keeps its first position). */
export class NetSpecObject extends HostObject {
  readonly typeName = 'NetSpec';
  readonly tops = new Map<string, PyValue>();
  /** Where each name was (last) assigned, for messages about what it holds. */
  readonly assignedAt = new Map<string, Pos>();

  override getAttr(name: string, rt: Runtime): PyValue | undefined {
    switch (name) {
      case 'to_proto':
        return new PyBuiltin('to_proto', () => netSpecToProto(this, rt));
      case 'keys':
        return new PyBuiltin('keys', () => new PyTuple([...this.tops.keys()]));
      case 'vals':
        return new PyBuiltin('vals', () => new PyTuple([...this.tops.values()]));
      case 'tops': {
        const d = new PyDict();
        for (const [k, v] of this.tops) d.entries.set(hashKey(k), [k, v]);
        return d;
      }
      default:
        return this.read(name);
    }
  }

  override setAttr(name: string, value: PyValue, rt: Runtime): boolean {
    this.tops.set(name, value);
    this.assignedAt.set(name, rt.pos);
    return true;
  }

  override getItem(key: PyValue): PyValue {
    if (typeof key !== 'string') throw typeError(`NetSpec names are strings, not ${typeName(key)}`);
    return this.read(key);
  }

  override setItem(key: PyValue, value: PyValue, rt: Runtime): void {
    if (typeof key !== 'string') throw typeError(`NetSpec names are strings, not ${typeName(key)}`);
    this.setAttr(key, value, rt);
  }

  override delItem(key: PyValue): void {
    if (typeof key !== 'string' || !this.tops.delete(key)) throw keyError(typeof key === 'string' ? `'${key}'` : String(key));
  }

  private read(name: string): PyValue {
    const v = this.tops.get(name);
    if (v !== undefined) return v;
    const hint = closest(name, this.tops.keys());
    throw keyError(`'${name}'${hint ? ` (did you mean '${hint}'?)` : ''}`, 'a NetSpec top must be assigned before it is read');
  }

  override attrNames(): string[] {
    return ['to_proto', 'keys', 'vals', 'tops', ...this.tops.keys()];
  }

  override repr(): string {
    return '<caffe.net_spec.NetSpec object>';
  }
}

function typeRepr(v: PyValue): string {
  return `<class '${typeName(v)}'>`;
}

/** `L`: any attribute is a layer type, used verbatim (no check: forks' types pass through to the IR). */
export class LayersNamespace extends HostObject {
  readonly typeName = 'Layers';

  override getAttr(name: string): PyValue | undefined {
    return new PyBuiltin(name, (args, kwargs, rt) => makeLayer(name, args, kwargs, rt));
  }
}

export function makeLayer(type: string, args: PyValue[], kwargs: Map<string, PyValue>, rt: Runtime): PyValue {
  const inputs = args.map((input, i) => {
    if (!(input instanceof LayerTop)) {
      throw typeError(
        `${type} input ${i} is not a Top (type is ${typeRepr(input)})`,
        input instanceof PyTuple ? `unpack several tops with *: L.${type}(*tops, …)` : undefined,
      );
    }
    return input;
  });
  const site = rt.callSite;
  const keywordPos = new Map(site?.args.filter((a) => a.kind === 'keyword').map((a) => [a.name!, a.pos]) ?? []);
  const pos = site?.pos ?? rt.pos;
  let ntop = 1;
  let inPlace = false;
  const params: Keyword[] = [];
  for (const [name, value] of kwargs) {
    if (name === 'ntop') {
      if (typeof value !== 'bigint' || value < 0n)
        throw new PyError('TypeError', `ntop must be a non-negative int, not ${rt.repr(value)}`, keywordPos.get(name));
      if (value > 10_000n) throw new PyError('ValueError', `ntop=${value} is more tops than any layer has`, keywordPos.get(name));
      ntop = Number(value);
    } else if (name === 'in_place') inPlace = rt.truthy(value);
    else params.push({ name, value, pos: keywordPos.get(name) ?? pos });
  }
  const fn = new LayerFunction(type, inputs, params, ntop, inPlace, pos);
  if (ntop === 0) return fn;
  if (ntop === 1) return fn.tops[0];
  return new PyTuple(fn.tops);
}

/** `P.<Name>.<ENUM>`: the enum values nested in message <Name>Parameter, as ints. */
export class ParamsNamespace extends HostObject {
  readonly typeName = 'Parameters';

  override getAttr(name: string): PyValue | undefined {
    const type = lookupMessage(`${name}Parameter`);
    if (!type) {
      const messages = allMessages()
        .filter((m) => m.name.endsWith('Parameter'))
        .map((m) => m.name.replace(/Parameter$/, ''));
      const hint = closest(name, messages);
      throw attributeError(`module 'caffe_pb2' has no attribute '${name}Parameter'${hint ? ` (did you mean P.${hint}?)` : ''}`);
    }
    return new EnumValues(type, `P.${name}`);
  }
}

/** A message class seen for its nested enum values (P.Pooling, caffe_pb2.PoolingParameter). */
export class EnumValues extends HostObject {
  readonly typeName = 'EnumValues';
  constructor(
    readonly type: protobuf.Type,
    private readonly label: string,
  ) {
    super();
  }

  override getAttr(name: string): PyValue | undefined {
    for (const nested of this.type.nestedArray) {
      const en = nested as protobuf.Enum;
      if (en.values && Object.hasOwn(en.values, name)) return BigInt(en.values[name]);
    }
    const names = this.valueNames();
    const hint = closest(name, names);
    throw attributeError(
      `${this.label} has no value '${name}'${hint ? ` (did you mean '${hint}'?)` : ''}`,
      names.length ? `its values: ${names.join(', ')}` : `${this.type.name} has no enums`,
    );
  }

  valueNames(): string[] {
    return this.type.nestedArray.flatMap((n) => Object.keys((n as protobuf.Enum).values ?? {}));
  }

  override attrNames(): string[] {
    return this.valueNames();
  }

  override repr(): string {
    return `<class 'caffe_pb2.${this.type.name}'>`;
  }
}

export function allMessages(): protobuf.Type[] {
  const ns = caffeRoot().lookup('caffe') as protobuf.Namespace;
  return ns.nestedArray.filter((n): n is protobuf.Type => 'fieldsArray' in n);
}

export function lookupMessage(name: string): protobuf.Type | undefined {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) return undefined;
  return allMessages().find((m) => m.name === name) ?? undefined;
}

export { messageType };

// ---- to_proto ----
// NetSpec.to_proto() and caffe.to_proto(*tops) (docs/caffe-semantics.md#netspec-keywords, #netspec-order): each top's layer is emitted after
// its inputs (depth-first, memoised), tops are named from the NetSpec or automatically (`Convolution1`,
// counted per type), in-place layers write their bottoms, and keywords are routed and assigned as
// pycaffe does. Where pycaffe would fail to serialise, the same failure is reported at the keyword,
// with a hint; a `lenient` emission (used to compute coordinate maps of a net under construction)
// instead does what the user meant and leaves out what it cannot place.
export interface EmitState {
  rt: Runtime;
  file: string;
  /** Emitted layers, in emission order. */
  layers: Map<LayerFunction, LayerParameter>;
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
    const made = state.layers.get(input.fn)!.top ?? [];
    // pycaffe indexes the producer's tops the same way and fails with IndexError: an in-place layer with no
    // bottom (L.Input(in_place=True)) copies no tops, so it has nothing to read.
    if (made[input.n] === undefined) {
      throw new PyError(
        'IndexError',
        `list index out of range: ${fn.layerType}() reads top ${input.n} of ${input.fn.layerType}(), which has ${made.length} top(s)`,
        fn.pos,
        input.fn.inPlace && input.fn.inputs.length === 0
          ? `${input.fn.layerType}(in_place=True) has no bottom to work in place on, so it makes no top; drop in_place`
          : undefined,
      );
    }
    bottoms.push(made[input.n]);
  }
  const at = loc(state, fn.pos);
  const layer = newMessage('LayerParameter', at);
  const meta = metaOf(layer)!;
  layer.type = fn.layerType;
  meta.fieldLocs.set('type', [at]);
  if (bottoms.length) {
    layer.bottom = bottoms;
    meta.fieldLocs.set(
      'bottom',
      bottoms.map(() => at),
    );
  }
  const tops = fn.inPlace ? [...bottoms] : fn.tops.map((t) => topName(t, state));
  if (tops.length) {
    layer.top = tops;
    meta.fieldLocs.set(
      'top',
      tops.map(() => at),
    );
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
    metaOf(net)!.fieldLocs.set(
      'layer',
      layers.map((l) => metaOf(l)?.loc ?? loc(state, at ?? { line: 1, column: 1, offset: 0 })),
    );
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

/** caffe.to_proto(*tops) and Top.to_proto(): the tops' layers and everything they read. */
export function topsToProto(tops: LayerTop[], rt: Runtime): PyValue {
  const state = newEmitState(rt);
  for (const top of tops) emitLayer(top.fn, state);
  return wrapMessage(netParameter(state, rt.pos), 'NetParameter');
}

/** NetSpec.to_proto() as the script sees it: a NetParameter message. */
function netSpecToProto(spec: NetSpecObject, rt: Runtime): PyValue {
  const state = newEmitState(rt);
  return wrapMessage(netSpecToNetParameter(spec, state), 'NetParameter');
}
