// Typed message → the object Python's json_format.MessageToDict(msg, preserving_proto_field_name=True)
// returns (protobuf 4.21): only present fields, proto field names, keys in field number order, enums by
// name, 64-bit integers as decimal strings, 32-bit ones as numbers, float fields through
// ToShortestFloat, non-finite floats and doubles as "NaN" / "Infinity" / "-Infinity", bytes as base64.
import type protobuf from 'protobufjs';
import { FLOAT_TYPES, fieldsInNumberOrder, messageType } from '../schema/caffe-schema.js';
import type { Msg, Scalar } from '../schema/message.js';
import { shortestFloatPython } from './float-format.js';

export type JsonValue = string | number | boolean | JsonValue[] | { [key: string]: JsonValue };

const INT64_TYPES = new Set(['int64', 'uint64', 'sint64', 'fixed64', 'sfixed64']);

export function toProtoJSON(msg: Msg, typeName = 'NetParameter'): { [key: string]: JsonValue } {
  return messageToJson(messageType(typeName), msg);
}

export function printJSON(msg: Msg, typeName = 'NetParameter'): string {
  return JSON.stringify(toProtoJSON(msg, typeName), null, 2) + '\n';
}

function messageToJson(type: protobuf.Type, msg: Msg): { [key: string]: JsonValue } {
  const out: { [key: string]: JsonValue } = {};
  for (const field of fieldsInNumberOrder(type)) {
    const value = msg[field.name];
    // ListFields() leaves out empty repeated fields (`pad: []` parses to nothing).
    if (value === undefined || (Array.isArray(value) && value.length === 0)) continue;
    out[field.name] = field.repeated
      ? (value as (Scalar | Msg)[]).map((v) => valueToJson(field, v))
      : valueToJson(field, value as Scalar | Msg);
  }
  return out;
}

function valueToJson(field: protobuf.Field, value: Scalar | Msg): JsonValue {
  const resolved = field.resolvedType;
  if (resolved && 'fieldsArray' in resolved) return messageToJson(resolved as protobuf.Type, value as Msg);
  if (resolved) {
    const en = resolved as protobuf.Enum;
    if (typeof value !== 'number') return String(value);
    const name = en.valuesById[value];
    // Python raises SerializeToJsonError here (a proto2 enum holding a number it does not define).
    if (name === undefined) throw new Error(`toProtoJSON: ${value} is not a value of enum ${en.name} (field "${field.name}")`);
    return name;
  }
  if (FLOAT_TYPES.has(field.type)) {
    const n = Number(value);
    if (Number.isNaN(n)) return 'NaN';
    if (n === Infinity) return 'Infinity';
    if (n === -Infinity) return '-Infinity';
    return field.type === 'float' ? shortestFloatPython(Math.fround(n)) : n;
  }
  if (INT64_TYPES.has(field.type)) {
    return typeof value === 'number' ? BigInt(Math.trunc(value)).toString() : String(value);
  }
  if (field.type === 'bytes') return base64(new TextEncoder().encode(String(value)));
  return value as Scalar;
}

/** Standard base64 (what Node's Buffer and protobuf's JSON mapping write), without Node's Buffer. */
function base64(bytes: Uint8Array): string {
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary);
}
