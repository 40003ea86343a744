// Methods of the built-in types (str, list, dict, tuple, set) that net scripts use. Each receives `self`
// as its first argument, like an unbound Python method.
import { closest } from '../../diagnostics/suggest.js';
import { attributeError, indexError, keyError, typeError, valueError } from './errors.js';
import { formatValue } from './format-spec.js';
import { LIST_CELLS_PER_STEP, STRING_CHARS_PER_STEP } from './limits.js';
import { compareOrder, equals, hashKey } from './operators.js';
import { PyBuiltin, PyDict, PyList, PySet, PyTuple, typeName, type NativeFn, type PyValue, type Runtime } from './values.js';

function arity(name: string, args: PyValue[], min: number, max: number): void {
  const given = args.length - 1;
  if (given < min || given > max) {
    const takes = min === max ? `exactly ${min}` : given < min ? `at least ${min}` : `at most ${max}`;
    throw typeError(`${name}() takes ${takes} argument${(given < min ? min : max) === 1 ? '' : 's'} (${given} given)`);
  }
}

function strArg(v: PyValue, method: string): string {
  if (typeof v !== 'string') throw typeError(`${method}() argument must be str, not ${typeName(v)}`);
  return v;
}

function intArg(v: PyValue, method: string): number {
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'boolean') return v ? 1 : 0;
  throw typeError(`'${typeName(v)}' object cannot be interpreted as an integer (in ${method}())`);
}

/** str.format: {} / {0} / {name} / {0.attr} / {0[key]} with conversions and specs. */
function strFormat(template: string, args: PyValue[], kwargs: Map<string, PyValue>, rt: Runtime): string {
  let auto = 0;
  const out = template.replace(
    /\{\{|\}\}|\{([^{}!:]*)(?:!([rsa]))?(?::((?:[^{}]|\{[^{}]*\})*))?\}/g,
    (whole, field: string | undefined, conversion, spec) => {
      if (whole === '{{') return '{';
      if (whole === '}}') return '}';
      const [, head = '', rest = ''] = /^([^.[]*)(.*)$/.exec(field ?? '')!;
      let value: PyValue;
      if (head === '') {
        if (auto >= args.length) throw indexError(`Replacement index ${auto} out of range for positional args tuple`);
        value = args[auto++];
      } else if (/^\d+$/.test(head)) {
        const i = Number(head);
        if (i >= args.length) throw indexError(`Replacement index ${i} out of range for positional args tuple`);
        value = args[i];
      } else {
        if (!kwargs.has(head)) throw keyError(`'${head}'`);
        value = kwargs.get(head)!;
      }
      for (const m of rest.matchAll(/\.(\w+)|\[([^\]]+)\]/g)) {
        if (m[1]) value = rt.getAttr(value, m[1]);
        else value = indexInto(value, /^\d+$/.test(m[2]) ? BigInt(m[2]) : m[2], rt);
      }
      if (conversion === 'r' || conversion === 'a') value = rt.repr(value);
      else if (conversion === 's') value = rt.str(value);
      const specText = spec ? strFormat(spec, args, kwargs, rt) : '';
      return formatValue(value, specText, rt);
    },
  );
  rt.checkStringSize(out.length);
  return out;
}

function indexInto(value: PyValue, key: PyValue, rt: Runtime): PyValue {
  if (value instanceof PyDict) {
    const e = value.entries.get(hashKey(key));
    if (!e) throw keyError(rt.repr(key));
    return e[1];
  }
  if ((value instanceof PyList || value instanceof PyTuple) && typeof key === 'bigint') {
    const item = value.items[Number(key)];
    if (item === undefined) throw indexError('tuple index out of range');
    return item;
  }
  throw typeError(`'${typeName(value)}' object is not subscriptable`);
}

function stripChars(args: PyValue[], name: string): string | undefined {
  return args[1] === undefined || args[1] === null ? undefined : strArg(args[1], name);
}

function strip(s: string, chars: string | undefined, left: boolean, right: boolean): string {
  const set = chars ?? ' \t\n\r\f\v';
  let a = 0;
  let b = s.length;
  if (left) while (a < b && set.includes(s[a])) a++;
  if (right) while (b > a && set.includes(s[b - 1])) b--;
  return s.slice(a, b);
}

