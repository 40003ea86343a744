// The host side of brewnet's single-pass native kernels (pooling, inner product, element-wise): a module
// whose one function `run()` reads its arguments from fixed regions of its memory and writes the result to
// another, every address a constant of the generated code. Per call the values are copied in (parameter
// blobs, or what the kernel derives from them, only when the bound arrays change) and the result out.
// Every region is followed by 16 bytes of slack, so a kernel's last f32x4 may run past its end.
// A kernel whose work is independent units (Pooling's planes) may be `split`: run(from, to) computes units
// [from, to), and with threads the executor's pool (kernel-worker.ts) claims chunks of them on a shared memory.
import { CAN_BLOCK } from '#platform';
import { KernelPool, type PooledKernel } from './kernel-worker.js';
import type { NativeKernel } from './native-kernel.js';
import { encodeModule, type FunctionBody } from './wasm-binary.js';
import type { KernelArena } from './kernel-arena.js';

export interface RegionArg {
  /** Floats the region holds. */
  floats: number;
  /**
   * A parameter blob (or a coefficient table derived from some), written only when the arrays change;
   * `derive` maps the call's arguments to what the region holds.
   */
  param?: boolean;
  derive?: (args: readonly Float32Array[]) => Float32Array;
}

export interface RegionKernelSpec {
  /** Call arguments from this index on are parameter blobs (the same arrays while the weights stay bound). */
  paramsFrom: number;
  /** Regions in order; without `derive`, region i holds call argument i. */
  regions: RegionArg[];
  /** Floats of the output region, and the result's floats (a prefix, or `extract`'s choice). */
  outFloats: number;
  size: number;
  /** Writes the result (`size` floats) from the output region into `into`. Default: its first `size` floats. */
  extract?: (out: Float32Array, into: Float32Array) => void;
  /** The code of run(), given each region's byte offset and the output's (run(from, to) where `split`). */
  body(at: { regions: number[]; out: number }): FunctionBody;
  /**
   * run() takes (from, to): the units of work it computes, of `units`. With `threads` > 1 (and a pool, else
   * one of its own) they are split into chunks the threads claim.
   */
  split?: { units: number; threads: number; pool?: KernelPool };
  /**
   * The executor's memory (createNativeKernel passes it on): the parameter regions get a region of their own
   * there, and the input and output regions its shared scratch where they take ARENA_MIN_SCRATCH bytes or
   * more (FCN-8s's first Poolings: 156 and 78 MB). A kernel in the shared scratch zeroes its scratch bytes
   * when another kernel used them since its last call, so a body reads exactly what it would in a memory of
   * its own (zeros where nothing was written); below the threshold that zeroing would cost more time than the
   * bytes are worth. Without, a memory of its own.
   */
  arena?: KernelArena;
}

/** Chunks per thread of a split kernel: a thread that gets less CPU takes fewer (see kernel-worker.ts). */
const CHUNKS_PER_THREAD = 4;

const align16 = (n: number) => Math.ceil(n / 16) * 16;

/** Scratch bytes from which a region kernel made in an arena uses the arena's shared scratch. */
export const ARENA_MIN_SCRATCH = 16 * 2 ** 20;

