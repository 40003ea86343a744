// Typed message → canonical protobuf text format, as C++ TextFormat::Printer writes it: fields in field
// number order (from the schema, not the object's key order), two-space indentation, `name: value` and
// `name {` … `}`, enums by name, strings C-escaped with non-ASCII bytes in octal, floats as SimpleFtoa.
// Only the schema is consulted, so messages built by code print the same as parsed ones.
import type protobuf from 'protobufjs';
import { encodeCString } from '../../grammar/c-string.js';
import { FLOAT_TYPES, fieldsInNumberOrder, INTEGER_RANGES, messageType } from '../schema/caffe-schema.js';
import type { FieldValue, Msg, Scalar } from '../schema/message.js';
import { formatDoubleCpp, formatFloatCpp } from './float-format.js';
import { assertPrototxtExpressible } from '../ir/layer-extensions.js';
import type { Net } from '../ir/net.js';

export function printPrototxt(msg: Msg, typeName = 'NetParameter'): string {
  // Layers carrying facts prototxt cannot hold (Theano's output size, filter flip) are refused, not dropped.
  if (typeName === 'NetParameter') assertPrototxtExpressible(msg);
  const lines: string[] = [];
  printMessage(messageType(typeName), msg, '', lines);
  return lines.length > 0 ? lines.join('\n') + '\n' : '';
}

function printMessage(type: protobuf.Type, msg: Msg, indent: string, lines: string[]): void {
  for (const field of fieldsInNumberOrder(type)) {
    const value: FieldValue | undefined = msg[field.name];
    // An empty repeated field (`pad: []`) is no field at all to protobuf.
    if (value === undefined || (Array.isArray(value) && value.length === 0)) continue;
    const values = field.repeated ? (value as (Scalar | Msg)[]) : [value as Scalar | Msg];
    for (const v of values) printField(field, v, indent, lines);
  }
}

function printField(field: protobuf.Field, value: Scalar | Msg, indent: string, lines: string[]): void {
  const resolved = field.resolvedType;
  if (resolved && 'fieldsArray' in resolved) {
    lines.push(`${indent}${field.name} {`);
    printMessage(resolved as protobuf.Type, value as Msg, indent + '  ', lines);
    lines.push(`${indent}}`);
    return;
  }
  lines.push(`${indent}${field.name}: ${formatScalar(field, value as Scalar)}`);
}

/** One scalar value in text-format spelling. */
export function formatScalar(field: protobuf.Field, value: Scalar): string {
  const resolved = field.resolvedType;
  if (resolved) {
    // Enums are stored by name; a number (from code) prints as its name when the enum has one.
    const en = resolved as protobuf.Enum;
    return typeof value === 'number' ? (en.valuesById[value] ?? String(value)) : String(value);
  }
  if (field.type === 'string' || field.type === 'bytes') return encodeCString(String(value));
  if (field.type === 'bool') return value ? 'true' : 'false';
  if (FLOAT_TYPES.has(field.type)) {
    const n = Number(value);
    return field.type === 'float' ? formatFloatCpp(Math.fround(n)) : formatDoubleCpp(n);
  }
  if (field.type in INTEGER_RANGES) return typeof value === 'number' ? integerText(value) : String(value);
  throw new Error(`printPrototxt: field "${field.name}" has unsupported type ${field.type}`);
}

function integerText(n: number): string {
  // From 1e21 on String() writes exponent notation; an integer field never should.
  return Number.isSafeInteger(n) ? String(n) : BigInt(Math.trunc(n)).toString();
}

/** Canonical prototxt of a built (upgraded, filtered) net; parsing it back gives the same IR. */
export function toPrototxt(net: Net): string {
  return printPrototxt(net.expressible());
}
