// A depthwise Convolution's native kernel (backend wasm): group = C_in = C_out, so every output plane is
// one input plane filtered by its own kh×kw taps, out[oy, ox] = b + Σ w[ky, kx]·x[oy·sh − ph + ky·dh,
// ox·sw − pw + kx·dw]. The phase GEMM (phase-gemm-convolution.ts) ran it as C groups of one channel each —
// 1–2 GFLOP/s at stride 2, 5–12 at stride 1 on MobileNet — as it is built to reuse each input vector over
// many output channels, which a depthwise layer does not have.
//
// Here each plane is computed on its own, f32x4 over output columns, with no bounds checks in the loop:
// - Stride 1 reads the input rows where they lie (in an executor, in its activation memory): a row pointer
//   per kernel row, chosen per step, points at the input row or, above and below the image, at a zero row;
//   the vectors whose lanes reach a pad column (the first and last of a row) are done one by one, loading
//   from the row's start with the lanes shifted (zeros shifted in) on the left and masking lanes past the
//   row's end on the right.
// - A larger stride copies the rows a step reads into a small per-plane ring of zero-bordered rows (their
//   borders written once, never again), each row's columns de-interleaved by the stride: sw phases, phase φ
//   holding the padded columns φ, φ + sw, … So the four consecutive outputs ox … ox + 3 of tap (ky, kx) read
//   four consecutive floats, one v128.load at a constant offset. The copy is two loads and two shuffles per
//   8 columns for stride 2, a scalar loop for larger strides; a ring slot is row mod ring, kept without a
//   division.
// A step computes 2 output rows × 2 vectors (4 independent accumulator chains; an input vector both rows read
// is loaded once) with a 3×3's 9 weights in v128 locals (larger kernels splat each tap's weight as it is
// used); the rest of a row and a last vector short of 4 (its lanes stored one by one, so no plane writes
// into another and the result can be written straight into the executor's activations) split their taps
// over partial sums. Bias, Theano's filter flip and a fused ReLU / leaky ReLU are applied here; a folded
// BatchNorm/Scale comes in as weights and bias (folded-affine.ts). run(from, to) computes planes
// (batch × channels) [from, to), split between threads for a big enough layer (docs/performance-notes.md#depthwise-convolution).
import type { ConvolutionNativeSpec } from '../../ir/native-kernel-spec.js';
import type { NativeKernel, NativeKernelOptions } from './native-kernel.js';
import { regionKernel } from './region-kernel.js';
import { relaxedSimdSupported } from './simd-support.js';
import { FunctionBody, I32, V128 } from './wasm-binary.js';

/** Multiply-adds below which a second thread costs more than it saves (like pooling's reads: ~1 ms per 1 M). */
export const DEPTHWISE_THREADED_MIN_MACS = 1e6;

/** Output vectors computed together (independent accumulators: one chain would wait on each add's latency). */
const VECTORS_PER_STEP = 4;

/** Output rows computed together: the input rows they share are loaded once for both. */
const ROWS_PER_STEP = 2;

/** Taps up to which a plane's weights stay in v128 locals (16 vector registers: 9 + 4 accumulators + temporaries). */
const TAPS_IN_LOCALS = 9;

/** Lanes 0, 2 (even) and 1, 3 (odd) of two f32x4 vectors, as i8x16.shuffle byte indices. */
const EVEN_LANES = [0, 1, 2, 3, 8, 9, 10, 11, 16, 17, 18, 19, 24, 25, 26, 27];
const ODD_LANES = [4, 5, 6, 7, 12, 13, 14, 15, 20, 21, 22, 23, 28, 29, 30, 31];

/** Whether the layer is depthwise: one input and one output channel per group. */
export function isDepthwiseConvolution(spec: ConvolutionNativeSpec): boolean {
  return spec.group === spec.cin && spec.cin === spec.cout;
}

