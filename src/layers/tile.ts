// Tile (docs/caffe-semantics.md#tile-reduction-embed-and-im2col): repeats the block from `axis` on `tiles` times, so top[axis] = bottom[axis]·tiles.
import { has } from '../schema/message.js';
import type { LayerModule } from '../ir/layer-module.js';
import { exactly } from '../ir/layer-module.js';
import { canonicalAxis } from './shape-utils.js';
import type { ForwardLayer } from '../ir/layer-module.js';
import type { Tensor } from '../ir/tensor.js';
import { countOf } from '../ir/tensor.js';
import type { TileParameter } from '../schema/caffe-messages.generated.js';

export const tile: LayerModule<TileParameter> = {
  type: 'Tile',
  paramField: 'tile_param',
  bottoms: exactly(1),
  tops: exactly(1),
  forward: tileForward,
  inPlace: false,
  infer(ctx) {
    const p = ctx.param;
    const bottom = ctx.bottoms[0];
    const axis = canonicalAxis(ctx, Number(p.axis ?? 1), bottom, 'axis', { msg: p, field: 'axis' });
    if (!has(p, 'tiles')) ctx.fail('number of tiles must be specified');
    const tiles = Number(p.tiles);
    if (!(tiles > 0)) ctx.fail(`number of tiles must be positive (got ${tiles})`, { msg: p, field: 'tiles' });
    const top = [...bottom];
    top[axis] *= tiles;
    return { tops: [top], params: [], macs: 0 };
  },
};

// Forward: Tile as Caffe's TileLayer::Forward_cpu: each block of the axes from `axis` on is written `tiles` times in a row. No kernels: it runs on the host (a plan host step).
function tileForward(layer: ForwardLayer, [x]: Tensor[]): Tensor[] {
  const raw = Number(layer.typeParam.axis ?? 1);
  const axis = raw < 0 ? raw + x.shape.length : raw;
  const tiles = Number(layer.typeParam.tiles);
  const outer = countOf(x.shape, 0, axis);
  const inner = countOf(x.shape, axis);
  const out = new Float32Array(x.data.length * tiles);
  for (let o = 0; o < outer; o++) {
    const block = x.data.subarray(o * inner, (o + 1) * inner);
    for (let t = 0; t < tiles; t++) out.set(block, (o * tiles + t) * inner);
  }
  return [{ shape: [...layer.tops[0].shape], data: out }];
}
