// Scale and Bias (docs/caffe-semantics.md#lrn-batchnorm-scale-and-bias): multiply / add a blob that covers a contiguous run of bottom[0]'s
// axes starting at `axis` (not NumPy's right-aligned broadcasting). The blob is bottom[1] when given,
// else a learned parameter of shape bottom[0].shape[axis : axis+num_axes] (num_axes −1: to the end).
// A scalar (0-axis) operand fits anywhere. Top = bottom[0]'s shape; in-place is allowed.
//
// Scale and Bias (docs/caffe-semantics.md#lrn-batchnorm-scale-and-bias): the operand (bottom[1], or the learned blob) covers the
// contiguous axes [axis, axis + operand axes) of bottom[0], so element i uses operand[(i / inner) mod dim].
// Scale with bias_term adds a second learned blob of the operand's shape.
import type { Msg } from '../schema/message.js';
import { type LayerModule, type Shape, type ShapeContext, between, exactly } from '../ir/layer-module.js';
import { canonicalAxis, count } from './shape-utils.js';
import { showShape } from './blob-checks.js';
import type { Layer } from '../ir/layer.js';
import type { LoweredLayer, ValueRef } from '../ir/kernel-plan.js';
import { coordinates, kernelFunction } from './kernel-source.js';
import { type Tensor, countOf } from '../ir/tensor.js';
import type { BiasParameter, ScaleParameter } from '../schema/caffe-messages.generated.js';

interface Broadcast {
  outer: number;
  dim: number;
  inner: number;
}

function broadcast(layer: Layer): Broadcast {
  const shape = layer.bottoms[0].shape;
  const operand = layer.bottoms[1]?.shape ?? layer.paramShapes[0];
  const p = layer.typeParam;
  const rawAxis = Number(p.axis ?? 1);
  const axis = operand.length === 0 ? 0 : rawAxis < 0 ? rawAxis + shape.length : rawAxis;
  const dim = countOf(operand);
  return { outer: countOf(shape, 0, axis), dim, inner: countOf(shape, axis + operand.length) };
}

/** The operands in order: [scale, bias] for Scale (bias only with bias_term), [bias] for Bias. */
function operands(layer: Layer): { scale?: ValueRef; bias?: ValueRef } {
  const given = layer.bottoms.length === 2;
  if (layer.type === 'Bias') return { bias: given ? { bottom: 1 } : { param: 0 } };
  const scale: ValueRef = given ? { bottom: 1 } : { param: 0 };
  if (layer.typeParam.bias_term !== true) return { scale };
  return { scale, bias: given ? { param: 0 } : { param: 1 } };
}

function valueOf(ref: ValueRef, bottoms: Tensor[], params: Float32Array[]): Float32Array {
  if ('bottom' in ref) return bottoms[ref.bottom].data;
  if ('param' in ref) return params[ref.param];
  throw new Error('internal: temporary in a reference operand');
}

export function scaleBiasForward(layer: Layer, bottoms: Tensor[], params: Float32Array[]): Tensor[] {
  const { dim, inner } = broadcast(layer);
  const { scale, bias } = operands(layer);
  const s = scale && valueOf(scale, bottoms, params);
  const b = bias && valueOf(bias, bottoms, params);
  const x = bottoms[0].data;
  const out = new Float32Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const d = Math.floor(i / inner) % dim;
    out[i] = (s ? x[i] * s[d] : x[i]) + (b ? b[d] : 0);
  }
  return [{ shape: [...bottoms[0].shape], data: out }];
}

export function scaleBiasLower(layer: Layer): LoweredLayer {
  const { outer, dim, inner } = broadcast(layer);
  const { scale, bias } = operands(layer);
  const names = ['x'];
  const args: ValueRef[] = [{ bottom: 0 }];
  let expr = 'x[this.thread.x]';
  if (scale) {
    names.push('s');
    args.push(scale);
    expr = `${expr} * s[(d|0)]`;
  }
  if (bias) {
    names.push('b');
    args.push(bias);
    expr = `${expr} + b[(d|0)]`;
  }
  const body = `${coordinates([outer, dim, inner], ['o', 'd', 'i'])}\nreturn ${expr};`;
  const size = layer.tops[0].count;
  const kernels = [{ source: kernelFunction(names, body), args, size, out: { top: 0 } }];
  // On wasm, with learned operands (not a second bottom): a native per-channel affine map (elementwise/native.ts).
  if (layer.bottoms.length !== 1) return { kernels };
  const native = {
    kind: 'channel-affine' as const,
    outer,
    channels: dim,
    inner,
    from: { kind: 'scale-bias' as const, scale: !!scale, bias: !!bias },
  };
  return { kernels, natives: [{ native, args, size, out: { top: 0 } }] };
}