interface Geometry {
  planes: number;
  taps: number;
  /** Floats of one padded row's column phase, of the row (sw phases). */
  phaseFloats: number;
  rowFloats: number;
  /** Stride 1: the input rows are read where they are (no ring), the pad columns shifted in or masked as zeros. */
  direct: boolean;
  /** Padded rows each plane's ring holds: the rows a step's output rows read, (ROWS_PER_STEP − 1)·sh + (kh − 1)·dh + 1. */
  ring: number;
}

function geometry(spec: ConvolutionNativeSpec): Geometry {
  const [kh, kw] = spec.kernel;
  const sw = spec.stride[1];
  const pw = spec.pad[1];
  const [dh, dw] = spec.dilation;
  const outVectors = Math.ceil(spec.outW / 4);
  // Reads reach index 4·outVectors − 1 + ⌊(kw−1)·dw / sw⌋ of a phase; the copy writes up to ⌊(inW−1+pw) / sw⌋.
  const reach = 4 * outVectors + Math.floor(((kw - 1) * dw) / sw);
  const written = Math.floor((spec.inW - 1 + pw) / sw) + 1;
  const phaseFloats = Math.ceil(Math.max(reach, written) / 4) * 4;
  return {
    planes: spec.outer * spec.cout,
    taps: kh * kw,
    phaseFloats,
    rowFloats: sw * phaseFloats,
    direct: sw === 1,
    ring: sw === 1 ? 0 : (ROWS_PER_STEP - 1) * spec.stride[0] + (kh - 1) * dh + 1,
  };
}

/** Whether the kernel's memory (input, rings, weights, output) stays under 2 GiB. */
export function depthwiseConvolutionCovers(spec: ConvolutionNativeSpec): boolean {
  if (!isDepthwiseConvolution(spec)) return false;
  const g = geometry(spec);
  const floats =
    g.planes * (spec.inH * spec.inW + g.ring * g.rowFloats + g.taps + 1 + spec.outH * spec.outW) + g.rowFloats + 2 * spec.pad[1];
  return floats * 4 + 256 < 2 ** 31;
}

