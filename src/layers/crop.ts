// Crop (docs/caffe-semantics.md#crop): axes before `axis` keep bottom[0]'s dims (FCN's 21 score channels); from
// `axis` on, the top takes bottom[1]'s dims, read at an offset into bottom[0]. One offset is broadcast to
// every cropped axis; several must number exactly num_axes − axis; none means 0 (not a centre crop).
//
// Crop (docs/caffe-semantics.md#crop): top[k] = bottom0[k + offset] on every axis, offsets 0 before `axis`.
// Cropping a Deconvolution's output (FCN's final score crop) is a fusion: src/runtime/fusion-rules.ts.
import { type LayerModule, exactly } from '../ir/layer-module.js';
import { canonicalAxis, nums } from './shape-utils.js';
import { bottomName, showShape } from './blob-checks.js';
import type { Layer } from '../ir/layer.js';
import type { LoweredLayer } from '../ir/kernel-plan.js';
import { coordinates, kernelFunction, linear, strides } from './kernel-source.js';
import { type Tensor, countOf } from '../ir/tensor.js';
import type { CropParameter } from '../schema/caffe-messages.generated.js';

function offsets(layer: Layer): number[] {
  const op = layer.spatial;
  if (!op || op.kind !== 'crop') throw new Error('internal: Crop without offsets');
  const rank = layer.tops[0].shape.length;
  return Array.from({ length: rank }, (_, i) => (i < op.firstAxis ? 0 : op.offset[i - op.firstAxis]));
}

export function cropForward(layer: Layer, [x]: Tensor[]): Tensor[] {
  const top = layer.tops[0].shape;
  const off = offsets(layer);
  const from = strides(x.shape);
  const out = new Float32Array(countOf(top));
  const idx = new Array<number>(top.length).fill(0);
  for (let i = 0; i < out.length; i++) {
    let at = 0;
    for (let a = 0; a < top.length; a++) at += (idx[a] + off[a]) * from[a];
    out[i] = x.data[at];
    for (let a = top.length - 1; a >= 0 && ++idx[a] === top[a]; a--) idx[a] = 0;
  }
  return [{ shape: [...top], data: out }];
}

export function cropLower(layer: Layer): LoweredLayer {
  const top = layer.tops[0].shape;
  const off = offsets(layer);
  const from = strides(layer.bottoms[0].shape);
  const names = top.map((_, a) => `a${a}`);
  const base = off.reduce((n, o, a) => n + o * from[a], 0);
  const body = `${coordinates(top, names)}\nreturn x[${linear(
    names.map((n, a) => [n, from[a]]),
    base,
  )}];`;
  return { kernels: [{ source: kernelFunction(['x'], body), args: [{ bottom: 0 }], size: countOf(top), out: { top: 0 } }] };
}

export const crop: LayerModule<CropParameter> = {
  type: 'Crop',
  paramField: 'crop_param',
  bottoms: exactly(2),
  tops: exactly(1),
  inPlace: false,
  forward: cropForward,
  lower: cropLower,
  infer(ctx) {
    const p = ctx.param;
    const [source, reference] = ctx.bottoms;
    const axis = canonicalAxis(ctx, Number(p.axis ?? 2), source, 'axis', { msg: p, field: 'axis' });
    const offsets = nums(p.offset);
    if (offsets.length > 1 && axis + offsets.length !== source.length) {
      ctx.fail(
        `number of offset values specified must be equal to the number of dimensions following axis: ${offsets.length} offsets, but ${bottomName(ctx, 0)} has ${source.length - axis} axes from axis ${axis}`,
        { msg: p, field: 'offset' },
      );
    }
    const top = source.map((size, i) => {
      if (i < axis) return size;
      if (i >= reference.length) {
        ctx.fail(
          `the reference ${bottomName(ctx, 1)} (${showShape(reference)}) has no dimension ${i} to crop ${bottomName(ctx, 0)} (${showShape(source)}) to`,
        );
      }
      const index = offsets.length > 1 ? i - axis : 0;
      const offset = offsets.length === 0 ? 0 : offsets[index];
      const newSize = reference[i];
      if (size - offset < newSize) {
        ctx.fail(
          `the crop for dimension ${i} is out of bounds: offset ${offset} + ${newSize} exceeds ${bottomName(ctx, 0)} dim ${i} (${size})`,
          offsets.length > 0 ? { msg: p, field: 'offset', index } : undefined,
        );
      }
      return newSize;
    });
    // Per-axis offsets from `axis` on (one given offset is broadcast; none means 0).
    const offset = source.slice(axis).map((_, i) => (offsets.length === 0 ? 0 : offsets[offsets.length > 1 ? i : 0]));
    return { tops: [top], params: [], macs: 0, spatial: { kind: 'crop', firstAxis: axis, offset } };
  },
};
