// Caffe's Blob::ShapeEquals(BlobProto), the test CopyTrainedLayersFrom applies to every blob (docs/caffe-semantics.md#blobs-and-in-place).
// A blob written with the legacy num/channels/height/width (any of them present) is compared from the end:
// the net's blob must have at most 4 axes, padded in front with 1s, so an old InnerProduct weight stored as
// 1×1×N×K equals (N, K) and a bias 1×1×1×N equals (N). Otherwise `shape.dim` must equal the shape exactly.
import type { Shape } from '../ir/layer-module.js';
import { showShape } from '../layers/blob-checks.js';
import type { WeightBlob } from './decode-blob.js';

/** Blob::LegacyShape(i) for i in −4…−1: 1 past the front of a shorter shape. */
function legacyFromEnd(shape: Shape, i: number): number {
  return -i > shape.length ? 1 : shape[shape.length + i];
}

export function blobShapeEquals(expected: Shape, blob: WeightBlob): boolean {
  if (blob.legacy) {
    return expected.length <= 4 && blob.legacy.every((d, k) => legacyFromEnd(expected, k - 4) === d);
  }
  return expected.length === blob.shape.length && expected.every((d, k) => d === blob.shape[k]);
}

/** A blob's shape as written in the file, for messages. */
export function showBlobShape(blob: WeightBlob): string {
  if (blob.legacy) return `${blob.legacy.join('×')} (legacy num×channels×height×width)`;
  return showShape(blob.shape);
}
