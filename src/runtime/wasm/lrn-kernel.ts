// LRN's native kernel (backend wasm), both norm regions, f32x4 along the pixels of a plane, with Caffe's
// formula (src/layers/lrn.ts): y = x · s^−β,
// - ACROSS_CHANNELS: s = k + α/n · Σ x² over the n channels centred on c, clipped at the ends. A strip of
//   16 pixels walks down the channels keeping the strip's sums of squares in registers: the channel
//   entering the window is added and the one leaving it subtracted (Caffe's running sum, in f32 like
//   Caffe's), so the cost per element does not grow with n. Units of work: (image, strip).
// - WITHIN_CHANNEL: s = 1 + α/n² · Σ x² over the n×n window clipped to the image (Caffe's AVE pooling of
//   the squares with pad (n−1)/2 and stride 1, whose padded windows always hold n² cells). Separable: per
//   output row, the column sums of the clipped rows go into a scratch row with (n−1)/2 zeros each side,
//   then n shifted loads of it sum the columns. Units: planes, each with its own scratch row.
// The power is simd-power.ts's. A last vector that is short of 4 pixels stores only its own lanes, so units
// never write each other's elements and threads may split them (the executor's pool, as Pooling's planes).
import type { NativeKernel, NativeKernelOptions } from './native-kernel.js';
import type { LRNNativeSpec } from '../../ir/native-kernel-spec.js';
import { regionKernel } from './region-kernel.js';
import { emitTimesPower, powerLocals, type PowerLocals } from './simd-power.js';
import { FunctionBody, I32, V128 } from './wasm-binary.js';

/** Pixels per strip (ACROSS_CHANNELS): 4 vectors, a cache line of each channel plane. */
const STRIP_VECTORS = 4;

/** Elements below which a second thread costs more than it saves (a wake-up is some µs). */
const THREADED_MIN_ELEMENTS = 2e5;

/** Stores local v at address (on the stack) + offset: all 4 lanes, or only the first `lanes`. */
function storeLanes(f: FunctionBody, address: () => void, offset: number, v: number, lanes: number): void {
  if (lanes === 4) {
    address();
    f.get(v).v128Store(offset);
    return;
  }
  for (let lane = 0; lane < lanes; lane++) {
    address();
    f.get(v).v128Store32Lane(offset + 4 * lane, lane);
  }
}

export function lrnNativeKernel(spec: LRNNativeSpec, options: NativeKernelOptions = {}): NativeKernel {
  const [n, c, h, w] = spec.shape;
  const count = n * c * h * w;
  const threads = count >= THREADED_MIN_ELEMENTS ? (options.threads ?? 1) : 1;
  return spec.within ? withinChannel(spec, n * c, h, w, threads, options) : acrossChannels(spec, n, c, h * w, threads, options);
}

function acrossChannels(spec: LRNNativeSpec, images: number, c: number, plane: number, threads: number, options: NativeKernelOptions) {
  const half = (spec.size - 1) / 2;
  const P = plane * 4;
  const stripPixels = 4 * STRIP_VECTORS;
  const strips = Math.ceil(plane / stripPixels);
  const fullStrips = Math.floor(plane / stripPixels);
  const tail = plane - fullStrips * stripPixels;
  const scaleA = spec.alpha / spec.size;
  return regionKernel({
    arena: options.arena,
    paramsFrom: 1,
    regions: [{ floats: images * c * plane }],
    outFloats: images * c * plane,
    size: images * c * plane,
    // storeLanes: a strip's last vector only its lanes.
    exactOutput: true,
    split: { units: images * strips, threads, pool: options.pool },
    body: ({ regions: [x], out }) => {
      const f = new FunctionBody(2);
      const [u, img, base, q, qd, ci] = Array.from({ length: 6 }, () => f.local(I32));
      const sums = Array.from({ length: STRIP_VECTORS }, () => f.local(V128));
      const [xv, v, y] = Array.from({ length: 3 }, () => f.local(V128));
      const pw: PowerLocals = powerLocals(f);
      /** The strip at byte offset `base` (image, channel 0, first pixel): `vectors` vectors, the last with `lastLanes` lanes. */
      const strip = (vectors: number, lastLanes: number) => {
        for (let j = 0; j < vectors; j++) f.v128Zero().set(sums[j]);
        for (let cc = 0; cc <= Math.min(half, c - 1); cc++) {
          for (let j = 0; j < vectors; j++) {
            f.get(base)
              .v128Load(x + cc * P + 16 * j)
              .set(v);
            f.get(sums[j]).get(v).get(v).f32x4Mul().f32x4Add().set(sums[j]);
          }
        }
        f.get(base).set(q);
        // Channels [a, b) where the entering channel (c + half + 1) exists and the leaving one (c − half) does, or not.
        const cuts = [...new Set([0, half, c - half - 1, c].map((b) => Math.min(Math.max(b, 0), c)))].sort((a, b) => a - b);
        for (let s = 0; s + 1 < cuts.length; s++) {
          const [a, b] = [cuts[s], cuts[s + 1]];
          if (a === b) continue;
          const enters = a < c - half - 1;
          const leaves = a >= half;
          f.forLoop(ci, a, b, 1, () => {
            if (leaves)
              f.get(q)
                .i32(half * P)
                .sub()
                .set(qd);
            for (let j = 0; j < vectors; j++) {
              f.get(q)
                .v128Load(x + 16 * j)
                .set(xv);
              f.get(sums[j]).f32x4Const(scaleA).f32x4Mul().f32x4Const(spec.k).f32x4Add().set(pw.s);
              emitTimesPower(f, spec.beta, xv, pw);
              f.set(y);
              storeLanes(f, () => f.get(q), out + 16 * j, y, j === vectors - 1 ? lastLanes : 4);
              if (enters) {
                f.get(q)
                  .v128Load(x + (half + 1) * P + 16 * j)
                  .set(v);
                f.get(sums[j]).get(v).get(v).f32x4Mul().f32x4Add().set(sums[j]);
              }
              if (leaves) {
                f.get(qd)
                  .v128Load(x + 16 * j)
                  .set(v);
                f.get(sums[j]).get(v).get(v).f32x4Mul().f32x4Sub().set(sums[j]);
              }
            }
            f.increment(q, P);
          });
        }
      };
      f.forLoop(
        u,
        () => f.get(0),
        { local: 1 },
        1,
        () => {
          f.get(u).i32(strips).divU().set(img);
          // base = img·c·P + (u − img·strips)·(strip bytes)
          f.get(u)
            .get(img)
            .i32(strips)
            .mul()
            .sub()
            .i32(stripPixels * 4)
            .mul()
            .get(img)
            .i32(c * P)
            .mul()
            .add()
            .set(base);
          if (tail === 0) strip(STRIP_VECTORS, 4);
          else if (fullStrips === 0) strip(Math.ceil(tail / 4), tail % 4 || 4);
          else {
            f.get(u).get(img).i32(strips).mul().sub().i32(fullStrips).ltS().ifThen();
            strip(STRIP_VECTORS, 4);
            f.else();
            strip(Math.ceil(tail / 4), tail % 4 || 4);
            f.end();
          }
        },
      );
      return f;
    },
  });
}

