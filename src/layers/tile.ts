// Tile (REFERENCE §2.17): repeats the block from `axis` on `tiles` times, so top[axis] = bottom[axis]·tiles.
import { has } from '../schema/message.js';
import type { LayerModule } from '../ir/layer-module.js';
import { exactly } from '../ir/layer-module.js';
import { canonicalAxis } from './shape-utils.js';

export const tile: LayerModule = {
  type: 'Tile',
  paramField: 'tile_param',
  bottoms: exactly(1),
  tops: exactly(1),
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
