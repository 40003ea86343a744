// Coordinate maps in words: `a=1/16, b=0.71875` when every axis agrees, per axis otherwise.
import type { AffineMap } from './affine.js';

export function describeAxisMaps(map: AffineMap, withScale = true): string {
  const one = (m: AffineMap[number]) => (withScale ? `a=${m.a.toRatio()}, b=${m.b}` : `b=${m.b}`);
  const texts = map.map(one);
  return texts.every((t) => t === texts[0]) ? (texts[0] ?? '(no spatial axes)') : texts.map((t, i) => `[axis ${i + 2}: ${t}]`).join(' ');
}
