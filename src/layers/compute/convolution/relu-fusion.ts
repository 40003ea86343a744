// A ReLU right after a Convolution (VGG's and FCN's conv + in-place ReLU) gets a native step of its own: the
// Convolution's kernel with the ReLU applied to its accumulators before they are stored, so on backend wasm
// the ReLU's gpu.js kernel — a pass over the whole blob, copied into and out of gpu.js's memory — does not run.
// The Convolution's own steps stay in the plan and run only where something reads its value before the ReLU
// (a ReLU that is not in place, with another reader of the Convolution's top).
import type { Layer } from '../../../ir/layer.js';
import type { NativeKernelStepSpec } from '../../../runtime/kernel-plan.js';
import { convolutionNativeSteps } from './native-step.js';

/** The fused step for ReLU layer `relu`, when its bottom is a Convolution's top with a native kernel. */
export function convolutionReLUSteps(relu: Layer): NativeKernelStepSpec[] {
  const slope = Number(relu.typeParam.negative_slope ?? 0);
  // max(v, slope·v) is the ReLU only for 0 ≤ slope ≤ 1.
  if (!(slope >= 0 && slope <= 1)) return [];
  const from = relu.bottoms[0];
  const conv = from.producer;
  const bottom = conv.tops.indexOf(from);
  if (conv.type !== 'Convolution' || bottom < 0) return [];
  const refs = { input: { upstream: 0, ref: { bottom } }, param: (index: number) => ({ upstream: 0, ref: { param: index } }) };
  return convolutionNativeSteps(conv, bottom, refs, { top: 0 }, slope);
}
