// Parser for the protobuf text format (the grammar; its actions build the untyped TextMessage tree).
//
//   message  := ( field [',' | ';'] )*
//   field    := name ( ':' ( value | list ) | body | list )     (a colonless list is for message fields)
//   body     := '{' message '}' | '<' message '>'
//   value    := body | string+ | ['-'] ( number | identifier )
//   list     := '[' [ value ( ',' value )* ] ']'
import type { IToken, IParserErrorMessageProvider, TokenType } from 'chevrotain';
import { EmbeddedActionsParser } from './chevrotain.js';
import {
  allTokens,
  Colon,
  Comma,
  DoubleQuotedString,
  Identifier,
  LAngle,
  LCurly,
  LSquare,
  Minus,
  NumberLiteral,
  RAngle,
  RCurly,
  RSquare,
  Semicolon,
  SingleQuotedString,
  UnterminatedString,
} from './prototxt-tokens.js';
import type { SourceLocation } from '../src/diagnostics/diagnostic.js';
import type { TextField, TextMessage, TextScalar, TextValue } from './text-ast.js';
import { decodeUtf8, unescapeCString } from './c-string.js';
import { error, type Diagnostic } from '../src/diagnostics/diagnostic.js';

const tokenSpelling: Record<string, string> = {
  Colon: '":"',
  Comma: '","',
  Semicolon: '";"',
  LCurly: '"{"',
  RCurly: '"}"',
  LAngle: '"<"',
  RAngle: '">"',
  LSquare: '"["',
  RSquare: '"]"',
  Minus: '"-"',
  Identifier: 'a name',
  NumberLiteral: 'a number',
  DoubleQuotedString: 'a string',
  SingleQuotedString: 'a string',
  UnterminatedString: 'a string',
};

function describeFound(token: IToken): string {
  if (token.tokenType.name === 'EOF') return 'end of file';
  const image = token.image.length > 40 ? token.image.slice(0, 40) + '…' : token.image;
  // A string's image has its own quotes.
  const quoted = token.tokenType === DoubleQuotedString || token.tokenType === SingleQuotedString || token.tokenType === UnterminatedString;
  return quoted ? `the string ${image}` : `"${image}"`;
}

// Messages a person can act on, instead of chevrotain's token-type names.
const messages: IParserErrorMessageProvider = {
  buildMismatchTokenMessage({ expected, actual }) {
    return `expected ${tokenSpelling[expected.name] ?? expected.name}, found ${describeFound(actual)}`;
  },
  buildNotAllInputParsedMessage({ firstRedundant }) {
    return `unexpected ${describeFound(firstRedundant)}; expected a field name`;
  },
  buildNoViableAltMessage({ actual, previous, ruleName }) {
    const found = describeFound(actual[0]);
    // `name:` then `}` or the end: the colon was read, so the value is what is missing.
    if (ruleName === 'field' && previous?.tokenType === Colon) return `expected a value after ":", found ${found}`;
    if (ruleName === 'field') return `expected ":" or "{" after the field name, found ${found}`;
    if (ruleName === 'value' || ruleName === 'scalar') return `expected a value, found ${found}`;
    return `unexpected ${found}`;
  },
  buildEarlyExitMessage({ actual }) {
    return `unexpected ${describeFound(actual[0])}`;
  },
};

export class PrototxtParser extends EmbeddedActionsParser {
  /** File name stamped on every location; set before each parse. */
  file = '<input>';
  /** Errors inside otherwise well-formed tokens (bad string escapes); cleared by reset(). */
  problems: Diagnostic[] = [];

  override reset(): void {
    super.reset();
    this.problems = [];
  }

  constructor() {
    super(allTokens, { errorMessageProvider: messages, recoveryEnabled: false, maxLookahead: 2 });
    this.performSelfAnalysis();
  }

  private loc(token: IToken): SourceLocation {
    return { file: this.file, line: token.startLine ?? 0, column: token.startColumn ?? 0, offset: token.startOffset };
  }

  /** The top level: fields until end of input. */
  public document = this.RULE('document', (): TextField[] => this.SUBRULE(this.fieldList));

  private fieldList = this.RULE('fieldList', (): TextField[] => {
    const fields: TextField[] = [];
    this.MANY(() => {
      fields.push(this.SUBRULE(this.field));
      this.OPTION(() => this.OR([{ ALT: () => this.CONSUME(Comma) }, { ALT: () => this.CONSUME(Semicolon) }]));
    });
    return fields;
  });

