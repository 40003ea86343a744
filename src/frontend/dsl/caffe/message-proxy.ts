// Protocol-buffer messages as a script sees them (what to_proto() returns, caffe_pb2.NetParameter()):
// fields read with their defaults, scalars set with protobuf's type checks, sub-messages appear on first
// write (reading one does not make it present), repeated fields behave like lists (append, add, extend,
// indexing), and ClearField / HasField / SetInParent / CopyFrom work. str() is the prototxt text.
import type protobuf from 'protobufjs';
import { newMessage } from '../../../schema/build-message.js';
import { messageType } from '../../../schema/caffe-schema.js';
import { type Msg, type Scalar } from '../../../schema/message.js';
import { printPrototxt } from '../../../printer/prototxt-printer.js';
import { toProtoJSON } from '../../../printer/json-printer.js';
import { closest } from '../../../diagnostics/suggest.js';
import { DiagnosticError, formatDiagnostic } from '../../../diagnostics/diagnostic.js';
import { attributeError, indexError, PyError, typeError, valueError } from '../errors.js';
import { HostObject, PyBuiltin, PyList, PySlice, typeName, type PyValue, type Runtime } from '../values.js';
import { assignProto, convertScalar, type AssignContext } from './assign-proto.js';
import { ownField } from '../../../schema/pycaffe-params.js';

/** Texts of NetParameters the script turned into strings, so written files can keep their positions. */
export interface NetTextRegistry {
  note(text: string, net: Msg): void;
}

let activeRegistry: NetTextRegistry | undefined;

/** Runs `action` with str(NetParameter) results recorded in `registry`. */
export function withNetTexts<T>(registry: NetTextRegistry, action: () => T): T {
  const saved = activeRegistry;
  activeRegistry = registry;
  try {
    return action();
  } finally {
    activeRegistry = saved;
  }
}

function isMessageField(field: protobuf.Field): boolean {
  return Boolean(field.resolvedType && 'fieldsArray' in field.resolvedType);
}

function assignContext(rt: Runtime, owner: string): AssignContext {
  return { rt, file: rt.file, pos: rt.pos, owner, messageOf: messageOfValue };
}

export function messageOfValue(v: PyValue): { msg: Msg; type: protobuf.Type } | undefined {
  return v instanceof MessageProxy ? { msg: v.materialise(), type: v.type } : undefined;
}

/** A scalar as Python sees it: ints as int, enums as their numbers. */
function toPython(field: protobuf.Field, value: Scalar): PyValue {
  if (field.resolvedType) {
    const en = field.resolvedType as protobuf.Enum;
    return BigInt(typeof value === 'number' ? value : (en.values[String(value)] ?? 0));
  }
  if (typeof value === 'number') return FLOATS.has(field.type) ? value : BigInt(value);
  return value;
}

const FLOATS = new Set(['float', 'double']);

function defaultOf(field: protobuf.Field): PyValue {
  if (field.resolvedType) {
    const en = field.resolvedType as protobuf.Enum;
    const d = field.options?.default;
    if (typeof d === 'string' && Object.hasOwn(en.values, d)) return BigInt(en.values[d]);
    if (typeof d === 'number') return BigInt(d);
    return BigInt(Object.values(en.values)[0] ?? 0);
  }
  const d = field.options?.default;
  if (field.type === 'string' || field.type === 'bytes') return typeof d === 'string' ? d : '';
  if (field.type === 'bool') return d === true;
  if (FLOATS.has(field.type)) return typeof d === 'number' ? d : 0;
  return BigInt(typeof d === 'number' ? d : 0);
}

export class MessageProxy extends HostObject {
  private msg?: Msg;

  constructor(
    readonly type: protobuf.Type,
    msg?: Msg,
    /** A sub-message not yet present: created in its parent on first write. */
    private readonly holder?: { parent: MessageProxy; field: string },
  ) {
    super();
    this.msg = msg;
  }

  get typeName(): string {
    return this.type.name;
  }

  materialise(): Msg {
    if (!this.msg) {
      if (this.holder) {
        const parent = this.holder.parent.materialise();
        this.msg = (parent[this.holder.field] as Msg | undefined) ?? newMessage(this.type.name);
        parent[this.holder.field] = this.msg;
      } else this.msg = newMessage(this.type.name);
    }
    return this.msg;
  }

  /** The message as it stands (an empty one if never written). */
  get current(): Msg {
    return this.msg ?? (this.holder ? ((this.holder.parent.current[this.holder.field] as Msg | undefined) ?? {}) : {});
  }

  private field(name: string): protobuf.Field | undefined {
    return ownField(this.type, name);
  }

