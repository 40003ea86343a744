// Cross-layer rewrites (fusions), in one table consulted when the plan is built (build-plan.ts). A layer
// module lowers only itself and never looks at the layer that produced its bottom; a rule here sees a
// consumer together with its bottom's producer and, when its condition holds, rewrites the consumer's
// lowering. The producer's own steps stay in the plan and run only if something still reads its top
// (step-selection.ts), so a rule never changes a value, only which kernels compute it. A rule sees the
// producer's lowering with its own fusions applied (`from`), so fusions chain: Convolution → BatchNorm →
// Scale → ReLU becomes one Convolution step (docs/performance-notes.md#fusions). buildPlan(net, { fuse:
// false }) applies none (tests compare each fusion with the unfused plan). The next fusion goes here as one more entry.
import type { LoweredLayer, NativeKernelStepSpec, ValueRef } from '../ir/kernel-plan.js';
import type { Layer } from '../ir/layer.js';
import type { NativeKernelSpec } from '../ir/native-kernel-spec.js';
import { deconvolutionKernels } from '../layers/deconvolution/lower.js';
import { nativeKernelCovers } from './wasm/native-kernel.js';

/** A consumer whose bottom 0 is top `top` of `producer`. */
export interface FusionMatch {
  consumer: Layer;
  producer: Layer;
  top: number;
  /** The consumer's own lowering. */
  own: LoweredLayer;
  /** The producer's lowering, its own fusions applied (undefined: it has none, e.g. an Input). */
  from: LoweredLayer | undefined;
}

