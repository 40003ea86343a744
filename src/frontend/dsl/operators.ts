// Python's operators on built-in values: arithmetic with int/float/bool promotion and Python's floor
// division and modulo, sequence concatenation and repetition (size-checked before allocating), `%`
// formatting, comparisons, equality across numeric types, and the hash keys dicts and sets use.
import { limitError, pyError, typeError } from './errors.js';
import { percentFormat } from './format-spec.js';
import { LIST_CELLS_PER_STEP, STRING_CHARS_PER_STEP } from './limits.js';
import { HostObject, PyDict, PyList, PyObject, PyRange, PySet, PyTuple, typeName, type PyValue, type Runtime } from './values.js';

/** Integers larger than this many bits are refused (a script computing 10**10**10 would never end). */
export const MAX_INT_BITS = 65_536;

function bitLength(n: bigint): number {
  const abs = n < 0n ? -n : n;
  return abs === 0n ? 0 : abs.toString(16).length * 4;
}

function checkInt(n: bigint): bigint {
  if (bitLength(n) > MAX_INT_BITS)
    throw limitError('MemoryError', `integer result has more than ${MAX_INT_BITS} bits`, 'net scripts never need numbers this large');
  return n;
}

export function truthy(v: PyValue, rt: Runtime): boolean {
  if (v === null) return false;
  switch (typeof v) {
    case 'boolean':
      return v;
    case 'bigint':
      return v !== 0n;
    case 'number':
      return v !== 0; // nan is true, as in Python
    case 'string':
      return v.length > 0;
  }
  if (v instanceof PyList || v instanceof PyTuple) return v.items.length > 0;
  if (v instanceof PyDict || v instanceof PySet) return v.entries.size > 0;
  if (v instanceof PyRange) return v.length > 0n;
  if (v instanceof HostObject && v.length) return v.length(rt) > 0;
  return true;
}

/** A number as int or float, treating bool as int; undefined for anything else. */
export function numeric(v: PyValue): bigint | number | undefined {
  if (typeof v === 'bigint' || typeof v === 'number') return v;
  if (typeof v === 'boolean') return v ? 1n : 0n;
  return undefined;
}

const objectIds = new WeakMap<object, number>();
let nextObjectId = 1;

export function identity(o: object): number {
  let id = objectIds.get(o);
  if (id === undefined) {
    id = nextObjectId++;
    objectIds.set(o, id);
  }
  return id;
}

/** The key under which dicts and sets store a value: equal values (1, 1.0, True) share a key. */
export function hashKey(v: PyValue): string {
  if (v === null) return 'N';
  switch (typeof v) {
    case 'boolean':
      return v ? 'i1' : 'i0';
    case 'bigint':
      return 'i' + v.toString();
    case 'number':
      return Number.isInteger(v) ? 'i' + BigInt(v).toString() : 'f' + String(v);
    case 'string':
      return 's' + v;
  }
  if (v instanceof PyTuple) return 't(' + v.items.map(hashKey).join(',') + ')';
  if (v instanceof PyList || v instanceof PyDict || v instanceof PySet) throw typeError(`unhashable type: '${v.typeName}'`);
  return 'o' + identity(v as PyObject);
}

export function equals(a: PyValue, b: PyValue): boolean {
  if (a === b) return true;
  const x = numeric(a);
  const y = numeric(b);
  if (x !== undefined && y !== undefined) {
    if (typeof x === 'bigint' && typeof y === 'bigint') return x === y;
    if (typeof x === 'number' && typeof y === 'number') return x === y;
    // int vs float: exact comparison (2**53 + 1 != 2.0**53).
    const f = typeof x === 'number' ? x : (y as number);
    const i = typeof x === 'bigint' ? x : (y as bigint);
    return Number.isInteger(f) && BigInt(f) === i;
  }
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (a instanceof PyList && b instanceof PyList) return sequenceEquals(a.items, b.items);
  if (a instanceof PyTuple && b instanceof PyTuple) return sequenceEquals(a.items, b.items);
  if (a instanceof PyDict && b instanceof PyDict) {
    if (a.entries.size !== b.entries.size) return false;
    for (const [key, [, value]] of a.entries) {
      const other = b.entries.get(key);
      if (!other || !equals(value, other[1])) return false;
    }
    return true;
  }
  if (a instanceof PySet && b instanceof PySet) {
    return a.entries.size === b.entries.size && [...a.entries.keys()].every((k) => b.entries.has(k));
  }
  if (a instanceof PyRange && b instanceof PyRange) return a.start === b.start && a.stop === b.stop && a.step === b.step;
  return false;
}

function sequenceEquals(a: readonly PyValue[], b: readonly PyValue[]): boolean {
  return a.length === b.length && a.every((x, i) => equals(x, b[i]));
}

