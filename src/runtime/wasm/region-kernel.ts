// The host side of brewnet's single-pass native kernels (pooling, inner product, element-wise): a module
// whose one function `run()` reads its arguments from fixed regions of its memory and writes the result to
// another, every address a constant of the generated code. Per call the values are copied in (parameter
// blobs, or what the kernel derives from them, only when the bound arrays change) and the result out; a
// value that already lies in the kernel's memory (the executor's activations, in its arena) is read where it
// is, by a module made for that address. Every region is followed by 16 bytes of slack, so a kernel's last
// f32x4 may run past its end: the bodies read lanes past an input's end (from whatever follows it) only for
// outputs past the result's end, and never store into an input region.
// A kernel whose work is independent units (Pooling's planes) may be `split`: run(from, to) computes units
// [from, to), and with threads the executor's pool (kernel-worker.ts) claims chunks of them on a shared memory.
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
   * there, and the input and output regions its shared scratch; the executor's activations lie there too, so
   * the kernel reads its inputs where they are. When another kernel used the scratch since its last call, the
   * kernel zeroes the slack after the inputs it copies in, as in a memory of its own (a body writes every
   * output; it never relies on its output region's earlier contents). Without, a memory of its own.
   */
  arena?: KernelArena;
  /**
   * The body writes exactly the `outFloats` floats of the output region, never past them, and reads none of
   * them; with `size` equal and no `extract`, a result place in the kernel's memory (the executor's
   * activation) can be the output region itself, with no copy out.
   */
  exactOutput?: boolean;
}

/** Modules a kernel makes for the places its inputs were found; past them, its inputs are copied in. */
const MAX_INSTANCES = 4;

/** Chunks per thread of a split kernel: a thread that gets less CPU takes fewer (see kernel-worker.ts). */
const CHUNKS_PER_THREAD = 4;

const align16 = (n: number) => Math.ceil(n / 16) * 16;

export function regionKernel(spec: RegionKernelSpec): NativeKernel {
  // Byte offsets from 0 in a memory of its own: the output, then the regions in order (the output first: in
  // the arena's shared scratch, an input read in place leaves its region's bytes untouched, and the bytes
  // every kernel touches then start together).
  const lay = (keep: (r: RegionArg | undefined) => boolean) => {
    let offset = 0;
    const place = (r: RegionArg | undefined) => {
      if (!keep(r)) return -1;
      const start = offset;
      offset = align16(offset + (r ? r.floats : spec.outFloats) * 4 + 16);
      return start;
    };
    const out = place(undefined);
    const at = [...spec.regions.map(place), out];
    return { at, bytes: offset };
  };
  const alone = lay(() => true);
  if (alone.bytes > 2 ** 31) throw new Error(`internal: a native kernel needs ${alone.bytes} bytes of memory`);
  const own = lay((r) => r?.param === true);
  const scratch = lay((r) => r?.param !== true);
  const slot = spec.arena?.reserve(own.bytes, scratch.bytes);
  const split = spec.split;
  const wantsSplit = split !== undefined && split.threads > 1 && split.units > 1 && typeof SharedArrayBuffer === 'function';
  let bound: readonly Float32Array[] | undefined;
  let ownPool: KernelPool | undefined;

  // The memory on the first call (an arena's memory exists once every kernel reserved), and a module per
  // set of region addresses: a value argument that lies in this memory (the executor's activations in its
  // arena) is read where it is, so a kernel has one module for its own regions and one for each place its
  // inputs were found (the same on every pass of an executor: its activations are planned once).
  interface Instance {
    run: (from?: number, to?: number) => void;
    pooled?: PooledKernel;
    workersReady: boolean;
  }
  let made:
    | {
        memory: WebAssembly.Memory;
        f32: Float32Array;
        regions: number[];
        out: number;
        pages: number;
        shared: boolean;
        imported: boolean;
        instances: Map<string, Instance>;
      }
    | undefined;
  const make = () => {
    const place = slot?.place();
    const at = place ? own.at.map((a, i) => (a >= 0 ? place.own + a : place.scratch + scratch.at[i])) : alone.at;
    const pages = place ? place.pages : Math.max(1, Math.ceil(alone.bytes / 65536));
    const shared = place ? place.shared && wantsSplit : wantsSplit;
    const memory = place?.memory ?? new WebAssembly.Memory({ initial: pages, maximum: pages, shared });
    const imported = place ? place.shared : shared;
    if (shared && split && !split.pool) ownPool = new KernelPool(split.threads);
    const regions = at.slice(0, -1);
    const out = at[at.length - 1];
    return { memory, f32: new Float32Array(memory.buffer), regions, out, pages, shared, imported, instances: new Map() };
  };
  const directOutput = spec.exactOutput === true && spec.extract === undefined && spec.size === spec.outFloats;
  const instanceFor = (regions: number[], out: number): Instance => {
    const m = made!;
    const key = `${regions.join(',')}>${out}`;
    let instance = m.instances.get(key);
    if (instance) return instance;
    const module = new WebAssembly.Module(
      encodeModule([{ name: 'run', body: spec.body({ regions, out }) }], { pages: m.pages, shared: m.imported }),
    );
    const run = new WebAssembly.Instance(module, { env: { memory: m.memory } }).exports.run as (from?: number, to?: number) => void;
    let pooled: PooledKernel | undefined;
    if (m.shared && split) {
      const parts = Math.min(split.units, split.threads * CHUNKS_PER_THREAD);
      const items = Array.from({ length: parts }, (_, k) => [
        Math.floor((k * split.units) / parts),
        Math.floor(((k + 1) * split.units) / parts),
      ]);
      pooled = (split.pool ?? ownPool)!.register(module, m.memory, 'run', items);
    }
    instance = { run, pooled, workersReady: false };
    m.instances.set(key, instance);
    return instance;
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
      bind(args);
      const m = made!;
      const { f32, out } = m;
      // Where each region is read from on this call: a value argument in this memory where it lies (no
      // derived copy of it is needed), else the kernel's own region, copied in.
      const inPlace = spec.regions.map((r, i) => !r.param && !r.derive && args[i].buffer === f32.buffer);
      let direct = into !== undefined && into.buffer === f32.buffer && directOutput;
      if (!(inPlace.some(Boolean) || direct) || m.instances.size >= MAX_INSTANCES) {
        inPlace.fill(false);
        direct = false;
      }
      const regions = m.regions.map((a, i) => (inPlace[i] ? args[i].byteOffset : a));
      const instance = instanceFor(regions, direct ? into!.byteOffset : m.out);
      // Workers start only while the main thread yields, in a page and in Node alike (see PooledKernel.whenReady):
      // a kernel's first call waits for them, or a net's passes run back to back without them.
      if (!instance.workersReady && instance.pooled) await instance.pooled.whenReady();
      instance.workersReady = true;
      // In the shared scratch, another kernel may have written since: the slack after each region copied in,
      // which the last vectors read, is zeroed again, as in a memory of its own.
      if (slot?.scratchTaken()) {
        spec.regions.forEach(
          (r, i) => !r.param && !inPlace[i] && f32.fill(0, m.regions[i] / 4 + r.floats, m.regions[i] / 4 + r.floats + 4),
        );
      }
      spec.regions.forEach((r, i) => !r.param && !inPlace[i] && f32.set(r.derive ? r.derive(args) : args[i], m.regions[i] / 4));
      if (instance.pooled) instance.pooled.run(instance.run);
      else if (split) instance.run(0, split.units);
      else instance.run();
      if (direct) return into!;
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
      for (const instance of made?.instances.values() ?? []) instance.pooled?.release();
      ownPool?.terminate();
    },
  };
}
