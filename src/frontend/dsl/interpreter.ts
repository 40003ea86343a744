// A tree-walking evaluator for the Python subset. It runs the syntax tree directly; no script text ever
// reaches JavaScript's eval or Function. Every statement, loop turn and call is charged against the step
// budget, calls against the depth limit, and every string or list a script builds is size-checked before
// it is allocated, so a hostile script ends with a located error instead of hanging or exhausting memory.
import type { Argument, Expr, FStringPart, Param, Pos, Stmt } from '../../../grammar/python-ast.js';
import { closest } from '../../diagnostics/suggest.js';
import { attributeError, Flow, indexError, keyError, limitError, PyError, typeError, valueError } from './errors.js';
import { formatValue } from './format-spec.js';
import { LIMIT_FLAGS, LIST_CELLS_PER_STEP, STEPS_PER_EXCEPTION, type Limits } from './limits.js';
import { methodOf, noMethod } from './methods.js';
import { binaryOp, compareOrder, equals, hashKey, truthy, unaryOp } from './operators.js';
import { floatRepr, strRepr } from '../../schema/python-repr.js';
import { localNamesOf, Scope } from './scope.js';
import {
  HostObject,
  PyBoundMethod,
  PyBuiltin,
  PyClass,
  PyDict,
  PyFunction,
  PyInstance,
  PyList,
  PyModule,
  PyRange,
  PySet,
  PySlice,
  PySuper,
  PyTuple,
  typeName,
  type HostServices,
  type PyValue,
  type Runtime,
} from './values.js';

/** Attribute names starting and ending in "__" are blocked, except these. */
const ALLOWED_DUNDERS = new Set(['__init__', '__name__']);

export interface InterpreterOptions {
  file: string;
  limits: Limits;
  host: HostServices;
  builtins: Map<string, PyValue>;
  importModule(name: string, rt: Runtime): PyModule;
  writeStderr(text: string): void;
  /** `__name__` of the script: "__main__" when run as a program. */
  moduleName: string;
}

/** Host objects may want to know the names they are bound to (Theano tensors become named blobs). */
export interface NamedOnBind {
  onBind(name: string, global: boolean): void;
}

function hasOnBind(v: PyValue): v is HostObject & NamedOnBind {
  return v instanceof HostObject && typeof (v as Partial<NamedOnBind>).onBind === 'function';
}

export class Interpreter implements Runtime {
  readonly file: string;
  pos: Pos = { line: 1, column: 1, offset: 0 };
  callSite?: { pos: Pos; args: readonly Argument[] };
  readonly globals: Scope;
  private steps = 0;
  private depth = 0;
  private returnValue: PyValue = null;
  /** The script functions being run, innermost last (zero-argument super() reads the top one). */
  readonly frames: { fn: PyFunction; scope: Scope }[] = [];
  /** Exceptions being handled (for a bare `raise`). */
  private handling: PyError[] = [];
  /** Lists and dicts being printed (repr of a list containing itself prints [...]). */
  private printing = new Set<object>();

  constructor(private readonly options: InterpreterOptions) {
    this.file = options.file;
    this.deadline = performance.now() + options.limits.maxSeconds * 1000;
    this.globals = new Scope('module', undefined);
    this.globals.vars.set('__name__', options.moduleName);
    this.globals.vars.set('__file__', options.file);
  }

  get host(): HostServices {
    return this.options.host;
  }

  // ───── Runtime services ─────

  /** When the script must stop (performance.now() milliseconds), checked every 1,024 steps. */
  private readonly deadline: number;
  private nextClockCheck = 1024;

  charge(n: number): void {
    this.steps += Math.ceil(n);
    if (this.steps >= this.nextClockCheck) {
      this.nextClockCheck = this.steps + 1024;
      if (performance.now() > this.deadline) {
        throw limitError(
          'TimeoutError',
          `the script ran more than ${this.options.limits.maxSeconds.toLocaleString('en-US')} seconds (an endless loop?)`,
          `raise the limit with ${LIMIT_FLAGS.maxSeconds}`,
        );
      }
    }
    if (this.steps > this.options.limits.maxSteps) {
      throw limitError(
        'TimeoutError',
        `the script ran more than ${this.options.limits.maxSteps.toLocaleString('en-US')} steps (an endless loop?)`,
        `raise the limit with ${LIMIT_FLAGS.maxSteps}`,
      );
    }
  }

  private step(): void {
    if (++this.steps > this.options.limits.maxSteps || this.steps >= this.nextClockCheck) this.charge(0);
  }

  checkStringSize(n: number): void {
    if (n > this.options.limits.maxString) {
      throw limitError(
        'MemoryError',
        `a string of ${n.toLocaleString('en-US')} characters is over the sandbox's limit of ${this.options.limits.maxString.toLocaleString('en-US')}`,
        `raise the limit with ${LIMIT_FLAGS.maxString}`,
      );
    }
  }

  checkListSize(n: number): void {
    if (n > this.options.limits.maxList) {
      throw limitError(
        'MemoryError',
        `a collection of ${n.toLocaleString('en-US')} items is over the sandbox's limit of ${this.options.limits.maxList.toLocaleString('en-US')}`,
        `raise the limit with ${LIMIT_FLAGS.maxList}`,
      );
    }
  }

  writeStderr(text: string): void {
    this.options.writeStderr(text);
  }

  // ───── running ─────

  /** Runs a module body; Python errors come out as PyError with a position. */
  run(body: Stmt[]): void {
    this.guard(() => {
      const flow = this.execBlock(body, this.globals);
      if (flow === Flow.Break || flow === Flow.Continue)
        throw new PyError('SyntaxError', `'${flow === Flow.Break ? 'break' : 'continue'}' outside loop`, this.pos);
    });
  }

  /** Evaluates an expression (from --call) in the module's globals. */
  evaluate(expr: Expr): PyValue {
    return this.guard(() => this.eval(expr, this.globals));
  }

