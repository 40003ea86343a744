// A native kernel as the executor runs it: arguments in the plan step's order (input, then parameter
// blobs), one Float32Array out. Parameter blobs are the same arrays on every call while the weights stay
// bound, so a kernel re-lays them only when they change.
import { convolutionNativeKernel, nativeConvolutionCovers } from './phase-gemm-convolution.js';
import { deconvolutionNativeKernel } from './phase-gemm-kernel.js';
import { nativeDeconvolutionCovers } from './phase-gemm-layout.js';
import { channelAffineNativeKernel, eltwiseNativeKernel } from './elementwise-kernels.js';
import { concatHostKernel, permuteHostKernel, softmaxHostKernel } from './host-kernels.js';
import { lrnNativeKernel } from './lrn-kernel.js';
import { innerProductNativeKernel } from './inner-product-kernel.js';
import { poolingNativeKernel } from './pooling-kernel.js';
import { foldedAffineKernel } from './folded-affine.js';
import { depthwiseConvolutionCovers, depthwiseConvolutionKernel, isDepthwiseConvolution } from './depthwise-kernel.js';
import type { NativeKernelSpec } from '../../ir/native-kernel-spec.js';
import type { KernelPool } from './kernel-worker.js';
import type { KernelArena } from './kernel-arena.js';

export interface NativeKernel {
  /** What computes it: generated WebAssembly, or plain JavaScript on the host's arrays (copies, transcendental functions). */
  readonly engine?: 'wasm' | 'js';
  /**
   * The result for `args`. Given `out` (the result's length), the result is written there and `out` is
   * returned: the executor passes its planned activation memory, so a forward pass makes no new arrays.
   * Without, a new array. `out` never overlaps an argument.
   */
  run(args: readonly Float32Array[], out?: Float32Array): Promise<Float32Array>;
  /**
   * Lays out the parameter arguments of `args` (its value arguments are not read) as run() would on its
   * first call with them, so that run() then only checks they are the same arrays. The executor binds every
   * kernel's weights before the first pass touches any activation: the weights it loaded are freed one by
   * one as they are laid out, so its peak memory holds them once, plus the largest one twice.
   */
  bind?(args: readonly Float32Array[]): void;
  /** Ends its worker threads, if any. */
  destroy(): void;
}

export interface NativeKernelOptions {
  /** Threads a big layer may use (this one and worker threads); default 1. */
  threads?: number;
  /** Worker threads shared by the kernels of an executor (threads − 1 of them); without, a kernel starts its own. */
  pool?: KernelPool;
  /** The executor's memory for its native kernels and activations (kernel-arena.ts); without, each kernel has a memory of its own. */
  arena?: KernelArena;
  /**
   * Multiply-adds as relaxed SIMD's fused f32x4.relaxed_madd (default: where relaxedSimdSupported());
   * false: f32x4.mul then f32x4.add (plain SIMD).
   */
  relaxedSimd?: boolean;
}

export function createNativeKernel(spec: NativeKernelSpec, options: NativeKernelOptions = {}): NativeKernel {
  switch (spec.kind) {
    case 'deconvolution':
      return deconvolutionNativeKernel(spec, options);
    case 'convolution': {
      // A depthwise layer (MobileNet's) has a kernel of its own; the phase GEMM computes the others.
      const kernel = isDepthwiseConvolution(spec) ? depthwiseConvolutionKernel : convolutionNativeKernel;
      if (!spec.affine?.length) return kernel(spec, options);
      const { affine, ...plain } = spec;
      const inner = kernel({ ...plain, bias: true }, options);
      return foldedAffineKernel(inner, affine, spec.cout, { rows: (spec.cin / spec.group) * spec.kernel[0] * spec.kernel[1] }, spec.bias);
    }
    case 'pooling':
      return poolingNativeKernel(spec, options);
    case 'inner-product': {
      if (!spec.affine?.length) return innerProductNativeKernel(spec, options);
      const { affine, ...plain } = spec;
      const inner = innerProductNativeKernel({ ...plain, bias: true }, options);
      return foldedAffineKernel(inner, affine, spec.n, spec.transpose ? { columns: spec.n } : { rows: spec.k }, spec.bias);
    }
    case 'channel-affine':
      return channelAffineNativeKernel(spec, options);
    case 'eltwise':
      return eltwiseNativeKernel(spec, options);
    case 'concat':
      return concatHostKernel(spec);
    case 'lrn':
      return lrnNativeKernel(spec, options);
    case 'softmax':
      return softmaxHostKernel(spec);
    case 'permute':
      return permuteHostKernel(spec);
  }
}

/** Whether a native kernel can be generated for this spec (geometry it handles, memory under 2 GiB); the plan keeps only those. */
export function nativeKernelCovers(spec: NativeKernelSpec): boolean {
  switch (spec.kind) {
    case 'deconvolution':
      return nativeDeconvolutionCovers(spec);
    case 'convolution':
      return isDepthwiseConvolution(spec) ? depthwiseConvolutionCovers(spec) : nativeConvolutionCovers(spec);
    case 'inner-product':
      return (Math.ceil(spec.n / 4) + spec.m) * Math.ceil(spec.k / 4) * 16 < 2 ** 31;
    case 'pooling':
      // Input, output and a scratch row per plane (pooling-kernel.ts; at most inW + (outW + 4)·stride + kernel + 24).
      return (
        spec.planes *
          (spec.inH * spec.inW + spec.outH * spec.outW + spec.inW + (spec.outW + 4) * spec.stride[1] + spec.kernel[1] + 24) *
          4 <
        2 ** 31
      );
    case 'channel-affine':
      return spec.outer * spec.channels * spec.inner * 8 < 2 ** 31;
    case 'eltwise':
      return spec.count * (spec.coeffs.length + 1) * 4 < 2 ** 31;
    case 'lrn': {
      // Input and output, and WITHIN_CHANNEL's scratch row per plane (lrn-kernel.ts).
      const [n, c, h, w] = spec.shape;
      return (2 * n * c * h * w + n * c * (w + spec.size + 8)) * 4 < 2 ** 31;
    }
    case 'concat':
    case 'softmax':
    case 'permute':
      return true;
  }
}
