// A strided Convolution as a stride-1 one (space to depth), so the stride-1 native kernel runs it.
//
// Per axis, out[o] = Σ_k xp[o·s + k·d]·w[k] over the input padded by p (xp[i] = x[i − p], zero outside).
// Writing k·d = a·s + r with 0 ≤ r < s: xp[o·s + k·d] = X_r[o + a] where X_r[q] = xp[q·s + r], the input's
// phase r. So the layer is a stride-1, pad-0, dilation-1 Convolution over channels (ci, ry, rx) — only the
// phases some tap reads — with kernel taps at a = ⌊k·d/s⌋ (zero weights where a phase has no tap at that a).
// 7×7 stride 2 becomes 4×4 taps over 4 phases (64 multiply-adds per output and input channel for 49); 1×1
// stride 2 becomes a plain 1×1 over phase (0, 0), the subsampled input.
import type { ConvolutionNativeSpec } from '../../ir/native-kernel-spec.js';

interface AxisPhases {
  /** Residues r some tap reads, in order. */
  residues: number[];
  /** Per tap k: index of its residue in `residues`, and its offset a. */
  taps: { phase: number; a: number }[];
  /** Taps of the stride-1 kernel: the largest a + 1. */
  kernel: number;
}

function axisPhases(k: number, s: number, d: number): AxisPhases {
  const residues = [...new Set(Array.from({ length: k }, (_, t) => (t * d) % s))].sort((a, b) => a - b);
  const taps = Array.from({ length: k }, (_, t) => ({ phase: residues.indexOf((t * d) % s), a: Math.floor((t * d) / s) }));
  return { residues, taps, kernel: Math.max(...taps.map((t) => t.a)) + 1 };
}

export interface StridedAsStrideOne {
  spec: ConvolutionNativeSpec;
  /** The original layer. */
  from: ConvolutionNativeSpec;
  rows: AxisPhases;
  cols: AxisPhases;
  /** The original weights (C_out, C_in/g, kh, kw) → the stride-1 layer's (C_out, C_in/g · phases, kh', kw'). */
  weights(w: Float32Array): Float32Array;
}

export function stridedAsStrideOne(spec: ConvolutionNativeSpec): StridedAsStrideOne {
  const rows = axisPhases(spec.kernel[0], spec.stride[0], spec.dilation[0]);
  const cols = axisPhases(spec.kernel[1], spec.stride[1], spec.dilation[1]);
  const phases = rows.residues.length * cols.residues.length;
  const [kh2, kw2] = [rows.kernel, cols.kernel];
  const inner: ConvolutionNativeSpec = {
    ...spec,
    cin: spec.cin * phases,
    inH: spec.outH + kh2 - 1,
    inW: spec.outW + kw2 - 1,
    kernel: [kh2, kw2],
    stride: [1, 1],
    pad: [0, 0],
    dilation: [1, 1],
    flip: false,
  };
  const [kh, kw] = spec.kernel;
  const cinG = spec.cin / spec.group;
  return {
    spec: inner,
    from: spec,
    rows,
    cols,
    weights(w) {
      const out = new Float32Array(spec.cout * cinG * phases * kh2 * kw2);
      for (let co = 0; co < spec.cout; co++) {
        for (let ci = 0; ci < cinG; ci++) {
          for (let ky = 0; ky < kh; ky++) {
            for (let kx = 0; kx < kw; kx++) {
              const wy = spec.flip ? kh - 1 - ky : ky;
              const wx = spec.flip ? kw - 1 - kx : kx;
              const r = rows.taps[ky];
              const c = cols.taps[kx];
              const ch = (ci * rows.residues.length + r.phase) * cols.residues.length + c.phase;
              out[((co * cinG * phases + ch) * kh2 + r.a) * kw2 + c.a] = w[((co * cinG + ci) * kh + wy) * kw + wx];
            }
          }
        }
      }
      return out;
    },
  };
}

/** The input (outer, C, H, W) → its phases (outer, C · phases, H', W'), the padding as zeros. */
export function spaceToDepth(t: StridedAsStrideOne, x: Float32Array): Float32Array {
  const { from, spec, rows, cols } = t;
  const [sy, sx] = from.stride;
  const [py, px] = from.pad;
  const { inH, inW } = from;
  const [h2, w2] = [spec.inH, spec.inW];
  const out = new Float32Array(from.outer * spec.cin * h2 * w2);
  let o = 0;
  for (let n = 0; n < from.outer; n++) {
    for (let c = 0; c < from.cin; c++) {
      const plane = (n * from.cin + c) * inH * inW;
      for (const ry of rows.residues) {
        for (const rx of cols.residues) {
          // Column q reads input column q·sx + rx − px: the first and last q inside the input.
          const q0 = Math.min(w2, Math.max(0, Math.ceil((px - rx) / sx)));
          const q1 = Math.max(q0, Math.min(w2, Math.floor((inW - 1 + px - rx) / sx) + 1));
          for (let qy = 0; qy < h2; qy++, o += w2) {
            const iy = qy * sy + ry - py;
            if (iy < 0 || iy >= inH) continue;
            const row = plane + iy * inW + rx - px;
            if (sx === 1) out.set(x.subarray(row + q0, row + q1), o + q0);
            else for (let q = q0; q < q1; q++) out[o + q] = x[row + q * sx];
          }
        }
      }
    }
  }
  return out;
}
