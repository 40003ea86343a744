// What a plan records about a native (WebAssembly SIMD) kernel: plain data — which kernel and the numbers
// it is specialised to — so a compiled module carries it as JSON and the runtime generates the kernel when
// the weights are bound.

/**
 * A Deconvolution (or the window of it a Crop keeps) over Caffe weights (C_in, C_out/g, kh, kw).
 * `weights: 'channel-diagonal'` reads only the diagonal blocks w[c, c] (the step runs only where the bound
 * weights are zero elsewhere), as a depthwise layer.
 */
export interface DeconvolutionNativeSpec {
  kind: 'deconvolution';
  weights: 'dense' | 'channel-diagonal';
  outer: number;
  cin: number;
  cout: number;
  group: number;
  inH: number;
  inW: number;
  kernel: [number, number];
  stride: [number, number];
  pad: [number, number];
  dilation: [number, number];
  bias: boolean;
  /** Theano's filter flip: tap (kh−1−ky, kw−1−kx) of the weights. */
  flip: boolean;
  /** The output rows and columns computed (the whole output, or a Crop's window of it). */
  window: { y0: number; x0: number; h: number; w: number };
  /** A ReLU fused after the layer: its negative slope (0 ≤ slope ≤ 1); absent: none. */
  relu?: number;
}

/**
 * A Convolution over Caffe weights (C_out, C_in/g, kh, kw), computed as a stride-1 Deconvolution (so only
 * stride 1 has one; see src/layers/compute/convolution/native.ts).
 */
export interface ConvolutionNativeSpec {
  kind: 'convolution';
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
  /** Theano's filter flip: tap (kh−1−ky, kw−1−kx) of the weights. */
  flip: boolean;
  /** A ReLU fused after the layer (an in-place ReLU's native step): its negative slope (0 ≤ slope ≤ 1). */
  relu?: number;
}

export type NativeKernelSpec = DeconvolutionNativeSpec | ConvolutionNativeSpec;