/** LayerSetUp with one bottom: the learned blob's shape from axis/num_axes. */
function learnedShape(ctx: ShapeContext, p: Msg, what: string): Shape {
  const bottom = ctx.bottoms[0];
  const axis = canonicalAxis(ctx, Number(p.axis ?? 1), bottom, 'axis', { msg: p, field: 'axis' });
  const numAxes = Number(p.num_axes ?? 1);
  if (numAxes < -1)
    ctx.fail(`num_axes must be non-negative, or -1 to extend to the end of bottom[0] (got ${numAxes})`, { msg: p, field: 'num_axes' });
  if (numAxes >= 0 && bottom.length < axis + numAxes) {
    ctx.fail(
      `${what} blob's shape extends past bottom[0]'s shape when applied starting with bottom[0] axis = ${axis} (num_axes ${numAxes}, bottom ${showShape(bottom)})`,
      { msg: p, field: 'num_axes' },
    );
  }
  return bottom.slice(axis, numAxes === -1 ? undefined : axis + numAxes);
}

/** Reshape: the operand must match bottom[0] axis by axis from `axis` (0 for a scalar operand). */
function checkOperand(ctx: ShapeContext, p: Msg, operand: Shape, what: string): void {
  const bottom = ctx.bottoms[0];
  const axis = operand.length === 0 ? 0 : canonicalAxis(ctx, Number(p.axis ?? 1), bottom, 'axis', { msg: p, field: 'axis' });
  if (bottom.length < axis + operand.length) {
    ctx.fail(
      `${what} blob's shape extends past bottom[0]'s shape when applied starting with bottom[0] axis = ${axis} (${what} ${showShape(operand)}, bottom ${showShape(bottom)})`,
    );
  }
  operand.forEach((d, i) => {
    if (bottom[axis + i] !== d) {
      ctx.fail(`dimension mismatch between bottom[0]->shape(${axis + i}) = ${bottom[axis + i]} and ${what}->shape(${i}) = ${d}`);
    }
  });
}

export const scale: LayerModule<ScaleParameter> = {
  type: 'Scale',
  paramField: 'scale_param',
  bottoms: between(1, 2),
  tops: exactly(1),
  inPlace: true,
  passThrough: true,
  forward: scaleBiasForward,
  lower: scaleBiasLower,
  infer(ctx) {
    const p = ctx.param;
    const bottom = ctx.bottoms[0];
    const given = ctx.bottoms[1];
    const factor = given ?? learnedShape(ctx, p, 'scale');
    checkOperand(ctx, p, factor, 'scale');
    const params: Shape[] = given ? [] : [factor];
    let macs = count(bottom);
    if (p.bias_term === true) {
      // Caffe builds an internal Bias layer with this axis and num_axes = the scale's own axes.
      params.push(given ? learnedShape(ctx, { axis: p.axis, num_axes: given.length }, 'bias') : [...factor]);
      macs += count(bottom);
    }
    return { tops: [[...bottom]], params, macs };
  },
};

export const bias: LayerModule<BiasParameter> = {
  type: 'Bias',
  paramField: 'bias_param',
  bottoms: between(1, 2),
  tops: exactly(1),
  inPlace: true,
  passThrough: true,
  forward: scaleBiasForward,
  lower: scaleBiasLower,
  infer(ctx) {
    const p = ctx.param;
    const given = ctx.bottoms[1];
    const term = given ?? learnedShape(ctx, p, 'bias');
    checkOperand(ctx, p, term, 'bias');
    return { tops: [[...ctx.bottoms[0]]], params: given ? [] : [term], macs: count(ctx.bottoms[0]) };
  },
};