  /** JavaScript's own limits (stack, string length) become Python's errors at the current line. */
  private guard<T>(action: () => T): T {
    try {
      return action();
    } catch (e) {
      if (e instanceof RangeError) {
        const stack = /call stack/i.test(e.message);
        const err = stack
          ? limitError('RecursionError', 'maximum recursion depth exceeded', `raise the limit with ${LIMIT_FLAGS.maxDepth}, or nest less`)
          : limitError(
              'MemoryError',
              'out of memory building a value',
              `raise the limit with ${LIMIT_FLAGS.maxString} or ${LIMIT_FLAGS.maxList}`,
            );
        err.pos = this.pos;
        throw err;
      }
      if (e instanceof PyError && !e.pos) e.pos = this.pos;
      throw e;
    }
  }

  // ───── statements ─────

  execBlock(body: Stmt[], scope: Scope): Flow {
    for (const s of body) {
      const flow = this.exec(s, scope);
      if (flow !== Flow.Normal) return flow;
    }
    return Flow.Normal;
  }

  private exec(s: Stmt, scope: Scope): Flow {
    this.pos = s.pos;
    this.step();
    try {
      return this.execInner(s, scope);
    } catch (e) {
      if (e instanceof PyError && !e.pos) e.pos = s.pos;
      throw e;
    }
  }

  private execInner(s: Stmt, scope: Scope): Flow {
    switch (s.kind) {
      case 'expr':
        this.eval(s.value, scope);
        return Flow.Normal;
      case 'assign': {
        const value = this.eval(s.value, scope);
        for (const target of s.targets) this.assign(target, value, scope);
        return Flow.Normal;
      }
      case 'augassign':
        this.augmentedAssign(s.target, s.op, s.value, scope);
        return Flow.Normal;
      case 'pass':
        return Flow.Normal;
      case 'break':
        return Flow.Break;
      case 'continue':
        return Flow.Continue;
      case 'return':
        if (scope.kind !== 'function') throw new PyError('SyntaxError', "'return' outside function", s.pos);
        this.returnValue = s.value ? this.eval(s.value, scope) : null;
        return Flow.Return;
      case 'if':
        return this.execBlock(truthy(this.eval(s.test, scope), this) ? s.body : s.orelse, scope);
      case 'while':
        while (truthy(this.eval(s.test, scope), this)) {
          this.step();
          const flow = this.execBlock(s.body, scope);
          if (flow === Flow.Break) return Flow.Normal;
          if (flow === Flow.Return) return flow;
        }
        return this.execBlock(s.orelse, scope);
      case 'for': {
        const iterable = this.eval(s.iter, scope);
        for (const item of this.iterateLazily(iterable)) {
          this.step();
          this.assign(s.target, item, scope);
          const flow = this.execBlock(s.body, scope);
          if (flow === Flow.Break) return Flow.Normal;
          if (flow === Flow.Return) return flow;
          this.pos = s.pos;
        }
        return this.execBlock(s.orelse, scope);
      }
      case 'with':
        return this.execWith(s, scope);
      case 'try':
        return this.execTry(s, scope);
      case 'def':
        this.bind(s.name, this.makeFunction(s.name, s.params, s.body, scope, s.pos), scope);
        return Flow.Normal;
      case 'class':
        this.bind(s.name, this.makeClass(s, scope), scope);
        return Flow.Normal;
      case 'import':
        for (const n of s.names) {
          this.pos = n.pos;
          try {
            const module = this.options.importModule(n.module, this);
            if (n.asName) this.bind(n.asName, module, scope);
            else this.bind(n.module.split('.')[0], this.options.importModule(n.module.split('.')[0], this), scope);
          } catch (e) {
            // Located at the module's name, not the statement.
            if (e instanceof PyError && !e.pos) e.pos = n.pos;
            throw e;
          }
        }
        return Flow.Normal;
      case 'from': {
        const module = this.options.importModule(s.module, this);
        if (s.star) {
          for (const [name, value] of module.attrs) if (!name.startsWith('_')) this.bind(name, value, scope);
          return Flow.Normal;
        }
        for (const n of s.names) {
          this.pos = n.pos;
          let value = module.attrs.get(n.name);
          if (value === undefined) {
            // `from caffe import proto` style: a submodule.
            try {
              value = this.options.importModule(`${s.module}.${n.name}`, this);
            } catch {
              const hint = closest(n.name, module.attrs.keys());
              const err = new PyError(
                'ImportError',
                `cannot import name '${n.name}' from '${s.module}'${hint ? ` (did you mean '${hint}'?)` : ''}`,
                n.pos,
              );
              throw err;
            }
          }
          this.bind(n.asName ?? n.name, value, scope);
        }
        return Flow.Normal;
      }
      case 'global':
        for (const n of s.names) scope.globalNames.add(n);
        return Flow.Normal;
      case 'nonlocal':
        for (const n of s.names) scope.nonlocalNames.add(n);
        return Flow.Normal;
      case 'del':
        for (const t of s.targets) this.delete(t, scope);
        return Flow.Normal;
      case 'assert':
        if (!truthy(this.eval(s.test, scope), this)) {
          throw new PyError('AssertionError', s.msg ? this.str(this.eval(s.msg, scope)) : '', s.pos);
        }
        return Flow.Normal;
      case 'raise':
        throw this.raise(s.exc ? this.eval(s.exc, scope) : undefined, s.pos);
    }
  }

  private raise(value: PyValue | undefined, pos: Pos): PyError {
    if (value === undefined) {
      const current = this.handling[this.handling.length - 1];
      if (!current) return new PyError('RuntimeError', 'No active exception to reraise', pos);
      return current;
    }
    let instance = value;
    if (instance instanceof PyClass) instance = this.call(instance, []);
    if (!(instance instanceof PyInstance) || !isExceptionClass(instance.cls)) {
      return new PyError('TypeError', 'exceptions must derive from BaseException', pos);
    }
    const err = new PyError(instance.cls.name, exceptionMessage(instance, this), pos);
    err.value = instance;
    return err;
  }

  private execWith(s: Extract<Stmt, { kind: 'with' }>, scope: Scope): Flow {
    const managers: PyValue[] = [];
    try {
      for (const item of s.items) {
        const manager = this.eval(item.context, scope);
        const entered = this.callMethod(manager, 'enter', item.context.pos);
        managers.push(manager);
        if (item.target) this.assign(item.target, entered, scope);
      }
      return this.execBlock(s.body, scope);
    } finally {
      for (const m of managers.reverse()) this.callMethod(m, 'exit', s.pos);
    }
  }

