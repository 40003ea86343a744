// SENet's Axpy (hujie-frank/SENet, axpy_layer.cpp): F = a·X + Y, the squeeze-and-excitation scale a (N×C,
// or N×C×1×1) applied per channel to X and the shortcut Y added, in one layer. Shape rule with the fork's
// checks; a reference forward from its code, run as a host step.
import type { ForwardLayer, LayerModule } from '../../ir/layer-module.js';
import { exactly } from '../../ir/layer-module.js';
import type { Tensor } from '../../ir/tensor.js';
import { countOf } from '../../ir/tensor.js';
import { bottomName, showShape } from '../blob-checks.js';
import { count, shapesEqual } from '../shape-utils.js';

function axpyForward(_layer: ForwardLayer, [a, x, y]: Tensor[]): Tensor[] {
  const [n, c] = x.shape;
  const inner = countOf(x.shape, 2);
  const out = new Float32Array(x.data.length);
  for (let plane = 0; plane < n * c; plane++) {
    const scale = a.data[plane];
    for (let i = plane * inner; i < (plane + 1) * inner; i++) out[i] = scale * x.data[i] + y.data[i];
  }
  return [{ shape: [...x.shape], data: out }];
}

export const axpy: LayerModule = {
  type: 'Axpy',
  bottoms: exactly(3),
  tops: exactly(1),
  inPlace: false,
  forward: axpyForward,
  infer(ctx) {
    const [a, x, y] = ctx.bottoms;
    const [an, xn] = [bottomName(ctx, 0), bottomName(ctx, 1)];
    if (x.length < 2) ctx.fail(`X ("${xn}") needs a channel axis (got ${showShape(x)})`);
    if (a.length < 2 || a[0] !== x[0] || a[1] !== x[1])
      ctx.fail(`the scale a ("${an}", ${showShape(a)}) must be N×C (or N×C×1×1) of X ("${xn}", ${showShape(x)})`);
    if (a.length === 4 && (a[2] !== 1 || a[3] !== 1))
      ctx.fail(`the scale a ("${an}", ${showShape(a)}) must be 1×1 spatially: one factor per item and channel`);
    if (count(a) !== a[0] * a[1]) ctx.fail(`the scale a ("${an}", ${showShape(a)}) must hold one factor per item and channel`);
    if (!shapesEqual(x, y))
      ctx.fail(`X ("${xn}", ${showShape(x)}) and Y ("${bottomName(ctx, 2)}", ${showShape(y)}) must have the same shape`);
    return { tops: [[...x]], params: [], macs: count(x) };
  },
};
