// Pooling's native kernel (backend wasm): MAX and AVE with Caffe's windows — start o·s − p, clipped to
// the image; AVE divides by the window clipped to the padded extent [−p, in + p), as pooling.ts explains.
// The clipped bounds and divisor factors of every output row and column are tables the host writes once,
// so the generated loops test no bounds. One output element at a time (f32 scalar): pooling is a small
// share of a net's work, and the windows of neighbouring outputs overlap unevenly at the borders. run(from, to)
// pools planes [from, to): with threads, a big layer's planes are split between them (GoogLeNet's pooling
// was 15 % of a one-thread pass, docs/performance-notes.md#threads-by-default).
import type { NativeKernelOptions } from './native-kernel.js';
import type { NativeKernel } from './native-kernel.js';
import type { PoolingNativeSpec } from '../../ir/native-kernel-spec.js';
import { regionKernel } from './region-kernel.js';
import { F32, FunctionBody, I32 } from './wasm-binary.js';

const FLT_MAX = 3.4028234663852886e38;

/** Per output index along an axis: first and end input index inside the image, and the padded window's extent. */
function axisWindows(out: number, size: number, k: number, s: number, p: number): number[] {
  const t: number[] = [];
  for (let o = 0; o < out; o++) {
    const start = o * s - p;
    const padded = Math.min(start + k, size + p) - start;
    t.push(Math.max(start, 0), Math.min(start + k, size), padded);
  }
  return t;
}

/** Window reads below which a second thread costs more than it saves (a wake-up is some µs; 1 M reads ~1 ms). */
export const THREADED_MIN_READS = 1e6;

export function poolingNativeKernel(spec: PoolingNativeSpec, options: NativeKernelOptions = {}): NativeKernel {
  const { planes, inH, inW, outH, outW, max } = spec;
  const rows = axisWindows(outH, inH, spec.kernel[0], spec.stride[0], spec.pad[0]);
  const cols = axisWindows(outW, inW, spec.kernel[1], spec.stride[1], spec.pad[1]);
  const tables = new Float32Array(new Int32Array([...rows, ...cols]).buffer);
  const reads = planes * outH * outW * spec.kernel[0] * spec.kernel[1];
  return regionKernel({
    paramsFrom: 1,
    regions: [{ floats: planes * inH * inW }, { floats: tables.length, param: true, derive: () => tables }],
    outFloats: planes * outH * outW,
    size: planes * outH * outW,
    split: { units: planes, threads: reads >= THREADED_MIN_READS ? (options.threads ?? 1) : 1, pool: options.pool },
    body: ({ regions: [x, table], out }) => {
      // run(from, to): planes [from, to).
      const f = new FunctionBody(2);
      const [p, oy, ox, h, w, h0, h1, w0, w1, hn, xPlane, xRow, o, rowT, colT] = Array.from({ length: 15 }, () => f.local(I32));
      const acc = f.local(F32);
      f.get(0)
        .i32(outH * outW * 4)
        .mul()
        .i32(out)
        .add()
        .set(o);
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
          f.forLoop(oy, 0, outH, 1, () => {
            f.get(oy).i32(12).mul().i32(table).add().set(rowT);
            f.get(rowT).load32(0).set(h0);
            f.get(rowT).load32(4).set(h1);
            f.get(rowT).load32(8).set(hn);
            f.forLoop(ox, 0, outW, 1, () => {
              f.get(ox)
                .i32(12)
                .mul()
                .i32(table + rows.length * 4)
                .add()
                .set(colT);
              f.get(colT).load32(0).set(w0);
              f.get(colT).load32(4).set(w1);
              f.f32Const(max ? -FLT_MAX : 0).set(acc);
              f.forLoop(
                h,
                () => f.get(h0),
                { local: h1 },
                1,
                () => {
                  f.get(h)
                    .i32(inW * 4)
                    .mul()
                    .get(xPlane)
                    .add()
                    .set(xRow);
                  f.forLoop(
                    w,
                    () => f.get(w0),
                    { local: w1 },
                    1,
                    () => {
                      f.get(acc).get(xRow).get(w).i32(4).mul().add().f32Load(0);
                      if (max) f.f32Max();
                      else f.f32Add();
                      f.set(acc);
                    },
                  );
                },
              );
              f.get(o).get(acc);
              if (!max) f.get(hn).get(colT).load32(8).mul().f32ConvertI32S().f32Div();
              f.f32Store(0);
              f.increment(o, 4);
            });
          });
        },
      );
      return f;
    },
  });
}
