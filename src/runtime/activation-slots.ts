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
import type { ExecutionPlan } from './execution-plan.js';
import { planMemory } from './memory-plan.js';

export interface ActivationSlots {
  /** Per value: the view native kernels write it into (undefined: the value has its own array). */
  views: (Float32Array | undefined)[];
  /** The memory every view is part of. */
  memory: Float32Array;
  /** Byte offset and lifetime [first, last] (step indices) of each placed value's storage (tests). */
  placed: { value: number; offset: number; bytes: number; first: number; last: number }[];
}

/**
 * Slots for the steps that run (`run`), with the values in `kept` alive to the end. `nativeOut(s)`: whether
 * step s is a native step that runs (its `out` may be placed).
 */
export function planActivationSlots(
  plan: ExecutionPlan,
  run: readonly boolean[],
  kept: ReadonlySet<number>,
  nativeOut: (s: number) => boolean,
): ActivationSlots {
  const end = plan.steps.length;
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
    else if ('native' in step && nativeOut(s) && first[step.out] < 0) {
      placeable[step.out] = true;
      first[step.out] = s;
      last[step.out] = Math.max(last[step.out], s);
    }
  });
  for (const v of kept) last[root[v]] = end;
  const storages: number[] = [];
  for (let v = 0; v < plan.values.length; v++) if (placeable[v] && root[v] === v) storages.push(v);
  const bytesOf = (v: number) => plan.values[v].shape.reduce((a, b) => a * b, 1) * 4;
  const lifetimes = storages.map((v) => ({ bytes: bytesOf(v), first: first[v], last: last[v] }));
  const { offsets, peak } = planMemory(lifetimes, 64);
  const memory = new Float32Array(Math.ceil(peak / 4));
  const views = new Array<Float32Array | undefined>(plan.values.length);
  storages.forEach((v, i) => (views[v] = memory.subarray(offsets[i] / 4, (offsets[i] + lifetimes[i].bytes) / 4)));
  return {
    views,
    memory,
    placed: storages.map((v, i) => ({ value: v, offset: offsets[i], ...lifetimes[i] })),
  };
}
