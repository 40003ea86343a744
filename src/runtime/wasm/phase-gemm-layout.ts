// The geometry and memory layout of the native Deconvolution kernel (phase-gemm-module.ts), shared by the code
// generator and the host side that fills the memory (phase-gemm-kernel.ts).
//
// The layer is computed one stride phase at a time: output o (+ pad p) = q·s + r receives tap k exactly
// when k·d ≡ r (mod s), from input q − (k·d − r)/s. So for a phase (ry, rx) every output pixel q reads the
// same taps at the same offsets, and the phase is a GEMM with an implicit im2col: out[co, q] = Σ over the
// input channels and the phase's taps of W'[co, ci, tap] · x[ci, q − offset(tap)]. A depthwise layer
// (channel-diagonal weights) is the same GEMM with one input and one output channel per group.
//
// The input is copied into a zero-bordered grid, so a tap that falls outside the input reads a zero and the
// inner loop tests no bounds. A register block computes CO output channels × 4·PXV consecutive phase pixels
// of one output row; its pixels lie s apart in the output, each stored with a lane store (stride 1: a vector
// store per 4). A row's last block may run past the row: its extra lanes read the grid beyond the row (never
// outside the memory) and are not stored — that block stores lane by lane, only the row's — so the kernel
// writes the result's bytes and no others, straight into the result (wherever it lies: `at.target` holds its
// address).
//
// With threads the window's rows are split into parts (CHUNKS_PER_THREAD per thread, claimed in turn by
// the threads), each writing its rows of the result.
import type { DeconvolutionNativeSpec } from '../../ir/native-kernel-spec.js';

/** The taps of one phase along one axis: kernel index and how many grid rows (columns) back it reads. */
export interface AxisTap {
  k: number;
  back: number;
}

/** Taps of residue r (0 ≤ r < s) along an axis: k·d ≡ r (mod s), reading input q − (k·d − r)/s. */
export function phaseTaps(k: number, s: number, d: number, r: number): AxisTap[] {
  const taps: AxisTap[] = [];
  for (let t = 0; t < k; t++) if ((t * d) % s === r) taps.push({ k: t, back: (t * d - r) / s });
  return taps;
}

export interface DeconvolutionLayout {
  spec: DeconvolutionNativeSpec;
  /** Groups as the kernel sees them (C for channel-diagonal weights), and channels per group. */
  groups: number;
  cinG: number;
  coutG: number;
  /** Register block: output channels × f32x4 vectors of pixels; blocks of channels per group. */
  co: number;
  pxv: number;
  coBlocks: number;
  /** The zero-bordered input grid: rows, columns (the row pitch), border before row 0 and column 0. */
  gridRows: number;
  gridCols: number;
  padTop: number;
  padLeft: number;
  /**
   * The caller's input: its size and where its first row and column lie in the spec's input (the spec's
   * input may be larger, with zeros around it: a convolution's pad beyond its kernel's reach, see
   * convolution/native.ts).
   */
  source: { h: number; w: number; top: number; left: number };
  /** Output floats per channel plane: the window's rows × columns. */
  outPlane: number;
  /** Threads the parts are for. */
  threads: number;
  /** Row ranges of the window computed by one call of run() each. */
  parts: { oyStart: number; oyEnd: number }[];
  /** Per column phase rx: first phase column q0, columns in the window, the window column of q0. */
  columns: { q0: number; count: number; outCol: number }[];
  /** Per phase ry·s + rx: its taps (row tap × column tap). */
  phases: { taps: [AxisTap, AxisTap][] }[];
  /** Byte offsets in the memory: the kernel's own regions (tables, weights, bias), then from `scratch` on its scratch. */
  at: {
    columns: number;
    phases: number;
    tapOffsets: number;
    weights: number;
    bias: number;
    /** An i32: the byte address run() writes the result at (the result region, or the caller's place). */
    target: number;
    /**
     * An i32: the byte address of the grid run() reads — the grid region, or for a borderless grid (see
     * `borderless`) the caller's input where it lies.
     */
    source: number;
    scratch: number;
    staging: number;
    input: number;
    result: number;
    end: number;
  };
  /** Per phase: byte offset of its tap table and of its weights (the phase's taps × blocks). */
  phaseTapTable: number[];
  phaseWeights: number[];
  pages: number;
}

/** Accumulators per block: x86-64 has 16 vector registers (measured: 12 accumulators spill, FCN-32s 4× slower). */
const MAX_ACCUMULATORS = 8;

/**
 * CO × PXV minimising the instructions over the whole layer: per block and term, PXV input loads, CO weight
 * broadcasts and 2·CO·PXV multiply-adds, over ⌈coutG/CO⌉ channel blocks and ⌈widest row/(4·PXV)⌉ blocks per
 * phase row (a short phase row, FCN-32s's 17 pixels, favours a block as wide as the row).
 */
