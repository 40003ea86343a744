// Coordinate maps of every blob, computed forward in execution order. A map is kept from each *root*
// that reaches the blob through spatial layers: the net's inputs, and the tops of layers that end maps
// (InnerProduct, Reshape, …), since everything downstream of those is laid out afresh. Where a merge
// (Eltwise, Concat, two-bottom Scale) joins blobs whose maps from the same root disagree, the merge is
// reported with both maps.
import type { Blob } from '../ir/blob.js';
import type { Layer } from '../ir/layer.js';
import type { Net } from '../ir/net.js';
import { compose, identityMap, mapsEqual, opMap, spatialAxes, type AffineMap } from './affine.js';
import { describeAxisMaps } from './describe-map.js';

/** For each blob version: root blob → map from the root's coordinates to this blob's. */
export type BlobMaps = Map<Blob, Map<Blob, AffineMap>>;

export interface MergeReport {
  layer: Layer;
  ok: boolean;
  reason?: string;
  hint?: string;
}

export interface CoordMaps {
  maps: BlobMaps;
  merges: MergeReport[];
}

export function computeCoordMaps(net: Net): CoordMaps {
  const maps: BlobMaps = new Map();
  const merges: MergeReport[] = [];
  const mapsOf = (b: Blob) => maps.get(b) ?? new Map<Blob, AffineMap>();

  for (const layer of net.layers) {
    const op = layer.spatial;
    layer.tops.forEach((top, i) => {
      const axes = spatialAxes(top.shape);
      if (axes === 0) return;
      if (!op) {
        maps.set(top, new Map([[top, identityMap(axes)]]));
        return;
      }
      if (op.kind === 'identity') {
        maps.set(top, mergeBottoms(layer, top, mapsOf, merges));
        return;
      }
      // Convolution-like layers map bottom i to top i; Crop maps its first bottom.
      const bottom = op.kind === 'crop' ? layer.bottoms[0] : layer.bottoms[i];
      const step = opMap(op, axes);
      const result = new Map<Blob, AffineMap>();
      for (const [root, m] of mapsOf(bottom)) result.set(root, compose(step, m));
      maps.set(top, result);
    });
  }
  return { maps, merges };
}

function mergeBottoms(layer: Layer, top: Blob, mapsOf: (b: Blob) => Map<Blob, AffineMap>, merges: MergeReport[]): Map<Blob, AffineMap> {
  const axes = spatialAxes(top.shape);
  // Bottoms with fewer spatial axes (a per-channel Scale factor) broadcast and carry no position.
  const spatialBottoms = layer.bottoms.filter((b) => spatialAxes(b.shape) === axes);
  const result = new Map<Blob, AffineMap>();
  const from = new Map<Blob, Blob>(); // root → the bottom whose map was kept
  let problem: MergeReport | undefined;
  for (const bottom of spatialBottoms) {
    for (const [root, m] of mapsOf(bottom)) {
      const kept = result.get(root);
      if (!kept) {
        result.set(root, m);
        from.set(root, bottom);
      } else if (!problem && !mapsEqual(kept, m)) {
        problem = misaligned(layer, from.get(root)!, kept, bottom, m, root);
      }
    }
  }
  if (spatialBottoms.length > 1 && top === layer.tops[0]) merges.push(problem ?? { layer, ok: true });
  return result;
}

function misaligned(layer: Layer, first: Blob, firstMap: AffineMap, other: Blob, otherMap: AffineMap, root: Blob): MergeReport {
  const sameScale = firstMap.every((m, i) => m.a.equals(otherMap[i].a));
  const offsets = firstMap.map((m, i) => otherMap[i].b.sub(m.b));
  let hint = `"${first.name}" and "${other.name}" sit at different positions relative to "${root.name}"`;
  let reason = `misaligned merge at "${layer.name}": ${describeAxisMaps(firstMap)} vs ${describeAxisMaps(otherMap, !sameScale)}`;
  if (sameScale && offsets.every((o) => o.isInteger)) {
    const positive = offsets.every((o) => o.n >= 0);
    const value = offsets.map((o) => Math.abs(o.n));
    const shown = value.every((v) => v === value[0]) ? String(value[0]) : value.join(', ');
    reason += ` — did you forget a Crop with offset ${shown}?`;
    hint = `crop "${positive ? other.name : first.name}" to "${positive ? first.name : other.name}" with offset ${shown} before "${layer.name}"`;
  }
  return { layer, ok: false, reason, hint };
}
