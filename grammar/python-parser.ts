// Parser for the Python subset (grammar; its actions build the tree of python-ast.ts). It follows
// CPython's grammar (Grammar/Grammar of 3.8, the last LL(1) one) for the statements and expressions net
// scripts use: imports, def (defaults, *args, **kwargs), class, if/elif/else, for, while, with, try,
// assignments (chained, tuple targets, augmented), lambda, comprehensions, conditional expressions,
// f-strings, and all of Python's operators with its precedence.
//
//   file      := (NEWLINE | stmt)* EOF
//   stmt      := compound | simple
//   simple    := small (';' small)* [';'] NEWLINE
//   suite     := simple | NEWLINE INDENT stmt+ DEDENT
//   test      := or_test ['if' or_test 'else' test] | lambda
//   …          or / and / not / comparison / | / ^ / & / shifts / + - / * / // % @ / unary / ** / trailers / atom
import type { IToken, TokenType, IRecognitionException } from 'chevrotain';
import { EmbeddedActionsParser } from './chevrotain.js';
import type { Argument, BinaryOp, CompareOp, DictEntry, Expr, FStringPart, Generator, Param, Pos, Stmt } from './python-ast.js';
import { layoutTokens, PythonLayoutError } from './python-layout.js';
import { decodeStringLiteral, StringLiteralError, type RawPart } from './python-strings.js';
import * as t from './python-tokens.js';

const { Kw } = t;

/** A syntax error in Python's words, at a 1-based line and column. */
export class PythonSyntaxError extends Error {
  constructor(
    readonly kind: 'SyntaxError' | 'IndentationError' | 'TabError',
    message: string,
    readonly line: number,
    readonly column: number,
  ) {
    super(message);
  }
}

function posOf(token: IToken): Pos {
  return { line: token.startLine ?? 1, column: token.startColumn ?? 1, offset: token.startOffset };
}

function syntaxError(message: string, at: Pos): never {
  throw new PythonSyntaxError('SyntaxError', message, at.line, at.column);
}

const AUGMENTED: Record<string, BinaryOp> = {
  '+=': '+',
  '-=': '-',
  '*=': '*',
  '/=': '/',
  '//=': '//',
  '%=': '%',
  '**=': '**',
  '&=': '&',
  '|=': '|',
  '^=': '^',
  '<<=': '<<',
  '>>=': '>>',
  '@=': '@',
};

/** What an assignment target may be; Python's wording for what it may not. */
function checkTarget(e: Expr, context: 'assign' | 'delete' | 'for' | 'with' | 'augmented'): void {
  const verb = context === 'delete' ? 'delete' : 'assign to';
  switch (e.kind) {
    case 'name':
    case 'attr':
    case 'subscript':
      return;
    case 'tuple':
    case 'list':
      if (context === 'augmented') syntaxError(`'${e.kind}' is an illegal expression for augmented assignment`, e.pos);
      for (const x of e.elts) checkTarget(x, context);
      return;
    case 'starred':
      if (context !== 'assign' && context !== 'for') syntaxError(`cannot ${verb} starred`, e.pos);
      checkTarget(e.value, context);
      return;
    case 'call':
      syntaxError(`cannot ${verb} function call${context === 'assign' ? " here. Maybe you meant '==' instead of '='?" : ''}`, e.pos);
    // eslint-disable-next-line no-fallthrough
    case 'int':
    case 'float':
    case 'str':
    case 'fstring':
      syntaxError(`cannot ${verb} literal${context === 'assign' ? " here. Maybe you meant '==' instead of '='?" : ''}`, e.pos);
    // eslint-disable-next-line no-fallthrough
    case 'const':
      syntaxError(
        e.value === 'None' || e.value === 'True' || e.value === 'False' ? `cannot ${verb} ${e.value}` : `cannot ${verb} ellipsis`,
        e.pos,
      );
    // eslint-disable-next-line no-fallthrough
    default:
      syntaxError(`cannot ${verb} ${describeExpr(e)}`, e.pos);
  }
}

function describeExpr(e: Expr): string {
  switch (e.kind) {
    case 'binop':
    case 'unary':
      return 'expression';
    case 'boolop':
      return 'expression';
    case 'compare':
      return 'comparison';
    case 'ifexp':
      return 'conditional expression';
    case 'lambda':
      return 'lambda';
    case 'comprehension':
      return e.shape === 'generator' ? 'generator expression' : `${e.shape} comprehension`;
    case 'dictcomp':
      return 'dict comprehension';
    case 'dict':
      return 'dict literal';
    case 'set':
      return 'set display';
    default:
      return 'expression';
  }
}

interface PendingFString {
  node: { parts: FStringPart[] };
  raw: RawPart[];
  /** Absolute offset of the token image. */
  base: number;
}

class PythonParser extends EmbeddedActionsParser {
  pendingFStrings: PendingFString[] = [];

  constructor() {
    super(t.allPythonTokens, { maxLookahead: 3, recoveryEnabled: false });
    this.performSelfAnalysis();
  }

  // ───── statements ─────

  fileInput = this.RULE('fileInput', (): Stmt[] => {
    const body: Stmt[] = [];
    this.MANY(() => {
      this.OR([
        { ALT: () => this.CONSUME(t.Newline) },
        {
          ALT: () => {
            const s = this.SUBRULE(this.statement);
            this.ACTION(() => body.push(...s));
          },
        },
      ]);
    });
    return body;
  });

  /** Used to parse an f-string field: one expression list and nothing else. */
  fieldExpression = this.RULE('fieldExpression', (): Expr => this.SUBRULE(this.testlistStarExpr));

  statement = this.RULE('statement', (): Stmt[] =>
    this.OR([{ ALT: () => [this.SUBRULE(this.compoundStatement)] }, { ALT: () => this.SUBRULE(this.simpleStatement) }]),
  );

  simpleStatement = this.RULE('simpleStatement', (): Stmt[] => {
    const out: Stmt[] = [];
    out.push(this.SUBRULE(this.smallStatement));
    this.MANY(() => {
      this.CONSUME(t.Semicolon);
      this.OPTION(() => out.push(this.SUBRULE2(this.smallStatement)));
    });
    this.CONSUME(t.Newline);
    return out;
  });

  smallStatement = this.RULE('smallStatement', (): Stmt =>
    this.OR([
      { ALT: () => this.keywordOnly(Kw.pass, 'pass') },
      { ALT: () => this.keywordOnly(Kw.break, 'break') },
      { ALT: () => this.keywordOnly(Kw.continue, 'continue') },
      { ALT: () => this.SUBRULE(this.returnStatement) },
      { ALT: () => this.SUBRULE(this.importStatement) },
      { ALT: () => this.SUBRULE(this.fromStatement) },
      { ALT: () => this.SUBRULE(this.globalStatement) },
      { ALT: () => this.SUBRULE(this.delStatement) },
      { ALT: () => this.SUBRULE(this.assertStatement) },
      { ALT: () => this.SUBRULE(this.raiseStatement) },
      { ALT: () => this.SUBRULE(this.unsupportedStatement) },
      { ALT: () => this.SUBRULE(this.expressionStatement) },
    ]),
  );

