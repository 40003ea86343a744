// pycaffe's coord_map_from_to() and crop() over blob names, for API users and the DSL frontend: plain
// numbers out, pycaffe's failure messages as diagnostics.
import { fail } from '../diagnostics/diagnostic.js';
import type { Net } from '../ir/net.js';
import { computeCoordMaps } from './coord-maps.js';
import { offsetsFromMap } from './crop-offsets.js';
import { mapBetween, MapError } from './map-between.js';

export interface NumericMap {
  /** coord_to = a·coord_from + b, per spatial axis. */
  a: number[];
  b: number[];
}

export function coordMapFromTo(net: Net, from: string, to: string): NumericMap {
  const maps = computeCoordMaps(net).maps;
  try {
    const m = mapBetween(maps, net.blob(from), net.blob(to));
    return { a: m.map((x) => x.a.toNumber()), b: m.map((x) => x.b.toNumber()) };
  } catch (e) {
    if (e instanceof MapError) fail(e.message);
    throw e;
  }
}

/** The Crop offsets (one per spatial axis) that align `from` to `to`, as pycaffe's crop() computes them. */
export function cropOffsetsBetween(net: Net, from: string, to: string): number[] {
  const maps = computeCoordMaps(net).maps;
  let m;
  try {
    m = mapBetween(maps, net.blob(from), net.blob(to));
  } catch (e) {
    if (e instanceof MapError) fail(e.message);
    throw e;
  }
  const offsets = offsetsFromMap(m);
  if (typeof offsets === 'string') fail(offsets);
  return offsets;
}
