// How protobuf's own printers spell float and double values, reproduced digit for digit.
//
// C++ TextFormat (protobuf 3.21 SimpleFtoa / SimpleDtoa): printf "%.6g" (FLT_DIG) and keep it if strtof
// reads it back as the same float, else "%.9g"; doubles "%.15g" (DBL_DIG), else "%.17g". So 0.1f prints
// "0.1", 1e-4f "0.0001", 1e20f "1e+20", 1e6f "1e+06", and a float that needs 7 or 8 digits gets 9.
// Infinities and NaN print as inf, -inf and nan.
//
// Python json_format (protobuf 4.21, type_checkers.ToShortestFloat): the double nearest to "%.{p}g" of
// the float for the least p ≥ 6 that converts back to the same float32 (float() then struct.pack('<f')).
import { compareDecimals, type Decimal, exactDecimal, formatG, roundDecimal, decimalLiteral } from './decimal.js';

const FLT_MIN = 2 ** -126;
const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** The binary32 value next to `f` (a binary32 value, finite) in the direction of `toward`. */
function nextFloat32(f: number, toward: number): number {
  if (f === 0) return toward > 0 ? 2 ** -149 : -(2 ** -149);
  f32[0] = f;
  // Away from zero is +1 on the magnitude bits, for either sign.
  u32[0] += Math.abs(toward) > Math.abs(f) ? 1 : -1;
  return f32[0];
}

/**
 * C's strtof on a decimal: rounds once, straight to binary32, and says whether errno would be ERANGE
 * (glibc sets it for an inexact result below FLT_MIN, and for overflow to infinity).
 */
export function strtof(d: Decimal, negative: boolean): { value: number; erange: boolean } {
  const v = Number(decimalLiteral(d));
  let f = Math.fround(v);
  if (f !== v && Number.isFinite(f)) {
    // Number() then fround rounds twice; that only errs when the double lands exactly on a binary32
    // midpoint that the decimal itself is not on.
    const other = nextFloat32(f, v);
    if ((f + other) / 2 === v) {
      const side = compareDecimals(d, exactDecimal(v));
      if (side !== 0) f = side > 0 === other > f ? other : f;
    }
  }
  const exact = Number.isFinite(f) && compareDecimals(d, exactDecimal(f)) === 0;
  const erange = !Number.isFinite(f) || (f !== 0 ? f < FLT_MIN && !exact : d.digits !== '0');
  return { value: negative ? -f : f, erange };
}

function nonFinite(x: number): string | undefined {
  if (Number.isNaN(x)) return 'nan';
  if (x === Infinity) return 'inf';
  if (x === -Infinity) return '-inf';
  return undefined;
}

/** A float field's value as C++ TextFormat prints it (SimpleFtoa). `x` must be a binary32 value. */
export function formatFloatCpp(x: number): string {
  const special = nonFinite(x);
  if (special) return special;
  const rounded = roundDecimal(exactDecimal(x), 6);
  const back = strtof(rounded, x < 0 || Object.is(x, -0));
  if (!back.erange && Object.is(back.value, x)) return formatG(x, 6);
  return formatG(x, 9);
}

/** A double field's value as C++ TextFormat prints it (SimpleDtoa). */
export function formatDoubleCpp(x: number): string {
  const special = nonFinite(x);
  if (special) return special;
  const short = formatG(x, 15);
  return Number(short) === x ? short : formatG(x, 17);
}

/** Python's type_checkers.ToShortestFloat: the value json_format gives a float field. */
export function shortestFloatPython(x: number): number {
  if (!Number.isFinite(x) || x === 0) return x;
  const exact = exactDecimal(x);
  for (let precision = 6; ; precision++) {
    const value = Number(decimalLiteral(roundDecimal(exact, precision), x < 0));
    if (Math.fround(value) === x || precision >= 17) return value;
  }
}