function chooseBlock(coutG: number, widest: number, strideOne: boolean): { co: number; pxv: number } {
  let best = { co: 1, pxv: 1, cost: Infinity };
  // Stride 1 (every Convolution): not one output channel per block, nor one vector of pixels where the row has
  // more. The count above rates them close to 4×2, but measured they are much slower: MobileNet-SSD's 1×1
  // 512→512 on 19-pixel rows took 7.1 ms as 1×5 (and as 4×1), 5.0 ms as 4×2 (each x load then serves four
  // channels, each weight two vectors).
  const minCo = strideOne ? Math.min(2, coutG) : 1;
  const minPxv = strideOne && widest > 4 ? 2 : 1;
  for (let co = minCo; co <= Math.min(4, coutG); co++) {
    for (let pxv = minPxv; co * pxv <= MAX_ACCUMULATORS && pxv <= 8; pxv++) {
      const cost = Math.ceil(coutG / co) * Math.ceil(widest / (4 * pxv)) * (pxv + co + 2 * co * pxv);
      if (cost <= best.cost) best = { co, pxv, cost };
    }
  }
  return { co: best.co, pxv: best.pxv };
}

const align16 = (n: number) => Math.ceil(n / 16) * 16;

/** Parts per thread: small enough that a thread slowed by other work hands rows to the other, few enough that each call stays long. */
const CHUNKS_PER_THREAD = 4;

/** `inset`: zero rows (columns) of the spec's input before and after the caller's input. */
export function deconvolutionLayout(spec: DeconvolutionNativeSpec, threads = 1, inset: [number, number] = [0, 0]): DeconvolutionLayout {
  const diagonal = spec.weights === 'channel-diagonal';
  const groups = diagonal ? spec.cout : spec.group;
  const cinG = diagonal ? 1 : spec.cin / spec.group;
  const coutG = diagonal ? 1 : spec.cout / spec.group;
  const [kh, kw] = spec.kernel;
  const [sy, sx] = spec.stride;
  const [py, px] = spec.pad;
  const [dy, dx] = spec.dilation;
  const win = spec.window;
  const source = { h: spec.inH - 2 * inset[0], w: spec.inW - 2 * inset[1], top: inset[0], left: inset[1] };

  const rowTaps = Array.from({ length: sy }, (_, r) => phaseTaps(kh, sy, dy, r));
  const colTaps = Array.from({ length: sx }, (_, r) => phaseTaps(kw, sx, dx, r));
  const phases = rowTaps.flatMap((rt) => colTaps.map((ct) => ({ taps: rt.flatMap((a) => ct.map((b) => [a, b] as [AxisTap, AxisTap])) })));

  const columns = colTaps.map((_, rx) => {
    const q0 = Math.max(0, Math.ceil((win.x0 + px - rx) / sx));
    const q1 = Math.floor((win.x0 + win.w - 1 + px - rx) / sx) + 1;
    return { q0, count: Math.max(0, q1 - q0), outCol: q0 * sx + rx - px - win.x0 };
  });
  const widest = Math.max(1, ...columns.map((c) => c.count));
  const { co, pxv } = chooseBlock(coutG, widest, sy === 1 && sx === 1);
  const coBlocks = Math.ceil(coutG / co);

  const padTop = Math.max(0, ...rowTaps.flat().map((t) => t.back));
  const padLeft = Math.max(0, ...colTaps.flat().map((t) => t.back));
  const lastQy = Math.floor((win.y0 + win.h - 1 + py) / sy);
  const lastQx = Math.max(...columns.map((c) => c.q0 + c.count - 1), 0);
  const gridRows = padTop + Math.max(lastQy, spec.inH - 1) + 1;
  const gridCols = padLeft + Math.max(lastQx, spec.inW - 1) + 1;
  const lanes = 4 * pxv;
  const partCount = threads > 1 ? Math.max(1, Math.min(threads * CHUNKS_PER_THREAD, win.h)) : 1;
  const partRows = Math.ceil(win.h / partCount);
  const outPlane = win.h * win.w;

  const tapCount = phases.reduce((n, p) => n + p.taps.length, 0);
  const weightsPerTap = groups * coBlocks * cinG * co;
  const phaseTapTable: number[] = [];
  const phaseWeights: number[] = [];
  let tapAt = 0;
  let weightAt = 0;
  for (const p of phases) {
    phaseTapTable.push(tapAt * 4);
    phaseWeights.push(weightAt * 4);
    tapAt += p.taps.length;
    weightAt += p.taps.length * weightsPerTap;
  }

  const at = {
    columns: 0,
    phases: 0,
    tapOffsets: 0,
    weights: 0,
    bias: 0,
    target: 0,
    source: 0,
    scratch: 0,
    staging: 0,
    input: 0,
    result: 0,
    end: 0,
  };
  let offset = 0;
  const take = (bytes: number) => {
    const start = offset;
    offset = align16(offset + bytes);
    return start;
  };
  at.columns = take(columns.length * 12);
  at.phases = take(phases.length * 12);
  at.tapOffsets = take(tapCount * 4);
  at.weights = take(weightAt * 4);
  at.bias = take(groups * coBlocks * co * 4);
  at.target = take(4);
  at.source = take(4);
  // The scratch: the grid, with slack for a last block's reads past the last row (a row of lanes and one grid
  // row), then the staging region. The staging region holds the caller's input as given (one memcpy in)
  // before the kernel spreads its rows into the grid, and later the result (run() writes it after spread()
  // has read the input) — unless the executor's activations lie in the same memory, where spread() reads
  // the input and run() writes the result in place and the staging bytes are never touched. Last, so that in
  // the scratch shared by every kernel of an executor (kernel-arena.ts) the bytes all kernels do touch start
  // together: a big layer's staging region is not another's grid.
  at.scratch = offset;
  at.input = take((spec.outer * spec.cin * gridRows * gridCols + lanes + gridCols) * 4);
  const parts = Array.from({ length: partCount }, (_, k) => ({
    oyStart: k * partRows,
    oyEnd: Math.min(win.h, (k + 1) * partRows),
  })).filter((p) => p.oyEnd > p.oyStart);
  const resultBytes = spec.outer * spec.cout * win.h * win.w * 4;
  at.staging = take(Math.max(spec.outer * spec.cin * source.h * source.w * 4, resultBytes));
  at.result = at.staging;
  at.end = offset;
  for (let i = 0; i < phases.length; i++) {
    phaseTapTable[i] += at.tapOffsets;
    phaseWeights[i] += at.weights;
  }
  if (at.end > 2 ** 31) throw new Error(`internal: native Deconvolution needs ${at.end} bytes of memory`);
  return {
    spec,
    groups,
    cinG,
    coutG,
    co,
    pxv,
    coBlocks,
    threads,
    gridRows,
    gridCols,
    padTop,
    padLeft,
    source,
    outPlane,
    parts,
    columns,
    phases,
    at,
    phaseTapTable,
    phaseWeights,
    pages: Math.max(1, Math.ceil(at.end / 65536)),
  };
}