const STR_METHODS: Record<string, NativeFn> = {
  format: ([self, ...args], kwargs, rt) => strFormat(self as string, args, kwargs, rt),
  join: (args, _kw, rt) => {
    arity('join', args, 1, 1);
    const parts = rt.iterate(args[1]).map((p, i) => {
      if (typeof p !== 'string') throw typeError(`sequence item ${i}: expected str instance, ${typeName(p)} found`);
      return p;
    });
    const total = parts.reduce((n, p) => n + p.length, 0) + (args[0] as string).length * Math.max(0, parts.length - 1);
    rt.checkStringSize(total);
    rt.charge(total / STRING_CHARS_PER_STEP);
    return parts.join(args[0] as string);
  },
  split: (args, kwargs, rt) => {
    const s = args[0] as string;
    const sep = args[1] ?? kwargs.get('sep') ?? null;
    const maxRaw = args[2] ?? kwargs.get('maxsplit');
    const max = maxRaw === undefined ? -1 : intArg(maxRaw, 'split');
    let parts: string[];
    if (sep === null) {
      parts = [];
      let rest = s.replace(/^\s+/, '');
      while (rest.length) {
        if (max >= 0 && parts.length === max) {
          parts.push(rest.replace(/\s+$/, ''));
          break;
        }
        const m = /\s+/.exec(rest);
        if (!m) {
          parts.push(rest);
          break;
        }
        parts.push(rest.slice(0, m.index));
        rest = rest.slice(m.index + m[0].length);
      }
    } else {
      const sepText = strArg(sep, 'split');
      if (sepText === '') throw valueError('empty separator');
      parts = s.split(sepText);
      if (max >= 0 && parts.length > max + 1) parts = [...parts.slice(0, max), parts.slice(max).join(sepText)];
    }
    rt.checkListSize(parts.length);
    return new PyList(parts);
  },
  splitlines: (args) => new PyList((args[0] as string).split(/\r\n|\r|\n/).filter((_, i, all) => i < all.length - 1 || all[i] !== '')),
  strip: (args) => strip(args[0] as string, stripChars(args, 'strip'), true, true),
  lstrip: (args) => strip(args[0] as string, stripChars(args, 'lstrip'), true, false),
  rstrip: (args) => strip(args[0] as string, stripChars(args, 'rstrip'), false, true),
  replace: (args, _kw, rt) => {
    arity('replace', args, 2, 3);
    const [s, a, b] = [args[0] as string, strArg(args[1], 'replace'), strArg(args[2], 'replace')];
    const count = args[3] === undefined ? -1 : intArg(args[3], 'replace');
    const pieces = s.split(a);
    const out =
      count < 0
        ? pieces.join(b)
        : pieces.slice(0, count + 1).join(b) + (pieces.length > count + 1 ? a + pieces.slice(count + 1).join(a) : '');
    rt.checkStringSize(out.length);
    return out;
  },
  startswith: (args) => prefixTest(args, (s, p) => s.startsWith(p)),
  endswith: (args) => prefixTest(args, (s, p) => s.endsWith(p)),
  upper: (args) => (args[0] as string).toUpperCase(),
  lower: (args) => (args[0] as string).toLowerCase(),
  capitalize: (args) => {
    const s = args[0] as string;
    return s.slice(0, 1).toUpperCase() + s.slice(1).toLowerCase();
  },
  title: (args) => (args[0] as string).toLowerCase().replace(/(^|[^a-zA-Z])([a-z])/g, (_, a, b: string) => a + b.toUpperCase()),
  find: (args) => BigInt((args[0] as string).indexOf(strArg(args[1], 'find'))),
  rfind: (args) => BigInt((args[0] as string).lastIndexOf(strArg(args[1], 'rfind'))),
  index: (args) => {
    const i = (args[0] as string).indexOf(strArg(args[1], 'index'));
    if (i < 0) throw valueError('substring not found');
    return BigInt(i);
  },
  count: (args) => {
    const sub = strArg(args[1], 'count');
    const s = args[0] as string;
    return BigInt(sub === '' ? s.length + 1 : s.split(sub).length - 1);
  },
  zfill: (args) => {
    const s = args[0] as string;
    const width = intArg(args[1], 'zfill');
    const sign = /^[+-]/.test(s) ? s[0] : '';
    return sign + s.slice(sign.length).padStart(width - sign.length, '0');
  },
  isdigit: (args) => /^\d+$/.test(args[0] as string),
  isalpha: (args) => /^[A-Za-z]+$/.test(args[0] as string),
  isalnum: (args) => /^[A-Za-z0-9]+$/.test(args[0] as string),
  isupper: (args) => /[A-Z]/.test(args[0] as string) && !/[a-z]/.test(args[0] as string),
  islower: (args) => /[a-z]/.test(args[0] as string) && !/[A-Z]/.test(args[0] as string),
  ljust: (args) => (args[0] as string).padEnd(intArg(args[1], 'ljust'), (args[2] as string | undefined) ?? ' '),
  rjust: (args) => (args[0] as string).padStart(intArg(args[1], 'rjust'), (args[2] as string | undefined) ?? ' '),
  center: (args) => {
    const s = args[0] as string;
    const width = intArg(args[1], 'center');
    const total = Math.max(0, width - s.length);
    const left = Math.floor(total / 2) + (total % 2 && width % 2 ? 1 : 0);
    return ' '.repeat(left) + s + ' '.repeat(total - left);
  },
  encode: (args) => args[0],
  decode: (args) => args[0],
};

