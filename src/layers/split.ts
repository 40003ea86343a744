// Split (docs/caffe-semantics.md#split-and-silence): every top shares the bottom's data, so each has its shape. Caffe refuses
// in-place computation here (any top equal to the bottom).
import type { LayerModule } from '../ir/layer-module.js';
import { atLeast, exactly } from '../ir/layer-module.js';
import { aliasForward, aliasLower } from './alias.js';

export const split: LayerModule = {
  type: 'Split',
  bottoms: exactly(1),
  tops: atLeast(1),
  inPlace: false,
  forward: aliasForward,
  lower: aliasLower,
  passThrough: true,
  infer(ctx) {
    return { tops: Array.from({ length: ctx.topCount }, () => [...ctx.bottoms[0]]), params: [], macs: 0 };
  },
};
