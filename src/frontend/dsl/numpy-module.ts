// numpy as net scripts use it: to make parameter arrays for theano.shared (np.zeros, np.random.normal,
// np.asarray(…, dtype=floatX), RandomState(seed).uniform(size=…)). Only shapes matter to a net's
// definition, so arrays here carry their shape and dtype and no values: nothing large is allocated, and
// asking for an element says so.
import { typeError, valueError } from './errors.js';
import { builtin, moduleOf, type ModuleFactory } from './modules.js';
import { numeric } from './operators.js';
import { HostObject, PyBuiltin, PyList, PyTuple, typeName, type NativeFn, type PyValue, type Runtime } from './values.js';

export class ShapeArray extends HostObject {
  readonly typeName = 'ndarray';
  constructor(
    readonly shape: number[],
    readonly dtype = 'float64',
  ) {
    super();
  }

  override getAttr(name: string): PyValue | undefined {
    switch (name) {
      case 'shape':
        return new PyTuple(this.shape.map((d) => BigInt(d)));
      case 'ndim':
        return BigInt(this.shape.length);
      case 'size':
        return BigInt(this.shape.reduce((a, b) => a * b, 1));
      case 'dtype':
        return this.dtype;
      case 'T':
        return new ShapeArray([...this.shape].reverse(), this.dtype);
      case 'astype':
        return new PyBuiltin('astype', (args) => new ShapeArray(this.shape, dtypeName(args[0])));
      case 'reshape':
        return new PyBuiltin('reshape', (args, _kw, rt) => {
          const dims = shapeOf(args.length === 1 ? args[0] : new PyTuple(args), rt, 'reshape');
          const known = dims.filter((d) => d >= 0).reduce((a, b) => a * b, 1);
          const total = this.shape.reduce((a, b) => a * b, 1);
          const filled = dims.map((d) => (d < 0 ? total / known : d));
          if (filled.reduce((a, b) => a * b, 1) !== total || filled.some((d) => !Number.isInteger(d))) {
            throw valueError(`cannot reshape array of size ${total} into shape (${dims.join(', ')})`);
          }
          return new ShapeArray(filled, this.dtype);
        });
      default:
        return undefined;
    }
  }

  override length(): number {
    if (!this.shape.length) throw typeError('len() of unsized object');
    return this.shape[0];
  }

  override getItem(): PyValue {
    throw typeError('brewnet keeps only the shapes of numpy arrays (a net definition needs no values)');
  }

  override iterate(): PyValue[] {
    throw typeError('brewnet keeps only the shapes of numpy arrays (a net definition needs no values)');
  }

  override binary(op: string, other: PyValue): PyValue | undefined {
    // Element-wise arithmetic with a scalar keeps the shape (W * 0.01, np.zeros(n) + 0.1).
    if (['+', '-', '*', '/', '**'].includes(op) && numeric(other) !== undefined) return this;
    if (op.startsWith('unary')) return this;
    return undefined;
  }

  override repr(): string {
    return `array(shape=(${this.shape.join(', ')}${this.shape.length === 1 ? ',' : ''}), dtype=${this.dtype})`;
  }
}

function dtypeName(v: PyValue | undefined): string {
  if (v === undefined || v === null) return 'float64';
  if (typeof v === 'string') return v;
  if (v instanceof DType) return v.name;
  return 'float64';
}

/** np.float32 and friends: usable as dtype=…, and callable as a scalar conversion. */
export class DType extends HostObject {
  readonly typeName = 'type';
  constructor(readonly name: string) {
    super();
  }
  override call(args: PyValue[]): PyValue {
    const n = numeric(args[0] ?? 0n);
    if (n === undefined) throw typeError(`${this.name}() argument must be a number`);
    if (this.name.startsWith('int') || this.name.startsWith('uint')) return typeof n === 'bigint' ? n : BigInt(Math.trunc(n));
    return this.name === 'float32' ? Math.fround(Number(n)) : Number(n);
  }
  override repr(): string {
    return `<class 'numpy.${this.name}'>`;
  }
}

