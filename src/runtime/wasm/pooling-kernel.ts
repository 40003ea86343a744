// Pooling's native kernel (backend wasm): MAX and AVE with Caffe's windows — start o·s − p, clipped to
// the image; AVE divides by the window clipped to the padded extent [−p, in + p), as pooling.ts explains.
// Separable, f32x4 along the rows: for each output row, the window's rows are reduced column by column (max
// or sum of the clipped rows, 4 columns per vector) into a scratch row that has p cells of the neutral value
// (−FLT_MAX, or 0 for AVE) each side; then each output vector reduces k shifted loads of that row — plain
// loads for stride 1, the even lanes of two loads for stride 2, a scalar loop for larger strides. A cell of
// the padding never wins a MAX (every Caffe window holds an image cell) and adds 0 to a sum, so the result is
// Caffe's, whose divisor (the padded window's rows × columns) comes from host-written tables. run(from, to)
// pools planes [from, to), each with its own scratch row; a last vector short of 4 outputs stores only its
// own lanes, so with threads a big layer's planes are split between them (GoogLeNet's pooling was 15 % of a
// one-thread pass, docs/performance-notes.md#threads-by-default).
import type { NativeKernelOptions } from './native-kernel.js';
import type { NativeKernel } from './native-kernel.js';
import type { PoolingNativeSpec } from '../../ir/native-kernel-spec.js';
import { regionKernel } from './region-kernel.js';
import { F32, FunctionBody, I32, V128 } from './wasm-binary.js';

const FLT_MAX = 3.4028234663852886e38;

/** Per output index along an axis: first and end input index inside the image, and the padded window's extent. */
function axisWindows(out: number, size: number, k: number, s: number, p: number): number[][] {
  const t: number[][] = [];
  for (let o = 0; o < out; o++) {
    const start = o * s - p;
    const padded = Math.min(start + k, size + p) - start;
    t.push([Math.max(start, 0), Math.min(start + k, size), padded]);
  }
  return t;
}

/** Window reads below which a second thread costs more than it saves (a wake-up is some µs; 1 M reads ~1 ms). */
export const THREADED_MIN_READS = 1e6;

/** Kernel rows or columns up to which the window's loads are unrolled (a loop beyond). */
const UNROLL = 32;

/** Even f32 lanes of two vectors: lanes 0, 2 of a then 0, 2 of b. */
const EVEN_LANES = [0, 1, 2, 3, 8, 9, 10, 11, 16, 17, 18, 19, 24, 25, 26, 27];

