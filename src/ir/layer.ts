// A layer in the IR: its typed LayerParameter as the user wrote it (after upgrades), the module that
// knows its type, and the blobs it reads and writes, in Caffe's execution (file) order.
import type { SourceLocation } from '../diagnostics/diagnostic.js';
import type { LayerModule, Shape, SpatialOp } from './layer-module.js';
import { locOf, type Msg } from '../schema/message.js';
import type { LayerParameter } from '../schema/caffe-messages.generated.js';
import { layerExtension, type LayerExtension } from './layer-extensions.js';
import type { Blob } from './blob.js';

/** Until shape inference: shared, as most layers' own list (none) is too. */
export const NO_PARAMS = Object.freeze([]) as unknown as Shape[];

export class Layer {
  // Declared without a placeholder value: a big net has hundreds of thousands of layers, and the
  // passes set each of these once, whole.
  /**
   * Set once by connectBlobs, at their exact size. Read-only: a layer's bottoms are often the very list
   * of its producer's tops (connect-blobs.ts).
   */
  bottoms!: Blob[];
  tops!: Blob[];
  /** Parameter blob shapes in Caffe's blobs_ order and layout (docs/caffe-semantics.md#parameter-blobs); set by inferShapes (frozen). */
  paramShapes: Shape[] = NO_PARAMS;
  /**
   * Multiply-accumulates of one forward pass (0 where not meaningful); set by inferShapes. No initial
   * 0: a field that starts as a small integer and then holds a big count makes V8 box it in every layer.
   */
  macs!: number;
  /** How tops relate to bottoms spatially (undefined: no coordinate map passes through this layer). */
  spatial?: SpatialOp;
  /** Deconvolution given an output size (Theano's input_shape): what it adds to Caffe's size per axis. */
  outputAdjust?: number[];

  constructor(
    /** Position in execution order. */
    readonly index: number,
    /** The typed LayerParameter. */
    readonly proto: LayerParameter,
    readonly module: LayerModule,
  ) {}

  get name(): string {
    return this.proto.name ?? '';
  }

  get type(): string {
    return this.proto.type ?? '';
  }

  /** The type's own parameter message (e.g. convolution_param); empty when not written. */
  get typeParam(): Msg {
    const field = this.module.paramField;
    return (field && (this.proto[field] as Msg | undefined)) || {};
  }

  /** Facts beyond the LayerParameter (Theano's output size, filter flip), for shapes and kernels. */
  get extension(): LayerExtension | undefined {
    return layerExtension(this.proto);
  }

  get loc(): SourceLocation | undefined {
    return locOf(this.proto);
  }

  /** Whether top i rewrites bottom i (Caffe's in-place rule: same name at the same index). */
  isInPlace(topIndex: number): boolean {
    const top = this.tops[topIndex];
    return top !== undefined && top.version > 0 && this.bottoms[topIndex]?.name === top.name;
  }

  get paramCount(): number {
    return this.paramShapes.reduce((n, s) => n + s.reduce((m, d) => m * d, 1), 0);
  }
}
