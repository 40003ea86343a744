// A coordinate map `coord_to = a·coord_from + b`, one (a, b) per spatial axis (blob axes 2, 3, …), in
// exact fractions. Maps compose like functions; a layer's spatial op gives the map from its bottom's
// coordinates to its top's (docs/caffe-semantics.md#coordinate-maps: window centres, so rounding of sizes plays no role).
import type { SpatialOp } from '../ir/layer-module.js';
import { Fraction, ONE, ZERO } from './fraction.js';

export interface AxisMap {
  a: Fraction;
  b: Fraction;
}
export type AffineMap = AxisMap[];

/** First spatial axis of a blob: N and C come first. */
export const FIRST_SPATIAL_AXIS = 2;

export function identityMap(axes: number): AffineMap {
  return Array.from({ length: axes }, () => ({ a: ONE, b: ZERO }));
}

/** `outer ∘ inner`: first inner (x → y), then outer (y → z). */
export function compose(outer: AffineMap, inner: AffineMap): AffineMap {
  return inner.map((m, i) => {
    const o = outer[i] ?? { a: ONE, b: ZERO };
    return { a: o.a.mul(m.a), b: o.a.mul(m.b).add(o.b) };
  });
}

export function inverse(map: AffineMap): AffineMap {
  return map.map(({ a, b }) => ({ a: ONE.div(a), b: b.neg().div(a) }));
}

export function mapsEqual(x: AffineMap, y: AffineMap): boolean {
  return x.length === y.length && x.every((m, i) => m.a.equals(y[i].a) && m.b.equals(y[i].b));
}

/** The map from a bottom's coordinates to the top's for one layer, over `axes` spatial axes. */
export function opMap(op: SpatialOp, axes: number): AffineMap {
  return Array.from({ length: axes }, (_, i) => {
    const axis = FIRST_SPATIAL_AXIS + i;
    if (op.kind === 'identity') return { a: ONE, b: ZERO };
    const j = axis - op.firstAxis;
    if (op.kind === 'crop') {
      // Crop copies top[i] = bottom[i + offset]: coord_top = coord_bottom − offset.
      return { a: ONE, b: j >= 0 ? Fraction.of(-op.offset[j]) : ZERO };
    }
    if (j < 0 || j >= op.kernel.length) return { a: ONE, b: ZERO };
    const s = Fraction.of(op.stride[j]);
    const halfExtent = new Fraction(op.dilation[j] * (op.kernel[j] - 1), 2); // (k_eff − 1)/2
    const p = Fraction.of(op.pad[j]);
    // Window: a = 1/s, b = (p − (k_eff−1)/2)/s.   Transpose: a = s, b = (k_eff−1)/2 − p.
    return op.kind === 'window' ? { a: ONE.div(s), b: p.sub(halfExtent).div(s) } : { a: s, b: halfExtent.sub(p) };
  });
}

export function spatialAxes(shape: readonly number[]): number {
  return Math.max(0, shape.length - FIRST_SPATIAL_AXIS);
}
