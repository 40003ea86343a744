// The chevrotain scanner + parser driver: source text → untyped TextMessage, with syntax errors as
// located diagnostics. The reference grammar, for every text the fast typed reader does not take: read
// from the top-level field where that reader stopped (all before it is well-formed), or from the start.
import type { IToken } from 'chevrotain';
import {
  Identifier,
  LAngle,
  LCurly,
  LSquare,
  NumberLiteral,
  prototxtLexer,
  RAngle,
  RCurly,
  UnterminatedString,
} from '../../../grammar/prototxt-tokens.js';
import { PrototxtParser } from '../../../grammar/prototxt-parser.js';
import { DiagnosticError, error, type Diagnostic, type SourceLocation } from '../../diagnostics/diagnostic.js';
import type { TextField, TextMessage } from '../../../grammar/text-ast.js';

const MAX_REPORTED = 20;
/** Deeper nesting than any caffe.proto message has; checked before parsing, which recurses per level. */
const MAX_DEPTH = 100;
let parser: PrototxtParser | undefined;

function endOfText(file: string, text: string): SourceLocation {
  let line = 1;
  let lastNewline = -1;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) {
    line++;
    lastNewline = i;
  }
  return { file, line, column: text.length - lastNewline, offset: text.length };
}

/** NUL or U+FFFD near the start: a binary file (a .caffemodel), reported as such by the full parser. */
export function looksBinary(text: string): boolean {
  const sample = text.slice(0, 4096);
  return sample.includes('\u0000') || sample.includes('\uFFFD');
}

/**
 * The top-level fields of `text`, read by chevrotain from `from` (the start of a top-level field; the text
 * before it must be well-formed fields) to the end, with their locations in the whole file. `fieldsBefore`:
 * whether a field comes before `from` (a file that starts with "{" gets a hint about JSON).
 */
export function parseText(text: string, file: string, from: TextOrigin = FILE_START, fieldsBefore = false): TextMessage {
  if (looksBinary(text)) {
    throw new DiagnosticError([
      error(
        'this file is not text (it contains NUL or non-UTF-8 bytes)',
        { file, line: 1, column: 1, offset: 0 },
        'a .caffemodel holds weights; pass the .prototxt that defines the net (weights are loaded with --weights)',
      ),
    ]);
  }
  const fields = parseTokens(readTokens(from.offset > 0 ? text.slice(from.offset) : text, file, from), file, text, !fieldsBefore);
  return { kind: 'message', fields, loc: { file, line: 1, column: 1, offset: 0 }, end: endOfText(file, text) };
}

/**
 * What parseText(text, file, from) would throw for lexer errors, found without making the rest's tokens
 * where that is worth it (a rest of CHUNKED_FROM characters or more that the conservative scan does not
 * pass); undefined where there are none or it is not worth it (parseText then says the same).
 */
export function lexerErrorsAhead(text: string, file: string, from: TextOrigin): DiagnosticError | undefined {
  const rest = from.offset > 0 ? text.slice(from.offset) : text;
  if (rest.length < CHUNKED_FROM || rest.indexOf('\r') >= 0 || lexicallyPlain(rest, 0)) return undefined;
  return lexerErrorsByChunks(rest, file, from);
}

/** From this many characters, a rest that may hold lexer errors is lexed in chunks of LEX_CHUNK first. */
const CHUNKED_FROM = 1 << 17;
const LEX_CHUNK = 1 << 16;

/**
 * What readTokens would throw for the lexer's errors in `source` (which starts at `origin`), lexing it in
 * chunks cut after line breaks and keeping no tokens: millions of token objects made a 13 MB file with an
 * unterminated string on its last line take 9 s, most of it garbage collection. Exact because no token and
 * no run of unexpected characters crosses a line break, and lines are counted by \n alone (the caller
 * passes no text with a \r, which the lexer may also count). undefined where there is none.
 */
