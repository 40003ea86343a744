// Typed messages are plain objects: a field is present iff its property is defined (proto2 presence is
// kept: "unset" differs from "set to the default"). Repeated fields are arrays, enums are value names,
// 64-bit integers are numbers. Where each field was written lives in a side table, so the objects stay
// plain data that the IR, the printers and the tests can compare directly.
import type protobuf from 'protobufjs';
import type { Diagnostic, SourceLocation } from '../diagnostics/diagnostic.js';
import type { LineMap } from '../diagnostics/line-map.js';

export type Scalar = number | string | boolean;
export type FieldValue = Scalar | Msg | Scalar[] | Msg[];
export interface Msg {
  [field: string]: FieldValue | undefined;
}

/**
 * A stored location: a SourceLocation, or (from the fast reader, for a big file's millions of fields) a
 * bare offset into the text that the message's LineMap turns into line and column when asked.
 */
export type Loc = SourceLocation | number;

/**
 * Finds a message's field locations by reading its text again: the fast reader leaves them out of a big
 * file's hundreds of thousands of messages, as only a diagnostic or a rewrite ever asks for them.
 */
export interface FieldLocator {
  /** The field locations of the message of `type` whose fields start at offset `bodyStart`. */
  fieldLocs(type: protobuf.Type, bodyStart: number): Record<string, Loc | Loc[]>;
}

/** What a message knows beyond its values: its type and where it and its fields were written. */
export class MessageMeta {
  /** Unknown fields that only matter if the message is used (a fork's `*_param` on a layer). */
  deferred?: Diagnostic[] = undefined;
  /** The field locations, once recorded or found (see `locs`). */
  private found: Record<string, Loc | Loc[]> | undefined;

  constructor(
    readonly type: protobuf.Type,
    /** Where the message starts (its field name, or its opening brace). */
    private readonly rawLoc?: Loc,
    /** Resolves the numeric locations of this message. */
    readonly lines?: LineMap,
    /** Given, the field locations are found when first asked for, from the fields at `bodyStart`. */
    private readonly locator?: FieldLocator,
    private readonly bodyStart = 0,
  ) {
    this.found = locator ? undefined : {};
  }

  /**
   * Where each field was written: one location, or an array with one per value when a repeated field
   * was written more than once (or as a list). A plain object: one per message, with its field order.
   */
  get locs(): Record<string, Loc | Loc[]> {
    return (this.found ??= this.locator!.fieldLocs(this.type, this.bodyStart));
  }

  get loc(): SourceLocation | undefined {
    return this.rawLoc === undefined ? undefined : this.resolve(this.rawLoc);
  }

  resolve(loc: Loc): SourceLocation {
    if (typeof loc !== 'number') return loc;
    if (!this.lines) throw new Error('internal: an offset location without a line map');
    return this.lines.locate(loc);
  }

  /** Where a field was written, one location per value (a copy: change it through `fieldLocs.set`). */
  get fieldLocs(): FieldLocations {
    return new FieldLocations(this);
  }

  /** The i-th location of a field (the last one for i past the end); undefined if none was recorded. */
  fieldLoc(field: string, index: number): SourceLocation | undefined {
    const locs = this.locs[field];
    if (locs === undefined) return undefined;
    if (!Array.isArray(locs)) return this.resolve(locs);
    const loc = locs[Math.min(index, locs.length - 1)];
    return loc === undefined ? undefined : this.resolve(loc);
  }

  /** Records one more location for a field (repeated fields: one per value). */
  addFieldLoc(field: string, loc: Loc): void {
    const locs = this.locs[field];
    if (locs === undefined) this.locs[field] = loc;
    else if (Array.isArray(locs)) locs.push(loc);
    else this.locs[field] = [locs, loc];
  }
}

/** A Map-like view of a message's field locations, resolved to SourceLocations. */
export class FieldLocations {
  constructor(private readonly meta: MessageMeta) {}

  get(field: string): SourceLocation[] | undefined {
    const locs = this.meta.locs[field];
    if (locs === undefined) return undefined;
    return Array.isArray(locs) ? locs.map((l) => this.meta.resolve(l)) : [this.meta.resolve(locs)];
  }

  set(field: string, locs: SourceLocation[]): void {
    this.meta.locs[field] = [...locs];
  }

  has(field: string): boolean {
    return this.meta.locs[field] !== undefined;
  }

  *[Symbol.iterator](): IterableIterator<[string, SourceLocation[]]> {
    for (const field of Object.keys(this.meta.locs)) yield [field, this.get(field)!];
  }
}

// The metadata rides on the message itself, under a symbol and not enumerable: invisible to
// Object.keys, spreads, JSON and test equality, so the message still reads as plain data. (A WeakMap
// did the same, but with a big net's hundreds of thousands of messages it cost more than the parsing.)
const META = Symbol('brewnet.meta');

const descriptor: PropertyDescriptor = { value: undefined, writable: true, configurable: true, enumerable: false };

export function setMeta(msg: Msg, meta: MessageMeta): void {
  descriptor.value = meta;
  Object.defineProperty(msg, META, descriptor);
  descriptor.value = undefined;
}

export function metaOf(msg: Msg): MessageMeta | undefined {
  return (msg as { [META]?: MessageMeta })[META];
}

/** Location of a message, or of one of its fields (the i-th value for repeated fields). */
export function locOf(msg: Msg | undefined, field?: string, index = 0): SourceLocation | undefined {
  if (!msg) return undefined;
  const meta = metaOf(msg);
  if (!meta) return undefined;
  if (field === undefined) return meta.loc;
  return meta.fieldLoc(field, index) ?? meta.loc;
}

export function has(msg: Msg | undefined, field: string): boolean {
  return msg !== undefined && msg[field] !== undefined;
}
