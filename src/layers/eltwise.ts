// Eltwise (docs/caffe-semantics.md#eltwise): PROD, SUM (default) or MAX of identically shaped bottoms; no
// broadcasting. `coeff` is one per bottom and only for SUM (PROD rejects it; MAX ignores it).
//
// Eltwise (docs/caffe-semantics.md#eltwise): PROD, SUM with one coefficient per bottom (default 1), or MAX, over identically
// shaped bottoms.
import { type ForwardLayer, type LayerModule, atLeast, exactly } from '../ir/layer-module.js';
import { count, formatShape, nums, shapesEqual } from './shape-utils.js';
import type { Layer } from '../ir/layer.js';
import type { LoweredLayer } from '../ir/kernel-plan.js';
import { MAX_KERNEL_BOTTOMS, kernelFunction, lit } from './kernel-source.js';
import type { Tensor } from '../ir/tensor.js';
import type { EltwiseParameter } from '../schema/caffe-messages.generated.js';

function opOf(layer: ForwardLayer): { op: string; coeffs: number[] } {
  const p: EltwiseParameter = layer.typeParam;
  const coeffs = Array.isArray(p.coeff) ? p.coeff : [];
  return { op: String(p.operation ?? 'SUM'), coeffs: layer.bottoms.map((_, i) => coeffs[i] ?? 1) };
}

export function eltwiseForward(layer: ForwardLayer, bottoms: Tensor[]): Tensor[] {
  const { op, coeffs } = opOf(layer);
  const out = new Float32Array(bottoms[0].data.length);
  for (let i = 0; i < out.length; i++) {
    let v = op === 'SUM' ? coeffs[0] * bottoms[0].data[i] : bottoms[0].data[i];
    for (let b = 1; b < bottoms.length; b++) {
      const x = bottoms[b].data[i];
      v = op === 'SUM' ? v + coeffs[b] * x : op === 'PROD' ? v * x : Math.max(v, x);
    }
    out[i] = v;
  }
  return [{ shape: [...bottoms[0].shape], data: out }];
}

export function eltwiseLower(layer: Layer): LoweredLayer {
  if (layer.bottoms.length > MAX_KERNEL_BOTTOMS) return { kernels: [], host: true };
  const { op, coeffs } = opOf(layer);
  const names = layer.bottoms.map((_, i) => `x${i}`);
  const read = names.map((n) => `${n}[this.thread.x]`);
  let expr: string;
  if (op === 'SUM') expr = read.map((r, i) => (coeffs[i] === 1 ? r : `${lit(coeffs[i])} * ${r}`)).join(' + ');
  else if (op === 'PROD') expr = read.join(' * ');
  else expr = read.slice(1).reduce((acc, r) => `Math.max(${acc}, ${r})`, read[0]);
  const args = layer.bottoms.map((_, i) => ({ bottom: i }));
  const size = layer.tops[0].count;
  const kernels = [{ source: kernelFunction(names, `return ${expr};`), args, size, out: { top: 0 } }];
  if (op !== 'SUM' && op !== 'PROD' && op !== 'MAX') return { kernels };
  // On wasm: the native f32x4 kernel (elementwise/native.ts).
  return { kernels, natives: [{ native: { kind: 'eltwise', op, coeffs, count: size }, args, size, out: { top: 0 } }] };
}

export const eltwise: LayerModule<EltwiseParameter> = {
  type: 'Eltwise',
  paramField: 'eltwise_param',
  bottoms: atLeast(2),
  tops: exactly(1),
  // SUM zeroes the top before adding the bottoms, so top == bottom[0] would lose bottom[0].
  inPlace: false,
  passThrough: true,
  forward: eltwiseForward,
  lower: eltwiseLower,
  infer(ctx) {
    const p = ctx.param;
    const operation = String(p.operation ?? 'SUM');
    const coeffs = nums(p.coeff);
    if (operation === 'PROD' && coeffs.length > 0) {
      ctx.fail('Eltwise layer only takes coefficients for summation', { msg: p, field: 'coeff' });
    }
    if (coeffs.length !== 0 && coeffs.length !== ctx.bottoms.length) {
      ctx.fail(`Eltwise Layer takes one coefficient per bottom blob: ${coeffs.length} coefficients for ${ctx.bottoms.length} bottoms`, {
        msg: p,
        field: 'coeff',
      });
    }
    const first = ctx.bottoms[0];
    ctx.bottoms.forEach((b, i) => {
      if (!shapesEqual(first, b))
        ctx.fail(`bottom shapes must be identical: bottom[0]: ${formatShape(first)}, bottom[${i}]: ${formatShape(b)}`);
    });
    return { tops: [[...first]], params: [], macs: count(first) * ctx.bottoms.length };
  },
};
