// The checker: gives the untyped text tree meaning against the schema by reflection. Unknown fields,
// wrong value kinds, bad enum names, out-of-range integers, repeated use of a singular field and missing
// required fields all become located diagnostics; every one found is reported, not only the first.
import type protobuf from 'protobufjs';
import { error, type Diagnostic } from '../../diagnostics/diagnostic.js';
import { closest, didYouMean } from '../../diagnostics/suggest.js';
import { FLOAT_TYPES, INTEGER_RANGES } from '../../schema/caffe-schema.js';
import { MessageMeta, metaOf, setMeta, type Msg, type Scalar } from '../../schema/message.js';
import type { TextField, TextMessage, TextScalar, TextValue } from '../../../grammar/text-ast.js';
import type { SourceLocation } from '../../diagnostics/diagnostic.js';
import { DIALECTS } from '../../schema/dialects.js';
import { dialectsWithField } from './infer-dialect.js';

// Messages whose unknown `*_param` fields are a fork's layer parameters: reported later, and only if the
// layer turns out to have a type brewnet supports (otherwise "unsupported layer type" says it better).
const LAYER_MESSAGES = new Set(['LayerParameter', 'V1LayerParameter']);

export function typeMessage(type: protobuf.Type, fields: TextField[], loc: SourceLocation | undefined, diagnostics: Diagnostic[]): Msg {
  const msg: Msg = {};
  const meta = new MessageMeta(type, loc);
  setMeta(msg, meta);
  for (const field of fields) typeField(type, msg, meta, field, diagnostics);
  checkRequired(type, msg, loc, diagnostics);
  return msg;
}

/**
 * "did you mean" for an unknown field. `*_param` names are compared without the suffix, which would
 * otherwise make a fork's `interp_param` look like a typo of `exp_param`.
 */
function suggestField(type: protobuf.Type, name: string): string | undefined {
  const names = Object.keys(type.fields);
  if (!name.endsWith('_param')) return didYouMean(name, names);
  const stems = names.filter((n) => n.endsWith('_param')).map((n) => n.slice(0, -'_param'.length));
  const stem = closest(name.slice(0, -'_param'.length), stems);
  if (stem !== undefined) return `did you mean "${stem}_param"?`;
  return LAYER_MESSAGES.has(type.name)
    ? `${name} is not in BVLC Caffe's caffe.proto, nor in any fork's dialect brewnet knows (${DIALECTS.map((d) => d.name).join(', ')})`
    : undefined;
}

/** A field a fork's dialect has: say which, and how to ask for it. */
function forkHint(type: protobuf.Type, name: string): string | undefined {
  const forks = dialectsWithField(type.name, name);
  if (forks.length === 0) return undefined;
  const titles = forks.map((f) => `${f} (${DIALECTS.find((d) => d.name === f)!.title})`).join(', ');
  return `${type.name}.${name} comes from a fork's dialect: ${titles}; read the file with --dialect ${forks[0]}`;
}

/** `kernel_size` (or `kernal_size`) written directly in a layer: say which `*_param` blocks have that field. */
function belongsInParam(type: protobuf.Type, name: string): string | undefined {
  if (!LAYER_MESSAGES.has(type.name)) return undefined;
  const blocks = type.fieldsArray.filter(
    (f) => (f.name.endsWith('_param') || f.name === 'param') && f.resolvedType && 'fields' in f.resolvedType,
  );
  const fieldsOf = (f: protobuf.Field) => (f.resolvedType as protobuf.Type).fields;
  const inner = new Set(blocks.flatMap((f) => Object.keys(fieldsOf(f))));
  const match = inner.has(name) ? name : closest(name, inner);
  if (match === undefined) return undefined;
  const holders = blocks.filter((f) => match in fieldsOf(f)).map((f) => f.name);
  const shown = holders.length > 3 ? `${holders.slice(0, 3).join(', ')}, …` : holders.join(' or ');
  const where = `"${match}" is a field of ${shown}; write it inside that block, e.g. ${holders[0]} { ${match}: … }`;
  return match === name ? where : `did you mean "${match}"? ${where}`;
}

