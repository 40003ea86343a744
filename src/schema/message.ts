// Typed messages are plain objects: a field is present iff its property is defined (proto2 presence is
// kept: "unset" differs from "set to the default"). Repeated fields are arrays, enums are value names,
// 64-bit integers are numbers. Where each field was written lives in a side table, so the objects stay
// plain data that the IR, the printers and the tests can compare directly.
import type protobuf from 'protobufjs';
import type { Diagnostic, SourceLocation } from '../diagnostics/diagnostic.js';

export type Scalar = number | string | boolean;
export type FieldValue = Scalar | Msg | Scalar[] | Msg[];
export interface Msg {
  [field: string]: FieldValue | undefined;
}

export interface MessageMeta {
  type: protobuf.Type;
  /** Where the message starts (its field name, or its opening brace). */
  loc?: SourceLocation;
  /** Where each field was written, one entry per value for repeated fields. */
  fieldLocs: Map<string, SourceLocation[]>;
  /** Unknown fields that only matter if the message is used (a fork's `*_param` on a layer). */
  deferred?: Diagnostic[];
}

const metas = new WeakMap<object, MessageMeta>();

export function setMeta(msg: Msg, meta: MessageMeta): void {
  metas.set(msg, meta);
}

export function metaOf(msg: Msg): MessageMeta | undefined {
  return metas.get(msg);
}

/** Location of a message, or of one of its fields (the i-th value for repeated fields). */
export function locOf(msg: Msg | undefined, field?: string, index = 0): SourceLocation | undefined {
  if (!msg) return undefined;
  const meta = metas.get(msg);
  if (!meta) return undefined;
  if (field === undefined) return meta.loc;
  const locs = meta.fieldLocs.get(field);
  return locs?.[Math.min(index, locs.length - 1)] ?? meta.loc;
}

export function has(msg: Msg | undefined, field: string): boolean {
  return msg !== undefined && msg[field] !== undefined;
}