  private keywordOnly(type: TokenType, kind: 'pass' | 'break' | 'continue'): Stmt {
    const token = this.CONSUME(type);
    return this.ACTION(() => ({ kind, pos: posOf(token) }));
  }

  returnStatement = this.RULE('returnStatement', (): Stmt => {
    const token = this.CONSUME(Kw.return);
    const value = this.OPTION(() => this.SUBRULE(this.testlistStarExpr));
    return this.ACTION(() => ({ kind: 'return' as const, value, pos: posOf(token) }));
  });

  dottedName = this.RULE('dottedName', (): string => {
    const parts: string[] = [];
    parts.push(this.CONSUME(t.Name).image);
    this.MANY(() => {
      this.CONSUME(t.Dot);
      parts.push(this.CONSUME2(t.Name).image);
    });
    return parts.join('.');
  });

  importStatement = this.RULE('importStatement', (): Stmt => {
    const token = this.CONSUME(Kw.import);
    const names: { module: string; asName?: string; pos: Pos }[] = [];
    this.AT_LEAST_ONE_SEP({
      SEP: t.Comma,
      DEF: () => {
        const first = this.LA(1);
        const module = this.SUBRULE(this.dottedName);
        const asName = this.OPTION(() => {
          this.CONSUME(Kw.as);
          return this.CONSUME(t.Name).image;
        });
        this.ACTION(() => names.push({ module, asName, pos: posOf(first) }));
      },
    });
    return this.ACTION(() => ({ kind: 'import' as const, names, pos: posOf(token) }));
  });

  fromStatement = this.RULE('fromStatement', (): Stmt => {
    const token = this.CONSUME(Kw.from);
    let dots = 0;
    this.MANY(() => {
      this.OR([{ ALT: () => this.CONSUME(t.Dot) }, { ALT: () => this.CONSUME(t.Ellipsis) }]);
      dots++;
    });
    const module = this.OPTION(() => this.SUBRULE(this.dottedName)) ?? '';
    this.CONSUME(Kw.import);
    const names: { name: string; asName?: string; pos: Pos }[] = [];
    let star = false;
    this.OR2([
      {
        ALT: () => {
          this.CONSUME(t.Star);
          star = true;
        },
      },
      {
        ALT: () => {
          this.CONSUME(t.LParen);
          this.SUBRULE(this.importAsNames, { ARGS: [names] });
          this.CONSUME(t.RParen);
        },
      },
      { ALT: () => this.SUBRULE2(this.importAsNames, { ARGS: [names] }) },
    ]);
    return this.ACTION(() => {
      if (dots > 0) syntaxError('relative imports are not supported: a net script is run on its own', posOf(token));
      return { kind: 'from' as const, module, names, star, pos: posOf(token) };
    });
  });

  importAsNames = this.RULE('importAsNames', (names: { name: string; asName?: string; pos: Pos }[]) => {
    const first = this.SUBRULE(this.importAsName);
    this.ACTION(() => names.push(first));
    this.MANY(() => {
      this.CONSUME(t.Comma);
      this.OPTION(() => {
        const next = this.SUBRULE2(this.importAsName);
        this.ACTION(() => names.push(next));
      });
    });
  });

  importAsName = this.RULE('importAsName', () => {
    const name = this.CONSUME(t.Name);
    const asName = this.OPTION(() => {
      this.CONSUME(Kw.as);
      return this.CONSUME2(t.Name).image;
    });
    return this.ACTION(() => ({ name: name.image, asName, pos: posOf(name) }));
  });

  globalStatement = this.RULE('globalStatement', (): Stmt => {
    const token = this.OR([{ ALT: () => this.CONSUME(Kw.global) }, { ALT: () => this.CONSUME(Kw.nonlocal) }]);
    const names: string[] = [];
    this.AT_LEAST_ONE_SEP({ SEP: t.Comma, DEF: () => names.push(this.CONSUME(t.Name).image) });
    return this.ACTION(() => ({ kind: token.image as 'global' | 'nonlocal', names, pos: posOf(token) }));
  });

  delStatement = this.RULE('delStatement', (): Stmt => {
    const token = this.CONSUME(Kw.del);
    const target = this.SUBRULE(this.exprList);
    return this.ACTION(() => {
      const targets = target.kind === 'tuple' ? target.elts : [target];
      for (const x of targets) checkTarget(x, 'delete');
      return { kind: 'del' as const, targets, pos: posOf(token) };
    });
  });

  assertStatement = this.RULE('assertStatement', (): Stmt => {
    const token = this.CONSUME(Kw.assert);
    const test = this.SUBRULE(this.test);
    const msg = this.OPTION(() => {
      this.CONSUME(t.Comma);
      return this.SUBRULE2(this.test);
    });
    return this.ACTION(() => ({ kind: 'assert' as const, test, msg, pos: posOf(token) }));
  });

  raiseStatement = this.RULE('raiseStatement', (): Stmt => {
    const token = this.CONSUME(Kw.raise);
    const exc = this.OPTION(() => {
      const e = this.SUBRULE(this.test);
      this.OPTION2(() => {
        this.CONSUME(Kw.from);
        this.SUBRULE2(this.test);
      });
      return e;
    });
    return this.ACTION(() => ({ kind: 'raise' as const, exc, pos: posOf(token) }));
  });

  /** Keywords of features brewnet leaves out, with a message better than "invalid syntax". */
  unsupportedStatement = this.RULE('unsupportedStatement', (): Stmt => {
    const token = this.OR([
      { ALT: () => this.CONSUME(Kw.yield) },
      { ALT: () => this.CONSUME(Kw.async) },
      { ALT: () => this.CONSUME(Kw.await) },
      { ALT: () => this.CONSUME(t.At) },
    ]);
    return this.ACTION(() => {
      const what = token.image === '@' ? 'decorators are' : token.image === 'yield' ? 'generators (yield) are' : 'async code is';
      return syntaxError(`${what} not supported in brewnet's Python subset`, posOf(token));
    });
  });

