// Tokens of the protobuf text format as Caffe files use it (scanner phase).
// Order matters: chevrotain tries patterns first to last, so longer/more specific ones come first.
import type { TokenType } from 'chevrotain';
import { createToken, Lexer } from './chevrotain.js';

export const WhiteSpace = createToken({ name: 'WhiteSpace', pattern: /[ \t\r\n\f\v]+/, group: Lexer.SKIPPED });
export const Comment = createToken({ name: 'Comment', pattern: /#[^\n]*/, group: Lexer.SKIPPED });

// Hex and octal integers, decimal integers, and floats in every spelling protobuf accepts:
// 1e-4, .5, 5., 1.0f. A trailing f/F marks a float literal.
export const NumberLiteral = createToken({
  name: 'NumberLiteral',
  pattern: /0[xX][0-9a-fA-F]+|(?:\d+\.?\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?)[fF]?/,
  start_chars_hint: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '.'],
});
export const Identifier = createToken({ name: 'Identifier', pattern: /[A-Za-z_][A-Za-z0-9_]*/ });
// Strings are written as "unrolled loops" (a run of plain characters, then escape + run, …): the plain
// alternation `(?:[^"\\\n]|\\[^\n])*` recurses once per character in V8 and overflows the stack on a
// multi-megabyte string.
export const DoubleQuotedString = createToken({ name: 'DoubleQuotedString', pattern: /"[^"\\\n]*(?:\\[^\n][^"\\\n]*)*"/ });
export const SingleQuotedString = createToken({ name: 'SingleQuotedString', pattern: /'[^'\\\n]*(?:\\[^\n][^'\\\n]*)*'/ });
// A quote that never closes on its line: lexed so the checker can report it as such, not as a stray character.
export const UnterminatedString = createToken({ name: 'UnterminatedString', pattern: /["'][^\\\n]*(?:\\[^\n][^\\\n]*)*/ });

export const Minus = createToken({ name: 'Minus', pattern: /-/ });
export const Colon = createToken({ name: 'Colon', pattern: /:/ });
export const LCurly = createToken({ name: 'LCurly', pattern: /\{/ });
export const RCurly = createToken({ name: 'RCurly', pattern: /\}/ });
export const LAngle = createToken({ name: 'LAngle', pattern: /</ });
export const RAngle = createToken({ name: 'RAngle', pattern: />/ });
export const LSquare = createToken({ name: 'LSquare', pattern: /\[/ });
export const RSquare = createToken({ name: 'RSquare', pattern: /\]/ });
export const Comma = createToken({ name: 'Comma', pattern: /,/ });
export const Semicolon = createToken({ name: 'Semicolon', pattern: /;/ });

export const allTokens: TokenType[] = [
  WhiteSpace,
  Comment,
  NumberLiteral,
  Identifier,
  DoubleQuotedString,
  SingleQuotedString,
  UnterminatedString,
  Minus,
  Colon,
  LCurly,
  RCurly,
  LAngle,
  RAngle,
  LSquare,
  RSquare,
  Comma,
  Semicolon,
];

// Built on first use: building a lexer analyses every pattern, which a command that never needs this
// lexer (most files take the fast typed reader) should not pay for at start-up.
let lexer: InstanceType<typeof Lexer> | undefined;
export function prototxtLexer(): InstanceType<typeof Lexer> {
  return (lexer ??= new Lexer(allTokens, { positionTracking: 'onlyStart', ensureOptimizations: true }));
}
