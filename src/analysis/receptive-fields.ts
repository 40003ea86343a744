// Receptive fields per blob and spatial axis, relative to a root (usually the net's input): `size` in
// input pixels, `jump` (input pixels between neighbouring units: the effective stride, < 1 after
// upsampling) and `start` (the input coordinate of unit 0's centre). jump and start follow from the
// coordinate map (x = (coord − b)/a); size grows by (k_eff − 1)·jump through every window. Through a
// Deconvolution an output unit gathers at most ⌊(k_eff − 1)/s⌋ + 1 input units per axis.
import type { Blob } from '../ir/blob.js';
import type { Net } from '../ir/net.js';
import { spatialAxes } from './affine.js';
import type { BlobMaps } from './coord-maps.js';
import { Fraction, ONE } from './fraction.js';

export interface ReceptiveField {
  root: Blob;
  size: Fraction[];
  jump: Fraction[];
  start: Fraction[];
}

export function receptiveFields(net: Net, maps: BlobMaps, root: Blob): Map<Blob, ReceptiveField> {
  const fields = new Map<Blob, ReceptiveField>();
  const rootAxes = spatialAxes(root.shape);
  const sizeOf = new Map<Blob, Fraction[]>([[root, Array.from({ length: rootAxes }, () => ONE)]]);
  for (const layer of net.layers) {
    const op = layer.spatial;
    if (!op) continue;
    layer.tops.forEach((top, i) => {
      const map = maps.get(top)?.get(root);
      if (!map) return;
      let size: Fraction[] | undefined;
      if (op.kind === 'identity') {
        // A merge sees the union of its bottoms' fields: the largest.
        for (const b of layer.bottoms) {
          const s = sizeOf.get(b);
          if (s && s.length === map.length) size = size ? size.map((x, j) => (x.compare(s[j]) >= 0 ? x : s[j])) : s;
        }
      } else {
        const bottom = op.kind === 'crop' ? layer.bottoms[0] : layer.bottoms[i];
        const before = sizeOf.get(bottom);
        const bottomMap = maps.get(bottom)?.get(root);
        if (!before || !bottomMap) return;
        size = before.map((s, j) => {
          if (op.kind === 'crop') return s;
          const k = op.kernel[j + 2 - op.firstAxis];
          if (k === undefined) return s;
          const extent = op.dilation[j + 2 - op.firstAxis] * (k - 1);
          const jumpBottom = ONE.div(bottomMap[j].a);
          const taps = op.kind === 'window' ? extent : Math.floor(extent / op.stride[j + 2 - op.firstAxis]);
          return s.add(jumpBottom.mul(Fraction.of(taps)));
        });
      }
      if (!size) return;
      sizeOf.set(top, size);
    });
  }
  for (const [blob, size] of sizeOf) {
    const map = maps.get(blob)?.get(root);
    if (!map) continue;
    fields.set(blob, {
      root,
      size,
      jump: map.map((m) => ONE.div(m.a)),
      start: map.map((m) => m.b.neg().div(m.a)),
    });
  }
  return fields;
}
