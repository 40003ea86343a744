// pycaffe's coord_map_from_to for any two blobs: the map `coord_to = a·coord_from + b`, found through a
// root both are mapped from. Fails, with pycaffe's message, when no spatial path connects them.
import type { Blob } from '../ir/blob.js';
import { compose, inverse, mapsEqual, type AffineMap } from './affine.js';
import type { BlobMaps } from './coord-maps.js';
import { describeAxisMaps } from './describe-map.js';

export class MapError extends Error {}

export const UNCONNECTED = 'Could not compute map between tops; are they connected by spatial layers?';

export function mapBetween(maps: BlobMaps, from: Blob, to: Blob): AffineMap {
  const fromMaps = maps.get(from);
  const toMaps = maps.get(to);
  let found: { map: AffineMap; root: Blob } | undefined;
  for (const [root, toMap] of toMaps ?? []) {
    const fromMap = fromMaps?.get(root);
    if (!fromMap) continue;
    if (fromMap.length !== toMap.length) {
      throw new MapError(`"${from.name}" has ${fromMap.length} spatial axes but "${to.name}" has ${toMap.length}`);
    }
    const map = compose(toMap, inverse(fromMap));
    if (found && !mapsEqual(found.map, map)) {
      throw new MapError(
        `the map from "${from.name}" to "${to.name}" depends on the path: ${describeAxisMaps(found.map)} through "${found.root.name}", ${describeAxisMaps(map)} through "${root.name}"`,
      );
    }
    found ??= { map, root };
  }
  if (!found) throw new MapError(UNCONNECTED);
  return found.map;
}
