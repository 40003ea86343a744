// Cross-layer rewrites (fusions), in one table consulted when the plan is built (build-plan.ts). A layer
// module lowers only itself and never looks at the layer that produced its bottom; a rule here sees a
// consumer together with its bottom's producer and, when its condition holds, rewrites the consumer's
// lowering. The producer's own steps stay in the plan and run only if something still reads its top
// (step-selection.ts), so a rule never changes a value, only which kernels compute it. The next fusion
// goes here as one more entry.
import type { LoweredLayer } from '../ir/kernel-plan.js';
import type { Layer } from '../ir/layer.js';
import { convolutionNativeSteps } from '../layers/convolution/native-step.js';
import { deconvolutionKernels } from '../layers/deconvolution/lower.js';
import { nativeKernelCovers } from './wasm/native-kernel.js';

export interface FusionRule {
  name: string;
  /** The consumer's bottom 0 is top `top` of a layer of type `producer`. */
  pattern: { producer: string; consumer: string };
  /** When the rewrite is exact. */
  condition(consumer: Layer, producer: Layer, top: number): boolean;
  /** The consumer's lowering after the fusion, from its own (`own`). */
  rewrite(consumer: Layer, producer: Layer, top: number, own: LoweredLayer): LoweredLayer;
}

/** A bottom or parameter blob of the producer, as the consumer's plan step reads it. */
const upstream = (top: number) => ({
  input: { upstream: 0, ref: { bottom: top } },
  param: (index: number) => ({ upstream: 0, ref: { param: index } }),
});

/** Crop offsets on every axis of the top (0 before the crop's first axis). */
function cropOffsets(crop: Layer): number[] | undefined {
  const op = crop.spatial;
  if (op?.kind !== 'crop') return undefined;
  return crop.tops[0].shape.map((_, i) => (i < op.firstAxis ? 0 : op.offset[i - op.firstAxis]));
}

export const FUSION_RULES: readonly FusionRule[] = [
  {
    // FCN's final score crop: the Deconvolution's own kernels restricted to the kept window, reading the
    // Deconvolution's input and weights, so only the kept outputs are computed and nothing is copied after.
    name: 'deconvolution-crop-window',
    pattern: { producer: 'Deconvolution', consumer: 'Crop' },
    condition(crop, deconv, top) {
      const from = deconv.tops[top];
      const off = cropOffsets(crop);
      const shape = crop.tops[0].shape;
      // Only spatial crops of a net with two spatial axes (N, C, H, W) map onto the kernels' window.
      return (
        deconv.spatial?.kind === 'transpose' &&
        deconv.spatial.firstAxis === 2 &&
        from.shape.length === 4 &&
        off !== undefined &&
        off[0] === 0 &&
        off[1] === 0 &&
        shape[0] === from.shape[0] &&
        shape[1] === from.shape[1]
      );
    },
    rewrite(crop, deconv, top) {
      const off = cropOffsets(crop)!;
      const shape = crop.tops[0].shape;
      const window = { y0: off[2], x0: off[3], h: shape[2], w: shape[3] };
      const { kernels, natives } = deconvolutionKernels(deconv, top, window, upstream(top), { top: 0 }, 0);
      return { kernels, natives };
    },
  },
  {
    // VGG's and FCN's conv + in-place ReLU: on backend wasm the Convolution's native kernel applies
    // max(v, slope·v) to its accumulators before storing, so the ReLU's own pass over the blob (copied into and
    // out of gpu.js's memory) does not run. Its gpu.js kernel stays for the other backends.
    name: 'convolution-relu',
    pattern: { producer: 'Convolution', consumer: 'ReLU' },
    // max(v, slope·v) is the ReLU only for 0 ≤ slope ≤ 1.
    condition: (relu) => {
      const slope = Number(relu.typeParam.negative_slope ?? 0);
      return slope >= 0 && slope <= 1;
    },
    // The fused step replaces the ReLU's own native step (an element-wise pass) where the Convolution's
    // kernel covers the layer; elsewhere the ReLU keeps its own.
    rewrite: (relu, conv, top, own) => {
      const fused = convolutionNativeSteps(conv, top, upstream(top), { top: 0 }, Number(relu.typeParam.negative_slope ?? 0)).filter((s) =>
        nativeKernelCovers(s.native),
      );
      return { ...own, natives: fused.length ? fused : own.natives };
    },
  },
];

/** A layer's lowering with the first rule that matches it applied. */
export function lowerWithFusions(layer: Layer, rules: readonly FusionRule[] = FUSION_RULES): LoweredLayer {
  const own = layer.module.lower!(layer);
  const from = layer.bottoms[0];
  if (!from) return own;
  const producer = from.producer;
  const top = producer.tops.indexOf(from);
  if (top < 0) return own;
  for (const rule of rules) {
    if (rule.pattern.consumer === layer.type && rule.pattern.producer === producer.type && rule.condition(layer, producer, top)) {
      return rule.rewrite(layer, producer, top, own);
    }
  }
  return own;
}
