// Python's name scopes: a module's globals, a function call's locals (with the enclosing function scopes
// for closures), a class body, a comprehension. Which names are local to a function is decided from its
// whole body before it runs, as Python does, so reading a local before assigning it is an error even if
// a global of the same name exists.
import type { Expr, Stmt } from '../../../grammar/python-ast.js';
import type { PyValue } from './values.js';

export type ScopeKind = 'module' | 'function' | 'class' | 'comprehension';

export class Scope {
  readonly vars = new Map<string, PyValue>();
  readonly globalNames = new Set<string>();
  readonly nonlocalNames = new Set<string>();

  constructor(
    readonly kind: ScopeKind,
    /** The enclosing scope (for a function: where it was defined; class scopes are skipped when reading). */
    readonly parent: Scope | undefined,
    /** For functions: every name the body assigns. */
    readonly localNames: ReadonlySet<string> = new Set(),
  ) {}

  get module(): Scope {
    let s: Scope = this;
    while (s.parent) s = s.parent;
    return s;
  }
}

const localsCache = new WeakMap<object, Set<string>>();

/** Names a function body binds (assignments, loops, imports, defs, with/except targets), not nested ones. */
export function localNamesOf(key: object, params: string[], body: Stmt[] | Expr): Set<string> {
  let names = localsCache.get(key);
  if (names) return names;
  names = new Set(params);
  const declared = new Set<string>();
  if (Array.isArray(body)) collectStatements(body, names, declared);
  for (const d of declared) names.delete(d);
  localsCache.set(key, names);
  return names;
}

function collectTarget(target: Expr, names: Set<string>): void {
  if (target.kind === 'name') names.add(target.id);
  else if (target.kind === 'tuple' || target.kind === 'list') for (const e of target.elts) collectTarget(e, names);
  else if (target.kind === 'starred') collectTarget(target.value, names);
}

function collectStatements(body: Stmt[], names: Set<string>, declared: Set<string>): void {
  for (const s of body) {
    switch (s.kind) {
      case 'assign':
        for (const t of s.targets) collectTarget(t, names);
        break;
      case 'augassign':
        collectTarget(s.target, names);
        break;
      case 'for':
        collectTarget(s.target, names);
        collectStatements(s.body, names, declared);
        collectStatements(s.orelse, names, declared);
        break;
      case 'while':
      case 'if':
        collectStatements(s.body, names, declared);
        collectStatements(s.orelse, names, declared);
        break;
      case 'with':
        for (const item of s.items) if (item.target) collectTarget(item.target, names);
        collectStatements(s.body, names, declared);
        break;
      case 'try':
        collectStatements(s.body, names, declared);
        for (const h of s.handlers) {
          if (h.name) names.add(h.name);
          collectStatements(h.body, names, declared);
        }
        collectStatements(s.orelse, names, declared);
        collectStatements(s.finalbody, names, declared);
        break;
      case 'import':
        for (const n of s.names) names.add(n.asName ?? n.module.split('.')[0]);
        break;
      case 'from':
        for (const n of s.names) names.add(n.asName ?? n.name);
        break;
      case 'def':
      case 'class':
        names.add(s.name);
        break;
      case 'del':
        for (const t of s.targets) collectTarget(t, names);
        break;
      case 'global':
      case 'nonlocal':
        for (const n of s.names) declared.add(n);
        break;
      default:
        break;
    }
  }
}
