// The fast path for a well-formed, well-typed file: scan, parse and type in one pass, straight into
// typed messages, with no syntax tree in between and bare offsets for locations (a LineMap makes them
// line:column when one is asked for). A big net has millions of fields; this is what keeps reading it
// close to protoc's speed. For the same reason only the document records where its fields are: a nested
// message finds its own by reading its text again, the first time they are asked for (FileLocator).
//
// A fork's `*_param` on a layer, which BVLC's schema lacks, is deferred as the checker defers it (kept on
// the layer's metadata, reported only if the layer is used): its value is read for its syntax only.
// It gives up on anything else: text outside the fast scanner's subset, and every value or field the
// checker would report. It then says at which top-level field it stopped and hands over the message
// read so far; the chevrotain parser reads the rest of the text and the checker types it onto that
// message, which gives exactly the diagnostics of reading the whole text the slow way. Where it does
// not give up it builds exactly the message, metadata and locations that the checker builds from the
// syntax tree (test/frontend/typed-reader.test.ts checks both).
import type protobuf from 'protobufjs';
import {
  APOSTROPHE,
  COLON,
  COMMA,
  DIGIT,
  DOT,
  GIVE_UP,
  IDENT_START,
  LANGLE,
  LCURLY,
  LSQUARE,
  MAX_DEPTH,
  MINUS,
  QUOTE,
  RANGLE,
  RCURLY,
  RSQUARE,
  SEMICOLON,
  cls,
  PrototxtScanner,
} from '../../../grammar/prototxt-scanner.js';
import { LineMap } from '../../diagnostics/line-map.js';
import { FLOAT_TYPES, INTEGER_RANGES } from '../../schema/caffe-schema.js';
import { MessageMeta, metaOf, setMeta, type FieldLocator, type Loc, type Msg, type Scalar } from '../../schema/message.js';
import { messageConstructor, type MessageConstructor } from '../../schema/message-constructor.js';
import { StringPool } from './string-pool.js';
import type { ScalarKind } from '../../../grammar/text-ast.js';
import { isDeferred, typeScalar, unknownField } from './typecheck.js';
import type { TextOrigin } from './parse-text.js';

const enum Kind {
  Message,
  Enum,
  String,
  Bool,
  Float,
  Integer,
  /** Anything else: typed by the checker's own function. */
  Other,
}

/** What the reader needs about a field, looked up once per field name and message type. */
interface FieldPlan {
  readonly field: protobuf.Field;
  /** The schema's own name string: used as the property key. */
  readonly name: string;
  readonly repeated: boolean;
  readonly kind: Kind;
  readonly isFloat32: boolean;
  /** Integers: the range of the type (only small literals are read here, so Numbers are exact enough). */
  readonly min: number;
  readonly max: number;
  /** Enums: value name → the schema's own string. */
  readonly enumNames?: Map<string, string>;
  /** Messages: the plan of the field's type, made when first needed. */
  message?: TypePlan;
}

interface TypePlan {
  readonly type: protobuf.Type;
  /** Makes the type's empty messages (see message-constructor.ts). */
  readonly create: MessageConstructor;
  readonly fields: Map<string, FieldPlan>;
  readonly required: string[];
}

const plans = new WeakMap<protobuf.Type, TypePlan>();

function typePlan(type: protobuf.Type): TypePlan {
  let plan = plans.get(type);
  if (plan) return plan;
  const fields = new Map<string, FieldPlan>();
  for (const field of type.fieldsArray) fields.set(field.name, fieldPlan(field));
  plan = { type, create: messageConstructor(), fields, required: type.fieldsArray.filter((f) => f.required).map((f) => f.name) };
  plans.set(type, plan);
  return plan;
}

function fieldPlan(field: protobuf.Field): FieldPlan {
  const resolved = field.resolvedType;
  let kind: Kind;
  let enumNames: Map<string, string> | undefined;
  if (resolved && 'fieldsArray' in resolved) kind = Kind.Message;
  else if (resolved) {
    kind = Kind.Enum;
    enumNames = new Map(Object.keys((resolved as protobuf.Enum).values).map((n) => [n, n]));
  } else if (field.type === 'string' || field.type === 'bytes') kind = Kind.String;
  else if (field.type === 'bool') kind = Kind.Bool;
  else if (FLOAT_TYPES.has(field.type)) kind = Kind.Float;
  else if (INTEGER_RANGES[field.type]) kind = Kind.Integer;
  else kind = Kind.Other;
  const range = INTEGER_RANGES[field.type];
  return {
    field,
    name: field.name,
    repeated: field.repeated,
    kind,
    isFloat32: field.type === 'float',
    min: range ? Number(range[0]) : 0,
    max: range ? Number(range[1]) : 0,
    enumNames,
  };
}