/** The kernel, reading Caffe's Convolution weights (C, 1, kh, kw) and bias (C). */
export function depthwiseConvolutionKernel(
  spec: ConvolutionNativeSpec,
  options: NativeKernelOptions & { threadedMinMacs?: number } = {},
): NativeKernel {
  if (!isDepthwiseConvolution(spec))
    throw new Error(`internal: a depthwise kernel for group ${spec.group}, ${spec.cin} → ${spec.cout} channels`);
  const { inH, inW, outH, outW, cout: channels } = spec;
  const [kh, kw] = spec.kernel;
  const [sh, sw] = spec.stride;
  const [ph, pw] = spec.pad;
  const [dh, dw] = spec.dilation;
  const g = geometry(spec);
  const { planes, taps, phaseFloats, rowFloats, ring, direct } = g;
  const relaxed = options.relaxedSimd ?? relaxedSimdSupported();
  // Per plane: its taps in (ky, kx) order as the kernel reads them (the flip applied), then its bias.
  const laidWeights = (args: readonly Float32Array[]) => {
    const [, w, b] = args;
    const laid = new Float32Array(planes * (taps + 1));
    for (let p = 0; p < planes; p++) {
      const c = p % channels;
      for (let ky = 0; ky < kh; ky++)
        for (let kx = 0; kx < kw; kx++) {
          const [wy, wx] = spec.flip ? [kh - 1 - ky, kw - 1 - kx] : [ky, kx];
          laid[p * (taps + 1) + ky * kw + kx] = w[(c * kh + wy) * kw + wx];
        }
      laid[p * (taps + 1) + taps] = spec.bias && b ? b[c] : 0;
    }
    return laid;
  };
  const macs = planes * outH * outW * taps;
  return regionKernel({
    arena: options.arena,
    paramsFrom: 1,
    regions: [
      // The input (read where it lies when it is in this memory: region-kernel.ts).
      { floats: planes * inH * inW },
      { floats: planes * (taps + 1), param: true, derive: laidWeights },
      // A zero row, then each plane's ring of padded rows. Written once with zeros: the copy fills the rows'
      // interior columns, their borders stay zero.
      { floats: (planes * ring + 1) * rowFloats, param: true, derive: () => new Float32Array((planes * ring + 1) * rowFloats) },
    ],
    outFloats: planes * outH * outW,
    size: planes * outH * outW,
    split: {
      units: planes,
      threads: macs >= (options.threadedMinMacs ?? DEPTHWISE_THREADED_MIN_MACS) ? (options.threads ?? 1) : 1,
      pool: options.pool,
    },
    // Full vectors only inside a row, a last one short of 4 by lanes: in an executor the result is written
    // straight into its activation memory.
    exactOutput: true,
    body: ({ regions: [x, weights, rings], out }) => {
      const rowBytes = rowFloats * 4;
      const phaseBytes = phaseFloats * 4;
      const f = new FunctionBody(2);
      const [p, iy, oy, src, dst, tmp, j, k, xPlane, ringBase, wPlane, oRow, ob, top, next, hi, slotTop, slotNext, cur] = Array.from(
        { length: 19 },
        () => f.local(I32),
      );
      // The input rows a step reads, as offsets from its top row (m·sh + ky·dh for output row m of the step),
      // each with its padded row's byte and that plus the block's.
      const distinct = (rows: number) => [...new Set(Array.from({ length: rows * kh }, (_, i) => Math.floor(i / kh) * sh + (i % kh) * dh))];
      const offsets = distinct(ROWS_PER_STEP).sort((u, v) => u - v);
      const rowAt = offsets.map(() => f.local(I32));
      const blockAt = offsets.map(() => f.local(I32));
      const inLocals = taps <= TAPS_IN_LOCALS;
      const w = inLocals ? Array.from({ length: taps }, () => f.local(V128)) : [];
      const [bias, wt, a, b] = Array.from({ length: 4 }, () => f.local(V128));
      const acc = Array.from({ length: VECTORS_PER_STEP }, () => f.local(V128));

      /** Input row iy of the plane (src: its first byte) into its ring slot (dst: the slot's first byte). */
      const copyRow = () => {
        if (sw === 1) {
          // Vectors, then the last columns' lanes (a memory.copy call costs more than a short row).
          const full = Math.floor(inW / 4);
          f.forLoop(j, 0, full * 16, 16, () => {
            f.get(dst)
              .get(j)
              .add()
              .get(src)
              .get(j)
              .add()
              .v128Load(0)
              .v128Store(pw * 4);
          });
          if (inW % 4) {
            f.get(src)
              .i32(full * 16)
              .add()
              .v128Load(0)
              .set(a);
            for (let lane = 0; lane < inW % 4; lane++)
              f.get(dst)
                .get(a)
                .v128Store32Lane((pw + full * 4 + lane) * 4, lane);
          }
          return;
        }
        if (sw === 2) {
          // Input column 2m + e goes to phase (e + pw) mod 2, index m + ⌊(e + pw) / 2⌋.
          const evenAt = (pw % 2) * phaseBytes + Math.floor(pw / 2) * 4;
          const oddAt = ((1 + pw) % 2) * phaseBytes + Math.floor((1 + pw) / 2) * 4;
          const chunks = Math.floor(inW / 8);
          f.i32(0).set(k);
          f.forLoop(j, 0, chunks * 32, 32, () => {
            f.get(src).get(j).add().tee(tmp).v128Load(0).set(a);
            f.get(tmp).v128Load(16).set(b);
            f.get(dst).get(k).add().get(a).get(b).i8x16Shuffle(EVEN_LANES).v128Store(evenAt);
            f.get(dst).get(k).add().get(a).get(b).i8x16Shuffle(ODD_LANES).v128Store(oddAt);
            f.increment(k, 16);
          });
          const rest = inW % 8;
          if (rest > 0) {
            // The last columns: one load, or two where more than 4 are left (so at most 12 bytes past the
            // row's end are read, inside the 16 bytes of slack after a region), only the lanes that are
            // columns stored.
            f.get(src)
              .i32(chunks * 32)
              .add()
              .tee(tmp)
              .v128Load(0)
              .set(a);
            if (rest > 4) f.get(tmp).v128Load(16).set(b);
            else f.get(a).set(b);
            f.get(a).get(b).i8x16Shuffle(EVEN_LANES).set(wt);
            for (let lane = 0; lane < Math.ceil(rest / 2); lane++)
              f.get(dst)
                .get(wt)
                .v128Store32Lane(evenAt + (chunks * 4 + lane) * 4, lane);
            f.get(a).get(b).i8x16Shuffle(ODD_LANES).set(wt);
            for (let lane = 0; lane < Math.floor(rest / 2); lane++)
              f.get(dst)
                .get(wt)
                .v128Store32Lane(oddAt + (chunks * 4 + lane) * 4, lane);
          }
          return;
        }
        // Larger strides: columns e, e + sw, … one float at a time.
        for (let e = 0; e < Math.min(sw, inW); e++) {
          const count = Math.ceil((inW - e) / sw);
          const at = ((e + pw) % sw) * phaseBytes + Math.floor((e + pw) / sw) * 4;
          f.get(src)
            .i32(e * 4)
            .add()
            .set(tmp);
          f.get(dst).i32(at).add().set(k);
          f.forLoop(j, 0, count, 1, () => {
            f.get(k).get(tmp).f32Load(0).f32Store(0);
            f.increment(tmp, sw * 4);
            f.increment(k, 4);
          });
        }
      };

      /**
       * `n` output vectors at byte ob of `rows` output rows; `lanes` < 4: one vector, only its first lanes
       * stored. Fewer than 4 accumulators split their taps round-robin over partial sums (4 chains of
       * multiply-adds either way: one chain would wait on each add's latency), added at the end. Each input
       * vector is loaded once for every output row that reads it.
       */
      const vectors = (rows: number, n: number, lanes = 4, masked?: number) => {
        // Stride 1, border vector `masked` at tap kx: lane j reads input column start + j, zero outside
        // 0 … inW − 1. A load from the row's start shifted by −start lanes (zeros shifted in) where start < 0,
        // so nothing before a row is read; a lane mask where columns past the row's end are; no load at all
        // where no stored lane reads the row.
        const edge = (kx: number) => {
          const start = 4 * masked! - pw + kx * dw;
          const inside = [0, 1, 2, 3].map((j) => start + j >= 0 && start + j < inW);
          const stored = [0, 1, 2, 3].map((j) => 4 * masked! + j < outW);
          const shift = Math.max(0, -start);
          const mask = inside.map((ok, j) => (ok || !stored[j] ? -1 : 0));
          return {
            skip: !inside.some((ok, j) => ok && stored[j]),
            offset: Math.max(0, start) * 4,
            shift: [0, 1, 2, 3].flatMap((j) => [0, 1, 2, 3].map((b) => (j < shift ? b : 16 + (j - shift) * 4 + b))),
            mask: mask.every((m) => m === -1) ? undefined : mask,
            shifted: shift > 0,
          };
        };
        const parts = Math.max(1, Math.min(Math.floor(VECTORS_PER_STEP / (rows * n)), taps));
        const sum = (m: number, u: number, q: number) => acc[(m * n + u) * parts + q];
        for (let m = 0; m < rows; m++)
          for (let u = 0; u < n; u++) {
            f.get(bias).set(sum(m, u, 0));
            for (let q = 1; q < parts; q++) f.v128Zero().set(sum(m, u, q));
          }
        const used = distinct(rows);
        // Stride 1 reads from pw columns before the block (never before the row: ob ≥ 4·pw here).
        offsets.forEach((d, i) => {
          if (!used.includes(d) || masked !== undefined) return;
          f.get(rowAt[i]).get(ob).add();
          if (direct && pw > 0) f.i32(pw * 4).sub();
          f.set(blockAt[i]);
        });
        offsets.forEach((d, i) => {
          // The output rows m and kernel rows ky reading input row top + d.
          const readers = Array.from({ length: rows * kh }, (_, r) => [Math.floor(r / kh), r % kh]).filter(
            ([m, ky]) => m * sh + ky * dh === d,
          );
          if (readers.length === 0) return;
          for (let kx = 0; kx < kw; kx++) {
            const offset = ((kx * dw) % sw) * phaseBytes + Math.floor((kx * dw) / sw) * 4;
            for (let u = 0; u < n; u++) {
              if (masked === undefined) f.get(blockAt[i]).v128Load(offset + u * 16);
              else {
                const e = edge(kx);
                if (e.skip) continue;
                if (e.shifted) f.v128Zero();
                f.get(rowAt[i]).v128Load(e.offset);
                if (e.shifted) f.i8x16Shuffle(e.shift);
                if (e.mask) f.i32x4Lanes(e.mask).v128And();
              }
              f.set(a);
              for (const [m, ky] of readers) {
                const t = ky * kw + kx;
                const into = sum(m, u, t % parts);
                f.get(a);
                if (inLocals) f.get(w[t]);
                else f.get(wPlane).v128Load32Splat(weights + t * 4);
                if (relaxed) f.get(into).f32x4RelaxedMadd();
                else f.f32x4Mul().get(into).f32x4Add();
                f.set(into);
              }
            }
          }
        });
        for (let m = 0; m < rows; m++)
          for (let u = 0; u < n; u++) {
            for (let width = 1; width < parts; width *= 2)
              for (let q = 0; q + width < parts; q += 2 * width)
                f.get(sum(m, u, q))
                  .get(sum(m, u, q + width))
                  .f32x4Add()
                  .set(sum(m, u, q));
            const v = sum(m, u, 0);
            if (spec.relu !== undefined) {
              // max(v, slope·v): v > 0 ? v : slope·v for 0 ≤ slope ≤ 1.
              f.get(v);
              if (spec.relu === 0) f.v128Zero();
              else f.get(v).f32x4Const(spec.relu).f32x4Mul();
              f.f32x4Max().set(v);
            }
            const at = m * outW * 4;
            if (lanes === 4)
              f.get(oRow)
                .get(ob)
                .add()
                .get(v)
                .v128Store(at + u * 16);
            else
              for (let lane = 0; lane < lanes; lane++)
                f.get(oRow)
                  .get(ob)
                  .add()
                  .get(v)
                  .v128Store32Lane(at + lane * 4, lane);
          }
      };

      /**
       * The output vectors of `rows` rows: a loop over those whose every lane reads inside the row, then the
       * others one by one — a last vector short of 4 (its lanes stored), and for stride 1 the vectors at the
       * borders, whose lanes reading a pad column read zeros.
       */
      const columns = (rows: number) => {
        const perStep = Math.floor(VECTORS_PER_STEP / rows);
        const full = Math.floor(outW / 4);
        const vL = direct ? Math.min(full, Math.ceil(pw / 4)) : 0;
        const vR = direct ? Math.max(vL, Math.min(full, Math.floor((inW - 4 + pw - (kw - 1) * dw) / 4) + 1)) : full;
        const stepped = vR - vL - ((vR - vL) % perStep);
        f.forLoop(ob, vL * 16, (vL + stepped) * 16, perStep * 16, () => vectors(rows, perStep));
        if (vL + stepped < vR) {
          f.i32((vL + stepped) * 16).set(ob);
          vectors(rows, vR - vL - stepped);
        }
        const edges = [...Array.from({ length: vL }, (_, v) => v), ...Array.from({ length: Math.ceil(outW / 4) - vR }, (_, i) => vR + i)];
        for (const v of edges) {
          f.i32(v * 16).set(ob);
          vectors(rows, 1, Math.min(4, outW - 4 * v), direct ? v : undefined);
        }
      };

      f.forLoop(
        p,
        () => f.get(0),
        { local: 1 },
        1,
        () => {
          f.get(p)
            .i32(inH * inW * 4)
            .mul()
            .i32(x)
            .add()
            .set(xPlane);
          f.get(p)
            .i32(ring * rowBytes)
            .mul()
            .i32(rings + rowBytes)
            .add()
            .set(ringBase);
          // Its weights and bias.
          f.get(p)
            .i32((taps + 1) * 4)
            .mul()
            .tee(wPlane)
            .v128Load32Splat(weights + taps * 4)
            .set(bias);
          for (let t = 0; t < w.length; t++)
            f.get(wPlane)
              .v128Load32Splat(weights + t * 4)
              .set(w[t]);
          f.get(p)
            .i32(outH * outW * 4)
            .mul()
            .i32(out)
            .add()
            .set(oRow);
          // next: the first input row not yet copied; slots (bytes in the ring) of rows next and top: row r
          // lies in slot r mod ring, kept without a division (a few per output row cost as much as a 19-wide row).
          const slotOf = (r: number) => (ring ? (((r % ring) + ring) % ring) * rowBytes : 0);
          const wrap = (local: number) =>
            f
              .i32(0)
              .get(local)
              .get(local)
              .i32(ring * rowBytes)
              .geS()
              .select()
              .set(local);
          const wrapDown = (local: number) =>
            f
              .get(local)
              .i32(ring * rowBytes)
              .sub()
              .get(local)
              .get(local)
              .i32(ring * rowBytes)
              .geS()
              .select()
              .set(local);
          f.i32(0).set(next);
          f.i32(0).set(slotNext);
          f.i32(slotOf(-ph)).set(slotTop);
          /** `rows` output rows from oy. */
          const step = (rows: number) => {
            const used = distinct(rows);
            if (direct) {
              // Input row top + d where it is, or the zero row.
              offsets.forEach((d, i) => {
                if (!used.includes(d)) return;
                f.get(oy)
                  .i32(sh)
                  .mul()
                  .i32(d - ph)
                  .add()
                  .tee(tmp)
                  .i32(inW * 4)
                  .mul()
                  .get(xPlane)
                  .add();
                f.i32(rings).get(tmp).i32(inH).ltU().select().set(rowAt[i]);
              });
              columns(rows);
              f.increment(oRow, rows * outW * 4);
              return;
            }
            // Input rows top … top + the last offset: those not yet in the ring are copied into it.
            f.get(oy)
              .i32(sh)
              .mul()
              .i32(-ph)
              .add()
              .tee(top)
              .i32(Math.max(...used) + 1)
              .add()
              .set(hi);
            f.i32(inH).get(hi).i32(inH).get(hi).ltS().select().set(hi);
            f.get(slotNext).get(slotTop).get(next).get(top).geS().select().set(cur);
            f.forLoop(
              iy,
              () => f.get(next).get(top).get(next).get(top).geS().select(),
              { local: hi },
              1,
              () => {
                f.get(iy)
                  .i32(inW * 4)
                  .mul()
                  .get(xPlane)
                  .add()
                  .set(src);
                f.get(cur).get(ringBase).add().set(dst);
                copyRow();
                f.increment(cur, rowBytes);
                wrap(cur);
              },
            );
            f.get(cur).get(slotNext).get(next).get(hi).ltS().select().set(slotNext);
            f.get(hi).get(next).get(hi).get(next).geS().select().set(next);
            // Input row top + d: its ring slot, or the zero row outside the image.
            offsets.forEach((d, i) => {
              if (!used.includes(d)) return;
              f.get(slotTop).i32(slotOf(d)).add().set(tmp);
              wrapDown(tmp);
              f.get(tmp).get(ringBase).add();
              f.i32(rings).get(top).i32(d).add().i32(inH).ltU().select().set(rowAt[i]);
            });
            // The next step's top row: rows·sh rows on.
            f.get(slotTop)
              .i32(slotOf(rows * sh))
              .add()
              .set(slotTop);
            wrapDown(slotTop);
            columns(rows);
            f.increment(oRow, rows * outW * 4);
          };
          const paired = outH - (outH % ROWS_PER_STEP);
          f.forLoop(oy, 0, paired, ROWS_PER_STEP, () => step(ROWS_PER_STEP));
          if (paired < outH) {
            f.i32(paired).set(oy);
            step(outH - paired);
          }
        },
      );
      return f;
    },
  });
}
