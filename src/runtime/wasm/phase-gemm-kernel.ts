// The host side of the native phase-GEMM kernel (Deconvolution's, and Convolution's as a stride-1
// Deconvolution): compiles the generated module, writes its tables once, re-lays the weights into its
// memory once per bound weights, and per call has the module spread the input into the zero-bordered grid
// (or read it as the grid, borderless) and write the window straight into the result. An input or result
// in the kernel's memory (the executor's activations) is read or written where it lies; any other is copied
// in, or out of the result region. With threads, a big layer's rows are split between this thread and worker threads (the
// executor's pool, kernel-worker.ts) running the same module on a shared memory. In an executor the memory is
// its arena (kernel-arena.ts): the kernel's tables and weights in a region of their own, the scratch shared.
import { KernelPool, type PooledKernel } from './kernel-worker.js';
import { relaxedSimdSupported } from './simd-support.js';
import type { NativeKernel, NativeKernelOptions } from './native-kernel.js';
import type { DeconvolutionNativeSpec } from '../../ir/native-kernel-spec.js';
import { deconvolutionModule } from './phase-gemm-module.js';
import { borderless, deconvolutionLayout, layoutFootprint, relocateLayout, type DeconvolutionLayout } from './phase-gemm-layout.js';

function writeTables(l: DeconvolutionLayout, i32: Int32Array): void {
  l.columns.forEach((c, rx) => i32.set([c.q0, c.count, c.outCol], l.at.columns / 4 + rx * 3));
  l.phases.forEach((p, i) => {
    i32.set([p.taps.length, l.phaseTapTable[i], l.phaseWeights[i]], l.at.phases / 4 + i * 3);
    p.taps.forEach(([ty, tx], t) => {
      i32[l.phaseTapTable[i] / 4 + t] = -(ty.back * l.gridCols + tx.back) * 4;
    });
  });
}

/**
 * Where the caller's weights hold the tap (wy, wx) from input channel `ci` to output channel `m` of that
 * channel's group (a Deconvolution's weights are (C_in, C_out/g, kh, kw), a Convolution's (C_out, C_in/g, kh, kw)).
 */
export type WeightIndex = (ci: number, m: number, wy: number, wx: number) => number;

/** Weights → per phase, group, channel block, tap, input channel: `co` output channels. */
function writeWeights(
  l: DeconvolutionLayout,
  weightIndex: WeightIndex,
  f32: Float32Array,
  w: Float32Array,
  b: Float32Array | undefined,
): void {
  const { spec, groups, cinG, coutG, co, coBlocks } = l;
  const [kh, kw] = spec.kernel;
  const diagonal = spec.weights === 'channel-diagonal';
  l.phases.forEach((p, i) => {
    let at = l.phaseWeights[i] / 4;
    for (let g = 0; g < groups; g++) {
      for (let cob = 0; cob < coBlocks; cob++) {
        for (const [ty, tx] of p.taps) {
          const wy = spec.flip ? kh - 1 - ty.k : ty.k;
          const wx = spec.flip ? kw - 1 - tx.k : tx.k;
          for (let ciL = 0; ciL < cinG; ciL++) {
            for (let c = 0; c < co; c++) {
              const coL = cob * co + c;
              let value = 0;
              if (coL < coutG) {
                const [ci, m] = diagonal ? [g, g] : [g * cinG + ciL, coL];
                value = w[weightIndex(ci, m, wy, wx)];
              }
              f32[at++] = value;
            }
          }
        }
      }
    }
  });
  for (let g = 0; g < groups; g++) {
    for (let coL = 0; coL < coBlocks * co; coL++) {
      f32[l.at.bias / 4 + g * coBlocks * co + coL] = b && coL < coutG ? b[g * coutG + coL] : 0;
    }
  }
}

/** Multiply-adds below which a second thread costs more (its wake-up, the parts ending apart) than it saves. */
export const THREADED_MIN_MACS = 4e6;

/** Threads for this layer: up to `threads`, only for a big enough one. */
function threadsFor(spec: DeconvolutionNativeSpec, threads: number, minMacs: number): number {
  const cinPerOutput = spec.weights === 'channel-diagonal' ? 1 : spec.cin / spec.group;
  const tapsPerOutput = Math.ceil(spec.kernel[0] / spec.stride[0]) * Math.ceil(spec.kernel[1] / spec.stride[1]);
  const macs = spec.outer * spec.cout * spec.window.h * spec.window.w * cinPerOutput * tapsPerOutput;
  return macs >= minMacs ? threads : 1;
}

/** Threads and `threadedMinMacs` (tests: the size from which a layer uses its threads). */
export type PhaseGemmOptions = NativeKernelOptions & { threadedMinMacs?: number };

/**
 * The kernel for `spec` over the caller's input `inset` rows and columns inside the spec's input (see
 * deconvolutionLayout), reading weights through `weightIndex`.
 */
