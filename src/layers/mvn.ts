// MVN (mvn_layer.cpp): mean-variance normalisation per item (and per channel unless across_channels);
// top = bottom shape. Forward works element-wise after the statistics, so in-place is allowed.
import type { LayerModule } from '../ir/layer-module.js';
import { exactly } from '../ir/layer-module.js';
import { count } from './shape-utils.js';

export const mvn: LayerModule = {
  type: 'MVN',
  paramField: 'mvn_param',
  bottoms: exactly(1),
  tops: exactly(1),
  inPlace: true,
  passThrough: true,
  infer(ctx) {
    return { tops: [[...ctx.bottoms[0]]], params: [], macs: count(ctx.bottoms[0]) };
  },
};
