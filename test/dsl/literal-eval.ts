// Python's ast.literal_eval for tests: a param_str such as "{'split': 'train', 'seed': 1337}" as plain
// data, with dicts as key-sorted objects so that Python 2's hash order and Python 3's insertion order
// compare equal.
import type { Expr } from '../../grammar/python-ast.js';
import { parsePython } from '../../grammar/python-parser.js';

export type Literal = null | boolean | number | string | Literal[] | { [key: string]: Literal } | { tuple: Literal[] };

function literal(e: Expr): Literal {
  switch (e.kind) {
    case 'int':
      return Number(e.value);
    case 'float':
      return e.value;
    case 'str':
      return e.value;
    case 'const':
      return e.value === 'None' ? null : e.value === 'True';
    case 'unary':
      if (e.op === '-') return -(literal(e.operand) as number);
      break;
    case 'list':
      return e.elts.map(literal);
    case 'tuple':
      return { tuple: e.elts.map(literal) };
    case 'dict': {
      const entries = e.entries.map((entry) => {
        if (!('key' in entry)) throw new Error('not a literal');
        return [String(literal(entry.key)), literal(entry.value)] as const;
      });
      return Object.fromEntries([...entries].sort(([a], [b]) => (a < b ? -1 : 1)));
    }
  }
  throw new Error(`not a literal: ${e.kind}`);
}

export function literalEval(text: string): Literal {
  const [stmt] = parsePython(text);
  if (stmt?.kind !== 'expr') throw new Error(`not an expression: ${text}`);
  return literal(stmt.value);
}
