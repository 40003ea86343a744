// Exact decimal digits of a double, and rounding them to a number of significant digits the way C's
// printf and Python's format() do it: correctly rounded, exact ties to even. (Number.prototype.toPrecision
// rounds exact ties up instead, so it cannot stand in for them.)

/** A positive decimal digits × 10^(exp − digits.length + 1): `exp` is the exponent of the first digit. */
export interface Decimal {
  /** Significant digits, no leading or trailing zeros ("0" for zero). */
  digits: string;
  exp: number;
}

const scratch = new DataView(new ArrayBuffer(8));

/** The exact decimal value of |x| for a finite double (every double is a finite binary fraction). */
export function exactDecimal(x: number): Decimal {
  if (!Number.isFinite(x)) throw new RangeError(`exactDecimal: ${x} is not finite`);
  if (x === 0) return { digits: '0', exp: 0 };
  scratch.setFloat64(0, Math.abs(x));
  const bits = scratch.getBigUint64(0);
  const biased = Number(bits >> 52n);
  const fraction = bits & ((1n << 52n) - 1n);
  // |x| = mantissa × 2^power exactly.
  const mantissa = biased === 0 ? fraction : fraction | (1n << 52n);
  const power = (biased === 0 ? 1 : biased) - 1075;
  let digits: string;
  let exp: number;
  if (power >= 0) {
    digits = (mantissa << BigInt(power)).toString();
    exp = digits.length - 1;
  } else {
    // m / 2^k = m × 5^k / 10^k
    digits = (mantissa * 5n ** BigInt(-power)).toString();
    exp = digits.length - 1 + power;
  }
  return { digits: digits.replace(/0+$/, ''), exp };
}

/** Rounds to at most `precision` significant digits, exact ties to even; trailing zeros are dropped. */
export function roundDecimal(d: Decimal, precision: number): Decimal {
  if (d.digits.length <= precision) return d;
  const kept = d.digits.slice(0, precision);
  const first = d.digits[precision];
  // Trailing zeros were stripped, so the rest is exactly one half iff it is the single digit "5".
  const tie = first === '5' && d.digits.length === precision + 1;
  const up = first > '5' || (first === '5' && !tie) || (tie && Number(kept[kept.length - 1]) % 2 === 1);
  if (!up) return { digits: kept.replace(/0+$/, '') || '0', exp: d.exp };
  const incremented = (BigInt(kept) + 1n).toString();
  // 999 + 1 = 1000: one more digit means the exponent grows by one.
  const exp = incremented.length > kept.length ? d.exp + 1 : d.exp;
  return { digits: incremented.replace(/0+$/, ''), exp };
}

/** A decimal as a plain JavaScript numeric literal (parsing it with Number() rounds correctly). */
export function decimalLiteral(d: Decimal, negative = false): string {
  const mantissa = d.digits.length > 1 ? `${d.digits[0]}.${d.digits.slice(1)}` : d.digits;
  return `${negative ? '-' : ''}${mantissa}e${d.exp}`;
}

/**
 * C's `%.{precision}g` for a finite double: fixed notation when −4 ≤ exponent < precision, otherwise
 * d.ddde±XX with at least two exponent digits; trailing zeros and a trailing point removed.
 */
export function formatG(x: number, precision: number): string {
  const sign = x < 0 || Object.is(x, -0) ? '-' : '';
  if (x === 0) return sign + '0';
  const { digits, exp } = roundDecimal(exactDecimal(x), precision);
  if (exp < -4 || exp >= precision) {
    const mantissa = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    const e = Math.abs(exp).toString().padStart(2, '0');
    return `${sign}${mantissa}e${exp < 0 ? '-' : '+'}${e}`;
  }
  if (exp < 0) return `${sign}0.${'0'.repeat(-exp - 1)}${digits}`;
  if (digits.length <= exp + 1) return sign + digits + '0'.repeat(exp + 1 - digits.length);
  return `${sign}${digits.slice(0, exp + 1)}.${digits.slice(exp + 1)}`;
}

/** Sign of a − b for two non-negative decimals. */
export function compareDecimals(a: Decimal, b: Decimal): number {
  const aZero = a.digits === '0';
  const bZero = b.digits === '0';
  if (aZero || bZero) return aZero && bZero ? 0 : aZero ? -1 : 1;
  if (a.exp !== b.exp) return a.exp > b.exp ? 1 : -1;
  const width = Math.max(a.digits.length, b.digits.length);
  const x = a.digits.padEnd(width, '0');
  const y = b.digits.padEnd(width, '0');
  return x === y ? 0 : x > y ? 1 : -1;
}
