// A native kernel as the executor runs it: arguments in the plan step's order (input, then parameter
// blobs), one Float32Array out. Parameter blobs are the same arrays on every call while the weights stay
// bound, so a kernel re-lays them only when they change.
import { convolutionNativeKernel, nativeConvolutionCovers } from './phase-gemm-convolution.js';
import { deconvolutionNativeKernel } from './phase-gemm-kernel.js';
import { nativeDeconvolutionCovers } from './phase-gemm-layout.js';
import type { NativeKernelSpec } from '../../ir/native-kernel-spec.js';

export interface NativeKernel {
  run(args: readonly Float32Array[]): Promise<Float32Array>;
  /** Ends its worker threads, if any. */
  destroy(): void;
}

export interface NativeKernelOptions {
  /** Threads a big layer may use (this one and worker threads); default 1. */
  threads?: number;
}

export function createNativeKernel(spec: NativeKernelSpec, options: NativeKernelOptions = {}): NativeKernel {
  switch (spec.kind) {
    case 'deconvolution':
      return deconvolutionNativeKernel(spec, options);
    case 'convolution':
      return convolutionNativeKernel(spec, options);
  }
}

/** Whether a native kernel can be generated for this spec (geometry it handles, memory under 2 GiB); the plan keeps only those. */
export function nativeKernelCovers(spec: NativeKernelSpec): boolean {
  switch (spec.kind) {
    case 'deconvolution':
      return nativeDeconvolutionCovers(spec);
    case 'convolution':
      return nativeConvolutionCovers(spec);
  }
}
