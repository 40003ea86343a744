// pycaffe's NetSpec objects (REFERENCE §4.1): `L.<Type>(*bottoms, **kwargs)` makes a layer Function
// (returned as its Function, its Top, or a tuple of Tops by ntop), `P.<Msg>.<ENUM>` reads enum values,
// and a NetSpec remembers the tops assigned to it, in assignment order, by name.
import type protobuf from 'protobufjs';
import type { Pos } from '../../../../grammar/python-ast.js';
import { closest } from '../../../diagnostics/suggest.js';
import { caffeRoot, messageType } from '../../../schema/caffe-schema.js';
import type { Msg } from '../../../schema/message.js';
import type { LayerExtension } from '../../../ir/layer-extensions.js';
import { attributeError, keyError, PyError, typeError } from '../errors.js';
import { HostObject, PyBuiltin, PyDict, PyTuple, typeName, type PyValue, type Runtime } from '../values.js';
import { hashKey } from '../operators.js';

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
        return new PyBuiltin('to_proto', () => netSpecHooks.toProto([this], rt));
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

/** Set by to-proto.ts (which needs these classes): serialising tops without a NetSpec. */
export const netSpecHooks: {
  toProto: (tops: LayerTop[], rt: Runtime) => PyValue;
  netSpecToProto: (spec: NetSpecObject, rt: Runtime) => PyValue;
} = {
  toProto: () => {
    throw new Error('internal: to-proto.ts not loaded');
  },
  netSpecToProto: () => {
    throw new Error('internal: to-proto.ts not loaded');
  },
};

/** caffe.NetSpec(): named tops in assignment order (a re-assigned name keeps its first position). */
export class NetSpecObject extends HostObject {
  readonly typeName = 'NetSpec';
  readonly tops = new Map<string, PyValue>();
  /** Where each name was (last) assigned, for messages about what it holds. */
  readonly assignedAt = new Map<string, Pos>();

  override getAttr(name: string, rt: Runtime): PyValue | undefined {
    switch (name) {
      case 'to_proto':
        return new PyBuiltin('to_proto', () => netSpecHooks.netSpecToProto(this, rt));
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
      throw typeError(`${type} input ${i} is not a Top (type is ${typeRepr(input)})`, input instanceof PyTuple ? `unpack several tops with *: L.${type}(*tops, …)` : undefined);
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
      if (typeof value !== 'bigint' || value < 0n) throw new PyError('TypeError', `ntop must be a non-negative int, not ${rt.repr(value)}`, keywordPos.get(name));
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
      const messages = allMessages().filter((m) => m.name.endsWith('Parameter')).map((m) => m.name.replace(/Parameter$/, ''));
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
    throw attributeError(`${this.label} has no value '${name}'${hint ? ` (did you mean '${hint}'?)` : ''}`, names.length ? `its values: ${names.join(', ')}` : `${this.type.name} has no enums`);
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