  /** The context-manager protocol, for brewnet's own objects (files) and script classes. */
  private callMethod(manager: PyValue, which: 'enter' | 'exit', pos: Pos): PyValue {
    if (manager instanceof HostObject) {
      const method = manager.getAttr(which === 'enter' ? '__enter__' : '__exit__', this);
      if (method !== undefined) return this.call(method, which === 'exit' ? [null, null, null] : []);
    }
    if (manager instanceof PyInstance) {
      const method = manager.cls.lookup(which === 'enter' ? '__enter__' : '__exit__');
      if (method instanceof PyFunction) return this.call(method, which === 'exit' ? [manager, null, null, null] : [manager]);
    }
    throw new PyError('TypeError', `'${typeName(manager)}' object does not support the context manager protocol`, pos);
  }

  private execTry(s: Extract<Stmt, { kind: 'try' }>, scope: Scope): Flow {
    let flow: Flow = Flow.Normal;
    try {
      try {
        flow = this.execBlock(s.body, scope);
      } catch (e) {
        if (!(e instanceof PyError) || !e.catchable) throw e;
        this.charge(STEPS_PER_EXCEPTION);
        const handler = s.handlers.find((h) => !h.type || this.matches(e, this.eval(h.type, scope)));
        if (!handler) throw e;
        if (handler.name) this.bind(handler.name, this.exceptionValue(e), scope);
        this.handling.push(e);
        try {
          return this.execBlock(handler.body, scope);
        } finally {
          this.handling.pop();
        }
      }
      if (flow === Flow.Normal) flow = this.execBlock(s.orelse, scope);
      return flow;
    } finally {
      if (s.finalbody.length) {
        const saved = this.returnValue;
        const finalFlow = this.execBlock(s.finalbody, scope);
        if (finalFlow !== Flow.Normal) return finalFlow;
        this.returnValue = saved;
      }
    }
  }

  private matches(e: PyError, type: PyValue): boolean {
    if (type instanceof PyTuple) return type.items.some((t) => this.matches(e, t));
    if (!(type instanceof PyClass) || !isExceptionClass(type))
      throw typeError('catching classes that do not inherit from BaseException is not allowed');
    const cls = this.exceptionValue(e).cls;
    return cls.isSubclassOf(type);
  }

  /** The exception object of an error (made on demand for errors raised by brewnet itself). */
  private exceptionValue(e: PyError): PyInstance {
    if (e.value instanceof PyInstance) return e.value;
    const cls = this.options.builtins.get(e.pyType);
    const base = cls instanceof PyClass ? cls : (this.options.builtins.get('Exception') as PyClass);
    const instance = this.call(base, e.pyMessage ? [e.pyMessage] : []) as PyInstance;
    e.value = instance;
    return instance;
  }

  // ───── binding names ─────

  private bind(name: string, value: PyValue, scope: Scope): void {
    if (hasOnBind(value)) value.onBind(name, scope.kind === 'module');
    if (scope.globalNames.has(name)) {
      scope.module.vars.set(name, value);
      return;
    }
    if (scope.nonlocalNames.has(name)) {
      for (let s = scope.parent; s; s = s.parent) {
        if (s.kind === 'function' && s.vars.has(name)) {
          s.vars.set(name, value);
          return;
        }
      }
      throw new PyError('SyntaxError', `no binding for nonlocal '${name}' found`);
    }
    scope.vars.set(name, value);
  }

  lookup(name: string, scope: Scope): PyValue {
    if (scope.kind === 'function' && scope.localNames.has(name) && !scope.globalNames.has(name) && !scope.nonlocalNames.has(name)) {
      const v = scope.vars.get(name);
      if (v === undefined)
        throw new PyError('UnboundLocalError', `cannot access local variable '${name}' where it is not associated with a value`);
      return v;
    }
    if (scope.globalNames.has(name)) return this.lookupGlobal(name, scope);
    for (let s: Scope | undefined = scope; s; s = s.parent) {
      // Class bodies are seen only by their own statements, not by the methods defined in them.
      if (s.kind === 'class' && s !== scope) continue;
      const v = s.vars.get(name);
      if (v !== undefined) return v;
    }
    return this.lookupGlobal(name, scope);
  }

  private lookupGlobal(name: string, scope: Scope): PyValue {
    const v = scope.module.vars.get(name) ?? this.options.builtins.get(name);
    if (v !== undefined) return v;
    const candidates = new Set<string>([...this.options.builtins.keys()]);
    for (let s: Scope | undefined = scope; s; s = s.parent) for (const k of s.vars.keys()) candidates.add(k);
    this.charge(candidates.size / 8); // the search for a near name is work the script made
    const hint = closest(name, candidates);
    throw new PyError('NameError', `name '${name}' is not defined${hint ? ` (did you mean '${hint}'?)` : ''}`);
  }

  private assign(target: Expr, value: PyValue, scope: Scope): void {
    switch (target.kind) {
      case 'name':
        this.bind(target.id, value, scope);
        return;
      case 'attr': {
        const obj = this.eval(target.value, scope);
        if (hasOnBind(value)) value.onBind(target.attr, false);
        this.pos = target.attrPos;
        this.setAttr(obj, target.attr, value);
        return;
      }
      case 'subscript': {
        const obj = this.eval(target.value, scope);
        const key = this.eval(target.index, scope);
        this.pos = target.pos;
        if (typeof key === 'string' && hasOnBind(value)) value.onBind(key, false);
        this.setItem(obj, key, value);
        return;
      }
      case 'tuple':
      case 'list': {
        const items = this.iterate(value);
        const star = target.elts.findIndex((e) => e.kind === 'starred');
        if (star < 0) {
          if (items.length !== target.elts.length) {
            throw valueError(
              items.length > target.elts.length
                ? `too many values to unpack (expected ${target.elts.length})`
                : `not enough values to unpack (expected ${target.elts.length}, got ${items.length})`,
            );
          }
          target.elts.forEach((e, i) => this.assign(e, items[i], scope));
          return;
        }
        const after = target.elts.length - star - 1;
        if (items.length < target.elts.length - 1) {
          throw valueError(`not enough values to unpack (expected at least ${target.elts.length - 1}, got ${items.length})`);
        }
        target.elts.slice(0, star).forEach((e, i) => this.assign(e, items[i], scope));
        this.assign(
          (target.elts[star] as Extract<Expr, { kind: 'starred' }>).value,
          new PyList(items.slice(star, items.length - after)),
          scope,
        );
        target.elts.slice(star + 1).forEach((e, i) => this.assign(e, items[items.length - after + i], scope));
        return;
      }
      default:
        throw new PyError('SyntaxError', 'cannot assign to expression', target.pos);
    }
  }

