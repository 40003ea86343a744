// Python's built-in functions and types, as far as net scripts use them, plus the exception classes.
// The ones that would open a way out of the sandbox (eval, exec, compile, __import__, globals, input …)
// exist only to refuse clearly; `open` writes captured output files and refuses to read.
import { pyError, sandboxError, typeError, valueError } from './errors.js';
import { formatValue } from './format-spec.js';
import { baseException, classOfMethod, Interpreter } from './interpreter.js';
import { sortValues, updateDict } from './methods.js';
import { binaryOp, compareOrder, hashKey, numeric } from './operators.js';
import {
  HostObject,
  PyBoundMethod,
  PyBuiltin,
  PyClass,
  PyDict,
  PyFunction,
  PyInstance,
  PyList,
  PyRange,
  PySet,
  PySlice,
  PySuper,
  PyTuple,
  typeName,
  type NativeFn,
  type PyValue,
  type Runtime,
} from './values.js';

function expectArgs(name: string, args: PyValue[], min: number, max = min): void {
  if (args.length < min || args.length > max) {
    const takes =
      min === max
        ? `exactly ${min} argument${min === 1 ? '' : 's'}`
        : args.length < min
          ? `at least ${min} arguments`
          : `at most ${max} arguments`;
    throw typeError(`${name}() takes ${takes} (${args.length} given)`);
  }
}

function toInt(v: PyValue, base: PyValue | undefined): bigint {
  if (base !== undefined && typeof v !== 'string') throw typeError("int() can't convert non-string with explicit base");
  if (typeof v === 'bigint') return v;
  if (typeof v === 'boolean') return v ? 1n : 0n;
  if (typeof v === 'number') {
    if (!Number.isFinite(v))
      throw pyError(
        Number.isNaN(v) ? 'ValueError' : 'OverflowError',
        `cannot convert float ${Number.isNaN(v) ? 'NaN' : 'infinity'} to integer`,
      );
    return BigInt(Math.trunc(v));
  }
  if (typeof v === 'string') {
    const b = base === undefined ? 10 : Number(base as bigint);
    const text = v.trim().replace(/_/g, '');
    const digits =
      b === 16 ? /^[+-]?(0[xX])?[0-9a-fA-F]+$/ : b === 8 ? /^[+-]?(0[oO])?[0-7]+$/ : b === 2 ? /^[+-]?(0[bB])?[01]+$/ : /^[+-]?\d+$/;
    if (!digits.test(text) || (b !== 10 && b !== 16 && b !== 8 && b !== 2)) {
      throw valueError(`invalid literal for int() with base ${b}: ${JSON.stringify(v).replace(/^"|"$/g, "'")}`);
    }
    const negative = text.startsWith('-');
    const body = text.replace(/^[+-]/, '').replace(/^0[xXoObB]/, '');
    const prefix = b === 16 ? '0x' : b === 8 ? '0o' : b === 2 ? '0b' : '';
    const n = BigInt(prefix + body);
    return negative ? -n : n;
  }
  throw typeError(`int() argument must be a string or a real number, not '${typeName(v)}'`);
}

function toFloat(v: PyValue): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint' || typeof v === 'boolean') return Number(numeric(v));
  if (typeof v === 'string') {
    const t = v.trim().toLowerCase();
    if (/^[+-]?(inf|infinity)$/.test(t)) return t.startsWith('-') ? -Infinity : Infinity;
    if (/^[+-]?nan$/.test(t)) return NaN;
    if (!/^[+-]?(\d[\d_]*\.?[\d_]*|\.\d[\d_]*)(e[+-]?\d+)?$/.test(t)) throw valueError(`could not convert string to float: '${v}'`);
    return Number(t.replace(/_/g, ''));
  }
  throw typeError(`float() argument must be a string or a real number, not '${typeName(v)}'`);
}

function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 ? 2 * Math.round(x / 2) : r;
}

