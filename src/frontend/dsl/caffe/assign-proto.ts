// pycaffe's assign_proto (docs/caffe-semantics.md#netspec-keywords) over brewnet's typed messages: a repeated field given a value
// that is not a list gets [value] (tuples are not lists!); a list of dicts adds one sub-message per dict;
// other lists extend; a dict fills a sub-message; anything else is set, with protobuf's type checks
// (an int field refuses 1.5, an enum takes P.* numbers or names). Every field set records the position
// of the keyword that set it, so later diagnostics about the layer point into the script.
import type protobuf from 'protobufjs';
import type { Pos } from '../../../../grammar/python-ast.js';
import type { SourceLocation } from '../../../diagnostics/diagnostic.js';
import { closest } from '../../../diagnostics/suggest.js';
import { newMessage } from '../../../schema/build-message.js';
import { FLOAT_TYPES, INTEGER_RANGES } from '../../../schema/caffe-schema.js';
import { metaOf, type Msg, type Scalar } from '../../../schema/message.js';
import { PyError } from '../errors.js';
import { PyDict, PyList, PyTuple, typeName, type PyValue, type Runtime } from '../values.js';
import { ownField } from '../../../schema/pycaffe-params.js';

export interface AssignContext {
  rt: Runtime;
  file: string;
  /** Where the keyword was written. */
  pos: Pos;
  /** "Convolution()" or "LayerParameter": who is being filled, for messages. */
  owner: string;
  /** A message value given to a message field (a MessageProxy): its typed message, if it is one. */
  messageOf?(v: PyValue): { msg: Msg; type: protobuf.Type } | undefined;
}

export function locationOf(ctx: AssignContext): SourceLocation {
  return { file: ctx.file, line: ctx.pos.line, column: ctx.pos.column, offset: ctx.pos.offset };
}

function isMessageField(field: protobuf.Field): boolean {
  return Boolean(field.resolvedType && 'fieldsArray' in field.resolvedType);
}

function fieldTypeText(field: protobuf.Field): string {
  return field.resolvedType ? field.resolvedType.name : field.type;
}

function recordLoc(msg: Msg, field: string, ctx: AssignContext, count: number): void {
  const meta = metaOf(msg);
  if (!meta) return;
  const locs = meta.fieldLocs.get(field) ?? [];
  for (let i = 0; i < count; i++) locs.push(locationOf(ctx));
  meta.fieldLocs.set(field, locs);
}

/** assign_proto(proto, name, val). */
export function assignProto(msg: Msg, type: protobuf.Type, name: string, value: PyValue, ctx: AssignContext): void {
  const field = ownField(type, name);
  if (!field) {
    const hint = closest(name, Object.keys(type.fields));
    throw new PyError(
      'AttributeError',
      `${name}${hint ? ` (did you mean '${hint}'?)` : ''}`,
      ctx.pos,
      `${type.name} has no field "${name}"`,
    );
  }
  let val = value;
  if (field.repeated && !(val instanceof PyList)) val = new PyList([val]);
  if (val instanceof PyList) {
    if (!field.repeated) {
      throw new PyError(
        'TypeError',
        `${name} of ${ctx.owner} is a single ${fieldTypeText(field)}, not a list`,
        ctx.pos,
        `give one value: ${name}=…`,
      );
    }
    if (val.items.length === 0) {
      throw new PyError(
        'IndexError',
        'list index out of range',
        ctx.pos,
        `pycaffe reads the first item of ${name}=[…]; leave the keyword out instead of giving an empty list`,
      );
    }
    const existing = (msg[name] as (Scalar | Msg)[] | undefined) ?? [];
    if (val.items[0] instanceof PyDict) {
      if (!isMessageField(field)) {
        throw new PyError(
          'TypeError',
          `${name} of ${ctx.owner} holds ${fieldTypeText(field)} values, not messages; it cannot take a dict`,
          ctx.pos,
        );
      }
      const sub = field.resolvedType as protobuf.Type;
      for (const item of val.items) {
        if (!(item instanceof PyDict)) {
          throw new PyError(
            'AttributeError',
            `'${typeName(item)}' object has no attribute 'items'`,
            ctx.pos,
            `every item of ${name}=[…] must be a dict once the first one is`,
          );
        }
        const child = newMessage(sub.name, locationOf(ctx));
        fillFromDict(child, sub, item, ctx);
        existing.push(child);
      }
    } else {
      for (const item of val.items) existing.push(convertForRepeated(field, item, name, ctx));
    }
    msg[name] = existing as Scalar[] | Msg[];
    recordLoc(msg, name, ctx, val.items.length);
    return;
  }
  if (val instanceof PyDict) {
    if (!isMessageField(field)) {
      throw new PyError('TypeError', `${name} of ${ctx.owner} is a ${fieldTypeText(field)}, not a message; it cannot take a dict`, ctx.pos);
    }
    const sub = field.resolvedType as protobuf.Type;
    let child = msg[name] as Msg | undefined;
    if (!child) {
      child = newMessage(sub.name, locationOf(ctx));
      msg[name] = child;
      recordLoc(msg, name, ctx, 1);
    }
    fillFromDict(child, sub, val, ctx);
    return;
  }
  if (isMessageField(field)) {
    const given = ctx.messageOf?.(val);
    if (given && given.type === field.resolvedType) {
      msg[name] = given.msg;
      recordLoc(msg, name, ctx, 1);
      return;
    }
    throw new PyError(
      'AttributeError',
      `Assignment not allowed to field "${name}" in protocol message object.`,
      ctx.pos,
      `${name} is a ${fieldTypeText(field)} message: give it as ${name}=dict(…)`,
    );
  }
  msg[name] = convertScalar(field, val, ctx);
  recordLoc(msg, name, ctx, 1);
}