  private augmentedAssign(target: Expr, op: string, valueExpr: Expr, scope: Scope): void {
    if (target.kind === 'name') {
      const current = this.lookup(target.id, scope);
      const value = this.eval(valueExpr, scope);
      this.bind(target.id, this.inPlaceOp(op, current, value), scope);
    } else if (target.kind === 'attr') {
      const obj = this.eval(target.value, scope);
      const current = this.getAttr(obj, target.attr);
      const value = this.eval(valueExpr, scope);
      this.setAttr(obj, target.attr, this.inPlaceOp(op, current, value));
    } else if (target.kind === 'subscript') {
      const obj = this.eval(target.value, scope);
      const key = this.eval(target.index, scope);
      const current = this.getItem(obj, key);
      const value = this.eval(valueExpr, scope);
      this.setItem(obj, key, this.inPlaceOp(op, current, value));
    }
  }

  /** `a += b` extends a list in place (other objects are rebound). */
  private inPlaceOp(op: string, current: PyValue, value: PyValue): PyValue {
    if (op === '+' && current instanceof PyList) {
      const extra = this.iterate(value);
      this.checkListSize(current.items.length + extra.length);
      current.items.push(...extra);
      return current;
    }
    return binaryOp(op, current, value, this);
  }

  private delete(target: Expr, scope: Scope): void {
    if (target.kind === 'name') {
      if (!scope.vars.delete(target.id)) throw new PyError('NameError', `name '${target.id}' is not defined`, target.pos);
    } else if (target.kind === 'subscript') {
      const obj = this.eval(target.value, scope);
      const key = this.eval(target.index, scope);
      this.delItem(obj, key);
    } else if (target.kind === 'attr') {
      const obj = this.eval(target.value, scope);
      if (obj instanceof PyInstance && obj.attrs.delete(target.attr)) return;
      throw attributeError(`'${typeName(obj)}' object has no attribute '${target.attr}'`);
    } else if (target.kind === 'tuple' || target.kind === 'list') {
      for (const e of target.elts) this.delete(e, scope);
    }
  }

  // ───── functions and classes ─────

  private makeFunction(name: string, params: Param[], body: Stmt[] | Expr, scope: Scope, pos: Pos): PyFunction {
    const defaults = new Map<string, PyValue>();
    for (const p of params) if (p.default) defaults.set(p.name, this.eval(p.default, scope));
    // A function defined in a class body closes over the class's enclosing scope, not the class.
    const closure = scope.kind === 'class' ? (scope.parent ?? scope) : scope;
    return new PyFunction(name, params, body, defaults, closure, pos);
  }

  private makeClass(s: Extract<Stmt, { kind: 'class' }>, scope: Scope): PyClass {
    const bases = s.bases.map((b) => {
      const base = this.eval(b, scope);
      if (!(base instanceof PyClass)) throw typeError(`class ${s.name} cannot inherit from ${typeName(base)} (only from classes)`);
      return base;
    });
    if (bases.length > 1) throw new PyError('TypeError', `class ${s.name}: multiple inheritance is not supported`, s.pos);
    const body = new Scope('class', scope);
    const flow = this.execBlock(s.body, body);
    if (flow !== Flow.Normal) throw new PyError('SyntaxError', "'return' outside function", s.pos);
    const cls = new PyClass(s.name, bases.length ? bases : [this.options.builtins.get('object') as PyClass], body.vars);
    for (const v of body.vars.values()) if (v instanceof PyFunction) classOfMethod.set(v, cls);
    return cls;
  }

  call(fn: PyValue, args: PyValue[], kwargs: Map<string, PyValue> = new Map()): PyValue {
    if (fn instanceof PyFunction) return this.callFunction(fn, args, kwargs);
    if (fn instanceof PyBuiltin) return fn.fn(args, kwargs, this);
    if (fn instanceof PyBoundMethod) return this.call(fn.func, [fn.self, ...args], kwargs);
    if (fn instanceof PyClass) return this.instantiate(fn, args, kwargs);
    if (fn instanceof HostObject && fn.call) return fn.call(args, kwargs, this);
    throw typeError(`'${typeName(fn)}' object is not callable`);
  }

  private instantiate(cls: PyClass, args: PyValue[], kwargs: Map<string, PyValue>): PyValue {
    // Built-in types construct natively; script classes (and exceptions) run __init__.
    if (cls.construct && !isExceptionClass(cls)) return cls.construct(args, kwargs, this);
    const instance = new PyInstance(cls);
    const init = cls.lookup('__init__');
    if (init !== undefined) {
      const result = this.call(init, [instance, ...args], kwargs);
      if (result !== null) throw typeError(`__init__() should return None, not '${typeName(result)}'`);
    } else if (args.length || kwargs.size) {
      throw typeError(`${cls.name}() takes no arguments`);
    }
    return instance;
  }