/** A location the checker's scalar function never uses here (its diagnostics make this reader give up). */
const NOWHERE = { file: '', line: 0, column: 0 };

class FastTypedReader extends PrototxtScanner {
  // The scanner fills the line map as it reads; every message of the file shares it. (A reader that
  // finds locations again has none: the lines are all known by then.)
  declare protected readonly lines: LineMap | undefined;

  constructor(
    text: string,
    lines: LineMap | undefined,
    /** Finds the field locations of the nested messages when asked for. */
    private readonly locator: FieldLocator,
  ) {
    super(text, lines);
  }

  private readonly strings = new StringPool();

  /** The document being read: its fields up to `topStart` are read, and no diagnostic is due in them. */
  doc: Msg = {};
  /** Where the top-level field being read starts (or what follows the last one): where a give-up happened. */
  topStart: TextOrigin = { offset: 0, line: 1, column: 1 };
  /** Top-level fields read completely. */
  topFieldsRead = 0;

  /** The whole text as one message of `type`. */
  document(type: protobuf.Type): Msg {
    const plan = typePlan(type);
    const msg: Msg = (this.doc = {});
    const meta = new MessageMeta(type, 0, this.lines);
    setMeta(msg, meta);
    this.fields(plan, msg, meta, true, true);
    if (this.pos < this.text.length) throw GIVE_UP;
    checkRequired(plan, msg);
    return msg;
  }

  /**
   * Past the top-level field at `at` (where a reader gave up on it): reads it for its syntax only, counting
   * its lines, and returns where it ends (after its separator), or throws GIVE_UP where it is not
   * well-formed within the subset.
   */
  skipTopField(at: TextOrigin): number {
    this.pos = at.offset;
    this.line = at.line;
    this.lineStart = at.offset - (at.column - 1);
    if (!(cls(this.text.charCodeAt(this.pos)) & IDENT_START)) throw GIVE_UP;
    this.identifier();
    this.skip();
    this.untypedField();
    this.separator();
    return this.pos;
  }

  /** Reads on from the current position (after skipTopField) onto `doc`, a document read before. */
  readOn(type: protobuf.Type, doc: Msg): Msg {
    this.doc = doc;
    this.topFieldsRead = 1;
    this.fields(typePlan(type), doc, metaOf(doc)!, true, true);
    if (this.pos < this.text.length) throw GIVE_UP;
    return doc;
  }

  /** The field locations of a message of `type` whose fields start at `bodyStart` (read before). */
  fieldLocs(type: protobuf.Type, bodyStart: number): Record<string, Loc | Loc[]> {
    const meta = new MessageMeta(type, bodyStart);
    this.pos = bodyStart;
    this.fields(typePlan(type), {}, meta, true, false);
    return meta.locs;
  }

  /**
   * Fields until something that cannot start one (the caller checks what that is). `record`: store
   * where each field is in `meta` (the document's, and a message's when its locations are asked for).
   * `top`: the document's own fields, whose starts are where the slow path can take over.
   */
  private fields(plan: TypePlan, msg: Msg, meta: MessageMeta, record: boolean, top: boolean): void {
    const text = this.text;
    for (;;) {
      this.skip();
      const start = this.pos;
      if (top) this.topStart = { offset: start, line: this.line, column: start - this.lineStart + 1 };
      if (!(cls(text.charCodeAt(start)) & IDENT_START)) return;
      const name = this.identifier();
      const f = plan.fields.get(name);
      if (f === undefined) {
        if (!isDeferred(plan.type, name)) throw GIVE_UP; // unknown: the checker reports it
        this.deferred(plan.type, name, meta, start);
        if (top) this.topFieldsRead++;
        continue;
      }
      this.skip();
      const c = text.charCodeAt(this.pos);
      if (c === COLON) {
        this.pos++;
        this.skip();
        if (text.charCodeAt(this.pos) === LSQUARE) this.list(f, msg, meta, start, record);
        else this.single(f, msg, meta, start, record);
      } else if (c === LCURLY || c === LANGLE) this.single(f, msg, meta, start, record);
      else throw GIVE_UP;
      if (top) this.topFieldsRead++;
      this.separator();
    }
  }

