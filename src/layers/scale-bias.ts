// Scale and Bias (REFERENCE §2.14, §7.14): multiply / add a blob that covers a contiguous run of bottom[0]'s
// axes starting at `axis` (not NumPy's right-aligned broadcasting). The blob is bottom[1] when given,
// else a learned parameter of shape bottom[0].shape[axis : axis+num_axes] (num_axes −1: to the end).
// A scalar (0-axis) operand fits anywhere. Top = bottom[0]'s shape; in-place is allowed.
import type { Msg } from '../schema/message.js';
import type { LayerModule, Shape, ShapeContext } from '../ir/layer-module.js';
import { between, exactly } from '../ir/layer-module.js';
import { canonicalAxis, count } from './shape-utils.js';
import { showShape } from './blob-checks.js';
import { scaleBiasForward, scaleBiasLower } from './compute/scale-bias.js';

/** LayerSetUp with one bottom: the learned blob's shape from axis/num_axes. */
function learnedShape(ctx: ShapeContext, p: Msg, what: string): Shape {
  const bottom = ctx.bottoms[0];
  const axis = canonicalAxis(ctx, Number(p.axis ?? 1), bottom, 'axis', { msg: p, field: 'axis' });
  const numAxes = Number(p.num_axes ?? 1);
  if (numAxes < -1) ctx.fail(`num_axes must be non-negative, or -1 to extend to the end of bottom[0] (got ${numAxes})`, { msg: p, field: 'num_axes' });
  if (numAxes >= 0 && bottom.length < axis + numAxes) {
    ctx.fail(`${what} blob's shape extends past bottom[0]'s shape when applied starting with bottom[0] axis = ${axis} (num_axes ${numAxes}, bottom ${showShape(bottom)})`, { msg: p, field: 'num_axes' });
  }
  return bottom.slice(axis, numAxes === -1 ? undefined : axis + numAxes);
}

/** Reshape: the operand must match bottom[0] axis by axis from `axis` (0 for a scalar operand). */
function checkOperand(ctx: ShapeContext, p: Msg, operand: Shape, what: string): void {
  const bottom = ctx.bottoms[0];
  const axis = operand.length === 0 ? 0 : canonicalAxis(ctx, Number(p.axis ?? 1), bottom, 'axis', { msg: p, field: 'axis' });
  if (bottom.length < axis + operand.length) {
    ctx.fail(`${what} blob's shape extends past bottom[0]'s shape when applied starting with bottom[0] axis = ${axis} (${what} ${showShape(operand)}, bottom ${showShape(bottom)})`);
  }
  operand.forEach((d, i) => {
    if (bottom[axis + i] !== d) {
      ctx.fail(`dimension mismatch between bottom[0]->shape(${axis + i}) = ${bottom[axis + i]} and ${what}->shape(${i}) = ${d}`);
    }
  });
}

export const scale: LayerModule = {
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

export const bias: LayerModule = {
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