  private callFunction(fn: PyFunction, args: PyValue[], kwargs: Map<string, PyValue>): PyValue {
    if (this.depth >= this.options.limits.maxDepth) {
      throw limitError(
        'RecursionError',
        `maximum recursion depth exceeded (${this.options.limits.maxDepth} nested calls)`,
        `raise the limit with ${LIMIT_FLAGS.maxDepth}`,
      );
    }
    this.step();
    const locals = localNamesOf(
      fn.body,
      fn.params.map((p) => p.name),
      fn.body,
    );
    const scope = new Scope('function', fn.closure, locals);
    this.bindArguments(fn, args, kwargs, scope);
    const savedPos = this.pos;
    this.depth++;
    this.frames.push({ fn, scope });
    try {
      if (!Array.isArray(fn.body)) return this.eval(fn.body, scope);
      const flow = this.execBlock(fn.body, scope);
      if (flow === Flow.Return) {
        const v = this.returnValue;
        this.returnValue = null;
        return v;
      }
      if (flow !== Flow.Normal) throw new PyError('SyntaxError', `'${flow === Flow.Break ? 'break' : 'continue'}' outside loop`, fn.pos);
      return null;
    } finally {
      this.frames.pop();
      this.depth--;
      this.pos = savedPos;
    }
  }

  private bindArguments(fn: PyFunction, args: PyValue[], kwargs: Map<string, PyValue>, scope: Scope): void {
    const plain = fn.params.filter((p) => p.kind === 'plain');
    const star = fn.params.find((p) => p.kind === 'star');
    const doubleStar = fn.params.find((p) => p.kind === 'doublestar');
    const label = `${fn.name}()`;
    if (args.length > plain.length && !star) {
      const required = plain.filter((p) => !p.default).length;
      const takes = required === plain.length ? `${plain.length}` : `from ${required} to ${plain.length}`;
      throw typeError(
        `${label} takes ${takes} positional argument${plain.length === 1 ? '' : 's'} but ${args.length} ${args.length === 1 ? 'was' : 'were'} given`,
      );
    }
    plain.forEach((p, i) => {
      if (i < args.length) scope.vars.set(p.name, args[i]);
    });
    if (star) scope.vars.set(star.name, new PyTuple(args.slice(plain.length)));
    const extra = new PyDict();
    for (const [name, value] of kwargs) {
      const param = plain.find((p) => p.name === name);
      if (param) {
        if (scope.vars.has(name)) throw typeError(`${label} got multiple values for argument '${name}'`);
        scope.vars.set(name, value);
      } else if (doubleStar) {
        extra.entries.set(hashKey(name), [name, value]);
      } else {
        const hint = closest(
          name,
          plain.map((p) => p.name),
        );
        throw typeError(`${label} got an unexpected keyword argument '${name}'${hint ? ` (did you mean '${hint}'?)` : ''}`);
      }
    }
    if (doubleStar) scope.vars.set(doubleStar.name, extra);
    const missing = plain.filter((p) => !scope.vars.has(p.name) && !fn.defaults.has(p.name)).map((p) => `'${p.name}'`);
    if (missing.length) {
      const names = missing.length === 1 ? missing[0] : `${missing.slice(0, -1).join(', ')} and ${missing[missing.length - 1]}`;
      throw typeError(`${label} missing ${missing.length} required positional argument${missing.length === 1 ? '' : 's'}: ${names}`);
    }
    for (const p of plain) if (!scope.vars.has(p.name)) scope.vars.set(p.name, fn.defaults.get(p.name)!);
  }

  // ───── expressions ─────

  eval(e: Expr, scope: Scope): PyValue {
    try {
      return this.evalInner(e, scope);
    } catch (err) {
      if (err instanceof PyError && !err.pos) err.pos = e.kind === 'attr' ? e.attrPos : e.pos;
      throw err;
    }
  }

  private evalInner(e: Expr, scope: Scope): PyValue {
    switch (e.kind) {
      case 'name':
        return this.lookup(e.id, scope);
      case 'int':
        return e.value;
      case 'float':
        return e.value;
      case 'str':
        return e.value;
      case 'fstring':
        return this.evalFString(e.parts, scope);
      case 'const':
        if (e.value === 'Ellipsis') return this.options.builtins.get('Ellipsis') ?? null;
        return e.value === 'None' ? null : e.value === 'True';
      case 'list':
        return new PyList(this.evalItems(e.elts, scope));
      case 'tuple':
        return new PyTuple(this.evalItems(e.elts, scope));
      case 'set': {
        const set = new PySet();
        for (const v of this.evalItems(e.elts, scope)) set.entries.set(hashKey(v), v);
        return set;
      }
      case 'dict': {
        const d = new PyDict();
        for (const entry of e.entries) {
          if ('spread' in entry) {
            const other = this.eval(entry.spread, scope);
            if (!(other instanceof PyDict)) throw typeError(`'${typeName(other)}' object is not a mapping`);
            for (const [k, v] of other.entries) d.entries.set(k, v);
          } else {
            const key = this.eval(entry.key, scope);
            const value = this.eval(entry.value, scope);
            const existing = d.entries.get(hashKey(key));
            d.entries.set(hashKey(key), [existing ? existing[0] : key, value]);
          }
        }
        this.checkListSize(d.entries.size);
        return d;
      }
      case 'attr': {
        const obj = this.eval(e.value, scope);
        this.pos = e.attrPos;
        return this.getAttr(obj, e.attr);
      }
      case 'subscript': {
        const obj = this.eval(e.value, scope);
        const key = this.eval(e.index, scope);
        return this.getItem(obj, key);
      }
      case 'slice':
        return new PySlice(
          e.lower ? this.eval(e.lower, scope) : null,
          e.upper ? this.eval(e.upper, scope) : null,
          e.step ? this.eval(e.step, scope) : null,
        );
      case 'call': {
        const fn = this.eval(e.func, scope);
        const { args, kwargs } = this.evalArguments(e.args, scope);
        this.pos = e.pos;
        this.step();
        const outer = this.callSite;
        this.callSite = { pos: e.pos, args: e.args };
        try {
          return this.call(fn, args, kwargs);
        } finally {
          this.callSite = outer;
          this.pos = e.pos;
        }
      }
      case 'binop': {
        const left = this.eval(e.left, scope);
        const right = this.eval(e.right, scope);
        this.pos = e.pos;
        return binaryOp(e.op, left, right, this);
      }
      case 'unary':
        return unaryOp(e.op, this.eval(e.operand, scope), this);
      case 'boolop': {
        let value: PyValue = null;
        for (const v of e.values) {
          value = this.eval(v, scope);
          if (truthy(value, this) === (e.op === 'or')) return value;
        }
        return value;
      }
      case 'compare': {
        let left = this.eval(e.left, scope);
        for (let i = 0; i < e.ops.length; i++) {
          const right = this.eval(e.comparators[i], scope);
          if (!this.compare(e.ops[i], left, right)) return false;
          left = right;
        }
        return true;
      }
      case 'ifexp':
        return truthy(this.eval(e.test, scope), this) ? this.eval(e.body, scope) : this.eval(e.orelse, scope);
      case 'lambda':
        return this.makeFunction('<lambda>', e.params, e.body, scope, e.pos);
      case 'comprehension':
        return this.evalComprehension(e, scope);
      case 'dictcomp': {
        const d = new PyDict();
        this.runGenerators(e.generators, scope, (inner) => {
          const key = this.eval(e.key, inner);
          d.entries.set(hashKey(key), [key, this.eval(e.value, inner)]);
          this.checkListSize(d.entries.size);
        });
        return d;
      }
      case 'starred':
        throw new PyError('SyntaxError', "can't use starred expression here", e.pos);
    }
  }