  /** An optional `,` or `;` after a field. */
  private separator(): void {
    this.skip();
    const d = this.text.charCodeAt(this.pos);
    if (d === COMMA || d === SEMICOLON) this.pos++;
  }

  /**
   * A field the schema lacks but the checker defers (a fork's `*_param` on a layer), its name at
   * `start` and read: its value is read for its syntax only, and the checker's diagnostic kept on the
   * message. (A reader that finds locations again has no line map and no use for the diagnostic.)
   */
  private deferred(type: protobuf.Type, name: string, meta: MessageMeta, start: number): void {
    this.skip();
    this.untypedField();
    if (this.lines) (meta.deferred ??= []).push(unknownField(type, name, this.lines.locate(start)));
    this.separator();
  }

  /** `: value`, `: [values]` or `{ … }` of an untyped field, checked against the grammar only. */
  private untypedField(): void {
    const text = this.text;
    const c = text.charCodeAt(this.pos);
    if (c === LCURLY || c === LANGLE) return this.untypedValue();
    if (c !== COLON) throw GIVE_UP;
    this.pos++;
    this.skip();
    if (text.charCodeAt(this.pos) !== LSQUARE) return this.untypedValue();
    this.pos++;
    this.skip();
    if (text.charCodeAt(this.pos) === RSQUARE) {
      this.pos++;
      return;
    }
    for (;;) {
      this.untypedValue();
      this.skip();
      const d = text.charCodeAt(this.pos++);
      if (d === RSQUARE) return;
      if (d !== COMMA) throw GIVE_UP;
      this.skip();
    }
  }

  /** A value of an untyped field at the current position: a message, strings, or [-] a number or name. */
  private untypedValue(): void {
    const text = this.text;
    const c = text.charCodeAt(this.pos);
    if (c === LCURLY || c === LANGLE) {
      if (++this.depth > MAX_DEPTH) throw GIVE_UP;
      this.pos++;
      for (;;) {
        this.skip();
        if (!(cls(text.charCodeAt(this.pos)) & IDENT_START)) break;
        this.identifier();
        this.skip();
        this.untypedField();
        this.separator();
      }
      if (text.charCodeAt(this.pos) !== (c === LCURLY ? RCURLY : RANGLE)) throw GIVE_UP;
      this.pos++;
      this.depth--;
      return;
    }
    // Strings are not typed here, so bytes that are not UTF-8 are no error (bad escapes are: GIVE_UP).
    if (c === QUOTE || c === APOSTROPHE) {
      this.quoted(c);
      return;
    }
    if (c === MINUS) {
      this.pos++;
      this.skip();
    }
    const d = text.charCodeAt(this.pos);
    if (cls(d) & DIGIT || d === DOT) this.number();
    else if (cls(d) & IDENT_START) this.identifier();
    else throw GIVE_UP;
  }

  /** `name: value` or `name { … }`, the field name at `start`. */
  private single(f: FieldPlan, msg: Msg, meta: MessageMeta, start: number, record: boolean): void {
    if (!f.repeated && msg[f.name] !== undefined) throw GIVE_UP; // given twice
    const value = this.value(f, start);
    if (record) meta.addFieldLoc(f.name, start);
    if (!f.repeated) msg[f.name] = value;
    else {
      const existing = msg[f.name] as (Scalar | Msg)[] | undefined;
      if (existing) existing.push(value);
      else msg[f.name] = [value] as Scalar[] | Msg[];
    }
  }

