// Concat (docs/caffe-semantics.md#concat): bottoms agree on every axis but the concat axis, whose sizes add up. The legacy
// `concat_dim` (uint32, used as-is) and `axis` (canonicalised) exclude each other.
//
// Concat (docs/caffe-semantics.md#concat): bottoms joined along one axis; each output element reads the bottom whose
// range along that axis holds it.
import { has } from '../schema/message.js';
import { type ForwardLayer, type LayerModule, atLeast, exactly } from '../ir/layer-module.js';
import { canonicalAxis } from './shape-utils.js';
import { showShape } from './blob-checks.js';
import type { Layer } from '../ir/layer.js';
import type { LoweredLayer } from '../ir/kernel-plan.js';
import { MAX_KERNEL_BOTTOMS, coordinates, int, kernelFunction, linear } from './kernel-source.js';
import { type Tensor, countOf } from '../ir/tensor.js';
import type { ConcatParameter } from '../schema/caffe-messages.generated.js';

/** The concat axis: the top's only axis that differs from bottom[0] (any axis when there is one bottom). */
function concatAxis(layer: ForwardLayer): number {
  const p = layer.typeParam;
  const rank = layer.tops[0].shape.length;
  if (p.concat_dim !== undefined) return Number(p.concat_dim);
  const axis = Number(p.axis ?? 1);
  return axis < 0 ? axis + rank : axis;
}

export function concatForward(layer: ForwardLayer, bottoms: Tensor[]): Tensor[] {
  const axis = concatAxis(layer);
  const top = layer.tops[0].shape;
  const outer = countOf(top, 0, axis);
  const inner = countOf(top, axis + 1);
  const out = new Float32Array(countOf(top));
  let offset = 0;
  for (const b of bottoms) {
    const block = b.shape[axis] * inner;
    for (let o = 0; o < outer; o++) out.set(b.data.subarray(o * block, (o + 1) * block), o * top[axis] * inner + offset);
    offset += block;
  }
  return [{ shape: [...top], data: out }];
}

export function concatLower(layer: Layer): LoweredLayer {
  if (layer.bottoms.length > MAX_KERNEL_BOTTOMS) return { kernels: [], host: true };
  const axis = concatAxis(layer);
  const top = layer.tops[0].shape;
  const outer = countOf(top, 0, axis);
  const inner = countOf(top, axis + 1);
  const names = layer.bottoms.map((_, i) => `x${i}`);
  let start = 0;
  const branches = layer.bottoms.map((b, i) => {
    const size = b.shape[axis];
    const read = `return ${names[i]}[${linear(
      [
        ['o', size * inner],
        ['a', inner],
        ['i', 1],
      ],
      -start * inner,
    )}];`;
    const branch = i === layer.bottoms.length - 1 ? read : `if (a < ${int(start + size)}) {\n  ${read}\n}`;
    start += size;
    return branch;
  });
  const body = `${coordinates([outer, top[axis], inner], ['o', 'a', 'i'])}\n${branches.join('\n')}`;
  const args = layer.bottoms.map((_, i) => ({ bottom: i }));
  const size = countOf(top);
  // On wasm: block copies on the host (host-kernels.ts).
  const native = { kind: 'concat' as const, outer, inner, sizes: layer.bottoms.map((b) => b.shape[axis]) };
  return {
    kernels: [{ source: kernelFunction(names, body), args, size, out: { top: 0 } }],
    natives: [{ native, args, size, out: { top: 0 } }],
  };
}

export const concat: LayerModule<ConcatParameter> = {
  type: 'Concat',
  paramField: 'concat_param',
  bottoms: atLeast(1),
  tops: exactly(1),
  inPlace: false,
  forward: concatForward,
  lower: concatLower,
  infer(ctx) {
    const p = ctx.param;
    const first = ctx.bottoms[0];
    if (has(p, 'axis') && has(p, 'concat_dim')) {
      ctx.fail('either axis or concat_dim should be specified; not both', { msg: p, field: 'concat_dim' });
    }
    let axis: number;
    if (has(p, 'concat_dim')) {
      axis = Number(p.concat_dim);
      if (axis >= first.length)
        ctx.fail(`concat_dim out of range: ${axis} for ${first.length}-D bottom ${showShape(first)}`, { msg: p, field: 'concat_dim' });
    } else {
      axis = canonicalAxis(ctx, Number(p.axis ?? 1), first, 'axis', { msg: p, field: 'axis' });
    }
    const top = [...first];
    ctx.bottoms.slice(1).forEach((b, k) => {
      const i = k + 1;
      if (b.length !== first.length) {
        ctx.fail(`all inputs must have the same #axes: bottom[0] is ${showShape(first)}, bottom[${i}] is ${showShape(b)}`);
      }
      if (b.some((d, j) => j !== axis && d !== first[j])) {
        ctx.fail(
          `all inputs must have the same shape, except at concat_axis (${axis}): bottom[0] is ${showShape(first)}, bottom[${i}] is ${showShape(b)}`,
        );
      }
      top[axis] += b[axis];
    });
    // Joining along N or C keeps every spatial coordinate where it was (a merge the analysis checks).
    return { tops: [top], params: [], macs: 0, spatial: axis <= 1 ? { kind: 'identity' } : undefined };
  },
};