function prefixTest(args: PyValue[], test: (s: string, p: string) => boolean): boolean {
  const s = args[0] as string;
  const p = args[1];
  if (p instanceof PyTuple) return p.items.some((x) => test(s, strArg(x, 'startswith')));
  return test(s, strArg(p, 'startswith'));
}

function listSelf(args: PyValue[]): PyList {
  return args[0] as PyList;
}

const LIST_METHODS: Record<string, NativeFn> = {
  append: (args, _kw, rt) => {
    arity('append', args, 1, 1);
    const list = listSelf(args);
    rt.checkListSize(list.items.length + 1);
    list.items.push(args[1]);
    return null;
  },
  extend: (args, _kw, rt) => {
    arity('extend', args, 1, 1);
    const list = listSelf(args);
    const extra = rt.iterate(args[1]);
    rt.checkListSize(list.items.length + extra.length);
    rt.charge(extra.length / LIST_CELLS_PER_STEP);
    list.items.push(...extra);
    return null;
  },
  insert: (args, _kw, rt) => {
    arity('insert', args, 2, 2);
    const list = listSelf(args);
    rt.checkListSize(list.items.length + 1);
    let i = intArg(args[1], 'insert');
    if (i < 0) i = Math.max(0, list.items.length + i);
    list.items.splice(i, 0, args[2]);
    return null;
  },
  pop: (args) => {
    const list = listSelf(args);
    if (list.items.length === 0) throw indexError('pop from empty list');
    let i = args[1] === undefined ? list.items.length - 1 : intArg(args[1], 'pop');
    if (i < 0) i += list.items.length;
    if (i < 0 || i >= list.items.length) throw indexError('pop index out of range');
    return list.items.splice(i, 1)[0];
  },
  remove: (args) => {
    const list = listSelf(args);
    const i = list.items.findIndex((x) => equals(x, args[1]));
    if (i < 0) throw valueError(`list.remove(x): x not in list`);
    list.items.splice(i, 1);
    return null;
  },
  index: (args, _kw, rt) => {
    const i = (args[0] as PyList).items.findIndex((x) => equals(x, args[1]));
    if (i < 0) throw valueError(`${rt.repr(args[1])} is not in list`);
    return BigInt(i);
  },
  count: (args) => BigInt((args[0] as PyList).items.filter((x) => equals(x, args[1])).length),
  reverse: (args) => {
    listSelf(args).items.reverse();
    return null;
  },
  sort: (args, kwargs, rt) => {
    const list = listSelf(args);
    list.items = sortValues(list.items, kwargs, rt);
    return null;
  },
  copy: (args) => new PyList([...listSelf(args).items]),
  clear: (args) => {
    listSelf(args).items = [];
    return null;
  },
};

export function sortValues(items: PyValue[], kwargs: Map<string, PyValue>, rt: Runtime): PyValue[] {
  const key = kwargs.get('key') ?? null;
  const reverse = rt.truthy(kwargs.get('reverse') ?? false);
  rt.charge((items.length * Math.log2(items.length + 1)) / 8);
  const keyed = items.map((v) => ({ v, k: key === null ? v : rt.call(key, [v]) }));
  keyed.sort((a, b) => (compareOrder('<', a.k, b.k) ? -1 : compareOrder('<', b.k, a.k) ? 1 : 0));
  if (reverse) keyed.reverse();
  return keyed.map((x) => x.v);
}

const TUPLE_METHODS: Record<string, NativeFn> = {
  index: (args, _kw, rt) => {
    const i = (args[0] as PyTuple).items.findIndex((x) => equals(x, args[1]));
    if (i < 0) throw valueError(`${rt.repr(args[1])} is not in tuple`);
    return BigInt(i);
  },
  count: (args) => BigInt((args[0] as PyTuple).items.filter((x) => equals(x, args[1])).length),
};

