// Scanner + parser driver: source text → untyped TextMessage, with syntax errors as located diagnostics.
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
import { fastParseFields, fastParseStop } from '../../../grammar/prototxt-fast-parser.js';
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

export function parseText(text: string, file: string): TextMessage {
  // The common case goes through the hand-written fast parser; errors and rare spellings through chevrotain.
  if (!looksBinary(text)) {
    const fields = fastParseFields(text, file);
    if (fields) return { kind: 'message', fields, loc: { file, line: 1, column: 1, offset: 0 }, end: endOfText(file, text) };
  }
  return parseTextFull(text, file);
}

/**
 * Hands each top-level field to `onField` as soon as it is read, so a big file's syntax tree is never
 * whole. Returns false where only the full parser can read the text; `onField` may have seen some fields
 * by then, so start over with parseTextFull.
 */
export function streamTopLevelFields(text: string, file: string, onField: (field: TextField) => void): boolean {
  return !looksBinary(text) && fastParseFields(text, file, onField) !== undefined;
}

/** The chevrotain scanner+parser (the reference grammar): any text, with located diagnostics. */
export function parseTextFull(text: string, file: string): TextMessage {
  if (looksBinary(text)) {
    throw new DiagnosticError([
      error(
        'this file is not text (it contains NUL or non-UTF-8 bytes)',
        { file, line: 1, column: 1, offset: 0 },
        'a .caffemodel holds weights; pass the .prototxt that defines the net (weights are loaded with --weights)',
      ),
    ]);
  }
  // Chevrotain is slow on a big file (seconds per 10 MB). Everything before the top-level field where the
  // fast parser stopped is well-formed, so an error is at or after it: read from there first. Only if
  // that part has no error (a rare spelling the fast parser leaves out) is the whole text read.
  const stop = fastParseStop(text);
  if (stop && stop.offset > 0) {
    const tokens = readTokens(text.slice(stop.offset), file, stop);
    parseTokens(tokens, file, stop, text, stop.fieldsBefore === 0);
  }
  const fields = parseTokens(readTokens(text, file, FILE_START), file, FILE_START, text, true);
  return { kind: 'message', fields, loc: { file, line: 1, column: 1, offset: 0 }, end: endOfText(file, text) };
}

/** Where a piece of the text starts in the file. */
interface Origin {
  offset: number;
  line: number;
  column: number;
}
const FILE_START: Origin = { offset: 0, line: 1, column: 1 };

/** A position in a piece of the text that starts at `origin`, as a position in the file. */
function place(file: string, origin: Origin, line: number, column: number, offset: number): SourceLocation {
  return { file, line: origin.line + line - 1, column: line === 1 ? origin.column + column - 1 : column, offset: origin.offset + offset };
}

/** Scans `source` (which starts at `origin` in the file); unknown characters and unterminated strings are errors. */
function readTokens(source: string, file: string, origin: Origin): IToken[] {
  const lexed = prototxtLexer().tokenize(source);
  const diagnostics: Diagnostic[] = [];
  for (const e of lexed.errors.slice(0, MAX_REPORTED)) {
    const ch = String.fromCodePoint(source.codePointAt(e.offset)!);
    diagnostics.push(
      error(`unexpected character ${showChar(ch)}`, place(file, origin, e.line ?? 0, e.column ?? 0, e.offset), charHint(ch)),
    );
  }
  for (const t of lexed.tokens) {
    if (t.tokenType === UnterminatedString && diagnostics.length < MAX_REPORTED) {
      diagnostics.push(error('unterminated string (missing closing quote on this line)', tokenLoc(file, origin, t)));
    }
  }
  if (diagnostics.length > 0) throw new DiagnosticError(diagnostics);
  checkDepth(lexed.tokens, file, origin);
  return lexed.tokens;
}

/** Parses tokens from readTokens; `text` is the whole file (for the end-of-file position). */
function parseTokens(tokens: IToken[], file: string, origin: Origin, text: string, atFileStart: boolean): TextField[] {
  parser ??= new PrototxtParser();
  parser.file = file;
  parser.input = tokens;
  const fields = parser.document();
  if (parser.errors.length > 0) {
    const t = parser.errors[0].token;
    const loc: SourceLocation =
      Number.isNaN(t.startOffset) || t.tokenType.name === 'EOF' ? endOfText(file, text) : tokenLoc(file, origin, t);
    const junk = malformedNumber(tokens, t);
    if (junk) throw new DiagnosticError([error(`malformed number "${junk.text}"`, tokenLoc(file, origin, junk.start))]);
    throw new DiagnosticError([error(parser.errors[0].message, loc, syntaxHint(tokens, t, file, origin, atFileStart))]);
  }
  if (parser.problems.length > 0) {
    // Bad escapes, located by the parser within the piece it read.
    throw new DiagnosticError(
      parser.problems.slice(0, MAX_REPORTED).map((d) => {
        const at = d.location;
        return at ? { ...d, location: place(file, origin, at.line, at.column, at.offset ?? 0) } : d;
      }),
    );
  }
  return fields;
}

function tokenLoc(file: string, origin: Origin, t: IToken): SourceLocation {
  return place(file, origin, t.startLine ?? 0, t.startColumn ?? 0, t.startOffset);
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
function checkDepth(tokens: IToken[], file: string, origin: Origin): void {
  let depth = 0;
  for (const t of tokens) {
    if (t.tokenType === LCurly || t.tokenType === LAngle) {
      if (++depth > MAX_DEPTH)
        throw new DiagnosticError([error(`messages are nested more than ${MAX_DEPTH} levels deep`, tokenLoc(file, origin, t))]);
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

function syntaxHint(tokens: IToken[], at: IToken, file: string, origin: Origin, atFileStart: boolean): string | undefined {
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
  const { line, column } = tokenLoc(file, origin, last);
  return `the "${last.image}" at line ${line}:${column} is never closed`;
}
