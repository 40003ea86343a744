// A hand-written scanner+parser for the common case, in one pass over the characters and without token
// objects: about ten times faster than the chevrotain lexer+parser, which stays the reference grammar.
//
// It accepts a strict subset of what prototxt-parser.ts accepts and builds exactly the tree that parser
// builds for it (same fields, values, spellings and locations, with chevrotain's line/column counting).
// On anything outside the subset (every error, and rare spellings: lists without a colon, a number run
// into a name) it gives up and returns undefined, and the chevrotain parser reads the file instead, so
// diagnostics and rare cases behave exactly as before. test/frontend/fast-parser.test.ts checks that
// both parsers build the same tree.
import type { SourceLocation } from '../src/diagnostics/diagnostic.js';
import type { LineMap } from '../src/diagnostics/line-map.js';
import type { TextField, TextMessage, TextScalar, TextValue } from './text-ast.js';
import { decodeUtf8, unescapeCString } from './c-string.js';

// Character classes of the ASCII range (anything else is outside the subset).
export const IDENT_START = 1;
export const IDENT_PART = 2;
export const DIGIT = 4;
export const HEX = 8;
const charClass = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  const ch = String.fromCharCode(c);
  if (/[A-Za-z_]/.test(ch)) charClass[c] |= IDENT_START | IDENT_PART;
  if (/[0-9]/.test(ch)) charClass[c] |= IDENT_PART | DIGIT;
  if (/[0-9a-fA-F]/.test(ch)) charClass[c] |= HEX;
}
/** Class bits of a char code; 0 past the end (NaN) and outside ASCII. */
export const cls = (c: number): number => (c < 128 ? charClass[c] : 0);

export const SPACE = 32,
  TAB = 9,
  LF = 10,
  VT = 11,
  FF = 12,
  CR = 13,
  HASH = 35,
  QUOTE = 34,
  APOSTROPHE = 39;
export const BACKSLASH = 92,
  MINUS = 45,
  DOT = 46,
  COLON = 58,
  COMMA = 44,
  SEMICOLON = 59;
export const LCURLY = 123,
  RCURLY = 125,
  LANGLE = 60,
  RANGLE = 62,
  LSQUARE = 91,
  RSQUARE = 93;

/** Deepest nesting of messages the full parser accepts (MAX_DEPTH in src/frontend/prototxt/parse-text.ts). */
export const MAX_DEPTH = 100;

/** Thrown (as this one object) to give up; caught where the fast path is entered. */
export const GIVE_UP = new Error('outside the fast parser subset');

/**
 * The characters of the subset: whitespace and comments, names, numbers and quoted strings, with
 * chevrotain's line counting. What is built from them is up to the subclass: the syntax tree here, or
 * typed messages directly (src/frontend/prototxt/fast-typed-reader.ts).
 */
export class PrototxtScanner {
  protected pos = 0;
  protected line = 1;
  /** Offset of the first character of the current line. */
  protected lineStart = 0;
  /** Messages open around the current position. */
  protected depth = 0;

  constructor(
    protected readonly text: string,
    /** Where each line starts, recorded as the scanner finds line breaks (to turn offsets into line:column). */
    protected readonly lines?: LineMap,
  ) {}

  /** Skips whitespace and comments, counting lines as chevrotain does (\n, \r\n and a lone \r). */
  protected skip(): void {
    const text = this.text;
    let pos = this.pos;
    for (;;) {
      const c = text.charCodeAt(pos);
      if (c === SPACE || c === TAB || c === VT || c === FF) pos++;
      else if (c === LF) {
        pos++;
        this.newLine(pos);
      } else if (c === CR) {
        pos += text.charCodeAt(pos + 1) === LF ? 2 : 1;
        this.newLine(pos);
      } else if (c === HASH) {
        // A comment runs to \n; a \r inside it (CRLF files) is not a line break to chevrotain either.
        const end = text.indexOf('\n', pos);
        pos = end === -1 ? text.length : end;
      } else break;
    }
    this.pos = pos;
  }

  private newLine(start: number): void {
    this.line++;
    this.lineStart = start;
    this.lines?.addLine(start);
  }

  /** Set by quoted: the string's bytes are not UTF-8. */
  protected invalidUtf8 = false;