export function regionKernel(spec: RegionKernelSpec): NativeKernel {
  // Byte offsets from 0 in a memory of its own: the regions in order, then the output.
  const lay = (keep: (r: RegionArg | undefined) => boolean) => {
    let offset = 0;
    const at = [...spec.regions, undefined].map((r) => {
      if (!keep(r)) return -1;
      const start = offset;
      offset = align16(offset + (r ? r.floats : spec.outFloats) * 4 + 16);
      return start;
    });
    return { at, bytes: offset };
  };
  const alone = lay(() => true);
  if (alone.bytes > 2 ** 31) throw new Error(`internal: a native kernel needs ${alone.bytes} bytes of memory`);
  const own = lay((r) => r?.param === true);
  const scratch = lay((r) => r?.param !== true);
  const slot = scratch.bytes >= ARENA_MIN_SCRATCH ? spec.arena?.reserve(own.bytes, scratch.bytes) : undefined;
  const split = spec.split;
  const wantsSplit = split !== undefined && split.threads > 1 && split.units > 1 && typeof SharedArrayBuffer === 'function';
  let bound: readonly Float32Array[] | undefined;
  let ownPool: KernelPool | undefined;
  let pooled: PooledKernel | undefined;
  let workersReady = false;

  // Memory, module and instance on the first call: an arena's memory exists once every kernel reserved.
  let made:
    | { f32: Float32Array; run: (from?: number, to?: number) => void; regions: number[]; out: number; scratch?: [number, number] }
    | undefined;
  const make = () => {
    const place = slot?.place();
    const at = place ? own.at.map((a, i) => (a >= 0 ? place.own + a : place.scratch + scratch.at[i])) : alone.at;
    const pages = place ? place.pages : Math.max(1, Math.ceil(alone.bytes / 65536));
    const shared = place ? place.shared && wantsSplit : wantsSplit;
    const memory = place?.memory ?? new WebAssembly.Memory({ initial: pages, maximum: pages, shared });
    const imported = place ? place.shared : shared;
    const regions = at.slice(0, -1);
    const out = at[at.length - 1];
    const module = new WebAssembly.Module(encodeModule([{ name: 'run', body: spec.body({ regions, out }) }], { pages, shared: imported }));
    const run = new WebAssembly.Instance(module, { env: { memory } }).exports.run as (from?: number, to?: number) => void;
    if (shared && split) {
      const parts = Math.min(split.units, split.threads * CHUNKS_PER_THREAD);
      const items = Array.from({ length: parts }, (_, k) => [
        Math.floor((k * split.units) / parts),
        Math.floor(((k + 1) * split.units) / parts),
      ]);
      ownPool = split.pool ? undefined : new KernelPool(split.threads);
      pooled = (split.pool ?? ownPool)!.register(module, memory, 'run', items);
    }
    const range: [number, number] | undefined = place ? [place.scratch / 4, (place.scratch + scratch.bytes) / 4] : undefined;
    return { f32: new Float32Array(memory.buffer), run, regions, out, scratch: range };
  };

  /** The parameter regions, written where the parameter arrays differ from the bound ones. */
  const bind = (args: readonly Float32Array[]) => {
    made ??= make();
    const paramsChanged =
      !bound ||
      args.length !== bound.length + spec.paramsFrom ||
      args.some((a, i) => i >= spec.paramsFrom && a !== bound![i - spec.paramsFrom]);
    if (!paramsChanged) return;
    spec.regions.forEach((r, i) => r.param && made!.f32.set(r.derive ? r.derive(args) : args[i], made!.regions[i] / 4));
    bound = args.slice(spec.paramsFrom);
  };

  return {
    engine: 'wasm',
    bind,
    async run(args, into) {
      made ??= make();
      const { f32, run, regions, out } = made;
      // In a page, workers start only while the main thread yields (see PooledKernel.whenReady).
      if (!workersReady && !CAN_BLOCK && pooled) await pooled.whenReady();
      workersReady = true;
      if (made.scratch && slot!.scratchTaken()) f32.fill(0, made.scratch[0], made.scratch[1]);
      bind(args);
      spec.regions.forEach((r, i) => !r.param && f32.set(r.derive ? r.derive(args) : args[i], regions[i] / 4));
      if (pooled) pooled.run(run);
      else if (split) run(0, split.units);
      else run();
      const result = f32.subarray(out / 4, out / 4 + spec.outFloats);
      if (!spec.extract) {
        if (!into) return result.slice(0, spec.size);
        into.set(result.subarray(0, spec.size));
        return into;
      }
      const target = into ?? new Float32Array(spec.size);
      spec.extract(result, target);
      return target;
    },
    destroy() {
      pooled?.release();
      ownPool?.terminate();
    },
  };
}