  private field = this.RULE('field', (): TextField => {
    const nameToken = this.CONSUME(Identifier);
    let list = false;
    let values: TextValue[] = [];
    let open: IToken | undefined;
    this.OR([
      {
        ALT: () => {
          this.CONSUME(Colon);
          this.OR2([
            {
              ALT: () => {
                values = this.SUBRULE(this.list);
                list = true;
              },
            },
            { ALT: () => (values = [this.SUBRULE(this.value)]) },
          ]);
        },
      },
      { ALT: () => (values = [this.SUBRULE(this.body)]) },
      {
        ALT: () => {
          open = this.LA(1);
          values = this.SUBRULE2(this.list);
          list = true;
        },
      },
    ]);
    const field: TextField = { name: nameToken.image, loc: this.loc(nameToken), list, values };
    if (open) field.listWithoutColon = this.loc(open);
    return field;
  });

  private body = this.RULE('body', (): TextMessage => {
    let fields: TextField[] = [];
    let open!: IToken;
    let close!: IToken;
    this.OR([
      {
        ALT: () => {
          open = this.CONSUME(LCurly);
          fields = this.SUBRULE(this.fieldList);
          close = this.CONSUME(RCurly);
        },
      },
      {
        ALT: () => {
          open = this.CONSUME(LAngle);
          fields = this.SUBRULE2(this.fieldList);
          close = this.CONSUME(RAngle);
        },
      },
    ]);
    return { kind: 'message', fields, loc: this.loc(open), end: this.loc(close) };
  });

  private list = this.RULE('list', (): TextValue[] => {
    const values: TextValue[] = [];
    this.CONSUME(LSquare);
    this.OPTION(() => {
      values.push(this.SUBRULE(this.value));
      this.MANY(() => {
        this.CONSUME(Comma);
        values.push(this.SUBRULE2(this.value));
      });
    });
    this.CONSUME(RSquare);
    return values;
  });

  private value = this.RULE('value', (): TextValue => {
    return this.OR([
      { ALT: () => this.SUBRULE(this.body) },
      { ALT: () => this.SUBRULE(this.strings) },
      { ALT: () => this.SUBRULE(this.scalar) },
    ]);
  });

  // Adjacent string literals concatenate, as in C: "ab" 'cd' == "abcd".
  private strings = this.RULE('strings', (): TextScalar => {
    const pieces: IToken[] = [];
    this.AT_LEAST_ONE(() =>
      pieces.push(
        this.OR([
          { ALT: () => this.CONSUME(DoubleQuotedString) },
          { ALT: () => this.CONSUME(SingleQuotedString) },
          { ALT: () => this.CONSUME(UnterminatedString) },
        ]),
      ),
    );
    return this.ACTION(() => {
      // Escapes make bytes; the bytes of all pieces together are decoded as UTF-8 ("\303" "\251" is é).
      const bytes: number[] = [];
      for (const piece of pieces) {
        const unescaped = unescapeCString(piece.image);
        for (const b of unescaped.bytes) bytes.push(b);
        if (unescaped.error) {
          const { message, offset } = unescaped.error;
          const at = { ...this.loc(piece), column: (piece.startColumn ?? 0) + offset, offset: piece.startOffset + offset };
          const hint = message.startsWith('invalid escape') ? 'write a backslash itself as \\\\' : undefined;
          this.problems.push(error(message, at, hint));
        }
      }
      const { text, valid } = decodeUtf8(bytes);
      const scalar: TextScalar = { kind: 'scalar', scalar: 'string', text, negative: false, loc: this.loc(pieces[0]) };
      if (!valid) scalar.invalidUtf8 = true;
      return scalar;
    });
  });

  private scalar = this.RULE('scalar', (): TextScalar => {
    let minus: IToken | undefined;
    this.OPTION(() => (minus = this.CONSUME(Minus)));
    const token = this.OR([{ ALT: () => this.CONSUME(NumberLiteral) }, { ALT: () => this.CONSUME(Identifier) }]);
    return {
      kind: 'scalar',
      scalar: token.tokenType === NumberLiteral ? 'number' : 'identifier',
      text: token.image,
      negative: minus !== undefined,
      loc: this.loc(minus ?? token),
    };
  });
}
