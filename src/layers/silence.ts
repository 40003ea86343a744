// Silence (docs/caffe-semantics.md#split-and-silence): consumes its bottoms so they are not net outputs; makes nothing.
import type { LayerModule } from '../ir/layer-module.js';
import { atLeast, exactly } from '../ir/layer-module.js';

export const silence: LayerModule = {
  type: 'Silence',
  bottoms: atLeast(1),
  tops: exactly(0),
  inPlace: false,
  infer() {
    return { tops: [], params: [], macs: 0 };
  },
};
