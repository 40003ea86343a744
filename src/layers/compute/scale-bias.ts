// Scale and Bias (REFERENCE §2.14, §7.14): the operand (bottom[1], or the learned blob) covers the
// contiguous axes [axis, axis + operand axes) of bottom[0], so element i uses operand[(i / inner) mod dim].
// Scale with bias_term adds a second learned blob of the operand's shape.
import type { Layer } from '../../ir/layer.js';
import type { LoweredLayer, ValueRef } from '../../ir/kernel-plan.js';
import { coordinates, kernelFunction } from '../kernel-source.js';
import type { Tensor } from '../../ir/tensor.js';
import { countOf } from '../../ir/tensor.js';

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
  return { kernels: [{ source: kernelFunction(names, body), args, size: layer.tops[0].count, out: { top: 0 } }] };
}