function withinChannel(spec: LRNNativeSpec, planes: number, h: number, w: number, threads: number, options: NativeKernelOptions) {
  const half = (spec.size - 1) / 2;
  const n = spec.size;
  const rowFloats = Math.ceil((w + 2 * half + 8) / 4) * 4;
  const vectors = Math.ceil(w / 4);
  const fullVectors = Math.floor(w / 4);
  const scaleA = spec.alpha / (n * n);
  return regionKernel({
    arena: options.arena,
    paramsFrom: 1,
    regions: [{ floats: planes * h * w }, { floats: planes * rowFloats, param: true, derive: () => new Float32Array(planes * rowFloats) }],
    outFloats: planes * h * w,
    size: planes * h * w,
    exactOutput: true,
    split: { units: planes, threads, pool: options.pool },
    body: ({ regions: [x, scratch], out }) => {
      const f = new FunctionBody(2);
      const [p, xp, sp, yy, row, r, rEnd, xb] = Array.from({ length: 8 }, () => f.local(I32));
      const [acc, xv, v, y] = Array.from({ length: 4 }, () => f.local(V128));
      const pw = powerLocals(f);
      f.forLoop(
        p,
        () => f.get(0),
        { local: 1 },
        1,
        () => {
          f.get(p)
            .i32(h * w * 4)
            .mul()
            .set(xp);
          f.get(p)
            .i32(rowFloats * 4)
            .mul()
            .set(sp);
          f.forLoop(yy, 0, h, 1, () => {
            // Rows [max(0, y − half), min(h, y + half + 1)) as byte offsets r … rEnd of the plane.
            f.get(yy)
              .i32(half)
              .sub()
              .tee(r)
              .i32(0)
              .get(r)
              .i32(0)
              .geS()
              .select()
              .i32(w * 4)
              .mul()
              .get(xp)
              .add()
              .set(r);
            f.get(yy)
              .i32(half + 1)
              .add()
              .tee(rEnd)
              .i32(h)
              .get(rEnd)
              .i32(h)
              .ltS()
              .select()
              .i32(w * 4)
              .mul()
              .get(xp)
              .add()
              .set(rEnd);
            // Column sums of squares into the scratch row, after its `half` zeros.
            f.forLoop(xb, 0, vectors * 16, 16, () => {
              f.v128Zero().set(acc);
              f.forLoop(
                row,
                () => f.get(r),
                { local: rEnd },
                w * 4,
                () => {
                  f.get(row).get(xb).add().v128Load(x).set(v);
                  f.get(acc).get(v).get(v).f32x4Mul().f32x4Add().set(acc);
                },
              );
              f.get(sp)
                .get(xb)
                .add()
                .get(acc)
                .v128Store(scratch + 4 * half);
            });
            // The last vector ran past the row into the right margin: zeros again.
            f.get(sp)
              .v128Zero()
              .v128Store(scratch + 4 * (half + w));
            // Output vectors: n shifted loads of the scratch row.
            const vector = (lanes: number) => {
              f.get(sp).get(xb).add().v128Load(scratch).set(acc);
              for (let d = 1; d < n; d++) {
                f.get(acc)
                  .get(sp)
                  .get(xb)
                  .add()
                  .v128Load(scratch + 4 * d)
                  .f32x4Add()
                  .set(acc);
              }
              f.get(acc).f32x4Const(scaleA).f32x4Mul().f32x4Const(1).f32x4Add().set(pw.s);
              const at = () =>
                f
                  .get(yy)
                  .i32(w * 4)
                  .mul()
                  .get(xp)
                  .add()
                  .get(xb)
                  .add();
              at();
              f.v128Load(x).set(xv);
              emitTimesPower(f, spec.beta, xv, pw);
              f.set(y);
              storeLanes(f, at, out, y, lanes);
            };
            f.forLoop(xb, 0, fullVectors * 16, 16, () => vector(4));
            if (vectors > fullVectors) {
              f.i32(fullVectors * 16).set(xb);
              vector(w % 4);
            }
          });
        },
      );
      return f;
    },
  });
}