function minMax(name: 'min' | 'max', args: PyValue[], kwargs: Map<string, PyValue>, rt: Runtime): PyValue {
  const items = args.length === 1 ? rt.iterate(args[0]) : args;
  if (items.length === 0) {
    if (kwargs.has('default')) return kwargs.get('default')!;
    throw valueError(`${name}() arg is an empty sequence`);
  }
  const key = kwargs.get('key') ?? null;
  let best = items[0];
  let bestKey = key === null ? best : rt.call(key, [best]);
  for (const item of items.slice(1)) {
    const k = key === null ? item : rt.call(key, [item]);
    if (compareOrder(name === 'min' ? '<' : '>', k, bestKey)) {
      best = item;
      bestKey = k;
    }
  }
  return best;
}

function exceptionClasses(): Map<string, PyClass> {
  const classes = new Map<string, PyClass>();
  classes.set('BaseException', baseException);
  const tree: [string, string][] = [
    ['Exception', 'BaseException'],
    ['ArithmeticError', 'Exception'],
    ['ZeroDivisionError', 'ArithmeticError'],
    ['OverflowError', 'ArithmeticError'],
    ['LookupError', 'Exception'],
    ['KeyError', 'LookupError'],
    ['IndexError', 'LookupError'],
    ['AssertionError', 'Exception'],
    ['AttributeError', 'Exception'],
    ['NameError', 'Exception'],
    ['UnboundLocalError', 'NameError'],
    ['TypeError', 'Exception'],
    ['ValueError', 'Exception'],
    ['RuntimeError', 'Exception'],
    ['NotImplementedError', 'RuntimeError'],
    ['RecursionError', 'RuntimeError'],
    ['ImportError', 'Exception'],
    ['ModuleNotFoundError', 'ImportError'],
    ['StopIteration', 'Exception'],
    ['OSError', 'Exception'],
    ['PermissionError', 'OSError'],
    ['FileNotFoundError', 'OSError'],
    ['MemoryError', 'Exception'],
    ['SyntaxError', 'Exception'],
    ['TimeoutError', 'OSError'],
  ];
  for (const [name, base] of tree) classes.set(name, new PyClass(name, [classes.get(base)!], new Map(), undefined, true));
  return classes;
}

// BaseException.__init__ keeps its arguments, as Python's does (str(e) reads them).
baseException.attrs.set(
  '__init__',
  new PyBuiltin('__init__', (args) => {
    const self = args[0];
    if (self instanceof PyInstance) self.attrs.set('args', new PyTuple(args.slice(1)));
    return null;
  }),
);

const FORBIDDEN: Record<string, string> = {
  eval: 'a net script cannot run code from strings',
  exec: 'a net script cannot run code from strings',
  compile: 'a net script cannot run code from strings',
  __import__: 'use an import statement; only the modules brewnet provides can be imported',
  globals: 'the sandbox does not expose its namespaces',
  locals: 'the sandbox does not expose its namespaces',
  vars: 'the sandbox does not expose its namespaces',
  input: 'a net script cannot read input',
  breakpoint: 'there is no debugger in the sandbox',
  memoryview: 'the sandbox has no raw memory',
  exit: 'a net script ends when its last statement runs',
  quit: 'a net script ends when its last statement runs',
  help: 'there is no interactive help in the sandbox',
  delattr: 'deleting attributes by name is not supported',
};

/** Classes of host objects, made on demand so that type(x) and isinstance work on them. */
const hostClasses = new Map<string, PyClass>();

