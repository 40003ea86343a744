// Checks and names that several shape rules share: Blob::Reshape's limits on a new shape, and the blob
// names that make a message point at the right place in the net.
import type { Msg } from '../schema/message.js';
import type { Shape, ShapeContext } from '../ir/layer-module.js';

/** Caffe's kMaxBlobAxes and INT_MAX count limit (src/caffe/blob.cpp). */
const MAX_BLOB_AXES = 32;
const INT_MAX = 2 ** 31 - 1;

/** A shape for messages: `1×3×500×500`, or `scalar` for Caffe's 0-axis blobs. */
export function showShape(shape: readonly number[]): string {
  return shape.length === 0 ? 'scalar' : shape.join('×');
}

function blobName(names: unknown, index: number, fallback: string): string {
  return Array.isArray(names) && typeof names[index] === 'string' ? (names[index] as string) : fallback;
}

export function topName(ctx: ShapeContext, index: number): string {
  return blobName(ctx.layer.top, index, `top[${index}]`);
}

export function bottomName(ctx: ShapeContext, index: number): string {
  return blobName(ctx.layer.bottom, index, `bottom[${index}]`);
}

/** Whether checkBlobShape accepts the shape (without building its messages). */
export function withinBlobLimits(shape: Shape): boolean {
  if (shape.length > MAX_BLOB_AXES) return false;
  let count = 1;
  for (let i = 0; i < shape.length; i++) {
    const d = shape[i];
    if (!(d >= 0)) return false;
    count *= d;
  }
  return count <= INT_MAX;
}

/**
 * Blob::Reshape: at most 32 axes, every dim ≥ 0 (0 is legal), count ≤ INT_MAX. With `at` (the repeated
 * field the dims were written in, e.g. a BlobShape's `dim`), a bad dim is reported where it was written.
 */
export function checkBlobShape(ctx: ShapeContext, shape: Shape, what: string, at?: { msg: Msg; field: string }): Shape {
  if (shape.length > MAX_BLOB_AXES)
    ctx.fail(`${what} has ${shape.length} axes; a blob has at most ${MAX_BLOB_AXES}`, at && { ...at, index: MAX_BLOB_AXES });
  shape.forEach((d, i) => {
    if (!(d >= 0))
      ctx.fail(`${what} would be ${showShape(shape)}: dimension ${i} is ${d}, and blob dimensions must be >= 0`, at && { ...at, index: i });
  });
  const count = shape.reduce((n, d) => n * d, 1);
  if (count > INT_MAX) ctx.fail(`${what} ${showShape(shape)} has ${count} elements, more than INT_MAX (${INT_MAX})`, at);
  return shape;
}

/** Blob::shape(i) on a blob that must have that axis (CanonicalAxisIndex aborts otherwise). */
export function requireAxes(ctx: ShapeContext, shape: Shape, minAxes: number, what: string): void {
  if (shape.length < minAxes) {
    ctx.fail(`${what} needs at least ${minAxes} axes, but its shape is ${showShape(shape)}`);
  }
}
