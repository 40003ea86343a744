// String formatting as Python does it: the format mini-language (format(), str.format, f-strings) and
// printf-style `%` formatting, for ints, floats, bools and strings.
import { keyError, typeError, valueError } from './errors.js';
import { floatRepr, strRepr } from '../../schema/python-repr.js';
import { PyDict, PyTuple, typeName, type PyValue, type Runtime } from './values.js';

interface Spec {
  fill: string;
  align?: '<' | '>' | '=' | '^';
  sign: '+' | '-' | ' ';
  alternate: boolean;
  width: number;
  grouping?: ',' | '_';
  precision?: number;
  type?: string;
}

function parseSpec(spec: string): Spec {
  const m = /^(?:([\s\S])?([<>=^]))?([+\- ])?(#)?(0)?(\d+)?([,_])?(?:\.(\d+))?([bcdeEfFgGnosxX%])?$/.exec(spec);
  if (!m) throw valueError(`Invalid format specifier '${spec}'`);
  const [, fill, align, sign, alt, zero, width, grouping, precision, type] = m;
  return {
    fill: fill ?? (zero && !align ? '0' : ' '),
    align: (align as Spec['align']) ?? (zero ? '=' : undefined),
    sign: (sign as Spec['sign']) ?? '-',
    alternate: Boolean(alt),
    width: width ? Number(width) : 0,
    grouping: grouping as Spec['grouping'],
    precision: precision !== undefined ? Number(precision) : undefined,
    type,
  };
}

function group(digits: string, sep: string | undefined): string {
  if (!sep) return digits;
  const [int, frac] = digits.split('.');
  const grouped = int.replace(/\B(?=(\d{3})+(?!\d))/g, sep);
  return frac !== undefined ? `${grouped}.${frac}` : grouped;
}

function pad(body: string, signText: string, spec: Spec, defaultAlign: '<' | '>'): string {
  const align = spec.align ?? defaultAlign;
  const length = [...body].length + signText.length;
  const fill = spec.width > length ? spec.fill.repeat(spec.width - length) : '';
  switch (align) {
    case '<':
      return signText + body + fill;
    case '>':
      return fill + signText + body;
    case '=':
      return signText + fill + body;
    case '^': {
      const left = fill.slice(0, Math.floor(fill.length / 2));
      return left + signText + body + fill.slice(left.length);
    }
  }
}

/** Python's exponent spelling: at least two digits. */
function pythonExponential(x: number, precision: number, upper: boolean): string {
  const [m, e] = x.toExponential(precision).split('e');
  const exp = Number(e);
  const text = `${m}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  return upper ? text.toUpperCase() : text;
}

function fixed(x: number, precision: number): string {
  if (Math.abs(x) < 1e21) return x.toFixed(precision);
  // toFixed switches to exponent notation from 1e21 on; the integer part is exact in BigInt.
  return BigInt(Math.trunc(x)).toString() + (precision > 0 ? '.' + '0'.repeat(precision) : '');
}

/** 'g': fixed or exponential by the exponent, insignificant zeros removed unless '#'. */
function general(x: number, precision: number, alternate: boolean, upper: boolean): string {
  const p = precision === 0 ? 1 : precision;
  if (x === 0) return alternate ? (0).toFixed(p - 1) : '0';
  const exp = Number(x.toExponential(p - 1).split('e')[1]);
  let text = exp >= -4 && exp < p ? x.toFixed(p - 1 - exp) : pythonExponential(x, p - 1, upper);
  if (!alternate) {
    text = text.replace(/(\.\d*?)0+(?=$|e|E)/, '$1').replace(/\.(?=$|e|E)/, '');
  }
  return text;
}

function nonFinite(x: number, upper: boolean): string | undefined {
  if (Number.isNaN(x)) return upper ? 'NAN' : 'nan';
  if (!Number.isFinite(x)) return upper ? 'INF' : 'inf';
  return undefined;
}

function formatFloat(x: number, spec: Spec): string {
  const negative = x < 0 || Object.is(x, -0);
  const abs = Math.abs(x);
  const type = spec.type;
  const upper = type === 'E' || type === 'F' || type === 'G';
  let body = nonFinite(abs, upper);
  if (body === undefined) {
    switch (type) {
      case 'f':
      case 'F':
        body = fixed(abs, spec.precision ?? 6);
        break;
      case 'e':
      case 'E':
        body = pythonExponential(abs, spec.precision ?? 6, upper);
        break;
      case 'g':
      case 'G':
      case 'n':
        body = general(abs, spec.precision ?? 6, spec.alternate, upper);
        break;
      case '%':
        body = fixed(abs * 100, spec.precision ?? 6) + '%';
        break;
      case undefined:
        if (spec.precision === undefined) body = floatRepr(abs);
        else {
          body = general(abs, spec.precision, spec.alternate, false);
          if (!/[.e]/.test(body) && spec.precision > 0 && Math.abs(Number(body)) < 10 ** spec.precision) body += '.0';
        }
        break;
      default:
        throw valueError(`Unknown format code '${type}' for object of type 'float'`);
    }
    if (spec.grouping) body = group(body, spec.grouping);
  }
  const signText = negative ? '-' : spec.sign === '-' ? '' : spec.sign;
  return pad(body, signText, spec, '>');
}

function formatInt(n: bigint, spec: Spec): string {
  const type = spec.type;
  if (type && 'eEfFgG%'.includes(type)) return formatFloat(Number(n), spec);
  if (spec.precision !== undefined) throw valueError('Precision not allowed in integer format specifier');
  const negative = n < 0n;
  const abs = negative ? -n : n;
  let body: string;
  let prefix = '';
  switch (type) {
    case undefined:
    case 'd':
    case 'n':
      body = group(abs.toString(), spec.grouping);
      break;
    case 'x':
    case 'X':
      body = abs.toString(16);
      if (type === 'X') body = body.toUpperCase();
      prefix = spec.alternate ? (type === 'X' ? '0X' : '0x') : '';
      break;
    case 'o':
      body = abs.toString(8);
      prefix = spec.alternate ? '0o' : '';
      break;
    case 'b':
      body = abs.toString(2);
      prefix = spec.alternate ? '0b' : '';
      break;
    case 'c':
      return pad(String.fromCodePoint(Number(n)), '', spec, '<');
    default:
      throw valueError(`Unknown format code '${type}' for object of type 'int'`);
  }
  const signText = (negative ? '-' : spec.sign === '-' ? '' : spec.sign) + prefix;
  return pad(body, signText, spec, '>');
}

/** format(value, spec): what f'{value:spec}' and '{:spec}'.format(value) produce. */
export function formatValue(value: PyValue, specText: string, rt: Runtime): string {
  if (specText === '') return rt.str(value);
  const spec = parseSpec(specText);
  rt.checkStringSize(spec.width + (spec.precision ?? 0));
  if (typeof value === 'bigint') return formatInt(value, spec);
  if (typeof value === 'boolean') return spec.type ? formatInt(value ? 1n : 0n, spec) : pad(rt.str(value), '', spec, '<');
  if (typeof value === 'number') return formatFloat(value, spec);
  if (typeof value === 'string' || spec.type === undefined || spec.type === 's') {
    if (spec.type && spec.type !== 's') throw valueError(`Unknown format code '${spec.type}' for object of type '${typeName(value)}'`);
    if (typeof value !== 'string' && value !== null && typeof value === 'object' && spec.width === 0 && !spec.precision) {
      throw typeError(`unsupported format string passed to ${typeName(value)}.__format__`);
    }
    let text = typeof value === 'string' ? value : rt.str(value);
    if (spec.precision !== undefined) text = [...text].slice(0, spec.precision).join('');
    return pad(text, '', spec, '<');
  }
  throw typeError(`unsupported format string passed to ${typeName(value)}.__format__`);
}

/** `fmt % args`, printf style. */
export function percentFormat(fmt: string, args: PyValue, rt: Runtime): string {
  const positional = args instanceof PyTuple ? [...args.items] : [args];
  const mapping = args instanceof PyDict ? args : undefined;
  let next = 0;
  let usedMapping = false;
  const take = (): PyValue => {
    if (next >= positional.length) throw typeError('not enough arguments for format string');
    return positional[next++];
  };
  const out = fmt.replace(
    /%(?:\(([^)]*)\))?([-+ #0]*)(\d+|\*)?(?:\.(\d+|\*))?([diouxXeEfFgGcrsa%])|%(.?)/g,
    (_whole, key, flags: string, width, precision, type, bad) => {
      if (bad !== undefined) {
        if (bad === '') throw valueError('incomplete format');
        throw valueError(`unsupported format character '${bad}' (0x${bad.charCodeAt(0).toString(16)})`);
      }
      if (type === '%') return '%';
      let value: PyValue;
      if (key !== undefined) {
        if (!mapping) throw typeError('format requires a mapping');
        usedMapping = true;
        const found = [...mapping.entries.values()].find(([k]) => k === key);
        if (!found) throw keyError(strRepr(key));
        value = found[1];
      } else {
        if (width === '*') width = String(rt.str(take()));
        if (precision === '*') precision = String(rt.str(take()));
        value = take();
      }
      const spec: Spec = {
        fill: flags.includes('0') && !flags.includes('-') && !'sr'.includes(type) ? '0' : ' ',
        align: flags.includes('-') ? '<' : flags.includes('0') && !'sr'.includes(type) ? '=' : '>',
        sign: flags.includes('+') ? '+' : flags.includes(' ') ? ' ' : '-',
        alternate: flags.includes('#'),
        width: width ? Number(width) : 0,
        precision: precision !== undefined ? Number(precision) : undefined,
      };
      rt.checkStringSize(spec.width + (spec.precision ?? 0));
      switch (type) {
        case 's':
        case 'r':
        case 'a': {
          let text = type === 's' ? rt.str(value) : rt.repr(value);
          if (spec.precision !== undefined) text = text.slice(0, spec.precision);
          return pad(text, '', { ...spec, fill: ' ' }, '>');
        }
        case 'c':
          return pad(typeof value === 'bigint' ? String.fromCodePoint(Number(value)) : rt.str(value), '', spec, '>');
        case 'd':
        case 'i':
        case 'u': {
          const n = numberArg(value, type);
          const int = typeof n === 'bigint' ? n : BigInt(Math.trunc(n));
          return formatInt(int, { ...spec, precision: undefined, type: 'd' });
        }
        case 'o':
        case 'x':
        case 'X': {
          const n = numberArg(value, type);
          if (typeof n !== 'bigint') throw typeError(`%${type} format: an integer is required, not float`);
          return formatInt(n, { ...spec, precision: undefined, type });
        }
        default: {
          const n = numberArg(value, type);
          return formatFloat(Number(n), { ...spec, type });
        }
      }
    },
  );
  if (!usedMapping && !mapping && next < positional.length) throw typeError('not all arguments converted during string formatting');
  return out;
}

function numberArg(value: PyValue, type: string): bigint | number {
  if (typeof value === 'bigint' || typeof value === 'number') return value;
  if (typeof value === 'boolean') return value ? 1n : 0n;
  throw typeError(`%${type} format: a real number is required, not ${typeName(value)}`);
}