/** The diagnostic for a field `type` does not have, with the most helpful hint there is. */
export function unknownField(type: protobuf.Type, name: string, loc: SourceLocation): Diagnostic {
  return error(
    `unknown field "${name}" in ${type.name}`,
    loc,
    forkHint(type, name) ?? suggestField(type, name) ?? belongsInParam(type, name),
  );
}

/** An unknown field kept on the message (`deferred`) rather than reported now: a fork's layer parameters. */
export function isDeferred(type: protobuf.Type, name: string): boolean {
  return LAYER_MESSAGES.has(type.name) && name.endsWith('_param');
}

function checkRequired(type: protobuf.Type, msg: Msg, loc: SourceLocation | undefined, diagnostics: Diagnostic[]): void {
  for (const f of type.fieldsArray) {
    if (f.required && msg[f.name] === undefined) {
      diagnostics.push(error(`missing required field "${f.name}" in ${type.name}`, loc));
    }
  }
}

/**
 * typeMessage with the fields given one at a time. `into`: a message of `type` that already holds the
 * fields written before these (the fast reader's, up to where it stopped), so that repeated-field and
 * "specified more than once" checks see them as if the checker had typed the whole text.
 */
export class MessageTyper {
  readonly msg: Msg;
  private readonly meta: MessageMeta;

  constructor(
    private readonly type: protobuf.Type,
    private readonly loc: SourceLocation | undefined,
    private readonly diagnostics: Diagnostic[],
    into?: Msg,
  ) {
    const meta = into && metaOf(into);
    if (into && meta) {
      this.msg = into;
      this.meta = meta;
    } else {
      this.msg = {};
      this.meta = new MessageMeta(type, loc);
      setMeta(this.msg, this.meta);
    }
  }

  add(field: TextField): void {
    typeField(this.type, this.msg, this.meta, field, this.diagnostics);
  }

  finish(): Msg {
    checkRequired(this.type, this.msg, this.loc, this.diagnostics);
    return this.msg;
  }
}

function typeField(type: protobuf.Type, msg: Msg, meta: MessageMeta, field: TextField, diagnostics: Diagnostic[]) {
  const schemaField = type.fields[field.name];
  if (!schemaField) {
    const d = unknownField(type, field.name, field.loc);
    if (isDeferred(type, field.name)) (meta.deferred ??= []).push(d);
    else diagnostics.push(d);
    return;
  }
  if (field.listWithoutColon && !(schemaField.resolvedType && 'fieldsArray' in schemaField.resolvedType)) {
    // protobuf lets only message fields drop the colon (`layer [{…}]`), as they may for `layer {…}`.
    diagnostics.push(error(`expected ":" after field "${field.name}", found "["`, field.listWithoutColon, `write ${field.name}: [ … ]`));
    return;
  }
  if (field.list && !schemaField.repeated) {
    diagnostics.push(error(`field "${field.name}" is not repeated, so it cannot take a list [ … ]`, field.loc));
    return;
  }
  const seen = meta.locs[field.name] !== undefined;
  if (!schemaField.repeated && seen) {
    const first = meta.fieldLoc(field.name, 0)!;
    diagnostics.push(
      error(
        `non-repeated field "${field.name}" is specified more than once`,
        field.loc,
        `first given at line ${first.line}:${first.column}`,
      ),
    );
    return;
  }
  if (field.values.length === 1 && !field.list) {
    // The common case, without the arrays below: an array grown by push reserves room for 17 values, and
    // a big net has millions of fields.
    const typed = typeValue(schemaField, field.values[0], field, diagnostics);
    if (typed === undefined) return;
    meta.addFieldLoc(field.name, field.loc);
    if (!schemaField.repeated) msg[field.name] = typed;
    else {
      const existing = msg[field.name] as (Scalar | Msg)[] | undefined;
      if (existing) existing.push(typed);
      else msg[field.name] = [typed] as Scalar[] | Msg[];
    }
    return;
  }
  const values: (Scalar | Msg)[] = [];
  const valueLocs: SourceLocation[] = [];
  for (const value of field.values) {
    const typed = typeValue(schemaField, value, field, diagnostics);
    if (typed !== undefined) {
      values.push(typed);
      valueLocs.push(value.kind === 'scalar' && field.list ? value.loc : field.loc);
    }
  }
  if (values.length === 0 && !(field.list && field.values.length === 0)) return;
  if (seen) for (const l of valueLocs) meta.addFieldLoc(field.name, l);
  else meta.locs[field.name] = valueLocs;
  if (schemaField.repeated) {
    // Append in place: a net repeats `layer` thousands of times, so copying would be quadratic.
    const existing = msg[field.name] as (Scalar | Msg)[] | undefined;
    if (existing) for (const v of values) existing.push(v);
    else msg[field.name] = values as Scalar[] | Msg[];
  } else {
    msg[field.name] = values[0];
  }
}