export function createBuiltins(): Map<string, PyValue> {
  const b = new Map<string, PyValue>();
  const fn = (name: string, f: NativeFn) => b.set(name, new PyBuiltin(name, f));
  const type = (name: string, construct: NativeFn, base?: PyClass) => {
    const cls = new PyClass(name, base ? [base] : [], new Map(), construct, true);
    b.set(name, cls);
    return cls;
  };

  const object = type('object', () => new PyInstance(b.get('object') as PyClass));
  const int = type('int', (args) => (args.length === 0 ? 0n : toInt(args[0], args[1])), object);
  type('bool', (args, _kw, rt) => (args.length ? rt.truthy(args[0]) : false), int);
  type('float', (args) => (args.length ? toFloat(args[0]) : 0), object);
  type('str', (args, _kw, rt) => (args.length ? rt.str(args[0]) : ''), object);
  type('list', (args, _kw, rt) => new PyList(args.length ? rt.iterate(args[0]) : []), object);
  type('tuple', (args, _kw, rt) => new PyTuple(args.length ? rt.iterate(args[0]) : []), object);
  type(
    'dict',
    (args, kwargs, rt) => {
      const d = new PyDict();
      updateDict(d, args[0], kwargs, rt);
      return d;
    },
    object,
  );
  type(
    'set',
    (args, _kw, rt) => {
      const s = new PySet();
      for (const v of args.length ? rt.iterate(args[0]) : []) s.entries.set(hashKey(v), v);
      return s;
    },
    object,
  );
  type(
    'range',
    (args) => {
      expectArgs('range', args, 1, 3);
      const ints = args.map((a) => {
        if (typeof a !== 'bigint' && typeof a !== 'boolean') throw typeError(`'${typeName(a)}' object cannot be interpreted as an integer`);
        return typeof a === 'boolean' ? (a ? 1n : 0n) : a;
      });
      const [start, stop, step] = ints.length === 1 ? [0n, ints[0], 1n] : [ints[0], ints[1], ints[2] ?? 1n];
      if (step === 0n) throw valueError('range() arg 3 must not be zero');
      return new PyRange(start, stop, step);
    },
    object,
  );
  type(
    'slice',
    (args) => new PySlice(args.length > 1 ? args[0] : null, args.length > 1 ? args[1] : (args[0] ?? null), args[2] ?? null),
    object,
  );
  type(
    'type',
    (args) => {
      expectArgs('type', args, 1);
      return classOf(args[0], b);
    },
    object,
  );

  for (const [name, cls] of exceptionClasses()) b.set(name, cls);
  b.set('Ellipsis', new PyTuple([]));

  fn('print', (args, kwargs, rt) => {
    const sep = kwargs.get('sep') ?? ' ';
    const end = kwargs.get('end') ?? '\n';
    const file = kwargs.get('file') ?? null;
    const text = args.map((a) => rt.str(a)).join(sep === null ? ' ' : rt.str(sep)) + (end === null ? '\n' : rt.str(end));
    rt.checkStringSize(text.length);
    if (file !== null) rt.call(rt.getAttr(file, 'write'), [text]);
    else rt.writeStderr(text);
    return null;
  });
  fn('len', (args, _kw, rt) => {
    expectArgs('len', args, 1);
    const v = args[0];
    if (typeof v === 'string') return BigInt([...v].length);
    if (v instanceof PyList || v instanceof PyTuple) return BigInt(v.items.length);
    if (v instanceof PyDict || v instanceof PySet) return BigInt(v.entries.size);
    if (v instanceof PyRange) return v.length;
    if (v instanceof HostObject && v.length) return BigInt(v.length(rt));
    throw typeError(`object of type '${typeName(v)}' has no len()`);
  });
  fn('repr', (args, _kw, rt) => {
    expectArgs('repr', args, 1);
    return rt.repr(args[0]);
  });
  fn('abs', (args) => {
    expectArgs('abs', args, 1);
    const n = numeric(args[0]);
    if (n === undefined) throw typeError(`bad operand type for abs(): '${typeName(args[0])}'`);
    return typeof n === 'bigint' ? (n < 0n ? -n : n) : Math.abs(n);
  });
  fn('round', (args) => {
    expectArgs('round', args, 1, 2);
    const n = numeric(args[0]);
    if (n === undefined) throw typeError(`type ${typeName(args[0])} doesn't define __round__ method`);
    if (args.length === 1 || args[1] === null) return typeof n === 'bigint' ? n : BigInt(roundHalfEven(n));
    const digits = Number(args[1] as bigint);
    if (typeof n === 'bigint') return n;
    return Number(n.toFixed(Math.max(0, Math.min(100, digits))));
  });
  fn('min', (args, kwargs, rt) => minMax('min', args, kwargs, rt));
  fn('max', (args, kwargs, rt) => minMax('max', args, kwargs, rt));
  const add = new PyBuiltin('sum', (args, _kw, rt) => {
    const [a, c] = args;
    const x = numeric(a);
    const y = numeric(c);
    if (x !== undefined && y !== undefined) return typeof x === 'bigint' && typeof y === 'bigint' ? x + y : Number(x) + Number(y);
    if (a instanceof PyList && c instanceof PyList) return new PyList([...a.items, ...c.items]);
    if (a instanceof HostObject && a.binary) {
      const r = a.binary('+', c, false, rt);
      if (r !== undefined) return r;
    }
    throw typeError(`unsupported operand type(s) for +: '${typeName(a)}' and '${typeName(c)}'`);
  });
  fn('sum', (args, kwargs, rt) => {
    expectArgs('sum', args, 1, 2);
    let total: PyValue = args[1] ?? kwargs.get('start') ?? 0n;
    if (typeof total === 'string') throw typeError("sum() can't sum strings [use ''.join(seq) instead]");
    for (const item of rt.iterate(args[0])) total = add.fn([total, item], new Map(), rt);
    return total;
  });
  fn('sorted', (args, kwargs, rt) => {
    expectArgs('sorted', args, 1);
    return new PyList(sortValues(rt.iterate(args[0]), kwargs, rt));
  });
  fn('reversed', (args, _kw, rt) => {
    expectArgs('reversed', args, 1);
    return new PyList(rt.iterate(args[0]).reverse());
  });
  fn('enumerate', (args, kwargs, rt) => {
    expectArgs('enumerate', args, 1, 2);
    const start = (args[1] ?? kwargs.get('start') ?? 0n) as bigint;
    return new PyList(rt.iterate(args[0]).map((v, i) => new PyTuple([start + BigInt(i), v])));
  });
  fn('zip', (args, _kw, rt) => {
    const lists = args.map((a) => rt.iterate(a));
    const n = lists.length ? Math.min(...lists.map((l) => l.length)) : 0;
    return new PyList(Array.from({ length: n }, (_, i) => new PyTuple(lists.map((l) => l[i]))));
  });
  fn('map', (args, _kw, rt) => {
    if (args.length < 2) throw typeError('map() must have at least two arguments.');
    const lists = args.slice(1).map((a) => rt.iterate(a));
    const n = Math.min(...lists.map((l) => l.length));
    return new PyList(
      Array.from({ length: n }, (_, i) =>
        rt.call(
          args[0],
          lists.map((l) => l[i]),
        ),
      ),
    );
  });
  fn('filter', (args, _kw, rt) => {
    expectArgs('filter', args, 2);
    return new PyList(rt.iterate(args[1]).filter((v) => rt.truthy(args[0] === null ? v : rt.call(args[0], [v]))));
  });
  fn('any', (args, _kw, rt) => rt.iterate(args[0]).some((v) => rt.truthy(v)));
  fn('all', (args, _kw, rt) => rt.iterate(args[0]).every((v) => rt.truthy(v)));
  fn('isinstance', (args) => {
    expectArgs('isinstance', args, 2);
    return isInstance(args[0], args[1], b);
  });
  fn('issubclass', (args) => {
    expectArgs('issubclass', args, 2);
    const [cls, of] = args;
    if (!(cls instanceof PyClass)) throw typeError('issubclass() arg 1 must be a class');
    const targets = of instanceof PyTuple ? of.items : [of];
    return targets.some((t) => t instanceof PyClass && cls.isSubclassOf(t));
  });
  fn('callable', (args) => {
    const v = args[0];
    return (
      v instanceof PyFunction ||
      v instanceof PyBuiltin ||
      v instanceof PyBoundMethod ||
      v instanceof PyClass ||
      (v instanceof HostObject && typeof v.call === 'function')
    );
  });
  fn('getattr', (args, _kw, rt) => {
    expectArgs('getattr', args, 2, 3);
    if (typeof args[1] !== 'string') throw typeError('attribute name must be string');
    try {
      return rt.getAttr(args[0], args[1]);
    } catch (e) {
      if (args.length === 3 && e instanceof Error && 'pyType' in e && (e as { pyType: string }).pyType === 'AttributeError') return args[2];
      throw e;
    }
  });
  fn('hasattr', (args, _kw, rt) => {
    expectArgs('hasattr', args, 2);
    if (typeof args[1] !== 'string') throw typeError('attribute name must be string');
    try {
      rt.getAttr(args[0], args[1]);
      return true;
    } catch (e) {
      if (e instanceof Error && 'pyType' in e && (e as { pyType: string }).pyType === 'AttributeError') return false;
      throw e;
    }
  });
  fn('setattr', (args, _kw, rt) => {
    expectArgs('setattr', args, 3);
    if (typeof args[1] !== 'string') throw typeError('attribute name must be string');
    (rt as Interpreter).setAttr(args[0], args[1], args[2]);
    return null;
  });
  fn('divmod', (args, _kw, rt) => {
    expectArgs('divmod', args, 2);
    return new PyTuple([binaryOp('//', args[0], args[1], rt), binaryOp('%', args[0], args[1], rt)]);
  });
  fn('pow', (args, _kw, rt) => {
    expectArgs('pow', args, 2);
    return binaryOp('**', args[0], args[1], rt);
  });
  fn('hex', (args) => intText(args[0], 16, '0x'));
  fn('oct', (args) => intText(args[0], 8, '0o'));
  fn('bin', (args) => intText(args[0], 2, '0b'));
  fn('chr', (args) => String.fromCodePoint(Number(args[0] as bigint)));
  fn('ord', (args) => {
    const s = args[0];
    if (typeof s !== 'string' || [...s].length !== 1) throw typeError('ord() expected a character');
    return BigInt(s.codePointAt(0)!);
  });
  fn('format', (args, _kw, rt) => formatValue(args[0], args[1] === undefined ? '' : (args[1] as string), rt));
  fn('open', (args, kwargs, rt) => {
    const path = args[0] ?? kwargs.get('file');
    const mode = args[1] ?? kwargs.get('mode') ?? 'r';
    if (typeof path !== 'string') throw typeError(`open() needs a file name (str), not ${typeName(path ?? null)}`);
    if (typeof mode !== 'string') throw typeError('open() argument "mode" must be str');
    if (!/[wax]/.test(mode)) {
      throw sandboxError(
        `open(${JSON.stringify(path)}): reading files is not allowed in brewnet's sandbox`,
        "a net script may only write files (open(path, 'w')); brewnet captures them as the script's output",
      );
    }
    return rt.host.openForWrite(path, mode);
  });
  fn('super', (args, _kw, rt) => {
    if (args.length === 2) {
      if (!(args[0] instanceof PyClass)) throw typeError('super() argument 1 must be a type');
      return new PySuper(args[0], args[1]);
    }
    const frame = (rt as Interpreter).frames[(rt as Interpreter).frames.length - 1];
    const cls = frame && classOfMethod.get(frame.fn);
    const self = frame?.fn.params[0] ? frame.scope.vars.get(frame.fn.params[0].name) : undefined;
    if (!cls || self === undefined) throw pyError('RuntimeError', 'super(): no arguments (use it inside a method)');
    return new PySuper(cls, self);
  });
  for (const [name, why] of Object.entries(FORBIDDEN)) {
    fn(name, () => {
      throw sandboxError(`${name}() is not available in brewnet's sandbox`, why);
    });
  }
  return b;
}

