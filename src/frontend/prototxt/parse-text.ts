// Scanner + parser driver: source text → untyped TextMessage, with syntax errors as located diagnostics.
import { prototxtLexer, UnterminatedString } from '../../../grammar/prototxt-tokens.js';
import { PrototxtParser } from '../../../grammar/prototxt-parser.js';
import { fastParseFields } from '../../../grammar/prototxt-fast-parser.js';
import { DiagnosticError, error, type Diagnostic, type SourceLocation } from '../../diagnostics/diagnostic.js';
import type { TextField, TextMessage } from './text-ast.js';

const MAX_REPORTED = 20;
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

function looksBinary(text: string): boolean {
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
      error('this file is not text (it contains NUL or non-UTF-8 bytes)', { file, line: 1, column: 1, offset: 0 },
        'a .caffemodel holds weights; pass the .prototxt that defines the net (weights are loaded with --weights)'),
    ]);
  }
  const lexed = prototxtLexer.tokenize(text);
  const diagnostics: Diagnostic[] = [];
  for (const e of lexed.errors.slice(0, MAX_REPORTED)) {
    const ch = text.slice(e.offset, e.offset + 1);
    const hint = ch === '$' ? 'this looks like a template placeholder; substitute it before use' : undefined;
    diagnostics.push(error(`unexpected character ${JSON.stringify(ch)}`, { file, line: e.line ?? 0, column: e.column ?? 0, offset: e.offset }, hint));
  }
  for (const t of lexed.tokens) {
    if (t.tokenType === UnterminatedString && diagnostics.length < MAX_REPORTED) {
      diagnostics.push(error('unterminated string (missing closing quote on this line)', { file, line: t.startLine ?? 0, column: t.startColumn ?? 0, offset: t.startOffset }));
    }
  }
  if (diagnostics.length > 0) throw new DiagnosticError(diagnostics);

  parser ??= new PrototxtParser();
  parser.file = file;
  parser.input = lexed.tokens;
  const fields = parser.document();
  if (parser.errors.length > 0) {
    const e = parser.errors[0];
    const t = e.token;
    const loc: SourceLocation = Number.isNaN(t.startOffset) || t.tokenType.name === 'EOF'
      ? endOfText(file, text)
      : { file, line: t.startLine ?? 0, column: t.startColumn ?? 0, offset: t.startOffset };
    throw new DiagnosticError([error(e.message, loc)]);
  }
  if (parser.problems.length > 0) throw new DiagnosticError(parser.problems.slice(0, MAX_REPORTED));
  return { kind: 'message', fields, loc: { file, line: 1, column: 1, offset: 0 }, end: endOfText(file, text) };
}
