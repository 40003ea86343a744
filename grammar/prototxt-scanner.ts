// The characters of the protobuf text format, scanned by hand for the common case: one pass over the
// characters without token objects, about ten times faster than the chevrotain lexer, which stays the
// reference grammar (prototxt-tokens.ts, prototxt-parser.ts). What is built from them is up to the
// subclass: src/frontend/prototxt/fast-typed-reader.ts reads typed messages directly.
//
// It accepts a strict subset of what the chevrotain lexer and parser accept, with chevrotain's line and
// column counting. On anything outside the subset (every syntax error, and rare spellings: a number run
// into a name, an unterminated string) it gives up (throws GIVE_UP), and the chevrotain parser reads the
// text from the top-level field where it stopped, so diagnostics and rare cases behave exactly as before.
import type { LineMap } from '../src/diagnostics/line-map.js';
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
export const GIVE_UP = new Error('outside the fast scanner subset');

/**
 * The characters of the subset: whitespace and comments, names, numbers and quoted strings, with
 * chevrotain's line counting. What is built from them is up to the subclass (typed messages, in
 * src/frontend/prototxt/fast-typed-reader.ts).
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