  expressionStatement = this.RULE('expressionStatement', (): Stmt => {
    const first = this.SUBRULE(this.testlistStarExpr);
    return this.OR([
      {
        ALT: () => {
          const op = this.OR2(t.AUGMENTED_ASSIGN.map((type) => ({ ALT: () => this.CONSUME(type) })));
          const value = this.SUBRULE2(this.testlistStarExpr);
          return this.ACTION(() => {
            checkTarget(first, 'augmented');
            return { kind: 'augassign' as const, target: first, op: AUGMENTED[op.image], value, pos: first.pos };
          });
        },
      },
      {
        ALT: () => {
          const chain: Expr[] = [first];
          this.AT_LEAST_ONE(() => {
            this.CONSUME(t.Equals);
            chain.push(this.SUBRULE3(this.testlistStarExpr));
          });
          return this.ACTION(() => {
            const targets = chain.slice(0, -1);
            for (const target of targets) checkTarget(target, 'assign');
            return { kind: 'assign' as const, targets, value: chain[chain.length - 1], pos: first.pos };
          });
        },
      },
      {
        ALT: () => {
          const annotation = this.CONSUME(t.Colon);
          return this.ACTION(() => syntaxError('variable annotations are not supported', posOf(annotation)));
        },
      },
      { ALT: () => this.ACTION(() => ({ kind: 'expr' as const, value: first, pos: first.pos })) },
    ]);
  });

  compoundStatement = this.RULE('compoundStatement', (): Stmt =>
    this.OR([
      { ALT: () => this.SUBRULE(this.ifStatement) },
      { ALT: () => this.SUBRULE(this.whileStatement) },
      { ALT: () => this.SUBRULE(this.forStatement) },
      { ALT: () => this.SUBRULE(this.tryStatement) },
      { ALT: () => this.SUBRULE(this.withStatement) },
      { ALT: () => this.SUBRULE(this.defStatement) },
      { ALT: () => this.SUBRULE(this.classStatement) },
    ]),
  );

  suite = this.RULE('suite', (): Stmt[] =>
    this.OR([
      {
        ALT: () => {
          this.CONSUME(t.Newline);
          this.CONSUME(t.Indent);
          const body: Stmt[] = [];
          this.AT_LEAST_ONE(() => {
            const s = this.SUBRULE(this.statement);
            this.ACTION(() => body.push(...s));
          });
          this.CONSUME(t.Dedent);
          return body;
        },
      },
      { ALT: () => this.SUBRULE(this.simpleStatement) },
    ]),
  );

  ifStatement = this.RULE('ifStatement', (): Stmt => {
    const token = this.CONSUME(Kw.if);
    const test = this.SUBRULE(this.test);
    this.CONSUME(t.Colon);
    const body = this.SUBRULE(this.suite);
    const elifs: { test: Expr; body: Stmt[]; pos: Pos }[] = [];
    this.MANY(() => {
      const elif = this.CONSUME(Kw.elif);
      const elifTest = this.SUBRULE2(this.test);
      this.CONSUME2(t.Colon);
      const elifBody = this.SUBRULE2(this.suite);
      this.ACTION(() => elifs.push({ test: elifTest, body: elifBody, pos: posOf(elif) }));
    });
    const orelse = this.OPTION(() => {
      this.CONSUME(Kw.else);
      this.CONSUME3(t.Colon);
      return this.SUBRULE3(this.suite);
    });
    return this.ACTION(() => {
      // elif chains become nested ifs in the else branch, as in Python's own tree.
      let tail: Stmt[] = orelse ?? [];
      for (let i = elifs.length - 1; i >= 0; i--)
        tail = [{ kind: 'if', test: elifs[i].test, body: elifs[i].body, orelse: tail, pos: elifs[i].pos }];
      return { kind: 'if' as const, test, body, orelse: tail, pos: posOf(token) };
    });
  });

  whileStatement = this.RULE('whileStatement', (): Stmt => {
    const token = this.CONSUME(Kw.while);
    const test = this.SUBRULE(this.test);
    this.CONSUME(t.Colon);
    const body = this.SUBRULE(this.suite);
    const orelse = this.OPTION(() => {
      this.CONSUME(Kw.else);
      this.CONSUME2(t.Colon);
      return this.SUBRULE2(this.suite);
    });
    return this.ACTION(() => ({ kind: 'while' as const, test, body, orelse: orelse ?? [], pos: posOf(token) }));
  });

  forStatement = this.RULE('forStatement', (): Stmt => {
    const token = this.CONSUME(Kw.for);
    const target = this.SUBRULE(this.exprList);
    this.CONSUME(Kw.in);
    const iter = this.SUBRULE(this.testlistStarExpr);
    this.CONSUME(t.Colon);
    const body = this.SUBRULE(this.suite);
    const orelse = this.OPTION(() => {
      this.CONSUME(Kw.else);
      this.CONSUME2(t.Colon);
      return this.SUBRULE2(this.suite);
    });
    return this.ACTION(() => {
      checkTarget(target, 'for');
      return { kind: 'for' as const, target, iter, body, orelse: orelse ?? [], pos: posOf(token) };
    });
  });

  tryStatement = this.RULE('tryStatement', (): Stmt => {
    const token = this.CONSUME(Kw.try);
    this.CONSUME(t.Colon);
    const body = this.SUBRULE(this.suite);
    const handlers: { type?: Expr; name?: string; body: Stmt[]; pos: Pos }[] = [];
    let orelse: Stmt[] = [];
    let finalbody: Stmt[] = [];
    this.MANY(() => {
      const except = this.CONSUME(Kw.except);
      const clause = this.OPTION(() => {
        const type = this.SUBRULE(this.test);
        const name = this.OPTION2(() => {
          this.CONSUME(Kw.as);
          return this.CONSUME(t.Name).image;
        });
        return { type, name };
      });
      this.CONSUME2(t.Colon);
      const handlerBody = this.SUBRULE2(this.suite);
      this.ACTION(() => handlers.push({ type: clause?.type, name: clause?.name, body: handlerBody, pos: posOf(except) }));
    });
    this.OPTION3(() => {
      this.CONSUME(Kw.else);
      this.CONSUME3(t.Colon);
      orelse = this.SUBRULE3(this.suite);
    });
    this.OPTION4(() => {
      this.CONSUME(Kw.finally);
      this.CONSUME4(t.Colon);
      finalbody = this.SUBRULE4(this.suite);
    });
    return this.ACTION(() => {
      if (handlers.length === 0 && finalbody.length === 0) syntaxError("expected 'except' or 'finally' block", posOf(token));
      return { kind: 'try' as const, body, handlers, orelse, finalbody, pos: posOf(token) };
    });
  });

  withStatement = this.RULE('withStatement', (): Stmt => {
    const token = this.CONSUME(Kw.with);
    const items: { context: Expr; target?: Expr }[] = [];
    this.AT_LEAST_ONE_SEP({
      SEP: t.Comma,
      DEF: () => {
        const context = this.SUBRULE(this.test);
        const target = this.OPTION(() => {
          this.CONSUME(Kw.as);
          return this.SUBRULE(this.expr);
        });
        this.ACTION(() => {
          if (target) checkTarget(target, 'with');
          items.push({ context, target });
        });
      },
    });
    this.CONSUME(t.Colon);
    const body = this.SUBRULE(this.suite);
    return this.ACTION(() => ({ kind: 'with' as const, items, body, pos: posOf(token) }));
  });

