// The offsets a Crop needs so that its first bottom lines up with its second (pycaffe's crop()), next
// to the offsets the file gives (Caffe broadcasts one offset to every cropped axis; none means 0).
import type { Layer } from '../ir/layer.js';
import type { BlobMaps } from './coord-maps.js';
import { FIRST_SPATIAL_AXIS, type AffineMap } from './affine.js';
import type { Fraction } from './fraction.js';
import { mapBetween, MapError } from './map-between.js';

export interface CropReport {
  layer: Layer;
  /** Crop's first cropped axis (crop_param.axis, default 2). */
  axis: number;
  /** Offsets in effect for axes axis, axis+1, … as Caffe applies them. */
  offsetFile: number[];
  /** Offsets that align the bottoms, per cropped axis; null when they cannot be computed. */
  offsetComputed: number[] | null;
  ok: boolean;
  reason?: string;
}

export function cropOffsets(maps: BlobMaps, layer: Layer): CropReport {
  const op = layer.spatial;
  if (op?.kind !== 'crop') throw new Error(`internal: ${layer.name} is not a Crop`);
  const axis = op.firstAxis;
  const offsetFile = [...op.offset];
  const report = (offsetComputed: number[] | null, reason?: string): CropReport => {
    const ok = offsetComputed !== null && offsetComputed.every((o, i) => o === offsetFile[i]);
    if (ok) return { layer, axis, offsetFile, offsetComputed, ok };
    return { layer, axis, offsetFile, offsetComputed, ok, reason: reason ?? mismatch(layer, offsetFile, offsetComputed!) };
  };
  let map;
  try {
    map = mapBetween(maps, layer.bottoms[0], layer.bottoms[1]);
  } catch (e) {
    if (e instanceof MapError) return report(null, e.message);
    throw e;
  }
  const aligned = offsetsFromMap(map);
  if (typeof aligned === 'string') return report(null, aligned);
  // Axes before the first spatial one (channels, when axis is 1) are not moved: their offset is 0.
  const computed = offsetFile.map((_, i) => {
    const spatial = axis + i - FIRST_SPATIAL_AXIS;
    return spatial < 0 || aligned[spatial] === undefined ? 0 : aligned[spatial];
  });
  return report(computed);
}

/**
 * The offsets that turn `coord_to = a·coord_from + b` into a crop, per spatial axis, or pycaffe's reason
 * why there are none: a crop can only shift, by a non-negative whole number.
 */
export function offsetsFromMap(map: AffineMap): number[] | string {
  if (!map.every((m) => m.a.n === 1 && m.a.d === 1)) return `scale mismatch on crop (a = ${numpy(map.map((m) => m.a))})`;
  const b = map.map((m) => m.b);
  if (!b.every((x) => x.n <= 0)) return `cannot crop negative offset (b = ${numpy(b)})`;
  if (!b.every((x) => x.isInteger)) return `cannot crop noninteger offset (b = ${numpy(b)})`;
  return b.map((x) => x.neg().n);
}

function mismatch(layer: Layer, file: number[], computed: number[]): string {
  const param = layer.proto.crop_param;
  const written = !param ? 'no crop_param, so offset 0' : !param.offset?.length ? 'no offset, so 0' : `offset ${file.join(', ')}`;
  const needed = computed.every((c) => c === computed[0]) ? String(computed[0]) : computed.join(', ');
  return `the file gives ${written}, but aligning "${layer.bottoms[0].name}" with "${layer.bottoms[1].name}" needs offset ${needed}`;
}

/** Arrays the way pycaffe's messages print numpy arrays: `[10.]`, `[1.5]`, `[ 0. -1.]`. */
function numpy(values: Fraction[]): string {
  return `[${values.map((v) => (v.isInteger ? `${v.n}.` : String(v.toNumber()))).join(' ')}]`;
}