  override getAttr(name: string, rt: Runtime): PyValue | undefined {
    const field = this.field(name);
    if (field) {
      if (field.repeated) return new RepeatedProxy(this, field);
      const value = this.current[name];
      if (isMessageField(field)) {
        const sub = field.resolvedType as protobuf.Type;
        return value !== undefined ? new MessageProxy(sub, value as Msg) : new MessageProxy(sub, undefined, { parent: this, field: name });
      }
      return value !== undefined ? toPython(field, value as Scalar) : defaultOf(field);
    }
    switch (name) {
      case 'ClearField':
        return new PyBuiltin('ClearField', (args) => {
          const f = this.checkedField(args[0]);
          delete this.materialise()[f.name];
          return null;
        });
      case 'HasField':
        return new PyBuiltin('HasField', (args) => {
          const f = this.checkedField(args[0]);
          if (f.repeated) throw valueError(`Protocol message has no singular "${f.name}" field.`);
          return this.current[f.name] !== undefined;
        });
      case 'SetInParent':
        return new PyBuiltin('SetInParent', () => {
          this.materialise();
          return null;
        });
      case 'CopyFrom':
        return new PyBuiltin('CopyFrom', (args) => {
          const other = args[0];
          if (!(other instanceof MessageProxy) || other.type !== this.type)
            throw typeError(`Parameter to CopyFrom() must be instance of same class: expected ${this.type.name} got ${typeName(other)}.`);
          const target = this.materialise();
          for (const key of Object.keys(target)) delete target[key];
          Object.assign(target, structuredClone(other.current));
          return null;
        });
      case 'ListFields':
        return new PyBuiltin('ListFields', () => new PyList(Object.keys(this.current).filter((k) => this.current[k] !== undefined)));
      default:
        void rt;
        return undefined;
    }
  }

  private checkedField(name: PyValue): protobuf.Field {
    if (typeof name !== 'string') throw typeError('field name must be a string');
    const f = this.field(name);
    if (!f) throw valueError(`Protocol message ${this.type.name} has no "${name}" field.`);
    return f;
  }

  override setAttr(name: string, value: PyValue, rt: Runtime): boolean {
    const field = this.field(name);
    if (!field) {
      const hint = closest(name, Object.keys(this.type.fields));
      throw attributeError(`Protocol message ${this.type.name} has no "${name}" field.${hint ? ` (did you mean '${hint}'?)` : ''}`);
    }
    if (field.repeated)
      throw attributeError(
        `Assignment not allowed to repeated field "${name}" in protocol message object.`,
        `use .append(…) / .extend(…)${isMessageField(field) ? ' / .add(…)' : ''}`,
      );
    if (isMessageField(field))
      throw attributeError(
        `Assignment not allowed to field "${name}" in protocol message object.`,
        `set its fields instead, or use .CopyFrom(…)`,
      );
    const msg = this.materialise();
    assignProto(msg, this.type, name, value, assignContext(rt, this.type.name));
    return true;
  }

  override attrNames(): string[] {
    return [...Object.keys(this.type.fields), 'ClearField', 'HasField', 'SetInParent', 'CopyFrom', 'ListFields'];
  }

  override str(rt: Runtime): string {
    const text = printMessage(this.current, this.type.name);
    rt.checkStringSize(text.length);
    if (this.type.name === 'NetParameter' && this.msg) activeRegistry?.note(text, this.msg);
    return text;
  }

  override repr(rt: Runtime): string {
    return this.str(rt);
  }

  override binary(op: string, other: PyValue): PyValue | undefined {
    if (op !== '==') return undefined;
    if (!(other instanceof MessageProxy) || other.type !== this.type) return false;
    return JSON.stringify(toProtoJSON(this.current, this.type.name)) === JSON.stringify(toProtoJSON(other.current, other.type.name));
  }
}

/** printPrototxt, with its diagnostics (a Theano layer prototxt cannot express) as a Python error. */
function printMessage(msg: Msg, typeName: string): string {
  try {
    return printPrototxt(msg, typeName);
  } catch (e) {
    if (e instanceof DiagnosticError) {
      const d = e.diagnostics[0];
      throw new PyError(
        'ValueError',
        d.message,
        undefined,
        d.hint ?? (e.diagnostics.length > 1 ? e.diagnostics.slice(1).map(formatDiagnostic).join('; ') : undefined),
      );
    }
    throw e;
  }
}

/** A repeated field: a list-like view that writes through to the message. */
export class RepeatedProxy extends HostObject {
  readonly typeName = 'RepeatedContainer';

  constructor(
    private readonly owner: MessageProxy,
    private readonly field: protobuf.Field,
  ) {
    super();
  }

  private get items(): (Scalar | Msg)[] {
    return (this.owner.current[this.field.name] as (Scalar | Msg)[] | undefined) ?? [];
  }

  private get writable(): (Scalar | Msg)[] {
    const msg = this.owner.materialise();
    let items = msg[this.field.name] as (Scalar | Msg)[] | undefined;
    if (!items) {
      items = [];
      msg[this.field.name] = items as Scalar[];
    }
    return items;
  }

  private element(value: Scalar | Msg): PyValue {
    if (isMessageField(this.field)) return new MessageProxy(this.field.resolvedType as protobuf.Type, value as Msg);
    return toPython(this.field, value as Scalar);
  }

