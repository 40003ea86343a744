// A native kernel as the executor runs it: arguments in the plan step's order (input, then parameter
// blobs), one Float32Array out. Parameter blobs are the same arrays on every call while the weights stay
// bound, so a kernel re-lays them only when they change.
import { convolutionNativeKernel } from '../../layers/compute/convolution/native.js';
import { deconvolutionNativeKernel } from '../../layers/compute/deconvolution/wasm-kernel.js';
import type { NativeKernelSpec } from './native-kernel-spec.js';

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