/** <, <=, >, >= */
export function compareOrder(op: string, a: PyValue, b: PyValue): boolean {
  const x = numeric(a);
  const y = numeric(b);
  let c: number | undefined;
  if (x !== undefined && y !== undefined) c = compareNumbers(x, y);
  else if (typeof a === 'string' && typeof b === 'string') c = a < b ? -1 : a > b ? 1 : 0;
  else if ((a instanceof PyList && b instanceof PyList) || (a instanceof PyTuple && b instanceof PyTuple)) {
    const n = Math.min(a.items.length, b.items.length);
    for (let i = 0; i < n; i++) {
      if (!equals(a.items[i], b.items[i])) return compareOrder(op, a.items[i], b.items[i]);
    }
    c = a.items.length - b.items.length;
  }
  if (c === undefined || Number.isNaN(c)) {
    if (c !== undefined) return false;
    throw typeError(`'${op}' not supported between instances of '${typeName(a)}' and '${typeName(b)}'`);
  }
  switch (op) {
    case '<':
      return c < 0;
    case '<=':
      return c <= 0;
    case '>':
      return c > 0;
    default:
      return c >= 0;
  }
}

function compareNumbers(x: bigint | number, y: bigint | number): number {
  if (typeof x === 'bigint' && typeof y === 'bigint') return x < y ? -1 : x > y ? 1 : 0;
  const a = Number(x);
  const b = Number(y);
  if (Number.isNaN(a) || Number.isNaN(b)) return NaN;
  return a < b ? -1 : a > b ? 1 : 0;
}

function unsupported(op: string, a: PyValue, b: PyValue): never {
  throw typeError(`unsupported operand type(s) for ${op}: '${typeName(a)}' and '${typeName(b)}'`);
}

function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b !== 0n && a < 0n !== b < 0n ? q - 1n : q;
}

function pyMod(a: bigint, b: bigint): bigint {
  const r = a % b;
  return r !== 0n && r < 0n !== b < 0n ? r + b : r;
}

function repeat(count: PyValue, length: number, rt: Runtime, kind: 'str' | 'list'): number {
  const n = numeric(count);
  if (typeof n !== 'bigint') throw typeError(`can't multiply sequence by non-int of type '${typeName(count)}'`);
  const times = n < 0n ? 0n : n;
  const total = BigInt(length) * times;
  if (kind === 'str') rt.checkStringSize(total > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(total));
  else rt.checkListSize(total > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(total));
  rt.charge(Number(total) / (kind === 'str' ? STRING_CHARS_PER_STEP : LIST_CELLS_PER_STEP));
  return Number(times);
}

export function binaryOp(op: string, a: PyValue, b: PyValue, rt: Runtime): PyValue {
  if (a instanceof HostObject && a.binary) {
    const r = a.binary(op, b, false, rt);
    if (r !== undefined) return r;
  }
  if (b instanceof HostObject && b.binary) {
    const r = b.binary(op, a, true, rt);
    if (r !== undefined) return r;
  }
  const x = numeric(a);
  const y = numeric(b);
  if (x !== undefined && y !== undefined) return numericOp(op, x, y, a, b);
  switch (op) {
    case '+':
      if (typeof a === 'string' && typeof b === 'string') {
        rt.checkStringSize(a.length + b.length);
        return a + b;
      }
      if (typeof a === 'string') throw typeError(`can only concatenate str (not "${typeName(b)}") to str`);
      if (a instanceof PyList && b instanceof PyList) {
        rt.checkListSize(a.items.length + b.items.length);
        rt.charge((a.items.length + b.items.length) / LIST_CELLS_PER_STEP);
        return new PyList([...a.items, ...b.items]);
      }
      if (a instanceof PyList) throw typeError(`can only concatenate list (not "${typeName(b)}") to list`);
      if (a instanceof PyTuple && b instanceof PyTuple) {
        rt.checkListSize(a.items.length + b.items.length);
        rt.charge((a.items.length + b.items.length) / LIST_CELLS_PER_STEP);
        return new PyTuple([...a.items, ...b.items]);
      }
      if (a instanceof PyTuple) throw typeError(`can only concatenate tuple (not "${typeName(b)}") to tuple`);
      return unsupported(op, a, b);
    case '*': {
      if (typeof a === 'string' || typeof b === 'string') {
        const [s, n] = typeof a === 'string' ? [a, b] : [b as string, a];
        return s.repeat(repeat(n, s.length, rt, 'str'));
      }
      const seq = a instanceof PyList || a instanceof PyTuple ? a : b instanceof PyList || b instanceof PyTuple ? b : undefined;
      if (seq) {
        const times = repeat(seq === a ? b : a, seq.items.length, rt, 'list');
        const items: PyValue[] = [];
        for (let i = 0; i < times; i++) for (const item of seq.items) items.push(item);
        return seq instanceof PyList ? new PyList(items) : new PyTuple(items);
      }
      return unsupported(op, a, b);
    }
    case '%':
      if (typeof a === 'string') {
        const out = percentFormat(a, b, rt);
        rt.checkStringSize(out.length);
        return out;
      }
      return unsupported(op, a, b);
    case '|':
      if (a instanceof PyDict && b instanceof PyDict) {
        const d = new PyDict();
        for (const [k, e] of a.entries) d.entries.set(k, e);
        for (const [k, e] of b.entries) d.entries.set(k, e);
        return d;
      }
      return unsupported(op, a, b);
    default:
      return unsupported(op, a, b);
  }
}

