// Python values inside brewnet's interpreter. Immutable scalars are JS primitives (None = null, bool =
// boolean, int = bigint, float = number, str = string); everything else is an instance of one of the
// classes below. Nothing here wraps a JS object the script could reach through: attributes live in Maps
// keyed by name, and host objects (NetSpec, layers, Theano tensors) answer only the names they define.
import type { Argument, Param, Stmt, Expr, Pos } from '../../../grammar/python-ast.js';
import type { Scope } from './scope.js';

export type PyValue = null | boolean | bigint | number | string | PyObject;

export abstract class PyObject {
  abstract readonly typeName: string;
}

export class PyList extends PyObject {
  readonly typeName = 'list';
  constructor(public items: PyValue[]) {
    super();
  }
}

export class PyTuple extends PyObject {
  readonly typeName = 'tuple';
  constructor(readonly items: readonly PyValue[]) {
    super();
  }
}

/** dict: insertion-ordered; keys are compared by Python equality through a hash key string. */
export class PyDict extends PyObject {
  readonly typeName = 'dict';
  readonly entries = new Map<string, [PyValue, PyValue]>();
}

export class PySet extends PyObject {
  readonly typeName = 'set';
  readonly entries = new Map<string, PyValue>();
}

export class PyRange extends PyObject {
  readonly typeName = 'range';
  constructor(
    readonly start: bigint,
    readonly stop: bigint,
    readonly step: bigint,
  ) {
    super();
  }
  get length(): bigint {
    const { start, stop, step } = this;
    if (step > 0n) return stop > start ? (stop - start + step - 1n) / step : 0n;
    return start > stop ? (start - stop - step - 1n) / -step : 0n;
  }
}

export class PySlice extends PyObject {
  readonly typeName = 'slice';
  constructor(
    readonly start: PyValue,
    readonly stop: PyValue,
    readonly step: PyValue,
  ) {
    super();
  }
}

export type NativeFn = (args: PyValue[], kwargs: Map<string, PyValue>, rt: Runtime) => PyValue;

/** A function implemented by brewnet (builtins, module functions, methods of built-in types). */
export class PyBuiltin extends PyObject {
  readonly typeName = 'builtin_function_or_method';
  constructor(
    readonly name: string,
    readonly fn: NativeFn,
  ) {
    super();
  }
}

/** A `def` or `lambda` of the script. */
export class PyFunction extends PyObject {
  readonly typeName = 'function';
  constructor(
    readonly name: string,
    readonly params: Param[],
    readonly body: Stmt[] | Expr,
    readonly defaults: Map<string, PyValue>,
    /** The scope the function was defined in (closures read it). */
    readonly closure: Scope,
    readonly pos: Pos,
  ) {
    super();
  }
}

export class PyClass extends PyObject {
  readonly typeName = 'type';
  constructor(
    readonly name: string,
    readonly bases: PyClass[],
    readonly attrs: Map<string, PyValue>,
    /** Built-in types (int, list, …) construct natively. */
    readonly construct?: NativeFn,
    /** Built-in classes cannot be changed by a script (they are shared between runs). */
    readonly frozen = false,
  ) {
    super();
  }

  /** Method resolution order: depth-first, left to right (enough for single inheritance). */
  lookup(name: string): PyValue | undefined {
    if (this.attrs.has(name)) return this.attrs.get(name);
    for (const base of this.bases) {
      const found = base.lookup(name);
      if (found !== undefined) return found;
    }
    return undefined;
  }

  isSubclassOf(other: PyClass): boolean {
    return this === other || this.bases.some((b) => b.isSubclassOf(other));
  }
}

export class PyInstance extends PyObject {
  readonly attrs = new Map<string, PyValue>();
  constructor(readonly cls: PyClass) {
    super();
  }
  get typeName(): string {
    return this.cls.name;
  }
}

export class PyBoundMethod extends PyObject {
  readonly typeName = 'method';
  constructor(
    readonly self: PyValue,
    readonly func: PyFunction | PyBuiltin,
  ) {
    super();
  }
}

export class PyModule extends PyObject {
  readonly typeName = 'module';
  constructor(
    readonly name: string,
    readonly attrs: Map<string, PyValue>,
  ) {
    super();
  }
}

/** `super()` inside a method: looks attributes up from the class after `cls` in the instance's MRO. */
export class PySuper extends PyObject {
  readonly typeName = 'super';
  constructor(
    readonly cls: PyClass,
    readonly self: PyValue,
  ) {
    super();
  }
}

/**
 * Objects brewnet itself provides to scripts (NetSpec, Top, layer functions, messages, tensors, files).
 * Each answers only what it defines; an undefined result means "no such attribute / not supported".
 */
export abstract class HostObject extends PyObject {
  getAttr(_name: string, _rt: Runtime): PyValue | undefined {
    return undefined;
  }
  /** Returns false when the attribute cannot be set. */
  setAttr(_name: string, _value: PyValue, _rt: Runtime): boolean {
    return false;
  }
  call?(args: PyValue[], kwargs: Map<string, PyValue>, rt: Runtime): PyValue;
  getItem?(key: PyValue, rt: Runtime): PyValue;
  setItem?(key: PyValue, value: PyValue, rt: Runtime): void;
  delItem?(key: PyValue, rt: Runtime): void;
  iterate?(rt: Runtime): PyValue[];
  length?(rt: Runtime): number;
  repr?(rt: Runtime): string;
  str?(rt: Runtime): string;
  /** Binary operators on host objects (Theano tensors); undefined when not supported. */
  binary?(op: string, other: PyValue, reflected: boolean, rt: Runtime): PyValue | undefined;
  /** Names listed by dir() and used for "did you mean" hints. */
  attrNames?(): string[];
}

/** What built-in functions and host objects may ask of the interpreter. */
export interface Runtime {
  readonly file: string;
  /** The position of the call or statement being evaluated (for errors raised by native code). */
  readonly pos: Pos;
  /** The call being made from script code, with its argument nodes (keyword positions for messages). */
  readonly callSite?: { pos: Pos; args: readonly Argument[] };
  call(fn: PyValue, args: PyValue[], kwargs?: Map<string, PyValue>): PyValue;
  repr(v: PyValue): string;
  str(v: PyValue): string;
  iterate(v: PyValue): PyValue[];
  truthy(v: PyValue): boolean;
  getAttr(v: PyValue, name: string): PyValue;
  /** Charges `n` units of work against the step budget (bulk operations). */
  charge(n: number): void;
  checkStringSize(n: number): void;
  checkListSize(n: number): void;
  writeStderr(text: string): void;
  readonly host: HostServices;
}

/** Services outside the interpreter proper: output files, input shapes, limits' flags. */
export interface HostServices {
  openForWrite(path: string, mode: string): PyValue;
  /** Shapes given with --input, by blob name. */
  inputShape(name: string): number[] | undefined;
}

export const None = null;

export function typeName(v: PyValue): string {
  if (v === null) return 'NoneType';
  switch (typeof v) {
    case 'boolean':
      return 'bool';
    case 'bigint':
      return 'int';
    case 'number':
      return 'float';
    case 'string':
      return 'str';
    default:
      return v.typeName;
  }
}

export function tuple(...items: PyValue[]): PyTuple {
  return new PyTuple(items);
}

export function list(items: PyValue[]): PyList {
  return new PyList(items);
}