function typeValue(schemaField: protobuf.Field, value: TextValue, field: TextField, diagnostics: Diagnostic[]): Scalar | Msg | undefined {
  const resolved = schemaField.resolvedType;
  if (resolved && 'fieldsArray' in resolved) {
    if (value.kind !== 'message') {
      diagnostics.push(
        error(
          `field "${field.name}" is a message (${resolved.name}); expected "{", found ${describe(value)}`,
          value.loc,
          `write ${field.name} { … }`,
        ),
      );
      return undefined;
    }
    return typeMessage(resolved as protobuf.Type, value.fields, field.loc, diagnostics);
  }
  if (value.kind === 'message') {
    diagnostics.push(error(`field "${field.name}" is a ${typeName(schemaField)}, not a message`, value.loc));
    return undefined;
  }
  const result = typeScalar(schemaField, value);
  if (typeof result === 'object') {
    diagnostics.push(result);
    return undefined;
  }
  return result;
}

function describe(value: TextValue): string {
  if (value.kind === 'message') return 'a message';
  if (value.scalar === 'string') return `the string ${JSON.stringify(value.text)}`;
  return `"${value.negative ? '-' : ''}${value.text}"`;
}

function typeName(f: protobuf.Field): string {
  return f.resolvedType ? `enum ${f.resolvedType.name}` : f.type;
}

function mismatch(field: protobuf.Field, value: TextScalar, expected: string, hint?: string): Diagnostic {
  return error(`field "${field.name}" (${typeName(field)}) expects ${expected}, found ${describe(value)}`, value.loc, hint);
}

export function typeScalar(field: protobuf.Field, value: TextScalar): Scalar | Diagnostic {
  const resolved = field.resolvedType;
  if (resolved) return typeEnum(field, resolved as protobuf.Enum, value);
  if (field.type === 'string' || field.type === 'bytes') {
    if (value.scalar !== 'string') {
      return mismatch(field, value, 'a quoted string', value.scalar === 'identifier' ? `write "${value.text}"` : undefined);
    }
    if (value.invalidUtf8) {
      // Text fields hold Unicode text; bytes that are not UTF-8 cannot be kept (Python rejects them too).
      return error(
        `string for field "${field.name}" is not valid UTF-8`,
        value.loc,
        'octal and hex escapes make raw bytes; together they must spell UTF-8',
      );
    }
    return value.text;
  }
  if (field.type === 'bool') return typeBool(field, value);
  if (FLOAT_TYPES.has(field.type)) return typeFloat(field, value);
  const range = INTEGER_RANGES[field.type];
  if (range) return typeInteger(field, value, range);
  return error(`field "${field.name}" has unsupported type ${field.type}`, value.loc);
}

function typeEnum(field: protobuf.Field, en: protobuf.Enum, value: TextScalar): Scalar | Diagnostic {
  const names = Object.keys(en.values);
  if (value.scalar === 'identifier' && !value.negative) {
    if (value.text in en.values) return value.text;
    const hint = didYouMean(value.text, names) ?? `one of ${names.join(', ')}`;
    return error(`unknown value "${value.text}" for enum field "${field.name}" (${en.name})`, value.loc, hint);
  }
  if (value.scalar === 'number') {
    const n = parseIntegerText(value);
    if (n !== undefined) {
      const name = en.valuesById[Number(n)];
      if (name !== undefined) return name;
    }
    return error(
      `value ${describe(value)} is not a number of enum ${en.name} (field "${field.name}")`,
      value.loc,
      `one of ${names.join(', ')}`,
    );
  }
  if (value.scalar === 'string' && value.text in en.values)
    return mismatch(field, value, `a ${en.name} name`, `write ${value.text} without quotes`);
  return mismatch(field, value, `a ${en.name} name`, `one of ${names.join(', ')}`);
}