export function phaseGemmKernel(
  spec: DeconvolutionNativeSpec,
  inset: [number, number],
  weightIndex: WeightIndex,
  options: PhaseGemmOptions,
): NativeKernel {
  const planned = deconvolutionLayout(spec, threadsFor(spec, options.threads ?? 1, options.threadedMinMacs ?? THREADED_MIN_MACS), inset);
  const footprint = layoutFootprint(planned);
  // In the executor's arena (kernel-arena.ts) where it has room: its own regions there, the scratch shared.
  const slot = options.arena?.reserve(footprint.own, footprint.scratch);
  const split = planned.parts.length > 1;
  const flat = borderless(planned);
  const size = spec.outer * spec.cout * spec.window.h * spec.window.w;
  let boundWeights: Float32Array | undefined;
  let boundBias: Float32Array | undefined;
  let workersReady = false;
  let ownPool: KernelPool | undefined;
  let pooled: PooledKernel | undefined;

  // The memory, module and instance are made on the first call: an arena's memory exists only once every
  // kernel of the pass has reserved its part.
  let made:
    { l: DeconvolutionLayout; memory: WebAssembly.Memory; f32: Float32Array; i32: Int32Array; exports: PhaseGemmExports } | undefined;
  const make = () => {
    const place = slot?.place();
    const l = place ? relocateLayout(planned, place.own, place.scratch, place.pages) : planned;
    const shared = place ? place.shared : split;
    const memory = place?.memory ?? new WebAssembly.Memory({ initial: l.pages, maximum: l.pages, shared });
    const module = new WebAssembly.Module(deconvolutionModule(l, shared, options.relaxedSimd ?? relaxedSimdSupported()));
    const exports = new WebAssembly.Instance(module, { env: { memory } }).exports as unknown as PhaseGemmExports;
    if (split && shared) {
      // Row chunks claimed in turn by this thread and the pool's workers (see kernel-worker.ts); without the
      // executor's pool (a kernel made on its own), a pool of its own.
      const items = l.parts.map((p) => [p.oyStart, p.oyEnd]);
      ownPool = options.pool ? undefined : new KernelPool(l.threads);
      pooled = (options.pool ?? ownPool)!.register(module, memory, 'run', items);
    }
    writeTables(l, new Int32Array(memory.buffer));
    return { l, memory, f32: new Float32Array(memory.buffer), i32: new Int32Array(memory.buffer), exports };
  };

  const bind = ([, weights, bias]: readonly Float32Array[]) => {
    made ??= make();
    if (weights === boundWeights && bias === boundBias) return;
    writeWeights(made.l, weightIndex, made.f32, weights, spec.bias ? bias : undefined);
    boundWeights = weights;
    boundBias = bias;
  };

  return {
    bind,
    async run(args, into) {
      const x = args[0];
      bind(args);
      const { l, f32, i32, exports } = made!;
      // Workers start only while the main thread yields, in a page and in Node alike (see PooledKernel.whenReady):
      // a kernel's first call waits for them, or a net's passes run back to back without them.
      if (!workersReady && pooled) await pooled.whenReady();
      workersReady = true;
      // spread() writes the whole grid, border included: nothing to re-zero when another kernel used the
      // shared scratch since. Taking it still tells the others that this kernel wrote there.
      slot?.scratchTaken();
      // A value in this memory (the executor's activations in its arena) is read where it lies; any other
      // is copied in first.
      const inPlace = x.buffer === f32.buffer;
      if (inPlace && flat) {
        // The grid is the input itself: read where it lies.
        i32[l.at.source / 4] = x.byteOffset;
      } else {
        if (!inPlace) f32.set(x, l.at.staging / 4);
        exports.spread(inPlace ? x.byteOffset : l.at.staging);
        i32[l.at.source / 4] = l.at.input;
      }
      // The result straight where it goes: the caller's place in this memory, else the result region.
      const direct = into !== undefined && into.buffer === f32.buffer;
      i32[l.at.target / 4] = direct ? into.byteOffset : l.at.result;
      if (pooled) pooled.run(exports.run);
      else for (const p of l.parts) exports.run(p.oyStart, p.oyEnd);
      if (direct) return into;
      const result = f32.subarray(l.at.result / 4, l.at.result / 4 + size);
      if (!into) return result.slice();
      into.set(result);
      return into;
    },
    destroy() {
      pooled?.release();
      ownPool?.terminate();
    },
  };
}

interface PhaseGemmExports {
  run: (oyStart: number, oyEnd: number) => void;
  spread: (source: number) => void;
}

/** A Deconvolution's native kernel: weights (C_in, C_out/g, kh, kw). */
export function deconvolutionNativeKernel(spec: DeconvolutionNativeSpec, options: PhaseGemmOptions = {}): NativeKernel {
  const [kh, kw] = spec.kernel;
  const coutG = spec.cout / spec.group;
  return phaseGemmKernel(spec, [0, 0], (ci, m, wy, wx) => ((ci * coutG + m) * kh + wy) * kw + wx, options);
}
