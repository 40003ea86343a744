// Helpers for writing kernel source that gpu.js compiles identically on every backend.
//
// Why the `|0`s: gpu.js's webasm backend computes `/`, `%` and every declared local in f32, so an index
// above 2^24 (FCN's conv1_1 blob has 31 M elements, fc6's weights 103 M) built from locals would be
// rounded. A bitwise or is a real i32 operation there, and i32 sums and products of i32 terms stay i32.
// So every flat index is written as a linear form Σ (coordinate|0)·stride, each coordinate a small exact
// integer, and the thread index is split into coordinates without dividing anything large in f32.

/** A JS number literal gpu.js reads as a float (always with a `.` or an exponent). */
export function lit(v: number): string {
  if (Number.isNaN(v)) throw new Error('internal: NaN constant in a kernel');
  if (v === Infinity) return '3.4028234663852886e+38';
  if (v === -Infinity) return '-3.4028234663852886e+38';
  const s = String(v);
  return /[.e]/.test(s) ? s : `${s}.0`;
}

/** An integer literal (loop bounds, strides). */
export function int(v: number): string {
  if (!Number.isSafeInteger(v)) throw new Error(`internal: non-integer index constant ${v}`);
  return String(v);
}

/** `(a|0)*sa + (b|0)*sb + … + offset`: an exact i32 flat index from small integer coordinates. */
export function linear(terms: [string, number][], offset = 0): string {
  const parts = terms.filter(([, s]) => s !== 0).map(([v, s]) => (s === 1 ? `(${v}|0)` : `(${v}|0) * ${int(s)}`));
  if (offset !== 0 || parts.length === 0) parts.push(int(offset));
  return parts.join(' + ').replace(/\+ -/g, '- ');
}

/** Row-major strides of a shape. */
export function strides(shape: readonly number[]): number[] {
  const out = new Array<number>(shape.length);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    out[i] = s;
    s *= shape[i];
  }
  return out;
}

const EXACT = 2 ** 23;

/**
 * Statements declaring `names[i]` = the i-th coordinate of this.thread.x in a row-major `shape`. Small
 * outputs divide directly (f32 is exact below 2^24). Larger ones first split the index at a stride P ≤ 2^23
 * whose quotient is also small: q ≈ floor(x/P) in f32 is off by at most one, and the remainder x − q·P is
 * computed in i32 and corrected, so both halves are exact; each half then divides exactly.
 */
export function coordinates(shape: readonly number[], names: readonly string[]): string {
  const total = shape.reduce((n, d) => n * d, 1);
  const lines: string[] = [];
  const split = (index: string, dims: readonly number[], vars: readonly string[]) => {
    const st = strides(dims);
    let rest = index;
    dims.forEach((_, i) => {
      if (i === dims.length - 1) {
        lines.push(`const ${vars[i]} = ${rest};`);
        return;
      }
      lines.push(`const ${vars[i]} = Math.floor(${rest} / ${int(st[i])});`);
      if (i < dims.length - 2) {
        lines.push(`const ${vars[i]}_r = ${rest} - ${vars[i]} * ${int(st[i])};`);
        rest = `${vars[i]}_r`;
      } else {
        rest = `(${rest} - ${vars[i]} * ${int(st[i])})`;
      }
    });
  };
  if (total <= EXACT) {
    split('this.thread.x', shape, names);
    return lines.join('\n  ');
  }
  // Find the cut: the inner block (axes cut…) must have ≤ 2^23 elements and the outer block too.
  let cut = shape.length;
  let inner = 1;
  while (cut > 0 && inner * shape[cut - 1] <= EXACT) inner *= shape[--cut];
  const outer = total / inner;
  if (cut === 0 || outer > EXACT) {
    throw new Error(`a blob of shape ${shape.join('×')} has an axis too large to index exactly in a kernel`);
  }
  lines.push(`const hi_ = Math.floor(this.thread.x / ${int(inner)});`);
  lines.push(`const lo_ = this.thread.x - (hi_|0) * ${int(inner)};`);
  lines.push(`const hi = hi_ + (lo_ >= ${int(inner)} ? 1 : 0) - (lo_ < 0 ? 1 : 0);`);
  lines.push(`const lo = lo_ - (lo_ >= ${int(inner)} ? ${int(inner)} : 0) + (lo_ < 0 ? ${int(inner)} : 0);`);
  split('hi', shape.slice(0, cut), names.slice(0, cut));
  split('lo', shape.slice(cut), names.slice(cut));
  return lines.join('\n  ');
}

/** A kernel function expression: `function (args) { body }`, indented for reading. */
export function kernelFunction(args: readonly string[], body: string): string {
  const lines = body
    .trim()
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => `  ${l.trim()}`);
  return `function (${args.join(', ')}) {\n${lines.join('\n')}\n}`;
}

/**
 * Most bottoms a layer's kernel takes as arguments. gpu.js builds a kernel of thousands of arguments slowly
 * and hugely (a Concat of 5,000: 23 s and 3.3 GB on webasm; an Eltwise of 5,000 overflows its parser's
 * stack; 10,000: a WebAssembly module too big to be valid); past this a layer runs its reference forward on
 * the host (linear in the top's size).
 */
export const MAX_KERNEL_BOTTOMS = 64;
