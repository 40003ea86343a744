// Python layers (docs/caffe-semantics.md#inputs-and-data): user code reshapes the tops at run time, with no blob-count limits, so
// every top shape must come from --input.
import type { LayerModule } from '../ir/layer-module.js';
import { atLeast } from '../ir/layer-module.js';
import { sourceTop } from './source-shape.js';
import type { PythonParameter } from '../schema/caffe-messages.generated.js';

export const python: LayerModule<PythonParameter> = {
  type: 'Python',
  paramField: 'python_param',
  bottoms: atLeast(0),
  tops: atLeast(0),
  inPlace: false,
  source: true,
  infer(ctx) {
    return { tops: Array.from({ length: ctx.topCount }, (_, i) => sourceTop(ctx, i)), params: [], macs: 0 };
  },
};
