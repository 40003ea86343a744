// Eltwise (REFERENCE §2.8, §7.13): PROD, SUM (default) or MAX of identically shaped bottoms; no
// broadcasting. `coeff` is one per bottom and only for SUM (PROD rejects it; MAX ignores it).
import type { LayerModule } from '../ir/layer-module.js';
import { atLeast, exactly } from '../ir/layer-module.js';
import { count, formatShape, nums, shapesEqual } from './shape-utils.js';
import { eltwiseForward, eltwiseLower } from './compute/eltwise.js';

export const eltwise: LayerModule = {
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
      ctx.fail(`Eltwise Layer takes one coefficient per bottom blob: ${coeffs.length} coefficients for ${ctx.bottoms.length} bottoms`, { msg: p, field: 'coeff' });
    }
    const first = ctx.bottoms[0];
    ctx.bottoms.forEach((b, i) => {
      if (!shapesEqual(first, b)) ctx.fail(`bottom shapes must be identical: bottom[0]: ${formatShape(first)}, bottom[${i}]: ${formatShape(b)}`);
    });
    return { tops: [[...first]], params: [], macs: count(first) * ctx.bottoms.length };
  },
};
