// The plan step of a Convolution's native kernel (where convolution/native.ts covers the layer), for the
// layer itself or, with a ReLU fused after it, for the in-place ReLU that follows (relu-fusion.ts).
import type { Layer } from '../../../ir/layer.js';
import type { NativeKernelStepSpec, ValueRef } from '../../../runtime/kernel-plan.js';
import type { ConvolutionNativeSpec } from '../../../runtime/wasm/native-kernel-spec.js';
import { convParams } from '../conv-params.js';
import { filterFlip } from '../filter-flip.js';
import { nativeConvolutionCovers } from './native.js';

/** Where the step reads the Convolution's bottom and parameter blob `index` (its own, or upstream). */
export interface ConvolutionRefs {
  input: ValueRef;
  param(index: number): ValueRef;
}

/** The native step computing top `bottom` of `layer` (then the fused ReLU of this slope) into `out`, if covered. */
export function convolutionNativeSteps(layer: Layer, bottom: number, refs: ConvolutionRefs, out: { top: number }, relu?: number): NativeKernelStepSpec[] {
  const q = convParams(layer, bottom);
  const native: ConvolutionNativeSpec = { kind: 'convolution', ...q, flip: filterFlip(layer), ...(relu !== undefined ? { relu } : {}) };
  if (!nativeConvolutionCovers(native)) return [];
  const params = q.bias ? [refs.param(0), refs.param(1)] : [refs.param(0)];
  return [{ native, args: [refs.input, ...params], size: layer.tops[bottom].count, out }];
}