/**
 * Whether the grid is the input itself: no border, no inset (a 1×1 convolution without padding; a strided
 * one's space-to-depth planes), so run() can read the caller's input where it lies, with no spread().
 */
export function borderless(l: DeconvolutionLayout): boolean {
  const { padTop, padLeft, gridRows, gridCols, source } = l;
  return padTop === 0 && padLeft === 0 && source.top === 0 && source.left === 0 && gridRows === source.h && gridCols === source.w;
}

/** Most stride phases the kernel lays out (stride 64 × 64). */
const MAX_PHASES = 4096;

/** Whether the native kernel covers this layer (it needs exact integer geometry and fits in 2 GiB). */
export function nativeDeconvolutionCovers(spec: DeconvolutionNativeSpec): boolean {
  if (spec.cin % spec.group !== 0 || spec.cout % spec.group !== 0) return false;
  if (spec.weights === 'channel-diagonal' && (spec.group !== 1 || spec.cin !== spec.cout)) return false;
  // One phase per stride residue pair: FCN's stride 32 makes 1,024, each a GEMM over its taps. A stride of
  // thousands makes millions of one-tap phases, whose tables alone take seconds and gigabytes to lay out;
  // the gather kernel, one tap per output there, is the right tool.
  if (spec.stride[0] * spec.stride[1] > MAX_PHASES) return false;
  try {
    deconvolutionLayout(spec);
    return true;
  } catch {
    return false;
  }
}

/** Bytes of the layout's own regions (tables, weights, bias: kept between calls) and of its scratch (staging and result, grid, output planes). */
export function layoutFootprint(l: DeconvolutionLayout): { own: number; scratch: number } {
  return { own: l.at.scratch, scratch: l.at.end - l.at.scratch };
}

/**
 * The layout moved into a larger memory (kernel-arena.ts): its own regions from byte `own` on, its scratch
 * regions from byte `scratch` on, in a memory of `pages` pages. Every address the module and the host use
 * comes from `at`, `parts`, `phaseTapTable` and `phaseWeights`, so only those move.
 */
export function relocateLayout(l: DeconvolutionLayout, own: number, scratch: number, pages: number): DeconvolutionLayout {
  const ownShift = own;
  const scratchShift = scratch - l.at.scratch;
  const at = { ...l.at };
  for (const key of ['columns', 'phases', 'tapOffsets', 'weights', 'bias', 'target', 'source'] as const) at[key] += ownShift;
  for (const key of ['scratch', 'staging', 'input', 'result', 'end'] as const) at[key] += scratchShift;
  return {
    ...l,
    at,
    phaseTapTable: l.phaseTapTable.map((a) => a + ownShift),
    phaseWeights: l.phaseWeights.map((a) => a + ownShift),
    pages,
  };
}
