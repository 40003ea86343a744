// Why: a forward pass on backend wasm used to make a new Float32Array for every native kernel's result. On
// this kind of machine a fresh array costs far more than its copy (its pages are faulted in and zeroed: a
// 3.2 MB result took 2.6 ms to slice out, 0.07 ms to copy into memory already touched), and the dead ones
// wait for the garbage collector, which raises peak memory. Here the values native kernels write get one
// activation memory, laid out from the pass's lifetimes by the memory planner (memory-plan.ts), and made
// once: every later pass with the same steps writes into the same bytes.
//
// A value shares the storage of the value it aliases (Reshape, Flatten, Split, in-place Dropout: `alias`
// steps), so a storage lives from the step writing it to the last step reading any of its aliases, or to the
// end of the pass where the caller asked for one of them (the executor copies those out at the end). Only
// values a native step writes are placed; a value a gpu.js kernel reads keeps its own array (gpu.js is given
// nothing but whole arrays), as does every value a gpu.js kernel or a host step makes.
//
// Concat in place: where a Concat's top is one block per bottom (outer 1: batch 1 along channels), each
// bottom's storage is that block of the top's storage, so its producer writes it where the Concat would have
// copied it; the top's storage then lives from its first bottom's step on. GoogLeNet's, SqueezeNet's and
// DenseNet's Concats (whose chains nest: each block's top is the next one's first bottom) copy nothing.
import type { ExecutionPlan } from './execution-plan.js';
import { planMemory } from './memory-plan.js';

export interface ActivationSlots {
  /** Per value: the view native kernels write it into (undefined: the value has its own array). */
  views: (Float32Array | undefined)[];
  /** The memory every view is part of. */
  memory: Float32Array;
  /**
   * Byte offset and lifetime [first, last] (step indices) of each storage planned on its own (tests): a
   * storage nested in another lives as long as every storage nested in it.
   */
  placed: { value: number; offset: number; bytes: number; first: number; last: number }[];
  /** Storages written in place into a Concat's top: that top's value and the byte offset there (tests). */
  nested: { value: number; parent: number; offset: number }[];
}

/**
 * Slots for the steps that run (`run`), with the values in `kept` alive to the end. `allocate` makes the
 * memory (default: an array of its own; the executor's: a region of its kernels' WebAssembly memory, so
 * kernels read and write there).
 */
export function planActivationSlots(
  plan: ExecutionPlan,
  run: readonly boolean[],
  kept: ReadonlySet<number>,
  allocate: (floats: number) => Float32Array = (floats) => new Float32Array(floats),
): ActivationSlots {
  const end = plan.steps.length;
  const bytesOf = (v: number) => plan.values[v].shape.reduce((a, b) => a * b, 1) * 4;
  // The storage each value lives in: its own, or that of the value it aliases.
  const root = plan.values.map((_, v) => v);
  const placeable = new Array<boolean>(plan.values.length).fill(false);
  const first = new Int32Array(plan.values.length).fill(-1);
  const last = new Int32Array(plan.values.length).fill(-1);
  plan.steps.forEach((step, s) => {
    if (!run[s]) return;
    const reads = 'alias' in step ? [step.alias] : step.args.flatMap((a) => ('value' in a ? [a.value] : []));
    for (const v of reads) last[root[v]] = Math.max(last[root[v]], s);
    // gpu.js kernels get whole arrays only.
    if ('kernel' in step) for (const v of reads) placeable[root[v]] = false;
    if ('alias' in step) root[step.out] = root[step.alias];
    else if ('native' in step && first[step.out] < 0) {
      placeable[step.out] = true;
      first[step.out] = s;
      last[step.out] = Math.max(last[step.out], s);
    }
  });
  for (const v of kept) last[root[v]] = end;

  // Concat in place: a bottom that is a whole block of the top (outer 1) is written straight into the top's
  // storage, at its block's offset, and the Concat has nothing left to copy for it. Nested Concats (DenseNet's
  // chains) nest their storages the same way.
  const parent = new Int32Array(plan.values.length).fill(-1);
  const within = new Float64Array(plan.values.length); // byte offset in the parent's storage
  plan.steps.forEach((step, s) => {
    if (!run[s] || !('native' in step) || !placeable[step.out]) return;
    const spec = plan.natives?.[step.native];
    if (spec?.kind !== 'concat' || spec.outer !== 1) return;
    let offset = 0;
    step.args.forEach((a, b) => {
      const bytes = spec.sizes[b] * spec.inner * 4;
      const r = 'value' in a ? root[a.value] : -1;
      if (r >= 0 && r !== step.out && placeable[r] && parent[r] < 0 && bytesOf(r) === bytes) {
        parent[r] = step.out;
        within[r] = offset;
      }
      offset += bytes;
    });
  });
  // Each storage's outermost one and its offset there; that one lives while any storage in it does.
  const top = (v: number): [number, number] => {
    let at = 0;
    for (; parent[v] >= 0; v = parent[v]) at += within[v];
    return [v, at];
  };
  const members: number[] = [];
  for (let v = 0; v < plan.values.length; v++) if (placeable[v] && root[v] === v) members.push(v);
  for (const v of members) {
    const [t] = top(v);
    if (t === v) continue;
    first[t] = Math.min(first[t], first[v]);
    last[t] = Math.max(last[t], last[v]);
  }
  const storages = members.filter((v) => parent[v] < 0);
  const lifetimes = storages.map((v) => ({ bytes: bytesOf(v), first: first[v], last: last[v] }));
  const { offsets, peak } = planMemory(lifetimes, 64);
  const memory = allocate(Math.ceil(peak / 4));
  const offsetOf = new Map(storages.map((v, i) => [v, offsets[i]]));
  const views = new Array<Float32Array | undefined>(plan.values.length);
  for (const v of members) {
    const [t, at] = top(v);
    const start = (offsetOf.get(t)! + at) / 4;
    views[v] = memory.subarray(start, start + bytesOf(v) / 4);
  }
  return {
    views,
    memory,
    placed: storages.map((v, i) => ({ value: v, offset: offsets[i], ...lifetimes[i] })),
    nested: members.filter((v) => parent[v] >= 0).map((v) => ({ value: v, parent: parent[v], offset: within[v] })),
  };
}