/** A shape given as an int, a tuple or list of ints, another array's shape. */
export function shapeOf(v: PyValue, rt: Runtime, what: string): number[] {
  if (v instanceof ShapeArray) return v.shape;
  const dims = typeof v === 'bigint' ? [v] : v instanceof PyTuple || v instanceof PyList ? v.items : undefined;
  if (!dims) throw typeError(`${what}: a shape must be an int or a tuple of ints, not ${typeName(v)}`);
  return dims.map((d) => {
    if (typeof d !== 'bigint') throw typeError(`${what}: a shape must hold ints, not ${typeName(d)}`);
    if (d > BigInt(Number.MAX_SAFE_INTEGER)) throw valueError(`${what}: dimension ${d} is too large`);
    void rt;
    return Number(d);
  });
}

/** The shape of nested lists (np.asarray([[1, 2], [3, 4]]) has shape (2, 2)). */
function nestedShape(v: PyValue): number[] {
  if (v instanceof ShapeArray) return v.shape;
  if (v instanceof PyList || v instanceof PyTuple) return v.items.length ? [v.items.length, ...nestedShape(v.items[0])] : [0];
  return [];
}

function arrayMaker(name: string, shapeArg: (args: PyValue[], kwargs: Map<string, PyValue>) => PyValue | undefined): [string, PyValue] {
  const fn: NativeFn = (args, kwargs, rt) => {
    const shape = shapeArg(args, kwargs);
    return new ShapeArray(shape === undefined || shape === null ? [] : shapeOf(shape, rt, `numpy.${name}`), dtypeName(kwargs.get('dtype')));
  };
  return [name, builtin(name, fn)];
}

function randomFunctions(): [string, PyValue][] {
  return [
    arrayMaker('normal', (args, kw) => kw.get('size') ?? args[2]),
    arrayMaker('uniform', (args, kw) => kw.get('size') ?? args[2]),
    arrayMaker('standard_normal', (args, kw) => kw.get('size') ?? args[0]),
    arrayMaker('random', (args, kw) => kw.get('size') ?? args[0]),
    arrayMaker('rand', (args) => new PyTuple(args)),
    arrayMaker('randn', (args) => new PyTuple(args)),
    ['seed', builtin('seed', () => null)],
  ];
}

class RandomState extends HostObject {
  readonly typeName = 'RandomState';
  private readonly methods = new Map(randomFunctions());
  override getAttr(name: string): PyValue | undefined {
    return this.methods.get(name);
  }
}

export const numpyModule: ModuleFactory = () => {
  const random = moduleOf('numpy.random', [...randomFunctions(), ['RandomState', builtin('RandomState', () => new RandomState())]]);
  return moduleOf('numpy', [
    arrayMaker('zeros', (args) => args[0]),
    arrayMaker('ones', (args) => args[0]),
    arrayMaker('empty', (args) => args[0]),
    [
      'asarray',
      builtin(
        'asarray',
        (args, kwargs) =>
          new ShapeArray(
            nestedShape(args[0]),
            dtypeName(kwargs.get('dtype') ?? (args[0] instanceof ShapeArray ? args[0].dtype : undefined)),
          ),
      ),
    ],
    ['array', builtin('array', (args, kwargs) => new ShapeArray(nestedShape(args[0]), dtypeName(kwargs.get('dtype'))))],
    ['prod', builtin('prod', (args, _kw, rt) => BigInt(shapeOf(args[0], rt, 'numpy.prod').reduce((a, b) => a * b, 1)))],
    ['sqrt', builtin('sqrt', (args) => Math.sqrt(Number(numeric(args[0]) ?? NaN)))],
    ['float32', new DType('float32')],
    ['float64', new DType('float64')],
    ['int32', new DType('int32')],
    ['int64', new DType('int64')],
    ['uint8', new DType('uint8')],
    ['pi', Math.PI],
    ['random', random],
  ]);
};