  defStatement = this.RULE('defStatement', (): Stmt => {
    const token = this.CONSUME(Kw.def);
    const name = this.CONSUME(t.Name);
    this.CONSUME(t.LParen);
    const params = this.OPTION(() => this.SUBRULE(this.parameterList, { ARGS: [true] })) ?? [];
    this.CONSUME(t.RParen);
    this.OPTION2(() => {
      this.CONSUME(t.Arrow);
      this.SUBRULE(this.test);
    });
    this.CONSUME(t.Colon);
    const body = this.SUBRULE(this.suite);
    return this.ACTION(() => ({ kind: 'def' as const, name: name.image, params, body, pos: posOf(token) }));
  });

  /** Parameters of a def (annotations allowed and ignored) or of a lambda (none). */
  parameterList = this.RULE('parameterList', (annotated: boolean): Param[] => {
    const params: Param[] = [];
    params.push(this.SUBRULE(this.parameter, { ARGS: [annotated] }));
    this.MANY(() => {
      this.CONSUME(t.Comma);
      this.OPTION(() => params.push(this.SUBRULE2(this.parameter, { ARGS: [annotated] })));
    });
    this.ACTION(() => checkParameters(params));
    return params;
  });

  parameter = this.RULE('parameter', (annotated: boolean): Param =>
    this.OR([
      {
        ALT: () => {
          const star = this.CONSUME(t.Star);
          const name = this.OPTION(() => this.CONSUME(t.Name));
          return this.ACTION(() => {
            if (!name) syntaxError('keyword-only parameters (a bare *) are not supported', posOf(star));
            return { kind: 'star' as const, name: name.image, pos: posOf(star) };
          });
        },
      },
      {
        ALT: () => {
          const star = this.CONSUME(t.DoubleStar);
          const name = this.CONSUME2(t.Name);
          return this.ACTION(() => ({ kind: 'doublestar' as const, name: name.image, pos: posOf(star) }));
        },
      },
      {
        ALT: () => {
          const name = this.CONSUME3(t.Name);
          this.OPTION2({
            GATE: () => annotated,
            DEF: () => {
              this.CONSUME(t.Colon);
              this.SUBRULE(this.test);
            },
          });
          const value = this.OPTION3(() => {
            this.CONSUME(t.Equals);
            return this.SUBRULE2(this.test);
          });
          return this.ACTION(() => ({ kind: 'plain' as const, name: name.image, default: value, pos: posOf(name) }));
        },
      },
    ]),
  );

  classStatement = this.RULE('classStatement', (): Stmt => {
    const token = this.CONSUME(Kw.class);
    const name = this.CONSUME(t.Name);
    const bases =
      this.OPTION(() => {
        this.CONSUME(t.LParen);
        const args = this.OPTION2(() => this.SUBRULE(this.argumentList)) ?? [];
        this.CONSUME(t.RParen);
        return args;
      }) ?? [];
    this.CONSUME(t.Colon);
    const body = this.SUBRULE(this.suite);
    return this.ACTION(() => {
      for (const b of bases) if (b.kind !== 'positional') syntaxError('class keywords (metaclass=…) are not supported', b.pos);
      return { kind: 'class' as const, name: name.image, bases: bases.map((b) => b.value), body, pos: posOf(token) };
    });
  });

  // ───── expressions ─────

  /** `a`, or `a, b, …` as a tuple (a trailing comma makes a tuple too). */
  testlistStarExpr = this.RULE('testlistStarExpr', (): Expr => {
    const items: Expr[] = [];
    let commas = 0;
    items.push(this.SUBRULE(this.testOrStar));
    this.MANY(() => {
      const comma = this.CONSUME(t.Comma);
      commas++;
      this.OPTION(() => {
        this.ACTION(() => {
          if (commas > items.length) syntaxError('invalid syntax', posOf(comma));
        });
        items.push(this.SUBRULE2(this.testOrStar));
      });
    });
    return this.ACTION(() => (commas === 0 ? items[0] : { kind: 'tuple' as const, elts: items, pos: items[0].pos }));
  });

  testOrStar = this.RULE('testOrStar', (): Expr =>
    this.OR([
      {
        ALT: () => {
          const star = this.CONSUME(t.Star);
          const value = this.SUBRULE(this.expr);
          return this.ACTION(() => ({ kind: 'starred' as const, value, pos: posOf(star) }));
        },
      },
      { ALT: () => this.SUBRULE(this.test) },
    ]),
  );

  /** Targets of `for` and `del`: expressions without comparisons, so `in` ends them. */
  exprList = this.RULE('exprList', (): Expr => {
    const items: Expr[] = [];
    let commas = 0;
    items.push(this.SUBRULE(this.exprOrStar));
    this.MANY(() => {
      this.CONSUME(t.Comma);
      commas++;
      this.OPTION(() => items.push(this.SUBRULE2(this.exprOrStar)));
    });
    return this.ACTION(() => (commas === 0 ? items[0] : { kind: 'tuple' as const, elts: items, pos: items[0].pos }));
  });

  exprOrStar = this.RULE('exprOrStar', (): Expr =>
    this.OR([
      {
        ALT: () => {
          const star = this.CONSUME(t.Star);
          const value = this.SUBRULE(this.expr);
          return this.ACTION(() => ({ kind: 'starred' as const, value, pos: posOf(star) }));
        },
      },
      { ALT: () => this.SUBRULE2(this.expr) },
    ]),
  );

  test = this.RULE('test', (): Expr =>
    this.OR([
      { ALT: () => this.SUBRULE(this.lambda) },
      {
        ALT: () => {
          const body = this.SUBRULE(this.orTest);
          const conditional = this.OPTION(() => {
            this.CONSUME(Kw.if);
            const test = this.SUBRULE2(this.orTest);
            this.CONSUME(Kw.else);
            const orelse = this.SUBRULE(this.test);
            return { test, orelse };
          });
          return this.ACTION(() =>
            conditional ? { kind: 'ifexp' as const, test: conditional.test, body, orelse: conditional.orelse, pos: body.pos } : body,
          );
        },
      },
    ]),
  );

  lambda = this.RULE('lambda', (): Expr => {
    const token = this.CONSUME(Kw.lambda);
    const params = this.OPTION(() => this.SUBRULE(this.parameterList, { ARGS: [false] })) ?? [];
    this.CONSUME(t.Colon);
    const body = this.SUBRULE(this.test);
    return this.ACTION(() => ({ kind: 'lambda' as const, params, body, pos: posOf(token) }));
  });

