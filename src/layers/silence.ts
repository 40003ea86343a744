// Silence (docs/caffe-semantics.md#split-and-silence): consumes its bottoms so they are not net outputs; makes nothing,
// so it runs as no step at all (U-Net's test net silences its data reader's label top).
import type { LayerModule } from '../ir/layer-module.js';
import { atLeast, exactly } from '../ir/layer-module.js';

export const silence: LayerModule = {
  type: 'Silence',
  bottoms: atLeast(1),
  tops: exactly(0),
  inPlace: false,
  forward: () => [],
  lower: () => ({ kernels: [] }),
  infer() {
    return { tops: [], params: [], macs: 0 };
  },
};
