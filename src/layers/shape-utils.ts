// Helpers that mirror Caffe's Blob methods, so shape rules read like the C++ they restate.
import type { Shape, ShapeContext } from '../ir/layer-module.js';

export function count(shape: readonly number[], start = 0, end = shape.length): number {
  let n = 1;
  for (let i = start; i < end; i++) n *= shape[i];
  return n;
}

/** A shape as the shapes table prints it, with its element count: `1×3×8×8 (192)`. */
export function formatShape(shape: readonly number[]): string {
  return `${shape.length ? shape.join('×') : 'scalar'} (${count(shape)})`;
}

/** Blob::CanonicalAxisIndex: -N ≤ axis < N, negatives count from the end. */
export function canonicalAxis(
  ctx: ShapeContext,
  axis: number,
  shape: Shape,
  what = 'axis',
  at?: Parameters<ShapeContext['fail']>[1],
): number {
  const n = shape.length;
  if (axis < -n || axis >= n) {
    ctx.fail(`${what} ${axis} out of range for ${n}-D blob with shape ${formatShape(shape)}`, at);
  }
  return axis < 0 ? axis + n : axis;
}

/** Blob::LegacyShape (num(), channels(), height(), width()): missing axes read as 1; > 4 axes abort. */
export function legacyDim(ctx: ShapeContext, shape: Shape, index: number): number {
  if (shape.length > 4) ctx.fail(`cannot use legacy accessors on blobs with > 4 axes (shape ${formatShape(shape)})`);
  if (index >= shape.length || index < -shape.length) return 1;
  return shape[index < 0 ? index + shape.length : index];
}

export function shapesEqual(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/** C++ integer division (truncates toward zero), as Convolution's output-size formula uses. */
export function truncDiv(a: number, b: number): number {
  return Math.trunc(a / b);
}

export function num(value: unknown, fallback: number): number {
  return typeof value === 'number' ? value : fallback;
}

export function nums(value: unknown): number[] {
  return Array.isArray(value) ? (value as number[]) : [];
}
