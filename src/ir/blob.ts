// A blob is one value in the graph. Caffe names blobs by string, and an in-place layer (a ReLU whose top
// is its bottom) overwrites its input; the IR makes that explicit with versions: `conv1`@0 is the
// convolution's output, `conv1`@1 the ReLU's. Each version has one producer and knows its consumers.
import type { Shape } from '../layers/layer-module.js';
import type { Layer } from './layer.js';

// Shared placeholders until a pass sets the real list (frozen: nothing may add to them).
const UNSHAPED = Object.freeze([]) as unknown as Shape;
const NO_CONSUMERS = Object.freeze([]) as unknown as Layer[];

export class Blob {
  /** Shape, set by shape inference (frozen, and shared with other blobs of the same shape). */
  shape: Shape = UNSHAPED;

  constructor(
    readonly name: string,
    /** 0 for the first producer, +1 for every in-place layer that rewrites it. */
    readonly version: number,
    readonly producer: Layer,
    /** Loss layers' anonymous tops: not nameable, never a net output (Caffe's AutoTopBlobs). */
    readonly automatic = false,
  ) {}

  /** The layers that read this version, in execution order. */
  consumers: Layer[] = NO_CONSUMERS;

  addConsumer(layer: Layer): void {
    // Most blobs have one reader: a one-element array instead of push's room for 17 (and none, the
    // shared empty list).
    if (this.consumers.length === 0) this.consumers = [layer];
    else this.consumers.push(layer);
  }

  /** `conv1`, or `conv1@1` for later versions: unambiguous in messages and dumps. */
  get id(): string {
    return this.version === 0 ? this.name : `${this.name}@${this.version}`;
  }

  get count(): number {
    return this.shape.reduce((n, d) => n * d, 1);
  }
}