  orTest = this.RULE('orTest', (): Expr =>
    this.boolChain(
      Kw.or,
      'or',
      () => this.SUBRULE(this.andTest),
      () => this.SUBRULE2(this.andTest),
    ),
  );

  andTest = this.RULE('andTest', (): Expr =>
    this.boolChain(
      Kw.and,
      'and',
      () => this.SUBRULE(this.notTest),
      () => this.SUBRULE2(this.notTest),
    ),
  );

  private boolChain(type: TokenType, op: 'and' | 'or', first: () => Expr, next: () => Expr): Expr {
    const values: Expr[] = [first()];
    this.MANY(() => {
      this.CONSUME(type);
      values.push(next());
    });
    return this.ACTION(() => (values.length === 1 ? values[0] : { kind: 'boolop' as const, op, values, pos: values[0].pos }));
  }

  notTest = this.RULE('notTest', (): Expr =>
    this.OR([
      {
        ALT: () => {
          const token = this.CONSUME(Kw.not);
          const operand = this.SUBRULE(this.notTest);
          return this.ACTION(() => ({ kind: 'unary' as const, op: 'not' as const, operand, pos: posOf(token) }));
        },
      },
      { ALT: () => this.SUBRULE(this.comparison) },
    ]),
  );

  comparison = this.RULE('comparison', (): Expr => {
    const left = this.SUBRULE(this.expr);
    const ops: CompareOp[] = [];
    const comparators: Expr[] = [];
    this.MANY(() => {
      ops.push(this.SUBRULE(this.compareOp));
      comparators.push(this.SUBRULE2(this.expr));
    });
    return this.ACTION(() => (ops.length === 0 ? left : { kind: 'compare' as const, left, ops, comparators, pos: left.pos }));
  });

  compareOp = this.RULE('compareOp', (): CompareOp =>
    this.OR([
      { ALT: () => (this.CONSUME(t.Less), '<' as const) },
      { ALT: () => (this.CONSUME(t.Greater), '>' as const) },
      { ALT: () => (this.CONSUME(t.EqEq), '==' as const) },
      { ALT: () => (this.CONSUME(t.GreaterEq), '>=' as const) },
      { ALT: () => (this.CONSUME(t.LessEq), '<=' as const) },
      { ALT: () => (this.CONSUME(t.NotEq), '!=' as const) },
      { ALT: () => (this.CONSUME(Kw.in), 'in' as const) },
      { ALT: () => (this.CONSUME(Kw.not), this.CONSUME2(Kw.in), 'not in' as const) },
      { ALT: () => (this.CONSUME(Kw.is), this.CONSUME2(Kw.not), 'is not' as const) },
      { ALT: () => (this.CONSUME2(Kw.is), 'is' as const) },
    ]),
  );

  /** Binary operators from `|` down to `* / // % @`, each level a left-associative chain. */
  expr = this.RULE('expr', (): Expr =>
    this.binaryChain(
      [t.Pipe],
      () => this.SUBRULE(this.xorExpr),
      () => this.SUBRULE2(this.xorExpr),
    ),
  );
  xorExpr = this.RULE('xorExpr', (): Expr =>
    this.binaryChain(
      [t.Caret],
      () => this.SUBRULE(this.andExpr),
      () => this.SUBRULE2(this.andExpr),
    ),
  );
  andExpr = this.RULE('andExpr', (): Expr =>
    this.binaryChain(
      [t.Amp],
      () => this.SUBRULE(this.shiftExpr),
      () => this.SUBRULE2(this.shiftExpr),
    ),
  );
  shiftExpr = this.RULE('shiftExpr', (): Expr =>
    this.binaryChain(
      [t.ShiftLeft, t.ShiftRight],
      () => this.SUBRULE(this.arithExpr),
      () => this.SUBRULE2(this.arithExpr),
    ),
  );
  arithExpr = this.RULE('arithExpr', (): Expr =>
    this.binaryChain(
      [t.Plus, t.Minus],
      () => this.SUBRULE(this.term),
      () => this.SUBRULE2(this.term),
    ),
  );
  term = this.RULE('term', (): Expr =>
    this.binaryChain(
      [t.Star, t.Slash, t.DoubleSlash, t.Percent, t.At],
      () => this.SUBRULE(this.factor),
      () => this.SUBRULE2(this.factor),
    ),
  );

  private binaryChain(ops: TokenType[], first: () => Expr, next: () => Expr): Expr {
    let left = first();
    this.MANY(() => {
      const op = this.OR(ops.map((type) => ({ ALT: () => this.CONSUME(type) })));
      const right = next();
      this.ACTION(() => {
        left = { kind: 'binop', op: op.image as BinaryOp, left, right, pos: left.pos };
      });
    });
    return left;
  }

  factor = this.RULE('factor', (): Expr =>
    this.OR([
      {
        ALT: () => {
          const op = this.OR2([
            { ALT: () => this.CONSUME(t.Plus) },
            { ALT: () => this.CONSUME(t.Minus) },
            { ALT: () => this.CONSUME(t.Tilde) },
          ]);
          const operand = this.SUBRULE(this.factor);
          return this.ACTION(() => ({ kind: 'unary' as const, op: op.image as '+' | '-' | '~', operand, pos: posOf(op) }));
        },
      },
      { ALT: () => this.SUBRULE(this.power) },
    ]),
  );

  power = this.RULE('power', (): Expr => {
    const base = this.SUBRULE(this.atomExpr);
    const exponent = this.OPTION(() => {
      this.CONSUME(t.DoubleStar);
      return this.SUBRULE(this.factor);
    });
    return this.ACTION(() => (exponent ? { kind: 'binop' as const, op: '**' as const, left: base, right: exponent, pos: base.pos } : base));
  });

  atomExpr = this.RULE('atomExpr', (): Expr => {
    let value = this.SUBRULE(this.atom);
    this.MANY(() => {
      this.OR([
        {
          ALT: () => {
            this.CONSUME(t.LParen);
            const args = this.OPTION(() => this.SUBRULE(this.argumentList)) ?? [];
            this.CONSUME(t.RParen);
            this.ACTION(() => {
              // Calls, subscripts and attributes are located where their whole expression starts.
              value = { kind: 'call', func: value, args, pos: value.pos };
            });
          },
        },
        {
          ALT: () => {
            this.CONSUME(t.LSquare);
            const index = this.SUBRULE(this.subscriptList);
            this.CONSUME(t.RSquare);
            this.ACTION(() => {
              value = { kind: 'subscript', value, index, pos: value.pos };
            });
          },
        },
        {
          ALT: () => {
            this.CONSUME(t.Dot);
            const name = this.CONSUME(t.Name);
            this.ACTION(() => {
              value = { kind: 'attr', value, attr: name.image, pos: value.pos, attrPos: posOf(name) };
            });
          },
        },
      ]);
    });
    return value;
  });