  private evalItems(elts: Expr[], scope: Scope): PyValue[] {
    const out: PyValue[] = [];
    for (const x of elts) {
      if (x.kind === 'starred') out.push(...this.iterate(this.eval(x.value, scope)));
      else out.push(this.eval(x, scope));
    }
    this.checkListSize(out.length);
    return out;
  }

  private evalArguments(argNodes: Argument[], scope: Scope): { args: PyValue[]; kwargs: Map<string, PyValue> } {
    const args: PyValue[] = [];
    const kwargs = new Map<string, PyValue>();
    for (const a of argNodes) {
      switch (a.kind) {
        case 'positional':
          args.push(this.eval(a.value, scope));
          break;
        case 'star':
          args.push(...this.iterate(this.eval(a.value, scope)));
          break;
        case 'keyword':
          kwargs.set(a.name!, this.eval(a.value, scope));
          break;
        case 'doublestar': {
          const d = this.eval(a.value, scope);
          if (!(d instanceof PyDict)) throw typeError(`argument after ** must be a mapping, not ${typeName(d)}`);
          for (const [k, v] of d.entries.values()) {
            if (typeof k !== 'string') throw typeError('keywords must be strings');
            if (kwargs.has(k)) throw typeError(`got multiple values for keyword argument '${k}'`);
            kwargs.set(k, v);
          }
          break;
        }
      }
    }
    this.checkListSize(args.length);
    return { args, kwargs };
  }

  /** Keyword arguments' positions, for messages about a particular keyword (used by the caffe module). */
  static keywordPositions(argNodes: Argument[]): Map<string, Pos> {
    return new Map(argNodes.filter((a) => a.kind === 'keyword').map((a) => [a.name!, a.pos]));
  }

  private evalFString(parts: FStringPart[], scope: Scope): string {
    let out = '';
    for (const part of parts) {
      if (typeof part === 'string') out += part;
      else {
        const value = this.eval(part.expr, scope);
        const converted =
          part.conversion === 'r' || part.conversion === 'a' ? this.repr(value) : part.conversion === 's' ? this.str(value) : value;
        const spec = part.spec ? this.evalFString(part.spec, scope) : '';
        out += formatValue(converted, spec, this);
      }
      this.checkStringSize(out.length);
    }
    return out;
  }

  private evalComprehension(e: Extract<Expr, { kind: 'comprehension' }>, scope: Scope): PyValue {
    const items: PyValue[] = [];
    this.runGenerators(e.generators, scope, (inner) => {
      items.push(this.eval(e.elt, inner));
      this.checkListSize(items.length);
    });
    if (e.shape === 'set') {
      const set = new PySet();
      for (const v of items) set.entries.set(hashKey(v), v);
      return set;
    }
    // A generator expression is consumed by whatever receives it; a list serves every such use.
    return new PyList(items);
  }

  private runGenerators(generators: { target: Expr; iter: Expr; ifs: Expr[] }[], scope: Scope, body: (inner: Scope) => void): void {
    const inner = new Scope('comprehension', scope);
    const loop = (level: number): void => {
      if (level === generators.length) {
        body(inner);
        return;
      }
      const g = generators[level];
      // The first iterable is evaluated in the enclosing scope, as Python does.
      const iterable = this.eval(g.iter, level === 0 ? scope : inner);
      for (const item of this.iterateLazily(iterable)) {
        this.step();
        this.assign(g.target, item, inner);
        if (g.ifs.every((cond) => truthy(this.eval(cond, inner), this))) loop(level + 1);
      }
    };
    loop(0);
  }

  private compare(op: string, a: PyValue, b: PyValue): boolean {
    switch (op) {
      case '==':
        return this.equalValues(a, b);
      case '!=':
        return !this.equalValues(a, b);
      case 'is':
        return a === b;
      case 'is not':
        return a !== b;
      case 'in':
        return this.contains(b, a);
      case 'not in':
        return !this.contains(b, a);
      default:
        return compareOrder(op, a, b);
    }
  }

  private equalValues(a: PyValue, b: PyValue): boolean {
    if (a instanceof HostObject && a.binary) {
      const r = a.binary('==', b, false, this);
      if (r !== undefined) return truthy(r, this);
    }
    return equals(a, b);
  }

  private contains(container: PyValue, item: PyValue): boolean {
    if (typeof container === 'string') {
      if (typeof item !== 'string') throw typeError(`'in <string>' requires string as left operand, not ${typeName(item)}`);
      return container.includes(item);
    }
    if (container instanceof PyDict || container instanceof PySet) return container.entries.has(hashKey(item));
    if (container instanceof PyRange) {
      if (typeof item !== 'bigint') return false;
      const { start, step } = container;
      const inRange = step > 0n ? item >= start && item < container.stop : item <= start && item > container.stop;
      return inRange && (item - start) % step === 0n;
    }
    return this.iterate(container).some((x) => equals(x, item));
  }

  // ───── attributes, items, iteration ─────

