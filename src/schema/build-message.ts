// Building typed messages in code (upgrades, the DSL) while keeping the source locations of the text they
// came from, so a diagnostic about an upgraded layer still points at the line the user wrote.
import type { SourceLocation } from '../diagnostics/diagnostic.js';
import { messageType } from './caffe-schema.js';
import { MessageMeta, metaOf, setMeta, type FieldValue, type Msg } from './message.js';
import type { CaffeMessages } from './caffe-messages.generated.js';

/** An empty message of a type: typed (caffe-messages.generated.ts) for BVLC's types, a plain Msg for a fork's. */
export function newMessage<K extends keyof CaffeMessages>(typeName: K, loc?: SourceLocation): CaffeMessages[K];
export function newMessage(typeName: string, loc?: SourceLocation): Msg;
export function newMessage(typeName: string, loc?: SourceLocation): Msg {
  const msg: Msg = {};
  setMeta(msg, new MessageMeta(messageType(typeName), loc));
  return msg;
}

/** Sets `to[toField]` to `value`, recording where `from[fromField]` was written. */
export function copyField(from: Msg, fromField: string, to: Msg, toField = fromField, value?: FieldValue): void {
  const v = value ?? from[fromField];
  if (v === undefined) return;
  to[toField] = v;
  const locs = metaOf(from)?.fieldLocs.get(fromField);
  const toMeta = metaOf(to);
  if (locs && toMeta) toMeta.fieldLocs.set(toField, locs);
}

/** Records a location for a field set in code. */
export function setFieldLoc(msg: Msg, field: string, loc: SourceLocation | undefined): void {
  const meta = metaOf(msg);
  if (meta && loc) meta.fieldLocs.set(field, [loc]);
}