  argumentList = this.RULE('argumentList', (): Argument[] => {
    const args: Argument[] = [];
    args.push(this.SUBRULE(this.argument));
    this.MANY(() => {
      this.CONSUME(t.Comma);
      this.OPTION(() => args.push(this.SUBRULE2(this.argument)));
    });
    this.ACTION(() => checkArguments(args));
    return args;
  });

  argument = this.RULE('argument', (): Argument =>
    this.OR([
      {
        ALT: () => {
          const star = this.CONSUME(t.Star);
          const value = this.SUBRULE(this.test);
          return this.ACTION(() => ({ kind: 'star' as const, value, pos: posOf(star) }));
        },
      },
      {
        ALT: () => {
          const star = this.CONSUME(t.DoubleStar);
          const value = this.SUBRULE2(this.test);
          return this.ACTION(() => ({ kind: 'doublestar' as const, value, pos: posOf(star) }));
        },
      },
      {
        GATE: () => this.LA(2).tokenType === t.Equals,
        ALT: () => {
          const name = this.CONSUME(t.Name);
          this.CONSUME(t.Equals);
          const value = this.SUBRULE3(this.test);
          return this.ACTION(() => ({ kind: 'keyword' as const, name: name.image, value, pos: posOf(name) }));
        },
      },
      {
        ALT: () => {
          const value = this.SUBRULE4(this.test);
          const generators = this.OPTION(() => this.SUBRULE(this.compFor));
          return this.ACTION(() => ({
            kind: 'positional' as const,
            value: generators
              ? { kind: 'comprehension' as const, shape: 'generator' as const, elt: value, generators, pos: value.pos }
              : value,
            pos: value.pos,
          }));
        },
      },
    ]),
  );

  subscriptList = this.RULE('subscriptList', (): Expr => {
    const items: Expr[] = [];
    let commas = 0;
    items.push(this.SUBRULE(this.subscript));
    this.MANY(() => {
      this.CONSUME(t.Comma);
      commas++;
      this.OPTION(() => items.push(this.SUBRULE2(this.subscript)));
    });
    return this.ACTION(() => (commas === 0 ? items[0] : { kind: 'tuple' as const, elts: items, pos: items[0].pos }));
  });

  subscript = this.RULE('subscript', (): Expr =>
    this.OR([
      {
        ALT: () => {
          const colon = this.LA(1);
          return this.SUBRULE(this.sliceRest, { ARGS: [undefined, colon] });
        },
      },
      {
        ALT: () => {
          const lower = this.SUBRULE(this.test);
          const slice = this.OPTION(() => this.SUBRULE2(this.sliceRest, { ARGS: [lower, undefined] }));
          return slice ?? lower;
        },
      },
    ]),
  );

  sliceRest = this.RULE('sliceRest', (lower: Expr | undefined, start: IToken | undefined): Expr => {
    this.CONSUME(t.Colon);
    const upper = this.OPTION(() => this.SUBRULE(this.test));
    const step = this.OPTION2(() => {
      this.CONSUME2(t.Colon);
      return this.OPTION3(() => this.SUBRULE2(this.test));
    });
    return this.ACTION(() => ({ kind: 'slice' as const, lower, upper, step, pos: lower?.pos ?? posOf(start!) }));
  });

  compFor = this.RULE('compFor', (): Generator[] => {
    const generators: Generator[] = [];
    this.AT_LEAST_ONE(() => {
      this.CONSUME(Kw.for);
      const target = this.SUBRULE(this.exprList);
      this.CONSUME(Kw.in);
      const iter = this.SUBRULE(this.orTest);
      const ifs: Expr[] = [];
      this.MANY(() => {
        this.CONSUME(Kw.if);
        ifs.push(this.SUBRULE2(this.orTest));
      });
      this.ACTION(() => {
        checkTarget(target, 'for');
        generators.push({ target, iter, ifs });
      });
    });
    return generators;
  });

  atom = this.RULE('atom', (): Expr =>
    this.OR([
      { ALT: () => this.SUBRULE(this.parenthesised) },
      { ALT: () => this.SUBRULE(this.listDisplay) },
      { ALT: () => this.SUBRULE(this.dictOrSet) },
      {
        ALT: () => {
          const name = this.CONSUME(t.Name);
          return this.ACTION(() => ({ kind: 'name' as const, id: name.image, pos: posOf(name) }));
        },
      },
      {
        ALT: () => {
          const number = this.CONSUME(t.NumberLiteral);
          return this.ACTION(() => numberLiteral(number));
        },
      },
      { ALT: () => this.SUBRULE(this.strings) },
      { ALT: () => this.constant(Kw.None, 'None') },
      { ALT: () => this.constant(Kw.True, 'True') },
      { ALT: () => this.constant(Kw.False, 'False') },
      { ALT: () => this.constant(t.Ellipsis, 'Ellipsis') },
    ]),
  );

  private constant(type: TokenType, value: 'None' | 'True' | 'False' | 'Ellipsis'): Expr {
    const token = this.CONSUME(type);
    return this.ACTION(() => ({ kind: 'const' as const, value, pos: posOf(token) }));
  }

  parenthesised = this.RULE('parenthesised', (): Expr => {
    const open = this.CONSUME(t.LParen);
    const inner = this.OPTION(() => this.SUBRULE(this.testlistComp, { ARGS: ['generator'] }));
    this.CONSUME(t.RParen);
    return this.ACTION(() => inner ?? { kind: 'tuple' as const, elts: [], pos: posOf(open) });
  });

  listDisplay = this.RULE('listDisplay', (): Expr => {
    const open = this.CONSUME(t.LSquare);
    const inner = this.OPTION(() => this.SUBRULE(this.testlistComp, { ARGS: ['list'] }));
    this.CONSUME(t.RSquare);
    return this.ACTION((): Expr => {
      if (!inner) return { kind: 'list', elts: [], pos: posOf(open) };
      if (inner.kind === 'comprehension') return { ...inner, pos: posOf(open) };
      return { kind: 'list', elts: inner.kind === 'tuple' ? inner.elts : [inner], pos: posOf(open) };
    });
  });

  /**
   * The inside of `( … )` or `[ … ]`: one expression (parenthesised), a comma list (a tuple, or the
   * list's items), or a comprehension.
   */
  testlistComp = this.RULE('testlistComp', (shape: 'generator' | 'list'): Expr => {
    const first = this.SUBRULE(this.testOrStar);
    return this.OR([
      {
        ALT: () => {
          const generators = this.SUBRULE(this.compFor);
          return this.ACTION(() => ({ kind: 'comprehension' as const, shape, elt: first, generators, pos: first.pos }));
        },
      },
      {
        ALT: () => {
          const items: Expr[] = [first];
          let commas = 0;
          this.MANY(() => {
            this.CONSUME(t.Comma);
            commas++;
            this.OPTION(() => items.push(this.SUBRULE2(this.testOrStar)));
          });
          return this.ACTION((): Expr => {
            // Inside [ ] the items always travel as a tuple node, so `[(a, b)]` stays one item.
            if (commas === 0 && shape === 'generator') return first;
            return { kind: 'tuple', elts: items, pos: first.pos };
          });
        },
      },
    ]);
  });