  getAttr(obj: PyValue, name: string): PyValue {
    if (/^__.*__$/.test(name) && !ALLOWED_DUNDERS.has(name)) {
      throw attributeError(`access to '${name}' is blocked by brewnet's sandbox`, 'net scripts have no use for Python internals');
    }
    if (obj instanceof PyInstance) {
      const own = obj.attrs.get(name);
      if (own !== undefined) return own;
      const found = obj.cls.lookup(name);
      if (found instanceof PyFunction || found instanceof PyBuiltin) return new PyBoundMethod(obj, found);
      if (found !== undefined) return found;
      if (name === '__name__') throw attributeError(`'${obj.cls.name}' object has no attribute '__name__'`);
      throw this.noAttribute(`'${obj.cls.name}' object`, name, [...obj.attrs.keys(), ...classNames(obj.cls)]);
    }
    if (obj instanceof PyClass) {
      if (name === '__name__') return obj.name;
      const found = obj.lookup(name);
      if (found !== undefined) return found;
      throw this.noAttribute(`type object '${obj.name}'`, name, classNames(obj));
    }
    if (obj instanceof PySuper) {
      const start = obj.cls.bases[0];
      const found = start?.lookup(name);
      if (found instanceof PyFunction || found instanceof PyBuiltin) return new PyBoundMethod(obj.self, found);
      if (found !== undefined) return found;
      throw attributeError(`'super' object has no attribute '${name}'`);
    }
    if (obj instanceof PyModule) {
      const found = obj.attrs.get(name);
      if (found !== undefined) return found;
      throw this.noAttribute(`module '${obj.name}'`, name, [...obj.attrs.keys()]);
    }
    if (obj instanceof HostObject) {
      const found = obj.getAttr(name, this);
      if (found !== undefined) return found;
      throw this.noAttribute(`'${obj.typeName}' object`, name, obj.attrNames?.() ?? []);
    }
    if ((obj instanceof PyFunction || obj instanceof PyBuiltin) && name === '__name__') return obj.name;
    const method = methodOf(obj, name);
    if (method) return new PyBoundMethod(obj, method);
    return noMethod(obj, name);
  }

  private noAttribute(what: string, name: string, candidates: string[]): PyError {
    const hint = closest(
      name,
      candidates.filter((c) => !c.startsWith('_')),
    );
    return attributeError(`${what} has no attribute '${name}'${hint ? ` (did you mean '${hint}'?)` : ''}`);
  }

  setAttr(obj: PyValue, name: string, value: PyValue): void {
    if (/^__.*__$/.test(name)) throw attributeError(`setting '${name}' is blocked by brewnet's sandbox`);
    if (obj instanceof PyInstance) {
      obj.attrs.set(name, value);
      return;
    }
    if (obj instanceof PyClass) {
      if (obj.frozen) throw typeError(`cannot set '${name}' attribute of immutable type '${obj.name}'`);
      obj.attrs.set(name, value);
      return;
    }
    if (obj instanceof HostObject && obj.setAttr(name, value, this)) return;
    if (obj instanceof PyModule) {
      obj.attrs.set(name, value);
      return;
    }
    throw attributeError(`'${typeName(obj)}' object has no attribute '${name}'${obj instanceof HostObject ? ' (or it is read-only)' : ''}`);
  }

  getItem(obj: PyValue, key: PyValue): PyValue {
    if (obj instanceof PyList || obj instanceof PyTuple || typeof obj === 'string') {
      const items = typeof obj === 'string' ? [...obj] : obj.items;
      if (key instanceof PySlice) {
        const picked = sliceItems(items, key);
        if (typeof obj === 'string') return picked.join('');
        return obj instanceof PyList ? new PyList(picked as PyValue[]) : new PyTuple(picked as PyValue[]);
      }
      const i = sequenceIndex(key, items.length, typeName(obj));
      return items[i];
    }
    if (obj instanceof PyDict) {
      const entry = obj.entries.get(hashKey(key));
      if (!entry) throw keyError(this.repr(key));
      return entry[1];
    }
    if (obj instanceof PyRange) {
      const n = Number(obj.length);
      const i = sequenceIndex(key, n, 'range');
      return obj.start + BigInt(i) * obj.step;
    }
    if (obj instanceof HostObject && obj.getItem) return obj.getItem(key, this);
    if (obj instanceof PyClass) throw typeError(`type '${obj.name}' is not subscriptable`);
    throw typeError(`'${typeName(obj)}' object is not subscriptable`);
  }

  setItem(obj: PyValue, key: PyValue, value: PyValue): void {
    if (obj instanceof PyList) {
      if (key instanceof PySlice) throw typeError('slice assignment is not supported');
      obj.items[sequenceIndex(key, obj.items.length, 'list', 'assignment')] = value;
      return;
    }
    if (obj instanceof PyDict) {
      const k = hashKey(key);
      const existing = obj.entries.get(k);
      obj.entries.set(k, [existing ? existing[0] : key, value]);
      this.checkListSize(obj.entries.size);
      return;
    }
    if (obj instanceof HostObject && obj.setItem) {
      obj.setItem(key, value, this);
      return;
    }
    throw typeError(`'${typeName(obj)}' object does not support item assignment`);
  }

  private delItem(obj: PyValue, key: PyValue): void {
    if (obj instanceof PyList) {
      obj.items.splice(sequenceIndex(key, obj.items.length, 'list', 'assignment'), 1);
      return;
    }
    if (obj instanceof PyDict) {
      if (!obj.entries.delete(hashKey(key))) throw keyError(this.repr(key));
      return;
    }
    if (obj instanceof HostObject && obj.delItem) {
      obj.delItem(key, this);
      return;
    }
    throw typeError(`'${typeName(obj)}' object does not support item deletion`);
  }

  /** Iteration without materialising ranges (a `for` over range(10**9) is stopped by the step limit). */
  *iterateLazily(v: PyValue): Generator<PyValue> {
    if (v instanceof PyRange) {
      const { start, step } = v;
      for (let i = start; step > 0n ? i < v.stop : i > v.stop; i += step) yield i;
      return;
    }
    if (v instanceof PyList) {
      // The live list, as Python iterates it (appending while looping is seen by the loop).
      for (let i = 0; i < v.items.length; i++) yield v.items[i];
      return;
    }
    yield* this.iterate(v);
  }