function lexerErrorsByChunks(source: string, file: string, origin: TextOrigin): DiagnosticError | undefined {
  const errors: Diagnostic[] = [];
  const unterminated: Diagnostic[] = [];
  let at = 0;
  let o = origin;
  while (at < source.length && errors.length < MAX_REPORTED) {
    const cut = source.indexOf('\n', at + LEX_CHUNK);
    const end = cut < 0 ? source.length : cut + 1;
    const piece = source.slice(at, end);
    const lexed = prototxtLexer().tokenize(piece);
    for (const e of lexed.errors) {
      if (errors.length === MAX_REPORTED) break;
      const ch = String.fromCodePoint(piece.codePointAt(e.offset)!);
      errors.push(error(`unexpected character ${showChar(ch)}`, place(file, o, e.line ?? 0, e.column ?? 0, e.offset), charHint(ch)));
    }
    for (const t of lexed.tokens)
      if (t.tokenType === UnterminatedString && unterminated.length < MAX_REPORTED) {
        placeToken(t, o);
        unterminated.push(error('unterminated string (missing closing quote on this line)', tokenLoc(file, t)));
      }
    let lines = 0;
    for (let i = piece.indexOf('\n'); i !== -1; i = piece.indexOf('\n', i + 1)) lines++;
    o = { offset: o.offset + piece.length, line: o.line + lines, column: lines > 0 ? 1 : o.column + piece.length };
    at = end;
  }
  // readTokens's order: the unexpected characters, then unterminated strings, MAX_REPORTED in all.
  const all = [...errors, ...unterminated].slice(0, MAX_REPORTED);
  return all.length > 0 ? new DiagnosticError(all) : undefined;
}

/**
 * The top-level field(s) in [from.offset, end) parsed alone, for a reader that takes the rest itself;
 * undefined on any syntax problem (the caller then parses the whole rest of the text, which reports it
 * exactly as a whole reading would).
 */
export function parseTopField(text: string, file: string, from: TextOrigin, end: number): TextField[] | undefined {
  try {
    const tokens = readTokens(text.slice(from.offset, end), file, from);
    parser ??= new PrototxtParser();
    parser.file = file;
    parser.input = tokens;
    const fields = parser.document();
    return parser.errors.length > 0 || parser.problems.length > 0 ? undefined : fields;
  } catch (e) {
    if (e instanceof DiagnosticError) return undefined;
    throw e;
  }
}

/** Where a piece of the text starts in the file. */
export interface TextOrigin {
  offset: number;
  line: number;
  column: number;
}
const FILE_START: TextOrigin = { offset: 0, line: 1, column: 1 };

/** A position in a piece of the text that starts at `origin`, as a position in the file. */
function place(file: string, origin: TextOrigin, line: number, column: number, offset: number): SourceLocation {
  return { file, line: origin.line + line - 1, column: line === 1 ? origin.column + column - 1 : column, offset: origin.offset + offset };
}

/**
 * Scans `source` (which starts at `origin` in the file) into tokens placed in the file; unknown characters
 * and unterminated strings are errors.
 */
function readTokens(source: string, file: string, origin: TextOrigin): IToken[] {
  const lexed = prototxtLexer().tokenize(source);
  if (origin.offset > 0) for (const t of lexed.tokens) placeToken(t, origin);
  const diagnostics: Diagnostic[] = [];
  for (const e of lexed.errors.slice(0, MAX_REPORTED)) {
    const ch = String.fromCodePoint(source.codePointAt(e.offset)!);
    diagnostics.push(
      error(`unexpected character ${showChar(ch)}`, place(file, origin, e.line ?? 0, e.column ?? 0, e.offset), charHint(ch)),
    );
  }
  for (const t of lexed.tokens) {
    if (t.tokenType === UnterminatedString && diagnostics.length < MAX_REPORTED) {
      diagnostics.push(error('unterminated string (missing closing quote on this line)', tokenLoc(file, t)));
    }
  }
  if (diagnostics.length > 0) throw new DiagnosticError(diagnostics);
  checkDepth(lexed.tokens, file);
  return lexed.tokens;
}

/** Moves a token of a piece of the text that starts at `origin` to its place in the file. */
function placeToken(t: IToken, origin: TextOrigin): void {
  if (t.startLine === 1) t.startColumn = (t.startColumn ?? 0) + origin.column - 1;
  if (t.endLine === 1) t.endColumn = (t.endColumn ?? 0) + origin.column - 1;
  t.startLine = (t.startLine ?? 0) + origin.line - 1;
  t.endLine = (t.endLine ?? 0) + origin.line - 1;
  t.startOffset += origin.offset;
  t.endOffset = (t.endOffset ?? 0) + origin.offset;
}