  dictOrSet = this.RULE('dictOrSet', (): Expr => {
    const open = this.CONSUME(t.LCurly);
    const result = this.OPTION(() =>
      this.OR([
        {
          ALT: () => {
            this.CONSUME(t.DoubleStar);
            const spread = this.SUBRULE(this.expr);
            const entries: DictEntry[] = [];
            this.ACTION(() => entries.push({ spread }));
            this.SUBRULE(this.dictRest, { ARGS: [entries] });
            return this.ACTION((): Expr => ({ kind: 'dict', entries, pos: posOf(open) }));
          },
        },
        {
          ALT: () => {
            const first = this.SUBRULE(this.test);
            return this.OR2([
              {
                ALT: () => {
                  this.CONSUME(t.Colon);
                  const value = this.SUBRULE2(this.test);
                  return this.OR3([
                    {
                      ALT: () => {
                        const generators = this.SUBRULE(this.compFor);
                        return this.ACTION((): Expr => ({ kind: 'dictcomp', key: first, value, generators, pos: posOf(open) }));
                      },
                    },
                    {
                      ALT: () => {
                        const entries: DictEntry[] = [];
                        this.ACTION(() => entries.push({ key: first, value }));
                        this.SUBRULE2(this.dictRest, { ARGS: [entries] });
                        return this.ACTION((): Expr => ({ kind: 'dict', entries, pos: posOf(open) }));
                      },
                    },
                  ]);
                },
              },
              {
                ALT: () => {
                  const generators = this.SUBRULE2(this.compFor);
                  return this.ACTION((): Expr => ({ kind: 'comprehension', shape: 'set', elt: first, generators, pos: posOf(open) }));
                },
              },
              {
                ALT: () => {
                  const elts: Expr[] = [first];
                  this.MANY(() => {
                    this.CONSUME(t.Comma);
                    this.OPTION2(() => elts.push(this.SUBRULE3(this.test)));
                  });
                  return this.ACTION((): Expr => ({ kind: 'set', elts, pos: posOf(open) }));
                },
              },
            ]);
          },
        },
      ]),
    );
    this.CONSUME(t.RCurly);
    return this.ACTION(() => result ?? { kind: 'dict' as const, entries: [], pos: posOf(open) });
  });

  dictRest = this.RULE('dictRest', (entries: DictEntry[]) => {
    this.MANY(() => {
      this.CONSUME(t.Comma);
      this.OPTION(() =>
        this.OR([
          {
            ALT: () => {
              this.CONSUME(t.DoubleStar);
              const spread = this.SUBRULE(this.expr);
              this.ACTION(() => entries.push({ spread }));
            },
          },
          {
            ALT: () => {
              const key = this.SUBRULE(this.test);
              this.CONSUME(t.Colon);
              const value = this.SUBRULE2(this.test);
              this.ACTION(() => entries.push({ key, value }));
            },
          },
        ]),
      );
    });
  });

  /** Adjacent string literals join; an f-string among them makes the whole an f-string. */
  strings = this.RULE('strings', (): Expr => {
    const tokens: IToken[] = [];
    this.AT_LEAST_ONE(() => tokens.push(this.CONSUME(t.StringLiteral)));
    return this.ACTION(() => this.joinStrings(tokens));
  });

  private joinStrings(tokens: IToken[]): Expr {
    const pos = posOf(tokens[0]);
    const decoded = tokens.map((token) => {
      try {
        return { token, ...decodeStringLiteral(token.image) };
      } catch (e) {
        if (e instanceof StringLiteralError) {
          throw new PythonSyntaxError('SyntaxError', e.message, token.startLine ?? 1, (token.startColumn ?? 1) + e.offset);
        }
        throw e;
      }
    });
    const kinds = new Set(decoded.map((d) => d.bytes));
    if (kinds.size > 1) syntaxError('cannot mix bytes and nonbytes literals', pos);
    if (!decoded.some((d) => d.formatted)) return { kind: 'str', value: decoded.map((d) => d.parts[0] as string).join(''), pos };
    const node: { kind: 'fstring'; parts: FStringPart[]; pos: Pos } = { kind: 'fstring', parts: [], pos };
    for (const d of decoded) this.pendingFStrings.push({ node, raw: d.parts, base: d.token.startOffset });
    return node;
  }
}

function checkParameters(params: Param[]): void {
  const seen = new Set<string>();
  let defaults = false;
  let star = false;
  let doubleStar = false;
  for (const p of params) {
    if (seen.has(p.name)) syntaxError(`duplicate argument '${p.name}' in function definition`, p.pos);
    seen.add(p.name);
    if (doubleStar) syntaxError('arguments cannot follow var-keyword argument', p.pos);
    if (p.kind === 'doublestar') doubleStar = true;
    else if (p.kind === 'star') {
      if (star) syntaxError('* argument may appear only once', p.pos);
      star = true;
    } else if (p.default) defaults = true;
    else if (defaults && !star) syntaxError('non-default argument follows default argument', p.pos);
    else if (star) syntaxError('keyword-only parameters (after *args) are not supported', p.pos);
  }
}

function checkArguments(args: Argument[]): void {
  const keywords = new Set<string>();
  let keywordSeen = false;
  let doubleStarSeen = false;
  for (const a of args) {
    if (a.kind === 'keyword') {
      if (keywords.has(a.name!)) syntaxError(`keyword argument repeated: ${a.name}`, a.pos);
      keywords.add(a.name!);
      keywordSeen = true;
    } else if (a.kind === 'doublestar') doubleStarSeen = true;
    else if (a.kind === 'positional') {
      if (doubleStarSeen) syntaxError('positional argument follows keyword argument unpacking', a.pos);
      if (keywordSeen) syntaxError('positional argument follows keyword argument', a.pos);
      if (a.value.kind === 'comprehension' && a.value.shape === 'generator' && args.length > 1) {
        syntaxError('Generator expression must be parenthesized', a.pos);
      }
    } else if (a.kind === 'star' && doubleStarSeen) syntaxError('iterable argument unpacking follows keyword argument unpacking', a.pos);
  }
}

