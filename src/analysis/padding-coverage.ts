// Which units of each blob saw real input pixels, for the actual input size. Walking the net forward,
// every unit of every blob (per spatial axis) records the span of input pixels it depends on and
// whether any of its taps, at any depth, fell into zero padding (or off the edge of a Deconvolution's
// input). A unit whose span is empty was computed from padding alone.
import type { Blob } from '../ir/blob.js';
import type { Net } from '../ir/net.js';
import { FIRST_SPATIAL_AXIS, spatialAxes } from './affine.js';

export type UnitKind = 'padding' | 'partial' | 'inside';

/** One axis of one blob: per unit, the input span [lo, hi] (lo > hi when empty) and padding contact. */
export interface AxisCoverage {
  lo: Int32Array;
  hi: Int32Array;
  touchesPadding: Uint8Array;
}

export interface UnitRun {
  from: number;
  to: number;
  kind: UnitKind;
}

export function unitKind(c: AxisCoverage, u: number): UnitKind {
  if (c.lo[u] > c.hi[u]) return 'padding';
  return c.touchesPadding[u] ? 'partial' : 'inside';
}

/** Consecutive units of one kind, as inclusive index ranges. */
export function runs(c: AxisCoverage, from = 0, to = c.lo.length - 1): UnitRun[] {
  const out: UnitRun[] = [];
  for (let u = from; u <= to; u++) {
    const kind = unitKind(c, u);
    const last = out[out.length - 1];
    if (last && last.kind === kind && last.to === u - 1) last.to = u;
    else out.push({ from: u, to: u, kind });
  }
  return out;
}

export function paddingCoverage(net: Net, root: Blob): Map<Blob, AxisCoverage[]> {
  const cover = new Map<Blob, AxisCoverage[]>();
  const axes = spatialAxes(root.shape);
  cover.set(
    root,
    Array.from({ length: axes }, (_, j) => {
      const n = root.shape[FIRST_SPATIAL_AXIS + j];
      const c = empty(n);
      for (let u = 0; u < n; u++) c.lo[u] = c.hi[u] = u;
      return c;
    }),
  );
  for (const layer of net.layers) {
    const op = layer.spatial;
    if (!op) continue;
    layer.tops.forEach((top, i) => {
      if (spatialAxes(top.shape) !== axes) return;
      const sources = op.kind === 'identity' ? layer.bottoms : [op.kind === 'crop' ? layer.bottoms[0] : layer.bottoms[i]];
      const inputs = sources.map((b) => cover.get(b)).filter((c): c is AxisCoverage[] => c !== undefined && c.length === axes);
      if (!inputs.length) return;
      cover.set(
        top,
        Array.from({ length: axes }, (_, j) => {
          const n = top.shape[FIRST_SPATIAL_AXIS + j];
          const out = empty(n);
          const k = j + FIRST_SPATIAL_AXIS - (op.kind === 'identity' ? 0 : op.firstAxis);
          for (const input of inputs) {
            const bottom = input[j];
            const size = bottom.lo.length;
            for (let u = 0; u < n; u++) {
              const take = (v: number) => {
                if (v < 0 || v >= size) out.touchesPadding[u] = 1;
                else combine(out, u, bottom, v);
              };
              if (op.kind === 'identity') take(u);
              else if (op.kind === 'crop') take(u + (op.offset[k] ?? 0));
              else if (k < 0 || k >= op.kernel.length) take(u);
              else if (op.kind === 'window') {
                for (let t = 0; t < op.kernel[k]; t++) take(u * op.stride[k] - op.pad[k] + t * op.dilation[k]);
              } else {
                // Deconvolution as a gather: tap t reaches output u from input v = (u + p − t·d)/s.
                for (let t = 0; t < op.kernel[k]; t++) {
                  const q = u + op.pad[k] - t * op.dilation[k];
                  if (q % op.stride[k] === 0) take(q / op.stride[k]);
                }
              }
            }
          }
          return out;
        }),
      );
    });
  }
  return cover;
}

function empty(n: number): AxisCoverage {
  const c = { lo: new Int32Array(n).fill(2 ** 30), hi: new Int32Array(n).fill(-(2 ** 30)), touchesPadding: new Uint8Array(n) };
  return c;
}

function combine(out: AxisCoverage, u: number, from: AxisCoverage, v: number): void {
  if (from.touchesPadding[v]) out.touchesPadding[u] = 1;
  if (from.lo[v] > from.hi[v]) return;
  if (from.lo[v] < out.lo[u]) out.lo[u] = from.lo[v];
  if (from.hi[v] > out.hi[u]) out.hi[u] = from.hi[v];
}
