// The native Deconvolution kernel's code: `spread(source)` puts the input into the grid, `run(oyStart,
// oyEnd)` computes those rows of the window into the result at the address in `at.target` (one call per
// part; phase-gemm-layout.ts explains phases, grid and blocks). Every size, stride and address is a constant
// of the module but the input's and the result's; the per-phase tables (columns, taps, weight offsets) are
// read from memory.
import { encodeModule, FunctionBody, I32, V128 } from './wasm-binary.js';
import type { DeconvolutionLayout } from './phase-gemm-layout.js';

/** `relaxed`: multiply-adds as f32x4.relaxed_madd (fused where the CPU has FMA) instead of mul + add. */
export function deconvolutionModule(l: DeconvolutionLayout, shared: boolean, relaxed = false): Uint8Array<ArrayBuffer> {
  const { spec, groups, cinG, coutG, co, pxv, coBlocks, gridRows, gridCols, padTop, padLeft, outPlane, at } = l;
  const [sy, sx] = spec.stride;
  const lanes = 4 * pxv;
  const gridPlane = gridRows * gridCols;
  const f = new FunctionBody(2);
  const [oyStart, oyEnd] = [0, 1];
  const [n, g, cob, oy, qy, ry, rx, j, tap, ci, taps, count] = Array.from({ length: 12 }, () => f.local(I32));
  const [xChannel, xRow, outChannel, outRow, column, phase, tapTable, weightsBlock, xp, wp, op] = Array.from({ length: 11 }, () =>
    f.local(I32),
  );
  const [outBase, gridBase] = [f.local(I32), f.local(I32)];
  const acc = Array.from({ length: co }, () => Array.from({ length: pxv }, () => f.local(V128)));
  const xv = Array.from({ length: pxv }, () => f.local(V128));
  const wv = f.local(V128);

  /** Accumulators ← bias of the block's channels (or zero). */
  const initAccumulators = () => {
    for (let c = 0; c < co; c++) {
      for (let k = 0; k < pxv; k++) {
        if (spec.bias) {
          f.get(g)
            .i32(coBlocks * co * 4)
            .mul()
            .get(cob)
            .i32(co * 4)
            .mul()
            .add()
            .v128Load32Splat(at.bias + c * 4);
        } else {
          f.v128Zero();
        }
        f.set(acc[c][k]);
      }
    }
  };

  /**
   * One input channel: x vectors, times each output channel's weight, into the accumulators. One per loop
   * step: unrolled over 4 channels, TurboFan hoisted every load of the body ahead of the multiply-adds and
   * spilled the accumulators (GoogLeNet's conv2 3×3: 23 → 32 GFLOP/s without the unroll, conv1 7×7/2 13 → 29).
   */
  const multiplyAdd = () => {
    for (let k = 0; k < pxv; k++)
      f.get(xp)
        .v128Load(k * 16)
        .set(xv[k]);
    for (let c = 0; c < co; c++) {
      f.get(wp)
        .v128Load32Splat(c * 4)
        .set(wv);
      for (let k = 0; k < pxv; k++) {
        if (relaxed) f.get(wv).get(xv[k]).get(acc[c][k]).f32x4RelaxedMadd().set(acc[c][k]);
        else f.get(acc[c][k]).get(wv).get(xv[k]).f32x4Mul().f32x4Add().set(acc[c][k]);
      }
    }
  };

  /** A fused ReLU: max(v, slope·v), which is v > 0 ? v : slope·v for 0 ≤ slope ≤ 1. */
  const rectify = () => {
    const slope = spec.relu;
    if (slope === undefined) return;
    for (const v of acc.flat()) {
      f.get(v);
      if (slope === 0) f.v128Zero();
      else f.get(v).f32x4Const(slope).f32x4Mul();
      f.f32x4Max().set(v);
    }
  };

  /** The block's outputs: a whole block as vectors (stride 1) or lanes; a row's last, shorter one lane by lane, only the row's. */
  const storeLanes = () => {
    rectify();
    const channels = (store: (c: number) => void) => {
      for (let c = 0; c < co; c++) {
        const partial = c > 0 && coutG % co !== 0;
        if (partial) f.get(cob).i32(co).mul().i32(c).add().i32(coutG).ltS().ifThen();
        store(c);
        if (partial) f.end();
      }
    };
    const lane = (c: number, i: number) =>
      f
        .get(op)
        .get(acc[c][i >> 2])
        .v128Store32Lane((c * outPlane + i * sx) * 4, i & 3);
    f.get(j).i32(lanes).add().get(count).leS().ifThen();
    channels((c) => {
      // Stride 1 (every Convolution): the block's pixels are consecutive, a vector store each.
      if (sx === 1)
        for (let k = 0; k < pxv; k++)
          f.get(op)
            .get(acc[c][k])
            .v128Store((c * outPlane + 4 * k) * 4);
      else for (let i = 0; i < lanes; i++) lane(c, i);
    });
    f.else();
    channels((c) => {
      for (let i = 0; i < lanes; i++) {
        f.get(j).i32(i).add().get(count).ltS().ifThen();
        lane(c, i);
        f.end();
      }
    });
    f.end();
  };

  const block = () => {
    initAccumulators();
    f.get(weightsBlock).set(wp);
    f.forLoop(tap, 0, { local: taps }, 1, () => {
      // xp = the block's first pixel, moved back by the tap's offset.
      f.get(xRow).get(column).i32(0).add().load32(0).get(j).add().i32(4).mul().add();
      f.get(tapTable).get(tap).i32(4).mul().add().load32(0).add().set(xp);
      if (cinG === 1) {
        multiplyAdd();
        f.increment(wp, co * 4);
      } else {
        f.forLoop(ci, 0, cinG, 1, () => {
          multiplyAdd();
          f.increment(xp, gridPlane * 4);
          f.increment(wp, co * 4);
        });
      }
    });
    // op = output row + (column's first window column + j·s)·4
    f.get(outRow).get(column).load32(8).get(j).i32(sx).mul().add().i32(4).mul().add().set(op);
    storeLanes();
  };

  f.i32(at.target).load32(0).set(outBase);
  f.i32(at.source).load32(0).set(gridBase);
  f.forLoop(n, 0, spec.outer, 1, () => {
    f.forLoop(g, 0, groups, 1, () => {
      f.forLoop(cob, 0, coBlocks, 1, () => {
        // Grid of the group's first input channel at (q, q) = (0, 0); output plane of the block's first channel.
        f.get(n)
          .i32(spec.cin)
          .mul()
          .get(g)
          .i32(cinG)
          .mul()
          .add()
          .i32(gridPlane * 4)
          .mul()
          .get(gridBase)
          .add()
          .i32((padTop * gridCols + padLeft) * 4)
          .add()
          .set(xChannel);
        f.get(n)
          .i32(spec.cout)
          .mul()
          .get(g)
          .i32(coutG)
          .mul()
          .add()
          .get(cob)
          .i32(co)
          .mul()
          .add()
          .i32(outPlane * 4)
          .mul()
          .get(outBase)
          .add()
          .set(outChannel);
        f.forLoop(
          oy,
          () => f.get(oyStart),
          { local: oyEnd },
          1,
          () => {
            f.get(oy)
              .i32(spec.window.y0 + spec.pad[0])
              .add()
              .i32(sy)
              .divU()
              .set(qy);
            f.get(oy)
              .i32(spec.window.y0 + spec.pad[0])
              .add()
              .get(qy)
              .i32(sy)
              .mul()
              .sub()
              .set(ry);
            f.get(xChannel)
              .get(qy)
              .i32(gridCols * 4)
              .mul()
              .add()
              .set(xRow);
            f.get(outChannel)
              .get(oy)
              .i32(spec.window.w * 4)
              .mul()
              .add()
              .set(outRow);
            f.forLoop(rx, 0, sx, 1, () => {
              f.get(rx).i32(12).mul().i32(at.columns).add().set(column);
              f.get(ry).i32(sx).mul().get(rx).add().i32(12).mul().i32(at.phases).add().set(phase);
              f.get(phase).load32(0).set(taps);
              f.get(phase).load32(4).set(tapTable);
              // The block's weights: the phase's, past (g·blocks + cob) blocks of taps × cinG × co floats.
              f.get(g)
                .i32(coBlocks)
                .mul()
                .get(cob)
                .add()
                .get(taps)
                .mul()
                .i32(cinG * co * 4)
                .mul()
                .get(phase)
                .load32(8)
                .add()
                .set(weightsBlock);
              f.get(column).load32(4).set(count);
              f.forLoop(j, 0, { local: count }, lanes, block);
            });
          },
        );
      });
    });
  });
  return encodeModule(
    [
      { name: 'run', body: f },
      { name: 'spread', body: spreadInput(l) },
    ],
    { pages: l.pages, shared },
  );
}

