// What a plan records about a native (WebAssembly SIMD) kernel: plain data — which kernel and the numbers
// it is specialised to — so a compiled module carries it as JSON and the runtime generates the kernel when
// the weights are bound.

/** Convolution and Deconvolution geometry as the kernels need it, 0–2 spatial axes widened to 2 (H = 1 for 1-D). */
export interface ConvParams {
  /** Product of the axes before the channel axis (the batch). */
  outer: number;
  cin: number;
  cout: number;
  group: number;
  inH: number;
  inW: number;
  outH: number;
  outW: number;
  kernel: [number, number];
  stride: [number, number];
  pad: [number, number];
  dilation: [number, number];
  bias: boolean;
}

/** What both native layers read besides their geometry. */
interface NativeExtras {
  /** Theano's filter flip: tap (kh−1−ky, kw−1−kx) of the weights. */
  flip: boolean;
  /** A ReLU fused after the layer: its negative slope (0 ≤ slope ≤ 1); absent: none. */
  relu?: number;
}

/**
 * A Deconvolution (or the window of it a Crop keeps) over Caffe weights (C_in, C_out/g, kh, kw).
 * `weights: 'channel-diagonal'` reads only the diagonal blocks w[c, c] (the step runs only where the bound
 * weights are zero elsewhere), as a depthwise layer.
 */
export interface DeconvolutionNativeSpec extends Omit<ConvParams, 'outH' | 'outW'>, NativeExtras {
  kind: 'deconvolution';
  weights: 'dense' | 'channel-diagonal';
  /** The output rows and columns computed (the whole output, or a Crop's window of it). */
  window: { y0: number; x0: number; h: number; w: number };
}

/**
 * A Convolution over Caffe weights (C_out, C_in/g, kh, kw), computed as a stride-1 Deconvolution (so only
 * stride 1 has one; see src/runtime/wasm/phase-gemm-convolution.ts). A fused ReLU is an in-place ReLU's
 * native step.
 */
export interface ConvolutionNativeSpec extends ConvParams, NativeExtras {
  kind: 'convolution';
  affine?: FoldedAffine[];
}

/**
 * Per-output-channel affine maps (a BatchNorm with stored statistics, a Scale or Bias with learned blobs)
 * that followed the layer, folded into its weights and bias when they are bound: y = s·(W·x + b) + t,
 * applied in order. Their parameter blobs follow the layer's own arguments, in the same order.
 */
export type FoldedAffine = Extract<ChannelAffineNativeSpec['from'], { kind: 'batch-norm' | 'scale-bias' }>;

/** MAX or AVE Pooling of `planes` (N·C) images with Caffe's windows (src/layers/compute/pooling/native.ts). */
export interface PoolingNativeSpec {
  kind: 'pooling';
  max: boolean;
  planes: number;
  inH: number;
  inW: number;
  outH: number;
  outW: number;
  kernel: number[];
  stride: number[];
  pad: number[];
}

/** InnerProduct: (m, k) inputs, weights (n, k) or with `transpose` (k, n). */
export interface InnerProductNativeSpec {
  kind: 'inner-product';
  m: number;
  k: number;
  n: number;
  transpose: boolean;
  bias: boolean;
  /** Folded affine maps over the n outputs (see FoldedAffine). */
  affine?: FoldedAffine[];
  /** A fused ReLU: max(v, relu·v), 0 ≤ relu ≤ 1. */
  relu?: number;
}

/**
 * y = act(x·s[c] + t[c]) over (outer, channels, inner), s and t from the parameter blobs as `from` says
 * (the call's arguments: the input, then those blobs); `relu`: max(v, relu·v), 0 ≤ relu ≤ 1.
 */
export interface ChannelAffineNativeSpec {
  kind: 'channel-affine';
  outer: number;
  channels: number;
  inner: number;
  from: { kind: 'batch-norm'; eps: number } | { kind: 'scale-bias'; scale: boolean; bias: boolean } | { kind: 'prelu' } | { kind: 'none' };
  relu?: number;
}

/** Eltwise over `coeffs.length` inputs of `count` floats (coefficients used by SUM only). */
export interface EltwiseNativeSpec {
  kind: 'eltwise';
  op: 'SUM' | 'PROD' | 'MAX';
  coeffs: number[];
  count: number;
  /** A fused ReLU: max(v, relu·v), 0 ≤ relu ≤ 1. */
  relu?: number;
}

/** Concat of bottoms (outer, sizes[b], inner) along the middle axis. */
export interface ConcatNativeSpec {
  kind: 'concat';
  outer: number;
  inner: number;
  sizes: number[];
}

export interface LRNNativeSpec {
  kind: 'lrn';
  shape: number[];
  size: number;
  alpha: number;
  beta: number;
  k: number;
  within: boolean;
}

export interface SoftmaxNativeSpec {
  kind: 'softmax';
  outer: number;
  dim: number;
  inner: number;
}

/** Permute (caffe-ssd): top axis k is bottom axis order[k] of a bottom of `shape`. */
export interface PermuteNativeSpec {
  kind: 'permute';
  shape: number[];
  order: number[];
}

export type NativeKernelSpec =
  | DeconvolutionNativeSpec
  | ConvolutionNativeSpec
  | PoolingNativeSpec
  | InnerProductNativeSpec
  | ChannelAffineNativeSpec
  | EltwiseNativeSpec
  | ConcatNativeSpec
  | LRNNativeSpec
  | SoftmaxNativeSpec
  | PermuteNativeSpec;