function numberLiteral(token: IToken): Expr {
  const pos = posOf(token);
  const text = token.image.replace(/_/g, '');
  if (/[jJ]$/.test(text)) syntaxError('complex numbers are not supported', pos);
  if (/^0[xX]/.test(text)) return { kind: 'int', value: BigInt(text), pos };
  if (/^0[oO]/.test(text)) return { kind: 'int', value: BigInt('0o' + text.slice(2)), pos };
  if (/^0[bB]/.test(text)) return { kind: 'int', value: BigInt('0b' + text.slice(2)), pos };
  if (/^\d+$/.test(text)) {
    if (/^0\d/.test(text) && /[1-9]/.test(text)) {
      syntaxError('leading zeros in decimal integer literals are not permitted; use an 0o prefix for octal integers', pos);
    }
    return { kind: 'int', value: BigInt(text), pos };
  }
  return { kind: 'float', value: Number(text), pos };
}

let shared: PythonParser | undefined;

function parser(): PythonParser {
  shared ??= new PythonParser();
  return shared;
}

/** Line starts of a text, for turning offsets into 1-based line/column. */
function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '\n' || (c === '\r' && text[i + 1] !== '\n')) starts.push(i + 1);
  }
  return starts;
}

function positionAt(starts: number[], offset: number): { line: number; column: number } {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= offset) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo + 1, column: offset - starts[lo] + 1 };
}

/** Python-style text for a chevrotain recognition error. */
function describeRecognitionError(e: IRecognitionException, tokens: IToken[]): PythonSyntaxError {
  const token = e.token;
  let index = tokens.indexOf(token);
  if (index < 0) index = tokens.length;
  const previous = index > 0 ? tokens[index - 1] : undefined;
  const error = (kind: PythonSyntaxError['kind'], message: string, tok: IToken | undefined) =>
    new PythonSyntaxError(kind, message, tok?.startLine ?? 1, tok?.startColumn ?? 1);
  if (token.tokenType === t.Indent) return error('IndentationError', 'unexpected indent', tokens[index + 1] ?? token);
  // A block opener's ':' at the end of a line must be followed by an indented block.
  const colon =
    token.tokenType === t.Newline && previous?.tokenType === t.Colon
      ? index - 1
      : previous?.tokenType === t.Newline && tokens[index - 2]?.tokenType === t.Colon
        ? index - 2
        : -1;
  if (colon >= 0) {
    const opener = statementKeyword(tokens, colon);
    const where = opener ? ` after '${opener.image}' statement on line ${opener.startLine}` : '';
    const next = tokens[colon + 2];
    return error('IndentationError', `expected an indented block${where}`, next && next.tokenType.name !== 'EOF' ? next : token);
  }
  if (token.tokenType === t.Dedent) return error('IndentationError', 'unexpected unindent', token);
  if (
    previous &&
    previous.image === 'print' &&
    previous.tokenType === t.Name &&
    token.startLine === previous.startLine &&
    token.tokenType !== t.LParen
  ) {
    return error('SyntaxError', "Missing parentheses in call to 'print'. Did you mean print(...)?", previous);
  }
  if (token.tokenType === t.Equals) return error('SyntaxError', "invalid syntax. Maybe you meant '==' or ':=' instead of '='?", token);
  if (e.name === 'MismatchedTokenException' && /--> Colon <--/.test(e.message)) return error('SyntaxError', "expected ':'", token);
  if (token.tokenType.name === 'EOF') return error('SyntaxError', 'unexpected EOF while parsing', previous ?? token);
  return error('SyntaxError', 'invalid syntax', token);
}

function statementKeyword(tokens: IToken[], colonIndex: number): IToken | undefined {
  for (let i = colonIndex; i >= 0; i--) {
    const tok = tokens[i];
    if (tok.tokenType === t.Newline || tok.tokenType === t.Indent || tok.tokenType === t.Dedent) {
      return tokens[i + 1];
    }
  }
  return tokens[0];
}

/** Scans, lays out and parses a script; Python's syntax errors as PythonSyntaxError. */
export function parsePython(text: string): Stmt[] {
  const p = parser();
  p.pendingFStrings = [];
  const tokens = scan(text, 0);
  const body = runRule(p, tokens, () => p.fileInput());
  resolveFStrings(p, text);
  return body;
}

function scan(text: string, base: number): IToken[] {
  const lexed = t.pythonLexer().tokenize(text);
  if (lexed.errors.length) {
    const err = lexed.errors[0];
    throw new PythonSyntaxError('SyntaxError', 'invalid character', err.line ?? 1, err.column ?? 1);
  }
  if (base !== 0) return lexed.tokens;
  try {
    return layoutTokens(text, lexed.tokens);
  } catch (e) {
    if (e instanceof PythonLayoutError) throw new PythonSyntaxError(e.error.kind, e.error.message, e.error.line, e.error.column);
    throw e;
  }
}

function runRule<T>(p: PythonParser, tokens: IToken[], rule: () => T): T {
  p.input = tokens;
  let result: T;
  try {
    result = rule();
  } catch (e) {
    if (e instanceof RangeError) {
      const first = tokens[0];
      throw new PythonSyntaxError('SyntaxError', 'too many nested expressions', first?.startLine ?? 1, first?.startColumn ?? 1);
    }
    throw e;
  }
  if (p.errors.length) throw describeRecognitionError(p.errors[0], tokens);
  return result;
}

/** Parses the `{…}` fields of f-strings (after the main parse, since the parser is not re-entrant). */
function resolveFStrings(p: PythonParser, source: string): void {
  const starts = lineStarts(source);
  while (p.pendingFStrings.length) {
    const pending = p.pendingFStrings.shift()!;
    pending.node.parts.push(...resolveParts(p, pending.raw, pending.base, source, starts));
  }
}

function resolveParts(p: PythonParser, raw: RawPart[], base: number, source: string, starts: number[]): FStringPart[] {
  return raw.map((part): FStringPart => {
    if (typeof part === 'string') return part;
    const offset = base + part.offset;
    const where = positionAt(starts, offset);
    const tokens = scan(part.text, offset)
      .filter((tok) => tok.tokenType !== t.LineBreak)
      .map((tok) => {
        const abs = tok.startOffset + offset;
        const position = positionAt(starts, abs);
        return { ...tok, startOffset: abs, startLine: position.line, startColumn: position.column };
      });
    const saved = p.pendingFStrings;
    p.pendingFStrings = [];
    const expr = runRule(p, tokens, () => p.fieldExpression());
    const nested = p.pendingFStrings;
    p.pendingFStrings = saved;
    for (const n of nested) n.node.parts.push(...resolveParts(p, n.raw, n.base, source, starts));
    const spec = part.spec ? resolveParts(p, part.spec, base, source, starts) : undefined;
    return { expr, conversion: part.conversion, spec, pos: { line: where.line, column: where.column, offset } };
  });
}

export { positionAt, lineStarts };