/**
 * `spread(source)`: the input's rows (at byte address `source`: the staging region, or the value itself where
 * it lies in this memory) into the grid's interior, and zeros everywhere else in the grid and its slack. Writing the border on every call (a few bytes per row; nothing where the grid has none, as for a 1×1
 * convolution) lets the grid live in scratch memory other kernels write between calls.
 */
function spreadInput(l: DeconvolutionLayout): FunctionBody {
  const { spec, gridRows, gridCols, padTop, padLeft, source, at, pxv } = l;
  const f = new FunctionBody(1);
  const source0 = 0;
  const [plane, row, base] = [f.local(I32), f.local(I32), f.local(I32)];
  const planeBytes = gridRows * gridCols * 4;
  const planes = spec.outer * spec.cin;
  // Per plane: zeros up to the first interior element; each row's interior then zeros up to the next row's
  // (the right border of one row and the left of the next); after the last row, zeros to the plane's end.
  const lead = ((padTop + source.top) * gridCols + padLeft + source.left) * 4;
  const gap = (gridCols - source.w) * 4;
  const tail = planeBytes - lead - Math.max(0, source.h - 1) * gridCols * 4 - source.w * 4;
  const fill = (at: () => void, bytes: number) => {
    if (bytes <= 0) return;
    at();
    f.i32(0).i32(bytes).memoryFill();
  };
  f.forLoop(plane, 0, planes, 1, () => {
    f.get(plane).i32(planeBytes).mul().i32(at.input).add().set(base);
    if (source.h === 0 || source.w === 0) {
      fill(() => f.get(base), planeBytes);
      return;
    }
    fill(() => f.get(base), lead);
    f.forLoop(row, 0, source.h, 1, () => {
      // Destination: base + lead + row · gridCols · 4; source: the staged plane's row.
      f.get(base)
        .i32(lead)
        .add()
        .get(row)
        .i32(gridCols * 4)
        .mul()
        .add();
      f.get(plane)
        .i32(source.h)
        .mul()
        .get(row)
        .add()
        .i32(source.w * 4)
        .mul()
        .get(source0)
        .add();
      f.i32(source.w * 4).memoryCopy();
    });
    if (gap > 0 && source.h > 1) {
      f.forLoop(row, 0, source.h - 1, 1, () => {
        f.get(base)
          .i32(lead + source.w * 4)
          .add()
          .get(row)
          .i32(gridCols * 4)
          .mul()
          .add()
          .i32(0)
          .i32(gap)
          .memoryFill();
      });
    }
    fill(
      () =>
        f
          .get(base)
          .i32(planeBytes - tail)
          .add(),
      tail,
    );
  });
  // The slack after the grid, which a last block's extra lanes read (phase-gemm-layout.ts).
  f.i32(at.input + planes * planeBytes)
    .i32(0)
    .i32((4 * pxv + gridCols) * 4)
    .memoryFill();
  return f;
}