/** Parses tokens from readTokens; `text` is the whole file (for the end-of-file position). */
function parseTokens(tokens: IToken[], file: string, text: string, atFileStart: boolean): TextField[] {
  parser ??= new PrototxtParser();
  parser.file = file;
  parser.input = tokens;
  const fields = parser.document();
  if (parser.errors.length > 0) throw syntaxError(tokens, parser.errors[0], file, text, atFileStart);
  // Bad escapes, located by the parser.
  if (parser.problems.length > 0) throw new DiagnosticError(parser.problems.slice(0, MAX_REPORTED));
  return fields;
}

/** The diagnostic of the parser's first error. */
function syntaxError(
  tokens: IToken[],
  e: { token: IToken; message: string },
  file: string,
  text: string,
  atFileStart: boolean,
): DiagnosticError {
  const t = e.token;
  const loc: SourceLocation = Number.isNaN(t.startOffset) || t.tokenType.name === 'EOF' ? endOfText(file, text) : tokenLoc(file, t);
  const junk = malformedNumber(tokens, t);
  if (junk) return new DiagnosticError([error(`malformed number "${junk.text}"`, tokenLoc(file, junk.start))]);
  return new DiagnosticError([error(e.message, loc, syntaxHint(tokens, t, file, atFileStart))]);
}

/** Prefixes of the rest syntaxErrorFrom lexes (characters, cut at the next line end), before giving up. */
const PREFIXES = [1 << 16, 1 << 20];
/** Tokens a prefix must hold past the error token: the parser's lookahead and a malformed number's run. */
const MARGIN_TOKENS = 100;

/**
 * What reading the whole text from `from` would throw, where a top-level field there does not parse alone
 * (readByFields): its first syntax error, found by lexing only a prefix of the rest. That gives the whole
 * reading's diagnostic only where the rest has nothing the lexer refuses (lexer errors anywhere come before
 * parse errors), no nesting past MAX_DEPTH, and the parser stops on a token well inside the prefix (it
 * decides from at most two tokens ahead). Otherwise undefined, and the caller reads the whole rest: a
 * 16 MB file with a typo at line 18,000 took 11 s to lex and parse to its end.
 */
export function syntaxErrorFrom(text: string, file: string, from: TextOrigin, atFileStart: boolean): DiagnosticError | undefined {
  if (!lexicallyPlain(text, from.offset)) return undefined;
  for (const size of PREFIXES) {
    const cut = text.indexOf('\n', from.offset + size);
    if (cut < 0) return undefined;
    const tokens = readTokens(text.slice(from.offset, cut), file, from);
    parser ??= new PrototxtParser();
    parser.file = file;
    parser.input = tokens;
    parser.document();
    const e = parser.errors[0];
    if (e && e.token.tokenType.name !== 'EOF' && tokens.indexOf(e.token) + MARGIN_TOKENS < tokens.length)
      return syntaxError(tokens, e, file, text, atFileStart);
  }
  return undefined;
}

/**
 * Whether text[from…] lexes without error and nests at most MAX_DEPTH deep, by a conservative scan: only
 * characters that always start or continue a token (letters, digits, `_`, `-`, `:`, `,`, `;`, brackets,
 * whitespace; a `.` only before a digit), comments, and strings closed on their line. Anything else (`+`,
 * a lone `.`, `$`, non-ASCII outside strings) says no, even where the lexer would take it.
 */
function lexicallyPlain(text: string, from: number): boolean {
  let depth = 0;
  for (let i = from; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || c === 45 || c === 58 || c === 44 || c === 59)
      continue;
    if (c === 32 || c === 9 || c === 10 || c === 13 || c === 91 || c === 93) continue;
    if (c === 123 || c === 60) {
      if (++depth > MAX_DEPTH) return false;
    } else if (c === 125 || c === 62) {
      if (depth > 0) depth--;
    } else if (c === 46) {
      const d = text.charCodeAt(i + 1);
      if (!(d >= 48 && d <= 57)) return false;
    } else if (c === 35) {
      const nl = text.indexOf('\n', i);
      if (nl < 0) return true;
      i = nl;
    } else if (c === 34 || c === 39) {
      // A string: to its closing quote on this line; a backslash escapes the next character (not a line break).
      for (i++; ; i++) {
        const d = text.charCodeAt(i);
        if (d === c) break;
        if (d !== d || d === 10 || d === 13) return false;
        if (d === 92) {
          const e = text.charCodeAt(i + 1);
          if (e !== e || e === 10 || e === 13) return false;
          i++;
        }
      }
    } else return false;
  }
  return true;
}

