// Python's line structure as tokens (the step between scanning and parsing): a logical line ends in
// NEWLINE unless a bracket is open or the line ends in a backslash; blank and comment-only lines vanish;
// a deeper indentation than the enclosing block opens it with INDENT, a shallower one closes blocks with
// DEDENTs and must land on an indentation already in use. Bracket pairing is checked here too, so an
// unclosed "(" is reported where it opens, as Python 3.10 does.
import type { IToken, TokenType } from 'chevrotain';
import { createTokenInstance } from './chevrotain.js';
import {
  Dedent,
  Indent,
  LCurly,
  LineBreak,
  LParen,
  LSquare,
  Newline,
  RCurly,
  RParen,
  RSquare,
  UnterminatedString,
  Unknown,
} from './python-tokens.js';

export interface LayoutError {
  /** Python's exception class: SyntaxError, IndentationError or TabError. */
  kind: 'SyntaxError' | 'IndentationError' | 'TabError';
  message: string;
  line: number;
  column: number;
}

export class PythonLayoutError extends Error {
  constructor(readonly error: LayoutError) {
    super(error.message);
  }
}

const OPENERS = new Map<TokenType, string>([
  [LParen, '('],
  [LSquare, '['],
  [LCurly, '{'],
]);
const CLOSERS = new Map<TokenType, string>([
  [RParen, ')'],
  [RSquare, ']'],
  [RCurly, '}'],
]);
const PAIR: Record<string, string> = { ')': '(', ']': '[', '}': '{' };
const NAMES: Record<string, string> = {
  '(': 'parenthesis',
  '[': 'bracket',
  '{': 'brace',
  ')': 'parenthesis',
  ']': 'bracket',
  '}': 'brace',
};

/** Nesting beyond this is refused before the parser recurses into it (CPython's own limit is 200). */
export const MAX_BRACKET_DEPTH = 100;

function synthetic(type: TokenType, at: IToken): IToken {
  return createTokenInstance(
    type,
    '',
    at.startOffset,
    at.startOffset,
    at.startLine ?? 1,
    at.startLine ?? 1,
    at.startColumn ?? 1,
    at.startColumn ?? 1,
  );
}

function fail(kind: LayoutError['kind'], message: string, at: { startLine?: number; startColumn?: number }): never {
  throw new PythonLayoutError({ kind, message, line: at.startLine ?? 1, column: at.startColumn ?? 1 });
}

/**
 * Indentation of the line holding `offset`, measured twice as CPython does: with tabs to the next
 * multiple of 8, and with tabs as one column. Blocks compare by both; if the two disagree, the meaning
 * depends on the tab width and CPython raises TabError.
 */
function indentation(text: string, offset: number): [number, number] {
  let start = offset;
  while (start > 0 && text[start - 1] !== '\n' && text[start - 1] !== '\r') start--;
  let wide = 0;
  let narrow = 0;
  for (let i = start; i < offset; i++) {
    const c = text[i];
    if (c === '\t') {
      wide = (Math.floor(wide / 8) + 1) * 8;
      narrow++;
    } else if (c === ' ') {
      wide++;
      narrow++;
    } else if (c === '\f') {
      wide = 0;
      narrow = 0;
    } else break;
  }
  return [wide, narrow];
}

const sign = (x: number) => Math.sign(x);

export function layoutTokens(text: string, tokens: IToken[]): IToken[] {
  const out: IToken[] = [];
  const brackets: IToken[] = [];
  const indents: [number, number][] = [[0, 0]];
  let atLineStart = true;
  let last: IToken | undefined;

  for (const token of tokens) {
    if (token.tokenType === UnterminatedString) {
      const triple = /'''|"""/.test(token.image);
      fail(
        'SyntaxError',
        triple
          ? `unterminated triple-quoted string literal (detected at line ${lastLine(text)})`
          : `unterminated string literal (detected at line ${token.startLine})`,
        token,
      );
    }
    if (token.tokenType === Unknown) {
      const c = token.image;
      if (c === '\\') fail('SyntaxError', 'unexpected character after line continuation character', token);
      const code = c.codePointAt(0)!;
      const shown = code < 0x20 || code > 0x7e ? `U+${code.toString(16).toUpperCase().padStart(4, '0')}` : `'${c}'`;
      fail('SyntaxError', `invalid character ${shown}`, token);
    }
    if (token.tokenType === LineBreak) {
      if (brackets.length > 0 || atLineStart) continue;
      out.push(synthetic(Newline, token));
      atLineStart = true;
      continue;
    }
    if (atLineStart) {
      const here = indentation(text, token.startOffset);
      const top = indents[indents.length - 1];
      const lineStart = { startLine: token.startLine, startColumn: 1 };
      if (sign(here[0] - top[0]) !== sign(here[1] - top[1]))
        fail('TabError', 'inconsistent use of tabs and spaces in indentation', lineStart);
      if (here[0] > top[0]) {
        indents.push(here);
        out.push(synthetic(Indent, token));
      } else if (here[0] < top[0]) {
        while (here[0] < indents[indents.length - 1][0]) {
          indents.pop();
          out.push(synthetic(Dedent, token));
        }
        const outer = indents[indents.length - 1];
        if (here[0] !== outer[0]) fail('IndentationError', 'unindent does not match any outer indentation level', lineStart);
        if (here[1] !== outer[1]) fail('TabError', 'inconsistent use of tabs and spaces in indentation', lineStart);
      }
      atLineStart = false;
    }
    const opener = OPENERS.get(token.tokenType);
    if (opener) {
      brackets.push(token);
      if (brackets.length > MAX_BRACKET_DEPTH) fail('SyntaxError', 'too many nested parentheses', token);
    }
    const closer = CLOSERS.get(token.tokenType);
    if (closer) {
      const open = brackets.pop();
      if (!open) fail('SyntaxError', `unmatched '${closer}'`, token);
      if (open.image !== PAIR[closer]) {
        const onLine = open.startLine !== token.startLine ? ` on line ${open.startLine}` : '';
        fail(
          'SyntaxError',
          `closing ${NAMES[closer]} '${closer}' does not match opening ${NAMES[open.image]} '${open.image}'${onLine}`,
          token,
        );
      }
    }
    out.push(token);
    last = token;
  }
  if (brackets.length > 0) {
    const open = brackets[brackets.length - 1];
    fail('SyntaxError', `'${open.image}' was never closed`, open);
  }
  const end: IToken = last
    ? createTokenInstance(
        Newline,
        '',
        text.length,
        text.length,
        last.endLine ?? last.startLine ?? 1,
        last.endLine ?? 1,
        (last.endColumn ?? 0) + 1,
        (last.endColumn ?? 0) + 1,
      )
    : createTokenInstance(Newline, '', 0, 0, 1, 1, 1, 1);
  if (!atLineStart) out.push(end);
  while (indents.length > 1) {
    indents.pop();
    out.push({ ...end, tokenType: Dedent, tokenTypeIdx: Dedent.tokenTypeIdx! });
  }
  return out;
}

function lastLine(text: string): number {
  return text.split(/\r\n|\r|\n/).length;
}