  /**
   * One or more adjacent quoted pieces, the first starting at the current position, as the full parser's
   * strings rule reads them: escapes make bytes, and the bytes of all pieces together are UTF-8.
   */
  protected quoted(quote: number): string {
    const text = this.text;
    const start = this.pos;
    const end = this.pieceEnd(start, quote);
    const plain = this.plainPiece;
    this.pos = end;
    this.skip();
    let next = text.charCodeAt(this.pos);
    this.invalidUtf8 = false;
    // The common case: one piece of ASCII without escapes is its own text.
    if (plain && next !== QUOTE && next !== APOSTROPHE) return text.slice(start + 1, end - 1);
    const bytes: number[] = [];
    this.addPieceBytes(bytes, start, end);
    while (next === QUOTE || next === APOSTROPHE) {
      const pieceStart = this.pos;
      const pieceEnd = this.pieceEnd(pieceStart, next);
      this.addPieceBytes(bytes, pieceStart, pieceEnd);
      this.pos = pieceEnd;
      this.skip();
      next = text.charCodeAt(this.pos);
    }
    const { text: decoded, valid } = decodeUtf8(bytes);
    this.invalidUtf8 = !valid;
    return decoded;
  }

  /** Set by pieceEnd: the piece is ASCII without escapes. */
  protected plainPiece = true;

  /** The end (after the closing quote) of the quoted piece at `start`; an unterminated one is left to the full parser. */
  protected pieceEnd(start: number, quote: number): number {
    const text = this.text;
    let plain = true;
    let i = start + 1;
    for (;;) {
      const c = text.charCodeAt(i);
      if (c === quote) break;
      if (c === BACKSLASH) {
        plain = false;
        const escaped = text.charCodeAt(i + 1);
        if (escaped === LF || escaped !== escaped) throw GIVE_UP;
        i += 2;
        continue;
      }
      if (c === LF || c !== c) throw GIVE_UP; // a line break or the end of the text: unterminated
      if (c >= 128) plain = false;
      i++;
    }
    this.plainPiece = plain;
    return i + 1;
  }

  /** Appends the bytes of one quoted piece; a bad escape is left to the full parser, which reports it. */
  protected addPieceBytes(bytes: number[], start: number, end: number): void {
    const unescaped = unescapeCString(this.text.slice(start, end));
    if (unescaped.error) throw GIVE_UP;
    for (const b of unescaped.bytes) bytes.push(b);
  }

  protected identifier(): string {
    const text = this.text;
    const start = this.pos;
    let i = start + 1;
    while (cls(text.charCodeAt(i)) & IDENT_PART) i++;
    this.pos = i;
    return text.slice(start, i);
  }

  /** The NumberLiteral token: 0x hex, or digits [. digits] [exponent] [f], or . digits [exponent] [f]. */
  protected number(): string {
    const text = this.text;
    const start = this.pos;
    let i = start;
    const c1 = text.charCodeAt(i + 1);
    if (text.charCodeAt(i) === 48 && (c1 === 120 || c1 === 88) && cls(text.charCodeAt(i + 2)) & HEX) {
      i += 2;
      while (cls(text.charCodeAt(i)) & HEX) i++;
    } else {
      if (text.charCodeAt(i) === DOT) {
        if (!(cls(text.charCodeAt(i + 1)) & DIGIT)) throw GIVE_UP;
        i++;
        while (cls(text.charCodeAt(i)) & DIGIT) i++;
      } else {
        while (cls(text.charCodeAt(i)) & DIGIT) i++;
        if (text.charCodeAt(i) === DOT) i++;
        while (cls(text.charCodeAt(i)) & DIGIT) i++;
      }
      const e = text.charCodeAt(i);
      if (e === 101 || e === 69) {
        let j = i + 1;
        const sign = text.charCodeAt(j);
        if (sign === 43 || sign === MINUS) j++;
        if (cls(text.charCodeAt(j)) & DIGIT) {
          while (cls(text.charCodeAt(j)) & DIGIT) j++;
          i = j;
        }
      }
      const f = text.charCodeAt(i);
      if (f === 102 || f === 70) i++;
    }
    // A number run into a name or another number lexes as two tokens: left to the full parser.
    const next = text.charCodeAt(i);
    if (cls(next) & IDENT_PART || next === DOT) throw GIVE_UP;
    this.pos = i;
    return text.slice(start, i);
  }

  atEnd(): boolean {
    return this.pos >= this.text.length;
  }
}

/** The syntax tree (the same tree, locations included, that grammar/prototxt-parser.ts builds). */
class FastParser extends PrototxtScanner {
  constructor(
    text: string,
    private readonly file: string,
    /** Receives the top-level fields one by one instead of the returned list. */
    private readonly onTopField?: (field: TextField) => void,
  ) {
    super(text);
  }

  /** Start of the top-level field being read (or of what follows the last one): where a give-up happened. */
  topFieldStart = { offset: 0, line: 1, column: 1 };
  /** Top-level fields read completely. */
  topFieldsRead = 0;

  private loc(offset: number): SourceLocation {
    return { file: this.file, line: this.line, column: offset - this.lineStart + 1, offset };
  }