  iterate(v: PyValue): PyValue[] {
    if (v instanceof PyList || v instanceof PyTuple) return [...v.items];
    if (typeof v === 'string') return [...v];
    if (v instanceof PyDict) return [...v.entries.values()].map(([k]) => k);
    if (v instanceof PySet) return [...v.entries.values()];
    if (v instanceof PyRange) {
      const n = v.length;
      this.checkListSize(n > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(n));
      this.charge(Number(n) / LIST_CELLS_PER_STEP);
      return [...this.iterateLazily(v)];
    }
    if (v instanceof HostObject && v.iterate) return v.iterate(this);
    throw typeError(`'${typeName(v)}' object is not iterable`);
  }

  truthy(v: PyValue): boolean {
    return truthy(v, this);
  }

  // ───── printing ─────

  repr(v: PyValue): string {
    if (v === null) return 'None';
    switch (typeof v) {
      case 'boolean':
        return v ? 'True' : 'False';
      case 'bigint':
        return v.toString();
      case 'number':
        return floatRepr(v);
      case 'string':
        return strRepr(v);
    }
    if (v instanceof PyList || v instanceof PyTuple || v instanceof PyDict || v instanceof PySet) {
      if (this.printing.has(v)) return v instanceof PyDict ? '{...}' : v instanceof PyList ? '[...]' : '(...)';
      this.printing.add(v);
      try {
        return this.containerRepr(v);
      } finally {
        this.printing.delete(v);
      }
    }
    if (v instanceof PyRange) return v.step === 1n ? `range(${v.start}, ${v.stop})` : `range(${v.start}, ${v.stop}, ${v.step})`;
    if (v instanceof PySlice) return `slice(${this.repr(v.start)}, ${this.repr(v.stop)}, ${this.repr(v.step)})`;
    if (v instanceof PyFunction) return `<function ${v.name}>`;
    if (v instanceof PyBuiltin) return `<built-in function ${v.name}>`;
    if (v instanceof PyBoundMethod) return `<bound method ${v.func.name} of ${this.repr(v.self)}>`;
    if (v instanceof PyClass) return `<class '${v.name}'>`;
    if (v instanceof PyModule) return `<module '${v.name}'>`;
    if (v instanceof PyInstance) {
      if (isExceptionClass(v.cls)) {
        const args = v.attrs.get('args');
        const items = args instanceof PyTuple ? args.items : [];
        return `${v.cls.name}(${items.map((a) => this.repr(a)).join(', ')})`;
      }
      return `<${v.cls.name} object>`;
    }
    if (v instanceof HostObject) return v.repr ? v.repr(this) : `<${v.typeName} object>`;
    return `<${typeName(v)}>`;
  }

  private containerRepr(v: PyList | PyTuple | PyDict | PySet): string {
    if (v instanceof PyList) return `[${v.items.map((x) => this.repr(x)).join(', ')}]`;
    if (v instanceof PyTuple)
      return v.items.length === 1 ? `(${this.repr(v.items[0])},)` : `(${v.items.map((x) => this.repr(x)).join(', ')})`;
    if (v instanceof PyDict) return `{${[...v.entries.values()].map(([k, x]) => `${this.repr(k)}: ${this.repr(x)}`).join(', ')}}`;
    return v.entries.size === 0 ? 'set()' : `{${[...v.entries.values()].map((x) => this.repr(x)).join(', ')}}`;
  }

  str(v: PyValue): string {
    if (typeof v === 'string') return v;
    if (v instanceof HostObject && v.str) return v.str(this);
    if (v instanceof PyInstance && isExceptionClass(v.cls)) return exceptionMessage(v, this);
    const text = this.repr(v);
    this.checkStringSize(text.length);
    return text;
  }
}

/** The root of the exception classes (builtins.ts fills in its methods). */
export const baseException = new PyClass('BaseException', [], new Map(), undefined, true);

/** The class a method was defined in (for zero-argument super()). */
export const classOfMethod = new WeakMap<PyFunction, PyClass>();

function classNames(cls: PyClass): string[] {
  const names = [...cls.attrs.keys()];
  for (const b of cls.bases) names.push(...classNames(b));
  return names;
}

export function isExceptionClass(cls: PyClass): boolean {
  return cls.isSubclassOf(baseException);
}

export function exceptionMessage(instance: PyInstance, rt: Runtime): string {
  const args = instance.attrs.get('args');
  const items = args instanceof PyTuple ? args.items : [];
  if (items.length === 0) return '';
  if (items.length === 1) return rt.str(items[0]);
  return rt.repr(new PyTuple(items));
}

function sequenceIndex(key: PyValue, length: number, what: string, action = ''): number {
  let i: number;
  if (typeof key === 'bigint') i = Number(key);
  else if (typeof key === 'boolean') i = key ? 1 : 0;
  else throw typeError(`${what} indices must be integers or slices, not ${typeName(key)}`);
  if (i < 0) i += length;
  if (i < 0 || i >= length) throw indexError(`${what} ${action ? action + ' ' : ''}index out of range`);
  return i;
}

function sliceBound(v: PyValue, length: number, fallback: number, step: number): number {
  if (v === null) return fallback;
  if (typeof v !== 'bigint' && typeof v !== 'boolean') throw typeError('slice indices must be integers or None');
  let i = Number(v);
  if (i < 0) i += length;
  if (step > 0) return Math.min(Math.max(i, 0), length);
  return Math.min(Math.max(i, -1), length - 1);
}

function sliceItems<T>(items: readonly T[], s: PySlice): T[] {
  const step = s.step === null ? 1 : Number(s.step as bigint);
  if (step === 0) throw valueError('slice step cannot be zero');
  const n = items.length;
  const start = sliceBound(s.start, n, step > 0 ? 0 : n - 1, step);
  const stop = sliceBound(s.stop, n, step > 0 ? n : -1, step);
  const out: T[] = [];
  for (let i = start; step > 0 ? i < stop : i > stop; i += step) out.push(items[i]);
  return out;
}
