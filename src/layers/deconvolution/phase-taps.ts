// Kernel taps along one axis of a transposed convolution, as source that opens one block per valid tap.
//
// Why phases: output o receives tap k from input i = (o + p − k·d)/s only when that division is exact.
// With dilation 1 the valid taps are exactly k ≡ (o + p) mod s, so the loop visits ⌈k/s⌉ candidates and
// never tests divisibility (docs/caffe-semantics.md#phase-decomposition). When k is a multiple of s (FCN: k = 2s)
// every candidate is a real tap, so only the input bounds remain to test. With dilation the loop tests
// every tap for divisibility (rare: no known net uses a dilated Deconvolution).
import { int } from '../kernel-source.js';

export interface AxisGeometry {
  inSize: number;
  k: number;
  s: number;
  p: number;
  d: number;
}

/**
 * Statements declaring `k<axis>` (the tap) and `i<axis>` (the input coordinate) inside a block per valid
 * tap of output coordinate `o`; close with `closeAxis`.
 */
export function openAxis(axis: 'y' | 'x', o: string, g: AxisGeometry): string {
  const { inSize, k, s, p, d } = g;
  const t = `t${axis}`;
  const kv = `k${axis}`;
  const iv = `i${axis}`;
  if (d === 1) {
    const candidates = Math.ceil(k / s);
    const tapTest = k % s === 0 ? '' : `${kv} < ${int(k)} && `;
    return `
      const q${axis} = Math.floor((${o} + ${int(p)}) / ${int(s)});
      const r${axis} = ${o} + ${int(p)} - q${axis} * ${int(s)};
      for (let ${t} = 0; ${t} < ${int(candidates)}; ${t}++) {
        const ${kv} = r${axis} + ${t} * ${int(s)};
        const ${iv} = q${axis} - ${t};
        if (${tapTest}${iv} >= 0 && ${iv} < ${int(inSize)}) {`;
  }
  return `
      for (let ${kv} = 0; ${kv} < ${int(k)}; ${kv}++) {
        const num${axis} = ${o} + ${int(p)} - ${kv} * ${int(d)};
        const ${iv} = Math.floor(num${axis} / ${int(s)});
        if (num${axis} >= 0 && num${axis} - ${iv} * ${int(s)} === 0 && ${iv} < ${int(inSize)}) {`;
}

export const closeAxis = `
        }
      }`;

/** Candidate taps per axis (dilation 1): ⌈k/s⌉. */
export const candidates = (g: AxisGeometry) => Math.ceil(g.k / g.s);

/**
 * Branch-free form of `openAxis` for dilation 1, for unrolled kernels: for each candidate t, `k<axis><t>`
 * (the tap, clamped into the kernel), `i<axis><t>` (the input coordinate, clamped into the input) and
 * `v<axis><t>` (1.0 if the tap is real, else 0.0). Why: gpu.js's webasm SIMD path predicates a branch that
 * differs between lanes and clamps every load under it, and `&&` between lane-varying tests costs as much
 * again (measured: 2× on FCN-32s's upscore); one comparison of the clamped coordinate with the unclamped
 * one, and a multiply by the 0/1 weight after loads from always-valid addresses, keep the kernel
 * branch-free. (So a non-finite input value next to the border can reach a neighbouring output as NaN
 * through 0·∞; finite inputs give Caffe's values.)
 */
export function axisTaps(axis: 'y' | 'x', o: string, g: AxisGeometry): string {
  const { inSize, k, s, p } = g;
  const lines = [
    `const q${axis} = Math.floor((${o} + ${int(p)}) / ${int(s)});`,
    `const r${axis} = ${o} + ${int(p)} - q${axis} * ${int(s)};`,
  ];
  for (let t = 0; t < candidates(g); t++) {
    const i = `q${axis} - ${int(t)}`;
    lines.push(`const i${axis}${t} = Math.min(Math.max(${i}, 0), ${int(inSize - 1)});`);
    if (tapAlwaysReal(g, t)) {
      lines.push(`const k${axis}${t} = r${axis} + ${int(t * s)};`);
      lines.push(`const v${axis}${t} = i${axis}${t} === ${i} ? 1.0 : 0.0;`);
    } else {
      lines.push(`const k${axis}${t} = Math.min(r${axis} + ${int(t * s)}, ${int(k - 1)});`);
      lines.push(`const v${axis}${t} = i${axis}${t} === ${i} ? (k${axis}${t} === r${axis} + ${int(t * s)} ? 1.0 : 0.0) : 0.0;`);
    }
  }
  return lines.join('\n');
}

/** Whether candidate t is a real tap for every phase r < s (r + t·s < k), so it needs no clamp or test. */
export const tapAlwaysReal = (g: AxisGeometry, t: number) => (t + 1) * g.s <= g.k;