function intText(v: PyValue, base: number, prefix: string): string {
  if (typeof v !== 'bigint' && typeof v !== 'boolean') throw typeError(`'${typeName(v)}' object cannot be interpreted as an integer`);
  const n = typeof v === 'boolean' ? (v ? 1n : 0n) : v;
  return (n < 0n ? '-' : '') + prefix + (n < 0n ? -n : n).toString(base);
}

function classOf(v: PyValue, b: Map<string, PyValue>): PyClass {
  if (v instanceof PyInstance) return v.cls;
  const name = typeName(v);
  const builtin = b.get(name);
  if (builtin instanceof PyClass) return builtin;
  let cls = hostClasses.get(name);
  if (!cls) {
    cls = new PyClass(
      name,
      [],
      new Map(),
      () => {
        throw typeError(`cannot create '${name}' instances`);
      },
      true,
    );
    hostClasses.set(name, cls);
  }
  return cls;
}

function isInstance(v: PyValue, of: PyValue, b: Map<string, PyValue>): boolean {
  if (of instanceof PyTuple) return of.items.some((t) => isInstance(v, t, b));
  if (!(of instanceof PyClass)) throw typeError('isinstance() arg 2 must be a type, a tuple of types, or a union');
  if (of === b.get('object')) return true;
  return classOf(v, b).isSubclassOf(of);
}