function typeBool(field: protobuf.Field, value: TextScalar): boolean | Diagnostic {
  if (!value.negative) {
    if (value.scalar === 'identifier') {
      if (value.text === 'true' || value.text === 'True' || value.text === 't') return true;
      if (value.text === 'false' || value.text === 'False' || value.text === 'f') return false;
    }
    if (value.scalar === 'number' && (value.text === '1' || value.text === '0')) return value.text === '1';
  }
  return mismatch(field, value, 'true or false');
}

const FLOAT_WORDS: Record<string, number> = { inf: Infinity, infinity: Infinity, nan: NaN, inff: Infinity, infinityf: Infinity, nanf: NaN };

function typeFloat(field: protobuf.Field, value: TextScalar): number | Diagnostic {
  let n: number | undefined;
  if (value.scalar === 'identifier') {
    const word = FLOAT_WORDS[value.text.toLowerCase()];
    if (word !== undefined) n = word;
  } else if (value.scalar === 'number') {
    // Hex is an integer-only spelling: C++ and Python both reject it for float fields. A leading 0 is
    // read as decimal here, as Python's float() does (C++ rejects 010 for a float).
    if (!/^0[xX]/.test(value.text)) n = Number(value.text.replace(/[fF]$/, ''));
  }
  if (n === undefined || (Number.isNaN(n) && value.scalar === 'number')) {
    return mismatch(field, value, 'a number', /^0[xX]/.test(value.text) ? 'hexadecimal is only for integer fields' : undefined);
  }
  if (value.negative) n = -n;
  // float fields hold binary32 values; rounding here makes printing and comparison exact.
  return field.type === 'float' ? Math.fround(n) : n;
}

/** Integer literal as BigInt: decimal, 0x hex or leading-0 octal; undefined if it is not an integer. */
function parseIntegerText(value: TextScalar): bigint | undefined {
  const t = value.text;
  let n: bigint;
  if (/^0[xX][0-9a-fA-F]+$/.test(t)) n = BigInt(t);
  else if (/^0[0-7]+$/.test(t)) n = BigInt('0o' + t.slice(1));
  // A leading 0 means octal, so "08" is not a number (protobuf's tokenizers reject it too).
  else if (/^(?:0|[1-9]\d*)$/.test(t)) n = BigInt(t);
  else return undefined;
  return value.negative ? -n : n;
}

function typeInteger(field: protobuf.Field, value: TextScalar, [min, max]: [bigint, bigint]): number | Diagnostic {
  if (value.scalar !== 'number') return mismatch(field, value, 'an integer');
  const n = parseIntegerText(value);
  if (n === undefined)
    return mismatch(field, value, 'an integer', /^0\d*[89]/.test(value.text) ? 'a leading 0 makes an octal number' : undefined);
  if (n < min || n > max) {
    return error(
      `integer ${value.negative ? '-' : ''}${value.text} is out of range for field "${field.name}" (${field.type}: ${min} to ${max})`,
      value.loc,
    );
  }
  if (n > BigInt(Number.MAX_SAFE_INTEGER) || n < -BigInt(Number.MAX_SAFE_INTEGER)) {
    return error(
      `integer ${value.negative ? '-' : ''}${value.text} in field "${field.name}" is larger than 2^53, which brewnet does not support`,
      value.loc,
    );
  }
  return Number(n);
}

export function typeDocument(type: protobuf.Type, doc: TextMessage, diagnostics: Diagnostic[]): Msg {
  return typeMessage(type, doc.fields, doc.loc, diagnostics);
}
