// What `import` can reach: a fixed table of modules brewnet implements (caffe, theano, numpy shapes, sys,
// math, __future__). Anything else is an ImportError naming what is available; nothing is ever loaded
// from disk. `sys.path` edits (FCN's alexnet script appends to it) are accepted and ignored.
import { closest } from '../../diagnostics/suggest.js';
import { PyError, typeError, valueError } from './errors.js';
import { numeric } from './operators.js';
import { HostObject, PyBuiltin, PyList, PyModule, PyTuple, typeName, type NativeFn, type PyValue, type Runtime } from './values.js';

export type ModuleFactory = (rt: Runtime, modules: ModuleRegistry) => PyModule;

/** Standard modules that exist in Python but would let a script out of the sandbox. */
const REFUSED = new Set([
  'os',
  'os.path',
  'subprocess',
  'socket',
  'shutil',
  'pathlib',
  'io',
  'builtins',
  'importlib',
  'ctypes',
  'pickle',
  'marshal',
  'urllib',
  'urllib.request',
  'requests',
  'http',
  'time',
  'datetime',
  'threading',
  'multiprocessing',
  'signal',
  'tempfile',
  'glob',
  'inspect',
  'gc',
  'code',
  'pty',
  'platform',
  'random',
  'unittest',
  'sqlite3',
  'zipfile',
  'tarfile',
  'lmdb',
  'h5py',
  'cv2',
  'PIL',
  'scipy',
  'skimage',
  'matplotlib',
]);

export class ModuleRegistry {
  private readonly loaded = new Map<string, PyModule>();

  constructor(private readonly factories: ReadonlyMap<string, ModuleFactory>) {}

  get available(): string[] {
    return [...this.factories.keys()].filter((n) => !n.startsWith('_'));
  }

  import(name: string, rt: Runtime): PyModule {
    const cached = this.loaded.get(name);
    if (cached) return cached;
    const factory = this.factories.get(name);
    if (!factory) {
      const top = [...new Set(this.available.map((n) => n.split('.')[0]))].join(', ');
      const hint = `net scripts may import ${top}`;
      if (REFUSED.has(name) || REFUSED.has(name.split('.')[0])) {
        throw new PyError('ImportError', `module '${name}' is not available in brewnet's sandbox`, undefined, hint);
      }
      const near = closest(name, this.available);
      throw new PyError('ModuleNotFoundError', `No module named '${name}'${near ? ` (did you mean '${near}'?)` : ''}`, undefined, hint);
    }
    const module = factory(rt, this);
    this.loaded.set(name, module);
    return module;
  }
}

export function moduleOf(name: string, entries: [string, PyValue][]): PyModule {
  return new PyModule(name, new Map(entries));
}

export function builtin(name: string, fn: NativeFn): PyBuiltin {
  return new PyBuiltin(name, fn);
}

/** sys.path: reads as an empty list; edits are accepted and have no effect (nothing is loaded from disk). */
class IgnoredPath extends HostObject {
  readonly typeName = 'list';
  override getAttr(name: string): PyValue | undefined {
    if (['append', 'insert', 'extend', 'remove'].includes(name)) return new PyBuiltin(name, () => null);
    return undefined;
  }
  override iterate(): PyValue[] {
    return [];
  }
  override length(): number {
    return 0;
  }
  override getItem(): PyValue {
    throw new PyError('IndexError', 'list index out of range');
  }
  override repr(): string {
    return '[]';
  }
}

/** sys.stdout / sys.stderr: both write to brewnet's stderr (stdout carries the converted net). */
class StreamProxy extends HostObject {
  readonly typeName = 'TextIOWrapper';
  override getAttr(name: string): PyValue | undefined {
    if (name === 'write')
      return new PyBuiltin('write', (args, _kw, rt) => {
        rt.writeStderr(rt.str(args[0]));
        return null;
      });
    if (name === 'flush') return new PyBuiltin('flush', () => null);
    return undefined;
  }
}

export const sysModule: ModuleFactory = (rt) =>
  moduleOf('sys', [
    ['path', new IgnoredPath()],
    ['argv', new PyList([rt.file])],
    ['version', '3.11.0 (brewnet sandbox)'],
    ['version_info', new PyTuple([3n, 11n, 0n])],
    ['maxsize', 2n ** 63n - 1n],
    ['stdout', new StreamProxy()],
    ['stderr', new StreamProxy()],
    [
      'exit',
      builtin('exit', (args, _kw, r) => {
        const code = args[0] ?? null;
        const failed = code !== null && code !== 0n && code !== false;
        throw new PyError('SystemExit', failed ? r.str(code) : '', undefined, undefined, false);
      }),
    ],
  ]);

export const futureModule: ModuleFactory = () =>
  moduleOf(
    '__future__',
    ['print_function', 'division', 'absolute_import', 'unicode_literals', 'with_statement', 'generators', 'nested_scopes'].map((n) => [
      n,
      true,
    ]),
  );

function num(v: PyValue, fn: string): number {
  const n = numeric(v);
  if (n === undefined) throw typeError(`must be real number, not ${typeName(v)} (in math.${fn}())`);
  return Number(n);
}

function mathFn(name: string, f: (...xs: number[]) => number, domain?: (...xs: number[]) => boolean): [string, PyValue] {
  return [
    name,
    builtin(name, (args) => {
      const xs = args.map((a) => num(a, name));
      if (domain && !domain(...xs)) throw valueError('math domain error');
      return f(...xs);
    }),
  ];
}

function intResult(name: string, f: (x: number) => number): [string, PyValue] {
  return [
    name,
    builtin(name, (args) => {
      const v = args[0];
      if (typeof v === 'bigint') return v;
      const x = num(v, name);
      if (!Number.isFinite(x)) throw valueError(`cannot convert float ${x} to integer`);
      return BigInt(f(x));
    }),
  ];
}

export const mathModule: ModuleFactory = () =>
  moduleOf('math', [
    ['pi', Math.PI],
    ['e', Math.E],
    ['inf', Infinity],
    ['nan', NaN],
    ['tau', 2 * Math.PI],
    mathFn('sqrt', Math.sqrt, (x) => x >= 0),
    mathFn('exp', Math.exp),
    mathFn(
      'log',
      (x, base) => (base === undefined ? Math.log(x) : Math.log(x) / Math.log(base)),
      (x) => x > 0,
    ),
    mathFn('log2', Math.log2, (x) => x > 0),
    mathFn('log10', Math.log10, (x) => x > 0),
    mathFn('pow', Math.pow),
    mathFn('fabs', Math.abs),
    mathFn('sin', Math.sin),
    mathFn('cos', Math.cos),
    mathFn('tan', Math.tan),
    mathFn('atan', Math.atan),
    mathFn('atan2', Math.atan2),
    mathFn('hypot', Math.hypot),
    intResult('ceil', Math.ceil),
    intResult('floor', Math.floor),
    intResult('trunc', Math.trunc),
    ['isnan', builtin('isnan', (args) => Number.isNaN(num(args[0], 'isnan')))],
    ['isinf', builtin('isinf', (args) => Math.abs(num(args[0], 'isinf')) === Infinity)],
    [
      'gcd',
      builtin('gcd', (args) => {
        let [a, b] = args.map((x) => {
          if (typeof x !== 'bigint') throw typeError(`'${typeName(x)}' object cannot be interpreted as an integer`);
          return x < 0n ? -x : x;
        });
        while (b) [a, b] = [b, a % b];
        return a ?? 0n;
      }),
    ],
  ]);
