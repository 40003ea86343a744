// x · s^−β on four f32 lanes for LRN's native kernel: WebAssembly has square root and division but no
// pow. The β every published net uses (0.75: AlexNet, CaffeNet, GoogLeNet) and the other simple ones are
// exact compositions of correctly rounded operations (x / √(s·√s) for 0.75); any other β goes through
// exp2(−β · log2 s), both by bit fields and short polynomials (relative error about 1e-6, where f32's own
// rounding of −β·log2 s already costs a few 1e-7):
// - log2 s: s = m·2^e with m in [√½, √2); log m = 2·atanh t, t = (m − 1)/(m + 1), |t| ≤ 0.172, by its odd
//   series to t⁹ (truncation < 1e-9).
// - exp2 y: y = n + f with n = round(y), |f| ≤ ½; 2^f by its Taylor series to f⁶ (truncation < 2e-7), 2^n
//   by writing n + 127 into the exponent field. y is kept in two parts so that f keeps its precision when
//   |y| is large. n is clamped to [−126, 126]: an s^−β past f32's normal range (below 1.2e-38 or above
//   8.5e37, which no LRN with k ≥ 1 reaches) comes out as the range's end, not 0 or ∞.
// s ≤ 0 gives what Math.pow gives: x·∞ for s = 0 (NaN where x is 0), NaN below 0.
import { FunctionBody, V128 } from './wasm-binary.js';

const LN2 = Math.LN2;

/** Locals one emitter needs, made once per function. */
export interface PowerLocals {
  s: number;
  t: number;
  u: number;
  e: number;
}

export function powerLocals(f: FunctionBody): PowerLocals {
  return { s: f.local(V128), t: f.local(V128), u: f.local(V128), e: f.local(V128) };
}

/** Whether β has an exact form (square roots and a division) rather than the log2/exp2 approximation. */
export function exactPower(beta: number): boolean {
  return beta === 0 || beta === 0.25 || beta === 0.5 || beta === 0.75 || beta === 1;
}

/**
 * Pushes x · s^−β, with x in local `x` and s in local `l.s` (both v128); uses l's other locals.
 */
export function emitTimesPower(f: FunctionBody, beta: number, x: number, l: PowerLocals): void {
  const { s } = l;
  switch (beta) {
    case 0:
      f.get(x);
      return;
    case 1:
      f.get(x).get(s).f32x4Div();
      return;
    case 0.5:
      f.get(x).get(s).f32x4Sqrt().f32x4Div();
      return;
    case 0.25:
      f.get(x).get(s).f32x4Sqrt().f32x4Sqrt().f32x4Div();
      return;
    case 0.75:
      f.get(x).get(s).get(s).f32x4Sqrt().f32x4Mul().f32x4Sqrt().f32x4Div();
      return;
  }
  const { t, u, e } = l;
  // e = exponent field − 127, m = mantissa with exponent 0 (in t), moved to [√½, √2).
  f.get(s).i32(23).i32x4ShrU().i32x4Const(127).i32x4Sub().set(e);
  f.get(s).i32x4Const(0x007fffff).v128And().i32x4Const(0x3f800000).v128Or().set(t);
  f.get(t).f32x4Const(Math.SQRT2).f32x4Gt().set(u);
  f.get(t).f32x4Const(0.5).f32x4Mul().get(t).get(u).v128Bitselect().set(t);
  f.get(e).get(u).i32x4Sub().set(e); // a true mask is −1: e + 1
  // t = (m − 1)/(m + 1); u = t².
  f.get(t).f32x4Const(1).f32x4Sub().get(t).f32x4Const(1).f32x4Add().f32x4Div().set(t);
  f.get(t).get(t).f32x4Mul().set(u);
  // log2 s = e + t·(c1 + u·(c3 + u·(c5 + u·(c7 + u·c9)))), c_k = 2/(k·ln 2).
  const c = (k: number) => 2 / (k * LN2);
  f.get(u).f32x4Const(c(9)).f32x4Mul().f32x4Const(c(7)).f32x4Add();
  for (const k of [5, 3, 1]) f.get(u).f32x4Mul().f32x4Const(c(k)).f32x4Add();
  f.get(t).f32x4Mul().set(t);
  // y = −β·log2 s = A + B with A = −βh·e exact (βh: β to 12 fractional bits) and B = −βl·e − β·p small, so
  // the fraction f = (A − n) + B, n = round(y), loses nothing to the size of y (A is exact for β < 16).
  const betaHigh = Math.round(beta * 4096) / 4096;
  const betaLow = Math.fround(beta - betaHigh);
  f.get(e).f32x4ConvertI32x4S().set(e);
  f.get(e).f32x4Const(-betaLow).f32x4Mul().get(t).f32x4Const(-beta).f32x4Mul().f32x4Add().set(t); // B
  f.get(e).f32x4Const(-betaHigh).f32x4Mul().set(e); // A
  f.get(e).get(t).f32x4Add().f32x4Nearest().f32x4Const(-126).f32x4Max().f32x4Const(126).f32x4Min().set(u); // n
  f.get(e).get(u).f32x4Sub().get(t).f32x4Add().f32x4Const(-0.5).f32x4Max().f32x4Const(0.5).f32x4Min().set(t); // f
  f.get(u).i32x4TruncSatF32x4S().i32x4Const(127).i32x4Add().i32(23).i32x4Shl().set(e);
  // 2^f = Σ (f·ln 2)^k / k!, k ≤ 6, by Horner; times 2^n, times x.
  let factorial = 720;
  f.get(t)
    .f32x4Const(LN2 ** 6 / factorial)
    .f32x4Mul();
  for (let k = 5; k >= 1; k--) {
    factorial /= k + 1;
    f.f32x4Const(LN2 ** k / factorial)
      .f32x4Add()
      .get(t)
      .f32x4Mul();
  }
  f.f32x4Const(1).f32x4Add().get(e).f32x4Mul().get(x).f32x4Mul().set(u);
  // s ≤ 0: x·∞ at 0, NaN below (Math.pow's answers).
  f.get(x).f32x4Const(Infinity).f32x4Const(NaN).get(s).f32x4Const(0).f32x4Eq().v128Bitselect().f32x4Mul();
  f.get(u).get(s).f32x4Const(0).f32x4Le().v128Bitselect();
}