function dictSelf(args: PyValue[]): PyDict {
  return args[0] as PyDict;
}

/** Adds (key, value) pairs to a dict from another dict or an iterable of pairs. */
export function updateDict(d: PyDict, source: PyValue | undefined, kwargs: Map<string, PyValue>, rt: Runtime): void {
  if (source instanceof PyDict) for (const [k, e] of source.entries) d.entries.set(k, e);
  else if (source !== undefined) {
    for (const pair of rt.iterate(source)) {
      const kv = rt.iterate(pair);
      if (kv.length !== 2) throw valueError(`dictionary update sequence element has length ${kv.length}; 2 is required`);
      d.entries.set(hashKey(kv[0]), [kv[0], kv[1]]);
    }
  }
  for (const [k, v] of kwargs) d.entries.set(hashKey(k), [k, v]);
  rt.checkListSize(d.entries.size);
}

const DICT_METHODS: Record<string, NativeFn> = {
  get: (args) => dictSelf(args).entries.get(hashKey(args[1]))?.[1] ?? args[2] ?? null,
  keys: (args) => new PyList([...dictSelf(args).entries.values()].map(([k]) => k)),
  values: (args) => new PyList([...dictSelf(args).entries.values()].map(([, v]) => v)),
  items: (args) => new PyList([...dictSelf(args).entries.values()].map(([k, v]) => new PyTuple([k, v]))),
  update: (args, kwargs, rt) => {
    updateDict(dictSelf(args), args[1], kwargs, rt);
    return null;
  },
  pop: (args, _kw, rt) => {
    const d = dictSelf(args);
    const key = hashKey(args[1]);
    const e = d.entries.get(key);
    if (!e) {
      if (args[2] !== undefined) return args[2];
      throw keyError(rt.repr(args[1]));
    }
    d.entries.delete(key);
    return e[1];
  },
  setdefault: (args) => {
    const d = dictSelf(args);
    const key = hashKey(args[1]);
    const e = d.entries.get(key);
    if (e) return e[1];
    const value = args[2] ?? null;
    d.entries.set(key, [args[1], value]);
    return value;
  },
  copy: (args) => {
    const d = new PyDict();
    for (const [k, e] of dictSelf(args).entries) d.entries.set(k, [e[0], e[1]]);
    return d;
  },
  clear: (args) => {
    dictSelf(args).entries.clear();
    return null;
  },
};

const SET_METHODS: Record<string, NativeFn> = {
  add: (args, _kw, rt) => {
    const s = args[0] as PySet;
    s.entries.set(hashKey(args[1]), args[1]);
    rt.checkListSize(s.entries.size);
    return null;
  },
  update: (args, _kw, rt) => {
    const s = args[0] as PySet;
    for (const v of rt.iterate(args[1])) s.entries.set(hashKey(v), v);
    rt.checkListSize(s.entries.size);
    return null;
  },
  discard: (args) => {
    (args[0] as PySet).entries.delete(hashKey(args[1]));
    return null;
  },
};

const TABLES: Record<string, Record<string, NativeFn>> = {
  str: STR_METHODS,
  list: LIST_METHODS,
  tuple: TUPLE_METHODS,
  dict: DICT_METHODS,
  set: SET_METHODS,
};

const cache = new Map<NativeFn, PyBuiltin>();

/** The built-in method `name` of a str/list/tuple/dict/set value, or undefined. */
function tableOf(self: PyValue): Record<string, NativeFn> | undefined {
  const type = typeName(self);
  return Object.hasOwn(TABLES, type) ? TABLES[type] : undefined;
}

export function methodOf(self: PyValue, name: string): PyBuiltin | undefined {
  const table = tableOf(self);
  if (!table || !Object.hasOwn(table, name)) return undefined;
  const fn = table[name];
  let builtin = cache.get(fn);
  if (!builtin) {
    builtin = new PyBuiltin(name, fn);
    cache.set(fn, builtin);
  }
  return builtin;
}

export function methodNames(self: PyValue): string[] {
  return Object.keys(tableOf(self) ?? {});
}

export function noMethod(self: PyValue, name: string): never {
  const hint = closest(name, methodNames(self));
  throw attributeError(`'${typeName(self)}' object has no attribute '${name}'${hint ? ` (did you mean '${hint}'?)` : ''}`);
}