  /** `name: [a, b]`: scalars are located at themselves, messages at the field name (as the checker does). */
  private list(f: FieldPlan, msg: Msg, meta: MessageMeta, start: number, record: boolean): void {
    if (!f.repeated) throw GIVE_UP;
    const text = this.text;
    const values: (Scalar | Msg)[] = [];
    const locs: Loc[] | undefined = record ? [] : undefined;
    this.pos++; // [
    this.skip();
    if (text.charCodeAt(this.pos) === RSQUARE) this.pos++;
    else {
      for (;;) {
        const valueStart = this.pos;
        values.push(this.value(f, start));
        locs?.push(f.kind === Kind.Message ? start : valueStart);
        this.skip();
        const c = text.charCodeAt(this.pos);
        if (c === RSQUARE) {
          this.pos++;
          break;
        }
        if (c !== COMMA) throw GIVE_UP;
        this.pos++;
        this.skip();
      }
    }
    if (locs) {
      if (meta.locs[f.name] !== undefined) for (const l of locs) meta.addFieldLoc(f.name, l);
      else meta.locs[f.name] = locs;
    }
    const existing = msg[f.name] as (Scalar | Msg)[] | undefined;
    if (existing) for (const v of values) existing.push(v);
    else msg[f.name] = values as Scalar[] | Msg[];
  }

  /** A value of field `f` at the current position (whitespace skipped); `fieldStart` locates a message. */
  private value(f: FieldPlan, fieldStart: number): Scalar | Msg {
    const text = this.text;
    const c = text.charCodeAt(this.pos);
    if (c === LCURLY || c === LANGLE) {
      if (f.kind !== Kind.Message) throw GIVE_UP;
      return this.message((f.message ??= typePlan(f.field.resolvedType as protobuf.Type)), fieldStart, c === LCURLY ? RCURLY : RANGLE);
    }
    if (f.kind === Kind.Message) throw GIVE_UP;
    if (c === QUOTE || c === APOSTROPHE) {
      const s = this.quoted(c);
      // A string for any other kind of field is a type error, and bytes that are not UTF-8 are one too.
      if (f.kind !== Kind.String || this.invalidUtf8) throw GIVE_UP;
      return this.strings.share(s);
    }
    let negative = false;
    if (c === MINUS) {
      negative = true;
      this.pos++;
      this.skip();
    }
    const d = text.charCodeAt(this.pos);
    if (cls(d) & DIGIT || d === DOT) return this.numberValue(f, negative);
    if (cls(d) & IDENT_START) return this.word(f, this.identifier(), negative);
    throw GIVE_UP;
  }

  private message(plan: TypePlan, fieldStart: number, close: number): Msg {
    // The full parser refuses deeper nesting (parse-text.ts), so it must report it.
    if (++this.depth > MAX_DEPTH) throw GIVE_UP;
    this.pos++;
    const msg = new plan.create();
    const meta = new MessageMeta(plan.type, fieldStart, this.lines, this.locator, this.pos);
    setMeta(msg, meta);
    this.fields(plan, msg, meta, false, false);
    if (this.text.charCodeAt(this.pos) !== close) throw GIVE_UP;
    this.pos++;
    this.depth--;
    checkRequired(plan, msg);
    return msg;
  }

  private numberValue(f: FieldPlan, negative: boolean): Scalar {
    const text = this.text;
    const start = this.pos;
    const spelled = this.number();
    const end = this.pos;
    if (f.kind === Kind.Integer && end - start <= 9) {
      // Decimal without a leading zero (a leading 0 means octal) and at most 9 digits: always in range
      // of a 32-bit type's magnitude, so only the sign can be out of range.
      let n = 0;
      let i = start;
      const first = text.charCodeAt(i);
      if (first !== 48 || end - start === 1) {
        for (; i < end; i++) {
          const c = text.charCodeAt(i) - 48;
          if (c < 0 || c > 9) break;
          n = n * 10 + c;
        }
      }
      if (i === end) {
        const v = negative && n !== 0 ? -n : n; // -0 is 0, as BigInt makes it
        if (v < f.min || v > f.max) throw GIVE_UP;
        return v;
      }
    } else if (f.kind === Kind.Float) {
      // Plain decimal spellings: Number() reads them as the checker does; hex and the f suffix go there.
      const last = text.charCodeAt(end - 1);
      const second = text.charCodeAt(start + 1);
      if ((cls(last) & DIGIT || last === DOT) && second !== 120 && second !== 88) {
        const n = Number(spelled);
        const v = negative ? -n : n;
        return f.isFloat32 ? Math.fround(v) : v;
      }
    }
    return this.checked(f, 'number', spelled, negative);
  }