function tokenLoc(file: string, t: IToken): SourceLocation {
  return { file, line: t.startLine ?? 0, column: t.startColumn ?? 0, offset: t.startOffset };
}

/** A character for a message: quoted if it can be seen, else its code point (a BOM, a no-break space). */
function showChar(ch: string): string {
  if (/^[\p{L}\p{N}\p{P}\p{S}]$/u.test(ch)) return JSON.stringify(ch);
  const names: Record<string, string> = { '\uFEFF': 'byte order mark', '\u00A0': 'no-break space', '\u200B': 'zero-width space' };
  const code = `U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
  return names[ch] ? `${code} (${names[ch]})` : code;
}

function charHint(ch: string): string | undefined {
  if (ch === '$') return 'this looks like a template placeholder; substitute it before use';
  if (ch === '=') return 'fields are written name: value (or name { … } for a message)';
  if (ch === '\uFEFF') return 'save the file as UTF-8 without a byte order mark';
  if (/^\p{Zs}$/u.test(ch)) return 'replace it with an ordinary space';
  if (/^[\p{Pi}\p{Pf}]$/u.test(ch)) return 'strings take straight quotes: "…" or \'…\'';
  return undefined;
}

/** Refuses absurd nesting before the recursive parser overflows the stack on it. */
function checkDepth(tokens: IToken[], file: string): void {
  let depth = 0;
  for (const t of tokens) {
    if (t.tokenType === LCurly || t.tokenType === LAngle) {
      if (++depth > MAX_DEPTH)
        throw new DiagnosticError([error(`messages are nested more than ${MAX_DEPTH} levels deep`, tokenLoc(file, t))]);
    } else if ((t.tokenType === RCurly || t.tokenType === RAngle) && depth > 0) depth--;
  }
}

const end = (t: IToken): number => t.startOffset + t.image.length;
const isWord = (t: IToken): boolean => t.tokenType === NumberLiteral || t.tokenType === Identifier;

/**
 * `1.2.3`, `3x3`, `1e5e5`: a number run into more characters lexes as several tokens, and the parser
 * trips over one of them. The whole run, from its start, says better what is wrong.
 */
function malformedNumber(tokens: IToken[], at: IToken): { text: string; start: IToken } | undefined {
  const index = at.tokenType.name === 'EOF' ? tokens.length : tokens.indexOf(at);
  for (const k of [index, index - 1]) {
    if (k < 0 || k >= tokens.length || !isWord(tokens[k])) continue;
    let first = k;
    while (first > 0 && isWord(tokens[first - 1]) && end(tokens[first - 1]) === tokens[first].startOffset) first--;
    let last = k;
    while (last + 1 < tokens.length && isWord(tokens[last + 1]) && end(tokens[last]) === tokens[last + 1].startOffset) last++;
    const run = tokens.slice(first, last + 1);
    if (run.slice(0, -1).some((t) => t.tokenType === NumberLiteral)) {
      const text = run.map((t) => t.image).join('');
      return { text: text.length > 40 ? text.slice(0, 40) + '…' : text, start: run[0] };
    }
  }
  return undefined;
}

function syntaxHint(tokens: IToken[], at: IToken, file: string, atFileStart: boolean): string | undefined {
  if (atFileStart && at === tokens[0] && (at.tokenType === LCurly || at.tokenType === LSquare)) {
    return 'this looks like JSON; prototxt is written as name: value and name { … }';
  }
  if (at.tokenType.name !== 'EOF') return undefined;
  // At the end of the file: say which delimiter was left open.
  const open: IToken[] = [];
  for (const t of tokens) {
    if (t.tokenType === LCurly || t.tokenType === LAngle) open.push(t);
    else if (t.tokenType === RCurly || t.tokenType === RAngle) open.pop();
  }
  const last = open[open.length - 1];
  if (!last) return undefined;
  const { line, column } = tokenLoc(file, last);
  return `the "${last.image}" at line ${line}:${column} is never closed`;
}