function numericOp(op: string, x: bigint | number, y: bigint | number, a: PyValue, b: PyValue): PyValue {
  if (typeof x === 'bigint' && typeof y === 'bigint') {
    switch (op) {
      case '+':
        return checkInt(x + y);
      case '-':
        return checkInt(x - y);
      case '*':
        if (bitLength(x) + bitLength(y) > MAX_INT_BITS + 1) checkInt(1n << BigInt(MAX_INT_BITS + 1));
        return checkInt(x * y);
      case '/':
        if (y === 0n) throw pyError('ZeroDivisionError', 'division by zero');
        return Number(x) / Number(y);
      case '//':
        if (y === 0n) throw pyError('ZeroDivisionError', 'integer division or modulo by zero');
        return floorDiv(x, y);
      case '%':
        if (y === 0n) throw pyError('ZeroDivisionError', 'integer division or modulo by zero');
        return pyMod(x, y);
      case '**':
        if (y < 0n) {
          if (x === 0n) throw pyError('ZeroDivisionError', '0.0 cannot be raised to a negative power');
          return Number(x) ** Number(y);
        }
        if (x !== 0n && x !== 1n && x !== -1n && bitLength(x) * Number(y > 1_000_000n ? 1_000_000n : y) > MAX_INT_BITS) {
          checkInt(1n << BigInt(MAX_INT_BITS + 1));
        }
        return checkInt(x ** y);
      case '<<':
        if (y < 0n) throw pyError('ValueError', 'negative shift count');
        if (x !== 0n && y > BigInt(MAX_INT_BITS)) checkInt(1n << BigInt(MAX_INT_BITS + 1));
        return checkInt(x << y);
      case '>>':
        if (y < 0n) throw pyError('ValueError', 'negative shift count');
        return x >> y;
      case '&':
        return typeof a === 'boolean' && typeof b === 'boolean' ? a && b : x & y;
      case '|':
        return typeof a === 'boolean' && typeof b === 'boolean' ? a || b : x | y;
      case '^':
        return typeof a === 'boolean' && typeof b === 'boolean' ? a !== b : x ^ y;
      default:
        return unsupported(op, a, b);
    }
  }
  const p = Number(x);
  const q = Number(y);
  switch (op) {
    case '+':
      return p + q;
    case '-':
      return p - q;
    case '*':
      return p * q;
    case '/':
      if (q === 0) throw pyError('ZeroDivisionError', 'float division by zero');
      return p / q;
    case '//':
      if (q === 0) throw pyError('ZeroDivisionError', 'float floor division by zero');
      return Math.floor(p / q);
    case '%': {
      if (q === 0) throw pyError('ZeroDivisionError', 'float modulo');
      const r = p % q;
      return r !== 0 && r < 0 !== q < 0 ? r + q : r;
    }
    case '**': {
      if (p === 0 && q < 0) throw pyError('ZeroDivisionError', '0.0 cannot be raised to a negative power');
      const r = p ** q;
      if (Number.isNaN(r) && p < 0) throw pyError('ValueError', 'complex results are not supported');
      if (!Number.isFinite(r) && Number.isFinite(p) && Number.isFinite(q)) throw pyError('OverflowError', 'Numerical result out of range');
      return r;
    }
    default:
      return unsupported(op, a, b);
  }
}

export function unaryOp(op: string, v: PyValue, rt: Runtime): PyValue {
  if (op === 'not') return !truthy(v, rt);
  if (v instanceof HostObject && v.binary) {
    const r = v.binary('unary' + op, null, false, rt);
    if (r !== undefined) return r;
  }
  const n = numeric(v);
  if (n === undefined) throw typeError(`bad operand type for unary ${op}: '${typeName(v)}'`);
  switch (op) {
    case '-':
      return typeof n === 'bigint' ? -n : -n;
    case '+':
      return n;
    default:
      if (typeof n !== 'bigint') throw typeError(`bad operand type for unary ~: 'float'`);
      return ~n;
  }
}