export function poolingNativeKernel(spec: PoolingNativeSpec, options: NativeKernelOptions = {}): NativeKernel {
  const { planes, inH, inW, outH, outW, max } = spec;
  const [kh, kw] = spec.kernel;
  const [sw, pw] = [spec.stride[1], spec.pad[1]];
  const rows = axisWindows(outH, inH, kh, spec.stride[0], spec.pad[0]);
  const cols = axisWindows(outW, inW, kw, sw, pw);
  const outVectors = Math.ceil(outW / 4);
  const inVectors = Math.ceil(inW / 4);
  // Scratch row: cell pw + i holds input column i's reduction; reads reach (4·outVectors − 1)·s + k (+4 for stride 2's second load).
  const rowFloats = Math.ceil((Math.max(pw + 4 * inVectors + 4, (4 * outVectors - 1) * sw + kw + 8) + 4) / 4) * 4;
  const neutral = max ? -FLT_MAX : 0;
  // Tables: per output row (first row, end row, padded rows) as i32; per output column the padded columns as f32 (1 past outW).
  const rowTable = new Int32Array(rows.flat());
  const colDivisors = new Float32Array(4 * outVectors).fill(1);
  cols.forEach(([, , n], i) => (colDivisors[i] = n));
  const tables = new Float32Array(rowTable.length + colDivisors.length);
  tables.set(new Float32Array(rowTable.buffer), 0);
  tables.set(colDivisors, rowTable.length);
  const reads = planes * outH * outW * kh * kw;
  return regionKernel({
    arena: options.arena,
    paramsFrom: 1,
    regions: [
      { floats: planes * inH * inW },
      { floats: tables.length, param: true, derive: () => tables },
      { floats: planes * rowFloats, param: true, derive: () => new Float32Array(planes * rowFloats).fill(neutral) },
    ],
    outFloats: planes * outH * outW,
    size: planes * outH * outW,
    // A row's last vector stores only its lanes.
    exactOutput: true,
    split: { units: planes, threads: reads >= THREADED_MIN_READS ? (options.threads ?? 1) : 1, pool: options.pool },
    body: ({ regions: [x, table, scratch], out }) => {
      const divisors = table + rowTable.length * 4;
      // run(from, to): planes [from, to).
      const f = new FunctionBody(2);
      const [p, oy, xPlane, sRow, oRow, h0, h1, xb, r, rEnd, row, ob, ox] = Array.from({ length: 13 }, () => f.local(I32));
      const [acc, divisor] = [f.local(V128), f.local(V128)];
      const scalar = f.local(F32);
      const reduce = () => void (max ? f.f32x4Max() : f.f32x4Add());
      /** Vertical pass for one output row: rows [h0, h1) of columns xb·4 … into the scratch row. */
      const vertical = () => {
        const unrolled = () =>
          f.forLoop(xb, 0, inVectors * 16, 16, () => {
            f.get(r).get(xb).add().tee(rEnd).v128Load(x);
            for (let dy = 1; dy < kh; dy++) {
              f.get(rEnd).v128Load(x + dy * inW * 4);
              reduce();
            }
            f.set(acc)
              .get(sRow)
              .get(xb)
              .add()
              .get(acc)
              .v128Store(scratch + pw * 4);
          });
        const looped = () =>
          f.forLoop(xb, 0, inVectors * 16, 16, () => {
            f.get(r).get(xb).add().v128Load(x).set(acc);
            f.forLoop(
              row,
              () =>
                f
                  .get(r)
                  .i32(inW * 4)
                  .add(),
              { local: rEnd },
              inW * 4,
              () => {
                f.get(acc).get(row).get(xb).add().v128Load(x);
                reduce();
                f.set(acc);
              },
            );
            f.get(sRow)
              .get(xb)
              .add()
              .get(acc)
              .v128Store(scratch + pw * 4);
          });
        // r, rEnd: byte offsets of rows h0 and h1 in the plane.
        f.get(h0)
          .i32(inW * 4)
          .mul()
          .get(xPlane)
          .add()
          .set(r);
        if (kh <= UNROLL) {
          f.get(h1).get(h0).sub().i32(kh).eq().ifThen();
          unrolled();
          f.else();
          f.get(h1)
            .i32(inW * 4)
            .mul()
            .get(xPlane)
            .add()
            .set(rEnd);
          looped();
          f.end();
        } else {
          f.get(h1)
            .i32(inW * 4)
            .mul()
            .get(xPlane)
            .add()
            .set(rEnd);
          looped();
        }
        // The last vector ran past the row's end into the right margin: the neutral value again.
        f.get(sRow)
          .f32x4Const(neutral)
          .v128Store(scratch + (pw + inW) * 4);
      };
      /** One output vector at byte offset ob of the row (ob·s of the scratch row), `lanes` of it stored. */
      const outputVector = (lanes: number) => {
        if (sw === 1) {
          f.get(sRow).get(ob).add().tee(r).v128Load(scratch);
          for (let dx = 1; dx < kw; dx++) {
            f.get(r).v128Load(scratch + 4 * dx);
            reduce();
          }
        } else {
          f.get(sRow).get(ob).get(ob).add().add().tee(r);
          for (let dx = 0; dx < kw; dx++) {
            if (dx > 0) f.get(r);
            f.v128Load(scratch + 4 * dx)
              .get(r)
              .v128Load(scratch + 4 * dx + 16)
              .i8x16Shuffle(EVEN_LANES);
            if (dx > 0) reduce();
          }
        }
        if (!max) f.get(ob).v128Load(divisors).get(divisor).f32x4Mul().f32x4Div();
        f.set(acc);
        if (lanes === 4) f.get(oRow).get(ob).add().get(acc).v128Store(out);
        else
          for (let lane = 0; lane < lanes; lane++)
            f.get(oRow)
              .get(ob)
              .add()
              .get(acc)
              .v128Store32Lane(out + 4 * lane, lane);
      };
      /** Strides past 2: one output at a time from the scratch row. */
      const scalarRow = () =>
        f.forLoop(ox, 0, outW, 1, () => {
          f.get(ox)
            .i32(sw * 4)
            .mul()
            .get(sRow)
            .add()
            .tee(r)
            .f32Load(scratch);
          for (let dx = 1; dx < kw; dx++) {
            f.get(r).f32Load(scratch + 4 * dx);
            if (max) f.f32Max();
            else f.f32Add();
          }
          if (!max) f.get(ox).i32(4).mul().f32Load(divisors).get(divisor).f32x4ExtractLane(0).f32Mul().f32Div();
          f.set(scalar).get(ox).i32(4).mul().get(oRow).add().get(scalar).f32Store(out);
        });
      f.forLoop(
        p,
        () => f.get(0),
        { local: 1 },
        1,
        () => {
          f.get(p)
            .i32(inH * inW * 4)
            .mul()
            .set(xPlane);
          f.get(p)
            .i32(rowFloats * 4)
            .mul()
            .set(sRow);
          f.forLoop(oy, 0, outH, 1, () => {
            f.get(oy).i32(12).mul().tee(r).load32(table).set(h0);
            f.get(r)
              .load32(table + 4)
              .set(h1);
            if (!max)
              f.get(r)
                .load32(table + 8)
                .f32ConvertI32S()
                .f32x4Splat()
                .set(divisor);
            f.get(p)
              .i32(outH)
              .mul()
              .get(oy)
              .add()
              .i32(outW * 4)
              .mul()
              .set(oRow);
            vertical();
            if (sw > 2) scalarRow();
            else {
              const full = Math.floor(outW / 4);
              f.forLoop(ob, 0, full * 16, 16, () => outputVector(4));
              if (outW % 4) {
                f.i32(full * 16).set(ob);
                outputVector(outW % 4);
              }
            }
          });
        },
      );
      return f;
    },
  });
}
