// Layers that choose items of the batch (BVLC's batch_reindex_layer.cpp and filter_layer.cpp).
// BatchReindex gathers along axis 0 by an index vector: top = bottom[0] at items idx[0], idx[1], …, so the
// top's first dimension is the index blob's length, known statically. Filter keeps the items whose selector
// (its last bottom) is non-zero: how many is only known from the data, and brewnet infers every shape before
// any data exists, so after Caffe's checks its shape rule stops with a diagnostic saying so.
import type { ForwardLayer, LayerModule } from '../ir/layer-module.js';
import { atLeast, exactly } from '../ir/layer-module.js';
import type { Tensor } from '../ir/tensor.js';
import { countOf } from '../ir/tensor.js';
import { bottomName, showShape, topName } from './blob-checks.js';

function batchReindexForward(layer: ForwardLayer, [x, idx]: Tensor[]): Tensor[] {
  const n = x.shape[0];
  const inner = countOf(x.shape, 1);
  const out = new Float32Array(idx.data.length * inner);
  for (let i = 0; i < idx.data.length; i++) {
    // check_batch_reindex's CHECKs, then static_cast<int>.
    const v = idx.data[i];
    if (!(v >= 0)) throw new Error(`layer "${layer.name}" (BatchReindex): index ${i} is ${v}; an index must not be negative`);
    if (!(v < n)) throw new Error(`layer "${layer.name}" (BatchReindex): index ${i} is ${v}, not less than the batch size ${n}`);
    const from = Math.trunc(v) * inner;
    out.set(x.data.subarray(from, from + inner), i * inner);
  }
  return [{ shape: [...layer.tops[0].shape], data: out }];
}

export const batchReindex: LayerModule = {
  type: 'BatchReindex',
  bottoms: exactly(2),
  tops: exactly(1),
  inPlace: false,
  forward: batchReindexForward,
  infer(ctx) {
    const [x, idx] = ctx.bottoms;
    if (idx.length !== 1)
      ctx.fail(`the index blob "${bottomName(ctx, 1)}" must have exactly 1 axis (got ${showShape(idx)})`, {
        msg: ctx.layer,
        field: 'bottom',
        index: 1,
      });
    if (x.length < 1) ctx.fail(`the data blob "${bottomName(ctx, 0)}" needs a batch axis (got ${showShape(x)})`);
    return { tops: [[idx[0], ...x.slice(1)]], params: [], macs: 0 };
  },
};

export const filter: LayerModule = {
  type: 'Filter',
  bottoms: atLeast(2),
  tops: atLeast(1),
  inPlace: false,
  infer(ctx) {
    const bottoms = ctx.bottoms;
    const last = bottoms.length - 1;
    if (ctx.topCount !== last)
      ctx.fail(`Filter has one top per filtered bottom: ${last} (every bottom but the selector, the last), not ${ctx.topCount}`);
    const selector = bottoms[last];
    const selectorName = bottomName(ctx, last);
    if (selector.length < 1 || selector.slice(1).some((d) => d !== 1))
      ctx.fail(`selector blob "${selectorName}" (${showShape(selector)}): its dimensions must be singletons (1), except the first`, {
        msg: ctx.layer,
        field: 'bottom',
        index: last,
      });
    bottoms.slice(0, last).forEach((b, i) => {
      if (b[0] !== selector[0])
        ctx.fail(
          `bottom "${bottomName(ctx, i)}" (${showShape(b)}) must have the same 0th dimension as the selector blob "${selectorName}" (${showShape(selector)})`,
          { msg: ctx.layer, field: 'bottom', index: i },
        );
    });
    return ctx.fail(
      `the first dimension of "${topName(ctx, 0)}" is the number of non-zero values in "${selectorName}", known only from the data; brewnet infers shapes before any data, so Filter cannot run (use BatchReindex with the kept indices where they are fixed)`,
    );
  },
};
