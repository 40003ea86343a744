// A blob is one value in the graph. Caffe names blobs by string, and an in-place layer (a ReLU whose top
// is its bottom) overwrites its input; the IR makes that explicit with versions: `conv1`@0 is the
// convolution's output, `conv1`@1 the ReLU's. Each version has one producer and knows its consumers.
import type { Shape } from './layer-module.js';
import type { Layer } from './layer.js';

// Shared placeholder until shape inference sets the real shape.
const UNSHAPED = Object.freeze([]) as unknown as Shape;

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

  /**
   * The readers: none, the one (most blobs have one), or the list. A big net has hundreds of thousands
   * of blobs, and a one-element list for each is made only when `consumers` is asked for.
   */
  private readers: Layer | Layer[] | undefined = undefined;

  /** The layers that read this version, in execution order. */
  get consumers(): Layer[] {
    const readers = this.readers;
    if (Array.isArray(readers)) return readers;
    const list = readers === undefined ? [] : [readers];
    this.readers = list;
    return list;
  }

  addConsumer(layer: Layer): void {
    const readers = this.readers;
    if (readers === undefined) this.readers = layer;
    else if (Array.isArray(readers)) readers.push(layer);
    else this.readers = [readers, layer];
  }

  /** A reader other than `layer`, if there is one (without making the list). */
  otherConsumer(layer: Layer): Layer | undefined {
    const readers = this.readers;
    if (readers === undefined) return undefined;
    if (!Array.isArray(readers)) return readers === layer ? undefined : readers;
    return readers.find((c) => c !== layer);
  }

  /** `conv1`, or `conv1@1` for later versions: unambiguous in messages and dumps. */
  get id(): string {
    return this.version === 0 ? this.name : `${this.name}@${this.version}`;
  }

  get count(): number {
    return this.shape.reduce((n, d) => n * d, 1);
  }
}