  private convert(value: PyValue, rt: Runtime): Scalar | Msg {
    if (isMessageField(this.field)) {
      const given = messageOfValue(value);
      if (!given || given.type !== this.field.resolvedType)
        throw typeError(`${this.field.name} holds ${(this.field.resolvedType as protobuf.Type).name} messages, not ${typeName(value)}`);
      return structuredClone(given.msg);
    }
    return convertScalar(this.field, value, assignContext(rt, this.owner.type.name));
  }

  override getAttr(name: string, rt: Runtime): PyValue | undefined {
    switch (name) {
      case 'append':
        return new PyBuiltin('append', (args) => {
          this.writable.push(this.convert(args[0], rt));
          return null;
        });
      case 'extend':
        return new PyBuiltin('extend', (args) => {
          for (const v of rt.iterate(args[0])) this.writable.push(this.convert(v, rt));
          return null;
        });
      case 'add':
        return new PyBuiltin('add', (_args, kwargs) => {
          if (!isMessageField(this.field)) throw attributeError(`'RepeatedScalarContainer' object has no attribute 'add'`);
          const type = this.field.resolvedType as protobuf.Type;
          const child = newMessage(type.name, { file: rt.file, line: rt.pos.line, column: rt.pos.column });
          for (const [k, v] of kwargs) assignProto(child, type, k, v, assignContext(rt, type.name));
          this.writable.push(child);
          return new MessageProxy(type, child);
        });
      case 'pop':
        return new PyBuiltin('pop', (args) => {
          const items = this.writable;
          if (!items.length) throw indexError('pop from empty list');
          const i = args[0] === undefined ? items.length - 1 : this.index(args[0], items.length);
          return this.element(items.splice(i, 1)[0]);
        });
      default:
        return undefined;
    }
  }

  private index(key: PyValue, length: number): number {
    if (typeof key !== 'bigint') throw typeError(`indices must be integers, not ${typeName(key)}`);
    let i = Number(key);
    if (i < 0) i += length;
    if (i < 0 || i >= length) throw indexError('list index out of range');
    return i;
  }

  override length(): number {
    return this.items.length;
  }

  override iterate(): PyValue[] {
    return this.items.map((v) => this.element(v));
  }

  override getItem(key: PyValue): PyValue {
    if (key instanceof PySlice) return sliceList(this.iterate(), key);
    return this.element(this.items[this.index(key, this.items.length)]);
  }

  override setItem(key: PyValue, value: PyValue, rt: Runtime): void {
    if (isMessageField(this.field)) throw typeError('does not support assignment (messages in a repeated field are changed in place)');
    const items = this.writable;
    items[this.index(key, items.length)] = this.convert(value, rt);
  }

  override delItem(key: PyValue): void {
    const items = this.writable;
    items.splice(this.index(key, items.length), 1);
  }

  override repr(rt: Runtime): string {
    return rt.repr(new PyList(this.iterate()));
  }

  override binary(op: string, other: PyValue, _reflected: boolean, rt: Runtime): PyValue | undefined {
    if (op !== '==') return undefined;
    const mine = this.iterate();
    const theirs = other instanceof RepeatedProxy || other instanceof PyList ? rt.iterate(other) : undefined;
    if (!theirs || theirs.length !== mine.length) return false;
    return mine.every((v, i) => rt.repr(v) === rt.repr(theirs[i]));
  }
}

function sliceList(items: PyValue[], s: PySlice): PyList {
  const n = items.length;
  const norm = (v: PyValue, fallback: number) => {
    if (v === null) return fallback;
    let i = Number(v as bigint);
    if (i < 0) i += n;
    return Math.min(Math.max(i, 0), n);
  };
  return new PyList(items.slice(norm(s.start, 0), norm(s.stop, n)));
}

/** A typed message handed to the script. */
export function wrapMessage(msg: Msg, typeName: string): MessageProxy {
  return new MessageProxy(messageType(typeName), msg);
}

/** caffe_pb2.<Message>(field=…): a fresh message, keywords assigned as protobuf constructors do. */
export class MessageClass extends HostObject {
  readonly typeName = 'GeneratedProtocolMessageType';
  constructor(readonly type: protobuf.Type) {
    super();
  }

  override call(_args: PyValue[], kwargs: Map<string, PyValue>, rt: Runtime): PyValue {
    const msg = newMessage(this.type.name, { file: rt.file, line: rt.pos.line, column: rt.pos.column });
    for (const [k, v] of kwargs) assignProto(msg, this.type, k, v, assignContext(rt, `${this.type.name}()`));
    return new MessageProxy(this.type, msg);
  }

  override getAttr(name: string): PyValue | undefined {
    for (const nested of this.type.nestedArray) {
      const en = nested as protobuf.Enum;
      if (en.values && Object.hasOwn(en.values, name)) return BigInt(en.values[name]);
    }
    return undefined;
  }

  override repr(): string {
    return `<class 'caffe_pb2.${this.type.name}'>`;
  }
}