function fillFromDict(msg: Msg, type: protobuf.Type, dict: PyDict, ctx: AssignContext): void {
  for (const [key, value] of dict.entries.values()) {
    if (typeof key !== 'string') throw new PyError('TypeError', `attribute name must be string, not '${typeName(key)}'`, ctx.pos);
    assignProto(msg, type, key, value, ctx);
  }
}

function convertForRepeated(field: protobuf.Field, item: PyValue, name: string, ctx: AssignContext): Scalar | Msg {
  if (isMessageField(field)) {
    const given = ctx.messageOf?.(item);
    if (given && given.type === field.resolvedType) return given.msg;
    throw new PyError(
      'TypeError',
      `${name} of ${ctx.owner} holds ${fieldTypeText(field)} messages: give a list of dicts, not of ${typeName(item)}`,
      ctx.pos,
    );
  }
  return convertScalar(field, item, ctx);
}

/** The protobuf type error text: `(3, 3) has type tuple, but expected one of: int`. */
function wrongType(value: PyValue, expected: string, field: protobuf.Field, ctx: AssignContext): PyError {
  const hint =
    value instanceof PyTuple && field.repeated
      ? `pycaffe expands only lists: write ${field.name}=[${value.items.map((v) => ctx.rt.repr(v)).join(', ')}]`
      : `for ${field.name} (${fieldTypeText(field)}) of ${ctx.owner}`;
  return new PyError('TypeError', `${ctx.rt.repr(value)} has type ${typeName(value)}, but expected one of: ${expected}`, ctx.pos, hint);
}

/** A Python value as the scalar a field holds (enums as their value names). */
export function convertScalar(field: protobuf.Field, value: PyValue, ctx: AssignContext): Scalar {
  const resolved = field.resolvedType;
  if (resolved) {
    const en = resolved as protobuf.Enum;
    if (typeof value === 'bigint' || typeof value === 'boolean') {
      const n = typeof value === 'boolean' ? (value ? 1 : 0) : Number(value);
      const name = en.valuesById[n];
      if (name === undefined) {
        throw new PyError(
          'ValueError',
          `Unknown enum value: ${n}`,
          ctx.pos,
          `${field.name} (${en.name}) takes ${Object.entries(en.values)
            .map(([k, v]) => `${k} = ${v}`)
            .join(', ')}`,
        );
      }
      return name;
    }
    if (typeof value === 'string') {
      if (Object.hasOwn(en.values, value)) return value;
      const hint = closest(value, Object.keys(en.values));
      throw new PyError(
        'ValueError',
        `unknown ${en.name} value '${value}'${hint ? ` (did you mean '${hint}'?)` : ''}`,
        ctx.pos,
        `one of ${Object.keys(en.values).join(', ')}`,
      );
    }
    throw wrongType(value, 'int', field, ctx);
  }
  if (field.type === 'string' || field.type === 'bytes') {
    if (typeof value !== 'string') throw wrongType(value, 'bytes, str', field, ctx);
    return value;
  }
  if (field.type === 'bool') {
    if (typeof value === 'boolean') return value;
    if (typeof value === 'bigint') return value !== 0n;
    throw wrongType(value, 'bool, int', field, ctx);
  }
  if (FLOAT_TYPES.has(field.type)) {
    if (typeof value === 'number') return field.type === 'float' ? Math.fround(value) : value;
    if (typeof value === 'bigint' || typeof value === 'boolean') {
      const n = typeof value === 'boolean' ? (value ? 1 : 0) : Number(value);
      return field.type === 'float' ? Math.fround(n) : n;
    }
    throw wrongType(value, 'float, int', field, ctx);
  }
  const range = INTEGER_RANGES[field.type];
  if (range) {
    if (typeof value !== 'bigint' && typeof value !== 'boolean') throw wrongType(value, 'int', field, ctx);
    const n = typeof value === 'boolean' ? (value ? 1n : 0n) : value;
    if (n < range[0] || n > range[1])
      throw new PyError('ValueError', `Value out of range: ${n}`, ctx.pos, `${field.name} is a ${field.type} (${range[0]} to ${range[1]})`);
    if (n > BigInt(Number.MAX_SAFE_INTEGER) || n < -BigInt(Number.MAX_SAFE_INTEGER)) {
      throw new PyError('ValueError', `Value out of range: ${n}`, ctx.pos, 'brewnet keeps integers up to 2^53');
    }
    return Number(n);
  }
  throw new PyError('TypeError', `field ${field.name} has unsupported type ${field.type}`, ctx.pos);
}