  /** Fields until something that cannot start one (the caller checks what that is). */
  fieldList(top = false): TextField[] {
    const text = this.text;
    const fields: TextField[] = [];
    const onField = top ? this.onTopField : undefined;
    for (;;) {
      this.skip();
      if (top) this.topFieldStart = { offset: this.pos, line: this.line, column: this.pos - this.lineStart + 1 };
      if (!(cls(text.charCodeAt(this.pos)) & IDENT_START)) return fields;
      if (onField) onField(this.field());
      else fields.push(this.field());
      if (top) this.topFieldsRead++;
      this.skip();
      const c = text.charCodeAt(this.pos);
      if (c === COMMA || c === SEMICOLON) this.pos++;
    }
  }

  private field(): TextField {
    const text = this.text;
    const start = this.pos;
    const name = this.identifier();
    const loc = this.loc(start);
    this.skip();
    const c = text.charCodeAt(this.pos);
    if (c === COLON) {
      this.pos++;
      this.skip();
      if (text.charCodeAt(this.pos) === LSQUARE) return { name, loc, list: true, values: this.list() };
      return { name, loc, list: false, values: [this.value()] };
    }
    if (c === LCURLY || c === LANGLE) return { name, loc, list: false, values: [this.body()] };
    throw GIVE_UP;
  }

  private body(): TextMessage {
    const text = this.text;
    const close = text.charCodeAt(this.pos) === LCURLY ? RCURLY : RANGLE;
    const loc = this.loc(this.pos);
    // The full parser refuses deeper nesting (parse-text.ts), so it must report it.
    if (++this.depth > MAX_DEPTH) throw GIVE_UP;
    this.pos++;
    const fields = this.fieldList();
    if (text.charCodeAt(this.pos) !== close) throw GIVE_UP;
    const end = this.loc(this.pos);
    this.pos++;
    this.depth--;
    return { kind: 'message', fields, loc, end };
  }

  private list(): TextValue[] {
    const text = this.text;
    const values: TextValue[] = [];
    this.pos++; // [
    this.skip();
    if (text.charCodeAt(this.pos) === RSQUARE) {
      this.pos++;
      return values;
    }
    for (;;) {
      values.push(this.value());
      this.skip();
      const c = text.charCodeAt(this.pos);
      if (c === RSQUARE) {
        this.pos++;
        return values;
      }
      if (c !== COMMA) throw GIVE_UP;
      this.pos++;
      this.skip();
    }
  }

  /** A value at the current position (whitespace already skipped). */
  private value(): TextValue {
    const text = this.text;
    const c = text.charCodeAt(this.pos);
    if (c === LCURLY || c === LANGLE) return this.body();
    if (c === QUOTE || c === APOSTROPHE) return this.string(c);
    let negative = false;
    const loc = this.loc(this.pos); // of the '-' if there is one, as in the full parser
    if (c === MINUS) {
      negative = true;
      this.pos++;
      this.skip();
    }
    const d = text.charCodeAt(this.pos);
    if (cls(d) & DIGIT || d === DOT) {
      return { kind: 'scalar', scalar: 'number', text: this.number(), negative, loc };
    }
    if (cls(d) & IDENT_START) return { kind: 'scalar', scalar: 'identifier', text: this.identifier(), negative, loc };
    throw GIVE_UP;
  }

  private string(quote: number): TextScalar {
    const loc = this.loc(this.pos);
    const text = this.quoted(quote);
    const scalar: TextScalar = { kind: 'scalar', scalar: 'string', text, negative: false, loc };
    if (this.invalidUtf8) scalar.invalidUtf8 = true;
    return scalar;
  }
}

/**
 * The top-level fields of `text`, or undefined if it is outside the subset this parser handles. With
 * `onTopField`, each top-level field goes to it as soon as it is read, and the list returned is empty.
 */
export function fastParseFields(text: string, file: string, onTopField?: (field: TextField) => void): TextField[] | undefined {
  try {
    const parser = new FastParser(text, file, onTopField);
    const fields = parser.fieldList(true);
    return parser.atEnd() ? fields : undefined;
  } catch {
    // GIVE_UP, or a stack overflow on very deep nesting: the full parser decides.
    return undefined;
  }
}

/**
 * Where the fast parser stops on `text`, or undefined if it reads all of it. Everything before that point
 * is well-formed top-level fields (the subset is part of the full grammar), so an error in the text is at
 * or after it: the full parser need not read what comes before (in a big file, most of it).
 */
export function fastParseStop(text: string): { offset: number; line: number; column: number; fieldsBefore: number } | undefined {
  const parser = new FastParser(text, '', () => {});
  try {
    parser.fieldList(true);
    if (parser.atEnd()) return undefined;
  } catch {
    // GIVE_UP or a stack overflow: the field that started at topFieldStart is the one it could not read.
  }
  return { ...parser.topFieldStart, fieldsBefore: parser.topFieldsRead };
}
