// A native kernel as the executor runs it: arguments in the plan step's order (input, then parameter
// blobs), one Float32Array out. Parameter blobs are the same arrays on every call while the weights stay
// bound, so a kernel re-lays them only when they change.
import { deconvolutionNativeKernel } from '../../layers/compute/deconvolution/wasm-kernel.js';
import type { NativeKernelSpec } from './native-kernel-spec.js';

export interface NativeKernel {
  run(args: readonly Float32Array[]): Float32Array;
}

export function createNativeKernel(spec: NativeKernelSpec): NativeKernel {
  switch (spec.kind) {
    case 'deconvolution':
      return deconvolutionNativeKernel(spec);
  }
}
