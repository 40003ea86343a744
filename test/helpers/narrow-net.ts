// A net with the same layers, connections and geometry (kernels, strides, pads, crops, ceil pooling) but
// fewer channels: every num_output divided by `factor` (rounded up, kept a multiple of the layer's group;
// a depthwise layer, group = num_output, stays depthwise). Export tests run deep corpus nets this way so
// brewnet's plain-TypeScript reference executor finishes in about a second; what the export must get right
// does not depend on channel counts.
import { readNet, type LoadOptions } from '../../src/api/load-net.js';
import { buildNet } from '../../src/passes/build-net.js';
import type { Net } from '../../src/ir/net.js';
import type { Msg } from '../../src/schema/message.js';

export function narrowNet(path: string, factor: number, options: LoadOptions = {}): Net {
  const net = readNet(path);
  for (const layer of (net.layer as Msg[] | undefined) ?? []) {
    for (const field of ['convolution_param', 'inner_product_param']) {
      const p = layer[field] as Msg | undefined;
      if (!p || p.num_output === undefined) continue;
      const n = Number(p.num_output);
      const group = Number(p.group ?? 1);
      let narrowed = Math.max(1, Math.ceil(n / factor));
      if (group === n && group > 1) p.group = narrowed;
      else narrowed = Math.ceil(narrowed / group) * group;
      p.num_output = narrowed;
    }
  }
  return buildNet(net, options);
}
