// A strided Convolution as a stride-1 one (space to depth), so the stride-1 native kernel runs it.
//
// Per axis, out[o] = Σ_k xp[o·s + k·d]·w[k] over the input padded by p (xp[i] = x[i − p], zero outside).
// Writing k·d = a·s + r with 0 ≤ r < s: xp[o·s + k·d] = X_r[o + a] where X_r[q] = xp[q·s + r], the input's
// phase r. So the layer is a stride-1, pad-0, dilation-1 Convolution over channels (ci, ry, rx) — only the
// phases some tap reads — with kernel taps at a = ⌊k·d/s⌋ (zero weights where a phase has no tap at that a).
// 7×7 stride 2 becomes 4×4 taps over 4 phases (64 multiply-adds per output and input channel for 49); 1×1
// stride 2 becomes a plain 1×1 over phase (0, 0), the subsampled input.
import type { ConvolutionNativeSpec } from '../../ir/native-kernel-spec.js';
import type { NativeKernel } from './native-kernel.js';
import { regionKernel } from './region-kernel.js';
import type { KernelArena } from './kernel-arena.js';
import { FunctionBody, I32 } from './wasm-binary.js';

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

/** Even f32 lanes of two vectors: lanes 0, 2 of a then 0, 2 of b (stride 2's columns). */
const EVEN_LANES = [0, 1, 2, 3, 8, 9, 10, 11, 16, 17, 18, 19, 24, 25, 26, 27];

/**
 * The input (outer, C, H, W) → its phases (outer, C · phases, H', W'), the padding as zeros, as a
 * WebAssembly kernel (a JavaScript loop took 1.3 ms for MobileNet's 64×112×112 stride-2 depthwise input,
 * three times the layer's own GEMM): per plane and phase, the rows inside the input are
 * copied — memory.copy for column stride 1, the even lanes of two f32x4 loads for stride 2 (a scalar copy
 * for the last < 4 columns), one f32 at a time for larger strides. The padding is never written, so it
 * stays zero.
 */
export function spaceToDepthKernel(t: StridedAsStrideOne, arena?: KernelArena): NativeKernel {
  const { from, spec, rows, cols } = t;
  const [sy, sx] = from.stride;
  const [py, px] = from.pad;
  const { inH, inW } = from;
  const [h2, w2] = [spec.inH, spec.inW];
  const planes = from.outer * from.cin;
  const phases = rows.residues.length * cols.residues.length;
  const size = planes * phases * h2 * w2;
  return regionKernel({
    arena,
    paramsFrom: 1,
    regions: [{ floats: planes * inH * inW }],
    outFloats: size,
    size,
    // Every cell is written, the padding with zeros.
    exactOutput: true,
    body: ({ regions: [x], out }) => {
      const f = new FunctionBody(0);
      const [plane, xPlane, oPlane, qy, src, dst, k, s2] = Array.from({ length: 8 }, () => f.local(I32));
      f.forLoop(plane, 0, planes, 1, () => {
        f.get(plane)
          .i32(inH * inW * 4)
          .mul()
          .i32(x)
          .add()
          .set(xPlane);
        f.get(plane)
          .i32(phases * h2 * w2 * 4)
          .mul()
          .i32(out)
          .add()
          .set(oPlane);
        rows.residues.forEach((ry, a) => {
          cols.residues.forEach((rx, b) => {
            const phase = a * cols.residues.length + b;
            // Columns q0 … q1 and rows qyLo … qyHi of the phase read inside the input.
            const q0 = Math.min(w2, Math.max(0, Math.ceil((px - rx) / sx)));
            const q1 = Math.max(q0, Math.min(w2, Math.floor((inW - 1 + px - rx) / sx) + 1));
            const qyLo = Math.min(h2, Math.max(0, Math.ceil((py - ry) / sy)));
            const qyHi = Math.max(qyLo, Math.min(h2, Math.floor((inH - 1 + py - ry) / sy) + 1));
            const n = q1 - q0;
            // Every other cell of the phase plane is padding: zeros, written here, so the kernel writes its
            // whole output (and may write it straight into the stride-1 kernel's input).
            const zeros = (offset: number, floats: number) => {
              if (floats <= 0) return;
              f.get(oPlane);
              f.i32((phase * h2 * w2 + offset) * 4)
                .add()
                .i32(0)
                .i32(floats * 4)
                .memoryFill();
            };
            if (n === 0 || qyHi === qyLo) {
              zeros(0, h2 * w2);
              return;
            }
            zeros(0, qyLo * w2);
            zeros(qyHi * w2, (h2 - qyHi) * w2);
            f.forLoop(qy, qyLo, qyHi, 1, () => {
              f.get(qy)
                .i32(sy * inW * 4)
                .mul()
                .get(xPlane)
                .add()
                .i32(((ry - py) * inW + q0 * sx + rx - px) * 4)
                .add()
                .set(src);
              f.get(qy)
                .i32(w2 * 4)
                .mul()
                .get(oPlane)
                .add()
                .i32((phase * h2 * w2 + q0) * 4)
                .add()
                .set(dst);
              // The row's padding columns before q0 and from q1 on.
              if (q0 > 0)
                f.get(dst)
                  .i32(q0 * 4)
                  .sub()
                  .i32(0)
                  .i32(q0 * 4)
                  .memoryFill();
              if (q1 < w2)
                f.get(dst)
                  .i32(n * 4)
                  .add()
                  .i32(0)
                  .i32((w2 - q1) * 4)
                  .memoryFill();
              if (sx === 1) {
                f.get(dst)
                  .get(src)
                  .i32(n * 4)
                  .memoryCopy();
                return;
              }
              if (sx === 2) {
                const vectors = Math.floor(n / 4);
                f.forLoop(k, 0, vectors * 16, 16, () => {
                  f.get(src).get(k).get(k).add().add().set(s2);
                  f.get(dst).get(k).add();
                  f.get(s2).v128Load(0).get(s2).v128Load(16).i8x16Shuffle(EVEN_LANES);
                  f.v128Store(0);
                });
                for (let j = 4 * vectors; j < n; j++)
                  f.get(dst)
                    .get(src)
                    .f32Load(8 * j)
                    .f32Store(4 * j);
                return;
              }
              f.get(src).set(s2);
              f.forLoop(k, 0, n * 4, 4, () => {
                f.get(dst).get(k).add().get(s2).f32Load(0).f32Store(0);
                f.increment(s2, sx * 4);
              });
            });
          });
        });
      });
      return f;
    },
  });
}