  private word(f: FieldPlan, word: string, negative: boolean): Scalar {
    if (!negative) {
      if (f.kind === Kind.Enum) {
        const name = f.enumNames!.get(word);
        if (name !== undefined) return name;
      } else if (f.kind === Kind.Bool) {
        if (word === 'true' || word === 'True' || word === 't') return true;
        if (word === 'false' || word === 'False' || word === 'f') return false;
      }
    }
    return this.checked(f, 'identifier', word, negative);
  }

  /** The checker's own typing of a scalar; anything it would report makes this reader give up. */
  private checked(f: FieldPlan, scalar: ScalarKind, spelled: string, negative: boolean): Scalar {
    const typed = typeScalar(f.field, { kind: 'scalar', scalar, text: spelled, negative, loc: NOWHERE });
    if (typeof typed === 'object') throw GIVE_UP;
    return typed;
  }
}

function checkRequired(plan: TypePlan, msg: Msg): void {
  for (const name of plan.required) if (msg[name] === undefined) throw GIVE_UP;
}

/**
 * What the fast reader made of a text: the typed message, or (where the checker has something to say,
 * or the text is outside the fast scanner's subset) where the slow path takes over.
 */
export type FastRead =
  | { msg: Msg }
  | {
      msg?: undefined;
      /** The start of the top-level field the reader could not take (or of what follows the last field). */
      resumeAt: TextOrigin;
      /** Whether a top-level field comes before `resumeAt`. */
      fieldsBefore: boolean;
      /** The fields before `resumeAt`, typed; undefined where the slow path must start from scratch. */
      partial?: Msg;
      /** Where `partial` is set: what reading on past that one field needs (see skipGivenUpField). */
      resume?: { text: string; lines: LineMap; locator: FieldLocator; type: protobuf.Type };
    };

/**
 * After a give-up, the top-level field it happened in, for the checker to type alone: where that field
 * ends, and `readOn`, which reads the fields after it onto the same message (call it once the checker
 * has typed the field). undefined where the field is not well-formed within the fast subset: the slow
 * path then reads the whole rest, as it always could.
 */
export function skipGivenUpField(read: FastRead & { msg?: undefined }): { end: number; readOn: () => FastRead } | undefined {
  const { resume, partial } = read;
  if (!resume || !partial) return undefined;
  const reader = new FastTypedReader(resume.text, resume.lines, resume.locator);
  let end: number;
  try {
    end = reader.skipTopField(read.resumeAt);
  } catch (e) {
    if (e === GIVE_UP || e instanceof RangeError) return undefined;
    throw e;
  }
  return { end, readOn: () => attempt(reader, resume, () => reader.readOn(resume.type, partial)) };
}

/** Runs a reading; a give-up becomes where the slow path takes over. */
function attempt(reader: FastTypedReader, resume: NonNullable<(FastRead & { msg?: undefined })['resume']>, run: () => Msg): FastRead {
  try {
    return { msg: run() };
  } catch (e) {
    if (e === GIVE_UP) return { resumeAt: reader.topStart, fieldsBefore: reader.topFieldsRead > 0, partial: reader.doc, resume };
    // A stack overflow on very deep nesting: it may have struck anywhere, so the slow path reads it all.
    if (e instanceof RangeError) return { resumeAt: { offset: 0, line: 1, column: 1 }, fieldsBefore: false };
    throw e;
  }
}

/** `text` as a typed message of `type`, or where the slow path takes over (see FastRead). */
export function fastReadMessage(text: string, file: string, type: protobuf.Type): FastRead {
  const lines = new LineMap(file);
  const locator = new FileLocator(text);
  const reader = new FastTypedReader(text, lines, locator);
  return attempt(reader, { text, lines, locator, type }, () => reader.document(type));
}

/**
 * Finds a nested message's field locations by reading it again with a reader of its own (the text was
 * read once already, so this reader cannot give up). The locations are offsets, which the message's
 * own line map resolves.
 */
class FileLocator implements FieldLocator {
  constructor(private readonly text: string) {}

  fieldLocs(type: protobuf.Type, bodyStart: number): Record<string, Loc | Loc[]> {
    return new FastTypedReader(this.text, undefined, this).fieldLocs(type, bodyStart);
  }
}