export interface FusionRule {
  name: string;
  /** Layer types of the producer and of the consumer. */
  pattern: { producer: readonly string[]; consumer: readonly string[] };
  /** When the rewrite is exact (and worth it). */
  condition(m: FusionMatch): boolean;
  /** The consumer's lowering after the fusion. */
  rewrite(m: FusionMatch): LoweredLayer;
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

/** The producer's native step, moved into the consumer: every argument read one layer further up. */
function lift(step: NativeKernelStepSpec, native: NativeKernelSpec, extraArgs: ValueRef[] = []): NativeKernelStepSpec {
  const up = (r: ValueRef): ValueRef => {
    if ('temp' in r) throw new Error('internal: a native step reads a temporary');
    return { upstream: 0, ref: r };
  };
  const when = step.when && { ...step.when, param: { upstream: 0, ref: step.when.param } };
  return { native, args: [...step.args.map(up), ...extraArgs], size: step.size, out: { top: 0 }, ...(when ? { when } : {}) };
}

/** The producer's top is read by the consumer only, so computing it inside the consumer costs nothing twice. */
const soleConsumer = (m: FusionMatch) => m.producer.tops[m.top].consumers.length === 1;

/** The producer's native steps writing the matched top, where each is of these kinds without a fused ReLU. */
function producerSteps(m: FusionMatch, kinds: readonly NativeKernelSpec['kind'][]): NativeKernelStepSpec[] {
  const steps = (m.from?.natives ?? []).filter((s) => s.out.top === m.top && nativeKernelCovers(s.native));
  const ok = steps.every(
    (s) =>
      kinds.includes(s.native.kind) &&
      !('relu' in s.native && s.native.relu !== undefined) &&
      !(s.native.kind === 'channel-affine' && s.native.from.kind === 'prelu'),
  );
  return ok ? steps : [];
}

/** Native kernels with a ReLU epilogue (a channel-affine map: not PReLU's, which has its own activation). */
const RELU_HOSTS = ['convolution', 'inner-product', 'eltwise', 'channel-affine'] as const;

/** A ReLU's slope where max(v, slope·v) is the ReLU (0 ≤ slope ≤ 1). */
function reluSlope(relu: Layer): number | undefined {
  const slope = Number(relu.typeParam.negative_slope ?? 0);
  return slope >= 0 && slope <= 1 ? slope : undefined;
}

/** The (BatchNorm, Scale, Bias) consumer's per-channel affine map over the producer's output channels, and the producer's step. */
function foldable(m: FusionMatch) {
  const a = m.own.natives?.length === 1 ? m.own.natives[0] : undefined;
  const steps = producerSteps(m, ['convolution', 'inner-product']);
  if (a?.native.kind !== 'channel-affine' || a.native.relu !== undefined || steps.length !== 1) return undefined;
  const { native: an } = a;
  const from = an.from;
  if (from.kind !== 'batch-norm' && from.kind !== 'scale-bias') return undefined;
  const p = steps[0].native;
  const fits =
    p.kind === 'convolution'
      ? p.cout === an.channels && p.outer === an.outer
      : p.kind === 'inner-product' && p.n === an.channels && p.m === an.outer && an.inner === 1;
  return fits && (p.kind === 'convolution' || p.kind === 'inner-product')
    ? { step: steps[0], spec: p, from, args: a.args.slice(1) }
    : undefined;
}

export const FUSION_RULES: readonly FusionRule[] = [
  {
    // FCN's final score crop: the Deconvolution's own kernels restricted to the kept window, reading the
    // Deconvolution's input and weights, so only the kept outputs are computed and nothing is copied after.
    name: 'deconvolution-crop-window',
    pattern: { producer: ['Deconvolution'], consumer: ['Crop'] },
    condition({ consumer: crop, producer: deconv, top }) {
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
    rewrite({ consumer: crop, producer: deconv, top }) {
      const off = cropOffsets(crop)!;
      const shape = crop.tops[0].shape;
      const window = { y0: off[2], x0: off[3], h: shape[2], w: shape[3] };
      const { kernels, natives } = deconvolutionKernels(deconv, top, window, upstream(top), { top: 0 }, 0);
      return { kernels, natives };
    },
  },
  {
    // ResNet's conv + BatchNorm + Scale (and a BatchNorm or Scale after an InnerProduct): on backend wasm the
    // per-channel affine maps are folded into the layer's weights and bias when they are bound
    // (wasm/folded-affine.ts), so neither map makes a pass of its own. Chains: a Scale after a folded
    // BatchNorm folds into the same step.
    name: 'affine-into-weights',
    pattern: { producer: ['Convolution', 'InnerProduct', 'BatchNorm', 'Scale', 'Bias'], consumer: ['BatchNorm', 'Scale', 'Bias'] },
    condition: (m) => soleConsumer(m) && foldable(m) !== undefined,
    rewrite: (m) => {
      const { step, spec, from, args } = foldable(m)!;
      return { ...m.own, natives: [lift(step, { ...spec, affine: [...(spec.affine ?? []), from] }, args)] };
    },
  },
  {
    // VGG's conv + in-place ReLU, ResNet's Eltwise + ReLU, an fc + ReLU (also after folded maps), DenseNet's
    // BatchNorm/Scale + ReLU: on backend wasm the producer's native kernel applies max(v, slope·v) before
    // storing, so the ReLU's own pass does not run. The ReLU's gpu.js kernel stays for the other backends.
    name: 'relu-epilogue',
    pattern: { producer: ['Convolution', 'InnerProduct', 'Eltwise', 'BatchNorm', 'Scale', 'Bias'], consumer: ['ReLU'] },
    condition: (m) => reluSlope(m.consumer) !== undefined && soleConsumer(m) && producerSteps(m, RELU_HOSTS).length > 0,
    rewrite: (m) => {
      const relu = reluSlope(m.consumer)!;
      const steps = producerSteps(m, RELU_HOSTS);
      return { ...m.own, natives: steps.map((s) => lift(s, { ...s.native, relu } as NativeKernelSpec)) };
    },
  },
];

/**
 * A layer's lowering with the first rule that matches it applied; `lowered` gives an earlier layer's
 * lowering (its fusions applied).
 */
export function lowerWithFusions(
  layer: Layer,
  lowered: (layer: Layer) => LoweredLayer | undefined = () => undefined,
  rules: readonly FusionRule[] = FUSION_RULES,
): LoweredLayer {
  const own = layer.module.lower!(layer);
  const bottom = layer.bottoms[0];
  if (!bottom) return own;
  const producer = bottom.producer;
  const top = producer.tops.indexOf(bottom);
  if (top < 0) return own;
  const m: FusionMatch = { consumer: layer, producer, top, own, from: lowered(producer) };
  for (const rule of rules) {
    if (rule.pattern.consumer.includes(layer.type) && rule.pattern.producer.includes(producer.type) && rule.condition(m)) {
      return { ...rule.rewrite(m), fused: [...(m.from?.fused ?? []), producer] };
    }
  }
  return own;
}
