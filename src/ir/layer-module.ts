// What the compiler knows about one Caffe layer type, in one place: its parameter message, how many
// blobs it takes and makes, its shape rule with Caffe's checks, and (added by later passes) its
// coordinate map and kernels. One module per type; all are listed in registry.ts.
import type { SourceLocation } from '../diagnostics/diagnostic.js';
import type { LayerExtension } from './layer-extensions.js';
import type { Layer } from './layer.js';
import type { LoweredLayer } from './kernel-plan.js';
import type { Tensor } from './tensor.js';
import type { Msg } from '../schema/message.js';
import type { LayerParameter } from '../schema/caffe-messages.generated.js';

export type Shape = number[];

export interface BlobCount {
  /** Exact count (Caffe's ExactNum*Blobs), or a range. */
  min: number;
  max: number;
}

/**
 * How a layer moves spatial coordinates, for the coordinate-map, receptive-field and padding analyses.
 * `firstAxis` is the blob axis where the per-axis lists start (2 = H for NCHW). A layer with no
 * spatial op (InnerProduct, Reshape, …) ends every coordinate map that runs through it.
 */
export type SpatialOp =
  | { kind: 'identity' }
  | { kind: 'window'; firstAxis: number; kernel: number[]; stride: number[]; pad: number[]; dilation: number[] }
  | { kind: 'transpose'; firstAxis: number; kernel: number[]; stride: number[]; pad: number[]; dilation: number[] }
  | { kind: 'crop'; firstAxis: number; offset: number[] };

export interface ShapeResult {
  /** One shape per top, in top order. */
  tops: Shape[];
  /** Parameter blob shapes in Caffe's blobs_ order and layout (§3.5). */
  params: Shape[];
  /** Multiply-accumulates of one forward pass, where meaningful (0 otherwise). */
  macs?: number;
  /** How tops relate to bottoms spatially, when that depends on the parameters or shapes. */
  spatial?: SpatialOp;
  /** Deconvolution with an extension's output size: what it adds to Caffe's size per spatial axis. */
  outputAdjust?: number[];
}

/**
 * What a shape rule sees. `fail` throws a diagnostic that names the layer and points at its line. `P`: the
 * type of the layer's `*_param` message (caffe-messages.generated.ts), for typed reads of its fields.
 */
export interface ShapeContext<P extends Msg = Msg> {
  readonly name: string;
  readonly type: string;
  /** The whole typed LayerParameter. */
  readonly layer: LayerParameter;
  /** The layer's own `*_param` message, or an empty message when absent (read presence with `has`). */
  readonly param: P;
  readonly bottoms: readonly Shape[];
  readonly topCount: number;
  readonly phase: 'TRAIN' | 'TEST';
  readonly loc?: SourceLocation;
  /** Shape given by the user (--input name=dims) for top i, if any. */
  userShape(topIndex: number): Shape | undefined;
  /** What the layer carries beyond its LayerParameter (Theano's output size and filter flip). */
  readonly extension?: LayerExtension;
  /** Throws `layer "name" (Type): message`, located at `field` of `msg` when given, else at the layer. */
  fail(message: string, at?: { msg: Msg; field: string; index?: number }): never;
}

/**
 * What a reference forward reads of its layer. The IR's Layer is one; a host step of the execution plan
 * (src/runtime/host-step.ts) rebuilds one from plain data, in-process and in a compiled module alike.
 */
export interface ForwardLayer {
  readonly name: string;
  readonly type: string;
  /** The type's own `*_param` message (plain data; a field is present iff defined). */
  readonly typeParam: Msg;
  readonly bottoms: readonly { readonly shape: Shape }[];
  readonly tops: readonly { readonly shape: Shape }[];
  readonly spatial?: SpatialOp;
  readonly loc?: SourceLocation;
  /** A loss layer's `loss_param` (normalization, ignore_label) where its own `*_param` is another message. */
  readonly lossParam?: Msg;
}

export interface ParamBlobDecl {
  role: string;
  filler?: string;
  fallback?: Msg;
}

/** `P`: the type of the layer's `*_param` message, which its shape rule reads (Msg for a fork's, untyped). */
export interface LayerModule<P extends Msg = Msg> {
  readonly type: string;
  /** The LayerParameter field holding this type's parameters, e.g. "convolution_param". */
  readonly paramField?: string;
  readonly bottoms: BlobCount;
  readonly tops: BlobCount;
  /** Caffe's EqualNumBottomTopBlobs (Convolution, Deconvolution, Im2col). */
  readonly equalBottomTop?: boolean;
  /** Whether top[i] may equal bottom[i]; Split, Flatten and Reshape refuse in-place computation. */
  readonly inPlace: boolean;
  /** Loss layers: default loss_weight 1 on top 0, and a missing top is created automatically. */
  readonly loss?: boolean;
  /** Element-wise layers: every top unit sits where the same bottom unit sits (coordinate map identity). */
  readonly passThrough?: boolean;
  /** Layers whose top shapes come from outside the net (data readers, Python): they accept --input. */
  readonly source?: boolean;
  /**
   * A source layer with bottoms runs user code brewnet cannot run, except where this says it knows what the
   * code computes (a Python layer of a well-known module, e.g. ENet's spatial dropout at TEST): then its
   * shape rule and forward stand in for it.
   */
  knownCode?(layer: ForwardLayer): boolean;
  /**
   * The layer's tops have a number of rows (axis 0) only the data tells (py-faster-rcnn's proposals after
   * NMS): the shape rule gives the bound, the forward returns the real rows, and the runtime pads the tops
   * to the bound and drops the padding from every blob whose rows follow them (src/runtime/variable-rows.ts).
   */
  variableRows?(layer: ForwardLayer): boolean;
  /**
   * Why this layer's parameters keep its forward from running (InfogainLoss's H read from a file, a
   * DummyData filler brewnet does not draw): the reason for the located "cannot run yet" diagnostic.
   */
  cannotRunWhy?(layer: ForwardLayer): { why: string; hint?: string } | undefined;
  infer(ctx: ShapeContext<P>): ShapeResult;
  /**
   * What each parameter blob is and how Caffe (or the fork) fills it, in blobs_ order: `filler` names a
   * FillerParameter field of the layer's `*_param`; without one (or when it is not written) `fallback`
   * (default constant 0). For layer types outside BVLC's table in src/weights/layer-param-fillers.ts.
   */
  paramBlobs?(layer: Layer): ParamBlobDecl[];
  /**
   * Reference forward pass in plain TypeScript (float64 accumulation), independent of the kernels: the
   * tops' values from the bottoms' values and the parameter blobs (Caffe order and layout). A layer with a
   * forward and no `lower` (or whose lowering says `host`) runs it on the host as a plan step; there it sees
   * a ForwardLayer rebuilt from the plan's data, not the IR's Layer, so a forward meant for the host reads
   * only what ForwardLayer has.
   */
  forward?(layer: ForwardLayer, bottoms: Tensor[], params: Float32Array[]): Tensor[];
  /** gpu.js kernels specialised to this layer's shapes and parameters (kernel-plan.ts). */
  lower?(layer: Layer): LoweredLayer;
}

export const exactly = (n: number): BlobCount => ({ min: n, max: n });
export const between = (min: number, max: number): BlobCount => ({ min, max });
export const atLeast = (min: number): BlobCount => ({ min, max: Infinity });
