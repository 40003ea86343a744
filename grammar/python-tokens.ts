// Tokens of the Python subset brewnet reads (NetSpec and Theano net scripts). The scanner only cuts the
// text into tokens; python-layout.ts then turns line structure into NEWLINE / INDENT / DEDENT tokens,
// which Python's grammar needs and no regular expression can produce.
// Order matters: chevrotain tries patterns first to last, so longer operators come before their prefixes
// and strings (which may start with a prefix letter) come before names.
import type { TokenType } from 'chevrotain';
import { createToken, Lexer } from './chevrotain.js';

export const Whitespace = createToken({ name: 'Whitespace', pattern: /[ \t\f]+/, group: Lexer.SKIPPED });
export const Comment = createToken({ name: 'Comment', pattern: /#[^\r\n]*/, group: Lexer.SKIPPED });
// A backslash at the end of a line joins it to the next: no NEWLINE is produced.
export const Continuation = createToken({ name: 'Continuation', pattern: /\\(?:\r\n|\r|\n)/, group: Lexer.SKIPPED, line_breaks: true });
export const LineBreak = createToken({ name: 'LineBreak', pattern: /\r\n|\r|\n/, line_breaks: true });

// Made by the layout pass, never by the scanner.
export const Newline = createToken({ name: 'Newline', pattern: Lexer.NA });
export const Indent = createToken({ name: 'Indent', pattern: Lexer.NA });
export const Dedent = createToken({ name: 'Dedent', pattern: Lexer.NA });

// Strings: an optional prefix (r, b, u, f and their pairs), then one of the four quotings. Written as
// "unrolled loops" so V8 does not recurse once per character on long strings.
const PREFIX = '(?:[rR][bBfF]?|[bBfF][rR]?|[uU])?';
const TRIPLE_SINGLE = "'''[^'\\\\]*(?:(?:\\\\[\\s\\S]|'(?!''))[^'\\\\]*)*'''";
const TRIPLE_DOUBLE = '"""[^"\\\\]*(?:(?:\\\\[\\s\\S]|"(?!""))[^"\\\\]*)*"""';
// A lone pair of quotes must not swallow the start of a triple quote (`"""abc` is an unclosed triple string).
const SINGLE = "(?!''')'[^'\\\\\\r\\n]*(?:\\\\[\\s\\S][^'\\\\\\r\\n]*)*'";
const DOUBLE = '(?!""")"[^"\\\\\\r\\n]*(?:\\\\[\\s\\S][^"\\\\\\r\\n]*)*"';
export const StringLiteral = createToken({
  name: 'StringLiteral',
  pattern: new RegExp(`${PREFIX}(?:${TRIPLE_SINGLE}|${TRIPLE_DOUBLE}|${SINGLE}|${DOUBLE})`),
  line_breaks: true,
});
// A quote that never closes: scanned so the error can say so, at the opening quote.
export const UnterminatedString = createToken({ name: 'UnterminatedString', pattern: new RegExp(`${PREFIX}(?:'''|"""|'|")`) });

export const NumberLiteral = createToken({
  name: 'NumberLiteral',
  pattern:
    /0[xX](?:_?[0-9a-fA-F])+|0[oO](?:_?[0-7])+|0[bB](?:_?[01])+|(?:\d(?:_?\d)*(?:\.(?:\d(?:_?\d)*)?)?|\.\d(?:_?\d)*)(?:[eE][+-]?\d(?:_?\d)*)?[jJ]?/,
  start_chars_hint: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '.'],
});

export const Name = createToken({ name: 'Name', pattern: /[A-Za-z_][A-Za-z0-9_]*/ });

/** Python 3's reserved words (also what the NetSpec printer must not use as a bare attribute name). */
export const KEYWORDS = [
  'False',
  'None',
  'True',
  'and',
  'as',
  'assert',
  'async',
  'await',
  'break',
  'class',
  'continue',
  'def',
  'del',
  'elif',
  'else',
  'except',
  'finally',
  'for',
  'from',
  'global',
  'if',
  'import',
  'in',
  'is',
  'lambda',
  'nonlocal',
  'not',
  'or',
  'pass',
  'raise',
  'return',
  'try',
  'while',
  'with',
  'yield',
] as const;

export type Keyword = (typeof KEYWORDS)[number];

/** Keyword token types by spelling; each is a Name that is reserved. */
export const Kw: Record<Keyword, TokenType> = Object.fromEntries(
  KEYWORDS.map((word) => [word, createToken({ name: `Kw_${word}`, pattern: new RegExp(`${word}(?![A-Za-z0-9_])`), longer_alt: Name })]),
) as Record<Keyword, TokenType>;

function op(name: string, text: string): TokenType {
  return createToken({ name, pattern: new RegExp(text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')) });
}

export const Ellipsis = op('Ellipsis', '...');
export const DoubleStarEq = op('DoubleStarEq', '**=');
export const DoubleSlashEq = op('DoubleSlashEq', '//=');
export const ShiftLeftEq = op('ShiftLeftEq', '<<=');
export const ShiftRightEq = op('ShiftRightEq', '>>=');
export const DoubleStar = op('DoubleStar', '**');
export const DoubleSlash = op('DoubleSlash', '//');
export const ShiftLeft = op('ShiftLeft', '<<');
export const ShiftRight = op('ShiftRight', '>>');
export const LessEq = op('LessEq', '<=');
export const GreaterEq = op('GreaterEq', '>=');
export const EqEq = op('EqEq', '==');
export const NotEq = op('NotEq', '!=');
export const Arrow = op('Arrow', '->');
export const Walrus = op('Walrus', ':=');
export const PlusEq = op('PlusEq', '+=');
export const MinusEq = op('MinusEq', '-=');
export const StarEq = op('StarEq', '*=');
export const SlashEq = op('SlashEq', '/=');
export const PercentEq = op('PercentEq', '%=');
export const AmpEq = op('AmpEq', '&=');
export const PipeEq = op('PipeEq', '|=');
export const CaretEq = op('CaretEq', '^=');
export const AtEq = op('AtEq', '@=');
export const Plus = op('Plus', '+');
export const Minus = op('Minus', '-');
export const Star = op('Star', '*');
export const Slash = op('Slash', '/');
export const Percent = op('Percent', '%');
export const At = op('At', '@');
export const Amp = op('Amp', '&');
export const Pipe = op('Pipe', '|');
export const Caret = op('Caret', '^');
export const Tilde = op('Tilde', '~');
export const Less = op('Less', '<');
export const Greater = op('Greater', '>');
export const LParen = op('LParen', '(');
export const RParen = op('RParen', ')');
export const LSquare = op('LSquare', '[');
export const RSquare = op('RSquare', ']');
export const LCurly = op('LCurly', '{');
export const RCurly = op('RCurly', '}');
export const Comma = op('Comma', ',');
export const Colon = op('Colon', ':');
export const Dot = op('Dot', '.');
export const Semicolon = op('Semicolon', ';');
export const Equals = op('Equals', '=');
// Anything else (`$`, `?`, a stray backslash, non-ASCII): one character, reported by the layout pass.
export const Unknown = createToken({ name: 'Unknown', pattern: /[^]/ });

export const AUGMENTED_ASSIGN: TokenType[] = [
  PlusEq,
  MinusEq,
  StarEq,
  SlashEq,
  DoubleSlashEq,
  PercentEq,
  DoubleStarEq,
  AmpEq,
  PipeEq,
  CaretEq,
  ShiftLeftEq,
  ShiftRightEq,
  AtEq,
];

export const allPythonTokens: TokenType[] = [
  Whitespace,
  Comment,
  Continuation,
  LineBreak,
  Newline,
  Indent,
  Dedent,
  StringLiteral,
  UnterminatedString,
  NumberLiteral,
  ...Object.values(Kw),
  Name,
  Ellipsis,
  DoubleStarEq,
  DoubleSlashEq,
  ShiftLeftEq,
  ShiftRightEq,
  DoubleStar,
  DoubleSlash,
  ShiftLeft,
  ShiftRight,
  LessEq,
  GreaterEq,
  EqEq,
  NotEq,
  Arrow,
  Walrus,
  PlusEq,
  MinusEq,
  StarEq,
  SlashEq,
  PercentEq,
  AmpEq,
  PipeEq,
  CaretEq,
  AtEq,
  Plus,
  Minus,
  Star,
  Slash,
  Percent,
  At,
  Amp,
  Pipe,
  Caret,
  Tilde,
  Less,
  Greater,
  LParen,
  RParen,
  LSquare,
  RSquare,
  LCurly,
  RCurly,
  Comma,
  Colon,
  Dot,
  Semicolon,
  Equals,
  Unknown,
];

// Built on first use (building a lexer analyses every pattern; prototxt-only commands never need it).
let lexer: InstanceType<typeof Lexer> | undefined;
export function pythonLexer(): InstanceType<typeof Lexer> {
  return (lexer ??= new Lexer(allPythonTokens, { positionTracking: 'full', ensureOptimizations: false }));
}
