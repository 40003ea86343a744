// PReLU (docs/caffe-semantics.md#neurons): ReLU with learned negative slopes, one per channel ([C], C = the legacy
// channels(), so at most 4 axes) or one for all ([] with channel_shared). Needs at least 2 axes.
//
// PReLU (docs/caffe-semantics.md#neurons): y = max(x, 0) + a_c · min(x, 0), one slope per channel (axis 1), or one for
// all with channel_shared.
import { type LayerModule, exactly } from '../ir/layer-module.js';
import { count, legacyDim } from './shape-utils.js';
import { showShape } from './blob-checks.js';
import type { Layer } from '../ir/layer.js';
import type { LoweredLayer } from '../ir/kernel-plan.js';
import { coordinates, kernelFunction } from './kernel-source.js';
import { type Tensor, countOf } from '../ir/tensor.js';
import type { PReLUParameter } from '../schema/caffe-messages.generated.js';

function channels(layer: Layer): { outer: number; c: number; inner: number } {
  const shape = layer.bottoms[0].shape;
  const shared = layer.typeParam.channel_shared === true;
  const c = shared ? 1 : shape[1];
  return { outer: shape[0], c, inner: shared ? countOf(shape, 1) : countOf(shape, 2) };
}

export function preluForward(layer: Layer, [x]: Tensor[], [a]: Float32Array[]): Tensor[] {
  const { c, inner } = channels(layer);
  const out = new Float32Array(x.data.length);
  for (let i = 0; i < out.length; i++) {
    const v = x.data[i];
    out[i] = v > 0 ? v : v * a[Math.floor(i / inner) % c];
  }
  return [{ shape: [...x.shape], data: out }];
}

export function preluLower(layer: Layer): LoweredLayer {
  const { outer, c, inner } = channels(layer);
  const body = `
    ${coordinates([outer, c, inner], ['n', 'ci', 'i'])}
    const v = x[this.thread.x];
    return v > 0.0 ? v : v * a[(ci|0)];`;
  const args = [{ bottom: 0 }, { param: 0 }];
  const size = layer.tops[0].count;
  // On wasm: a native per-channel map (elementwise/native.ts), channel_shared as one channel.
  const native = { kind: 'channel-affine' as const, outer, channels: c, inner, from: { kind: 'prelu' as const } };
  return {
    kernels: [{ source: kernelFunction(['x', 'a'], body), args, size, out: { top: 0 } }],
    natives: [{ native, args, size, out: { top: 0 } }],
  };
}

export const prelu: LayerModule<PReLUParameter> = {
  type: 'PReLU',
  paramField: 'prelu_param',
  bottoms: exactly(1),
  tops: exactly(1),
  inPlace: true,
  passThrough: true,
  forward: preluForward,
  lower: preluLower,
  infer(ctx) {
    const bottom = ctx.bottoms[0];
    if (bottom.length < 2) ctx.fail(`number of axes of bottom blob must be >=2; got ${showShape(bottom)}`);
    const slopes = ctx.param.channel_shared === true ? [] : [legacyDim(ctx, bottom, 1)];
    return { tops: [[...bottom]], params: [slopes], macs: count(bottom) };
  },
};
