// The syntax tree of the Python subset: what the parser builds and the interpreter walks. Every node
// carries the position of its first token so that run-time errors point at the script.

export interface Pos {
  /** 1-based line and column. */
  line: number;
  column: number;
  /** 0-based offset into the source text. */
  offset: number;
}

export type Expr =
  | { kind: 'name'; id: string; pos: Pos }
  | { kind: 'int'; value: bigint; pos: Pos }
  | { kind: 'float'; value: number; pos: Pos }
  | { kind: 'str'; value: string; pos: Pos }
  | { kind: 'fstring'; parts: FStringPart[]; pos: Pos }
  | { kind: 'const'; value: 'None' | 'True' | 'False' | 'Ellipsis'; pos: Pos }
  | { kind: 'list'; elts: Expr[]; pos: Pos }
  | { kind: 'tuple'; elts: Expr[]; pos: Pos }
  | { kind: 'set'; elts: Expr[]; pos: Pos }
  | { kind: 'dict'; entries: DictEntry[]; pos: Pos }
  | { kind: 'attr'; value: Expr; attr: string; pos: Pos; attrPos: Pos }
  | { kind: 'subscript'; value: Expr; index: Expr; pos: Pos }
  | { kind: 'slice'; lower?: Expr; upper?: Expr; step?: Expr; pos: Pos }
  | { kind: 'call'; func: Expr; args: Argument[]; pos: Pos }
  | { kind: 'binop'; op: BinaryOp; left: Expr; right: Expr; pos: Pos }
  | { kind: 'unary'; op: '-' | '+' | '~' | 'not'; operand: Expr; pos: Pos }
  | { kind: 'boolop'; op: 'and' | 'or'; values: Expr[]; pos: Pos }
  | { kind: 'compare'; left: Expr; ops: CompareOp[]; comparators: Expr[]; pos: Pos }
  | { kind: 'ifexp'; test: Expr; body: Expr; orelse: Expr; pos: Pos }
  | { kind: 'lambda'; params: Param[]; body: Expr; pos: Pos }
  | { kind: 'comprehension'; shape: 'list' | 'set' | 'generator'; elt: Expr; generators: Generator[]; pos: Pos }
  | { kind: 'dictcomp'; key: Expr; value: Expr; generators: Generator[]; pos: Pos }
  | { kind: 'starred'; value: Expr; pos: Pos };

export type BinaryOp = '+' | '-' | '*' | '/' | '//' | '%' | '**' | '@' | '<<' | '>>' | '&' | '|' | '^';
export type CompareOp = '<' | '>' | '==' | '>=' | '<=' | '!=' | 'in' | 'not in' | 'is' | 'is not';

export type FStringPart = string | { expr: Expr; conversion?: 'r' | 's' | 'a'; spec?: FStringPart[]; pos: Pos };

export type DictEntry = { key: Expr; value: Expr } | { spread: Expr };

export interface Argument {
  kind: 'positional' | 'keyword' | 'star' | 'doublestar';
  name?: string;
  value: Expr;
  pos: Pos;
}

export interface Param {
  kind: 'plain' | 'star' | 'doublestar';
  name: string;
  default?: Expr;
  pos: Pos;
}

export interface Generator {
  target: Expr;
  iter: Expr;
  ifs: Expr[];
}

export type Stmt =
  | { kind: 'expr'; value: Expr; pos: Pos }
  | { kind: 'assign'; targets: Expr[]; value: Expr; pos: Pos }
  | { kind: 'augassign'; target: Expr; op: BinaryOp; value: Expr; pos: Pos }
  | { kind: 'pass' | 'break' | 'continue'; pos: Pos }
  | { kind: 'return'; value?: Expr; pos: Pos }
  | { kind: 'import'; names: { module: string; asName?: string; pos: Pos }[]; pos: Pos }
  | { kind: 'from'; module: string; names: { name: string; asName?: string; pos: Pos }[]; star: boolean; pos: Pos }
  | { kind: 'global' | 'nonlocal'; names: string[]; pos: Pos }
  | { kind: 'del'; targets: Expr[]; pos: Pos }
  | { kind: 'assert'; test: Expr; msg?: Expr; pos: Pos }
  | { kind: 'raise'; exc?: Expr; pos: Pos }
  | { kind: 'if'; test: Expr; body: Stmt[]; orelse: Stmt[]; pos: Pos }
  | { kind: 'while'; test: Expr; body: Stmt[]; orelse: Stmt[]; pos: Pos }
  | { kind: 'for'; target: Expr; iter: Expr; body: Stmt[]; orelse: Stmt[]; pos: Pos }
  | { kind: 'with'; items: { context: Expr; target?: Expr }[]; body: Stmt[]; pos: Pos }
  | { kind: 'try'; body: Stmt[]; handlers: ExceptHandler[]; orelse: Stmt[]; finalbody: Stmt[]; pos: Pos }
  | { kind: 'def'; name: string; params: Param[]; body: Stmt[]; pos: Pos }
  | { kind: 'class'; name: string; bases: Expr[]; body: Stmt[]; pos: Pos };

export interface ExceptHandler {
  type?: Expr;
  name?: string;
  body: Stmt[];
  pos: Pos;
}

export interface Module {
  body: Stmt[];
  file: string;
  text: string;
}
