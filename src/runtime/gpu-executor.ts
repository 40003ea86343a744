// Runs an execution plan on gpu.js: one kernel instance per step (built on first use, kept for later
// forward passes), values chained from step to step. On the CPU backends a result is a Float32Array that
// feeds the next kernel directly; on GL kernels run in pipeline mode, results stay textures on the device,
// and only the blobs asked for are read back. Steps specialised on weight structure run only where the
// bound weights have it; a step runs only if the values asked for need it; re-layouts of weights (steps
// reading parameter blobs only) run once. On backend 'wasm' a layer's native kernel (src/runtime/wasm/)
// replaces its gpu.js steps where it has one: the kernels share one WebAssembly.Memory (kernel-arena.ts),
// which also holds the pass's activations (activation-slots.ts), and read and write them there.
import { hardwareThreads } from '#platform';
import { unknownBlobHint } from '../diagnostics/suggest.js';
import { DiagnosticError, error, fail } from '../diagnostics/diagnostic.js';
import { createGPU, executedMode, kernelBackend, type BackendName, type GPUConstructor } from './backends.js';
import { checkInputs } from './check-inputs.js';
import type { ExecutionPlan } from './execution-plan.js';
import { activeSteps, neededSteps } from './step-selection.js';
import { runHostStep } from './host-step.js';
import { createNativeKernel, type NativeKernel } from './wasm/native-kernel.js';
import { KernelPool } from './wasm/kernel-worker.js';
import { KernelArena, releaseArray } from './wasm/kernel-arena.js';
import { planActivationSlots, type ActivationSlots } from './activation-slots.js';
import type { Tensor } from '../ir/tensor.js';

export interface ForwardOptions {
  /** Which blobs to return: the net's outputs (default), 'all' (every blob's final value), or names. */
  blobs?: 'all' | readonly string[];
  /** Called after each step that ran, with its wall time (for `brewnet run --time`). */
  onStep?: (timing: StepTiming) => void;
}

/** One step of a forward pass as timed: its plan step and layer, what ran it, milliseconds. */
export interface StepTiming {
  step: number;
  layer: number;
  /**
   * 'native': generated WebAssembly; 'js': a native-route kernel in plain JavaScript (copies, exp/pow);
   * 'reference': a layer's reference forward run as a host step.
   */
  ran: 'native' | 'js' | 'gpu.js' | 'reference' | 'alias';
  ms: number;
  /** Layers upstream whose work a fused step did too (plan order). */
  fused?: number[];
}

export interface ExecutorOptions {
  /**
   * Threads for backend wasm's native kernels: at most this many (true: every core; false: one), never more
   * than the cores here. Default: every core. A layer splits its rows between the threads only where it is
   * big enough to gain (phase-gemm-kernel.ts); the rest run on the calling thread. The same numbers either
   * way. Given (true or a number > 1), also webasm's gpu.js kernels of 4096 outputs or more run on gpu.js's
   * worker pool (its asyncMode; the pool costs some tens of ms to start on the first call).
   */
  threads?: boolean | number;
  /**
   * The parameter arrays are the executor's alone (compile() read them from a .caffemodel or filled them): once
   * every step reading one is a native kernel that has copied it into its own memory, its bytes are freed
   * (its buffer detached; the kernels keep their copies and never read it again).
   */
  ownsParams?: boolean;
}

export interface Fallback {
  layer: string;
  mode: string;
  reason: string | null;
}

export interface Executor {
  /** The backend the kernels run on: a gpu.js mode, or 'wasm' (after a forward pass: the one that actually ran). */
  readonly backend: string;
  /** Why that backend: 'asked for', or auto's reason (e.g. GL renders in software here). */
  readonly backendReason: string;
  /** Kernels gpu.js moved to another mode than the one chosen (only with backend 'auto'). */
  readonly fallbacks: readonly Fallback[];
  forward(inputs: Readonly<Record<string, Tensor>>, options?: ForwardOptions): Promise<Record<string, Tensor>>;
  destroy(): void;
}

type Value = Float32Array | { toArray(): unknown; delete?(): void };

/** What NativeKernel.bind is given for a value argument (it reads parameters only). */
const NO_VALUE = new Float32Array(0);
type KernelFn = string | ((...args: never[]) => unknown);
type RunShortcut = ((...args: unknown[]) => unknown) & { destroy?(): void };

export function createExecutor(
  GPU: GPUConstructor,
  plan: ExecutionPlan,
  kernelSources: readonly KernelFn[],
  params: readonly (readonly Float32Array[])[],
  backend: BackendName = 'auto',
  options: ExecutorOptions = {},
): Executor {
  const { gpu, reason, backend: concrete } = createGPU(GPU, backend);
  const native = concrete === 'wasm';
  // Worker threads share memory through SharedArrayBuffer, which a page has only when cross-origin isolated.
  const nativeThreadCount = typeof SharedArrayBuffer === 'function' ? threadCount(options.threads) : 1;
  let pool: KernelPool | undefined;
  const chosen = kernelBackend((gpu as unknown as { Kernel: { mode: string; name: string } }).Kernel);
  const gl = chosen !== 'cpu' && chosen !== 'webasm';
  const instances: (RunShortcut | undefined)[] = [];
  const fallbacks: Fallback[] = [];
  let ran = native ? 'wasm' : chosen;
  const active = activeSteps(plan, params, native);
  const nativeKernels: (NativeKernel | undefined)[] = [];
  const once: (Value | undefined)[] = [];

  const kernelFor = (stepIndex: number, source: KernelFn, size: number): RunShortcut => {
    let k = instances[stepIndex];
    if (!k) {
      const text = typeof source === 'string' ? source : source.toString();
      // Only where threads were asked for: gpu.js's pool is slow to start (also wasm's gpu.js kernels).
      const asyncMode = (options.threads === true || (typeof options.threads === 'number' && options.threads > 1)) && chosen === 'webasm';
      k = gpu.createKernel(text, {
        output: [size],
        precision: 'single',
        tactic: 'precision',
        pipeline: gl,
        ...(asyncMode ? { asyncMode } : {}),
      }) as unknown as RunShortcut;
      instances[stepIndex] = k;
    }
    return k;
  };

  const checkMode = (k: RunShortcut, layer: string) => {
    const { mode, fallbackReason } = executedMode(k);
    if (mode === chosen) return;
    if (backend !== 'auto') {
      throw new DiagnosticError([
        error(
          `backend "${backend}" could not run the kernel of layer "${layer}": gpu.js fell back to ${mode}${fallbackReason ? ` (${fallbackReason})` : ''}`,
        ),
      ]);
    }
    if (!fallbacks.some((f) => f.layer === layer)) fallbacks.push({ layer, mode, reason: fallbackReason });
    ran = mode;
  };

  // Parameter blobs only native steps read (with ownsParams): their readers; freed once each has run.
  // Keyed by the array: layers that share a parameter (Caffe's named params) hold the same one.
  const releasable = new Map<Float32Array, number[]>();
  if (native && options.ownsParams) {
    const readers = new Map<Float32Array, { readers: number[]; others: boolean }>();
    // Steps any forward pass may run (one asking for every named blob): not, say, a gpu.js weight re-layout
    // that fed only kernels the native ones replace, nor the unfused Convolution of a fused chain whose
    // value no blob name reaches (in-place layers: the name is the last value's).
    const mayRun = neededSteps(
      plan,
      active,
      plan.blobs.map(([, v]) => v),
    );
    plan.steps.forEach((step, s) => {
      if (!mayRun[s] || 'alias' in step) return;
      for (const a of step.args) {
        if (!('param' in a)) continue;
        const array = params[a.param[0]][a.param[1]];
        const r = readers.get(array) ?? { readers: [], others: false };
        if ('native' in step) r.readers.push(s);
        else r.others = true;
        readers.set(array, r);
      }
    });
    for (const [array, r] of readers) if (!r.others) releasable.set(array, r.readers);
  }
  // Native steps that have copied their parameters: bound (NativeKernel.bind) or run.
  const bound: boolean[] = [];
  const releaseIfCopied = (array: Float32Array) => {
    const readers = releasable.get(array);
    if (!readers || !readers.every((s) => bound[s])) return;
    releasable.delete(array);
    // A JavaScript kernel may read its parameters on every call: only WebAssembly ones copy them.
    if (!readers.some((s) => nativeKernels[s]?.engine === 'js')) releaseArray(array);
  };

  // One memory for the native kernels: each one's own regions, the activations, one shared scratch.
  const arena = native ? new KernelArena(nativeThreadCount > 1) : undefined;
  const nativeKernelFor = (s: number): NativeKernel => {
    const step = plan.steps[s];
    const spec = 'native' in step ? plan.natives?.[step.native] : undefined;
    if (!spec) throw new Error(`internal: plan step ${s} names a native kernel the plan lacks`);
    if (nativeThreadCount > 1) pool ??= new KernelPool(nativeThreadCount);
    return (nativeKernels[s] ??= createNativeKernel(spec, { threads: nativeThreadCount, pool, arena }));
  };

  const readBack = (v: Value, shape: number[]): Tensor => ({ shape: [...shape], data: hostArray(v) });

  // The activations in the kernels' arena where it has room: a Convolution then reads its input and writes its
  // result where they lie, with no copy in or out. Reserved before the arena's memory exists (the first pass's
  // kernels are made first); a later pass asking for other blobs gets an array of its own.
  const activationMemory = (floats: number): Float32Array => {
    const slot = arena?.reserve(floats * 4, 0);
    if (!slot) return new Float32Array(floats);
    const place = slot.place();
    return new Float32Array(place.memory.buffer, place.own, floats);
  };

  // The activation memory of the last pass's steps (activation-slots.ts), remade only when they change.
  let slots: { key: string; slots: ActivationSlots } | undefined;
  const slotsFor = (run: readonly boolean[], kept: ReadonlySet<number>): ActivationSlots | undefined => {
    if (!native) return undefined;
    const key = `${run.map(Number).join('')}/${[...kept].join(',')}`;
    if (slots?.key !== key) {
      slots = undefined; // the old memory goes before the new one is made
      slots = { key, slots: planActivationSlots(plan, run, kept, activationMemory) };
    }
    return slots.slots;
  };

  return {
    get backend() {
      return ran;
    },
    backendReason: reason,
    get fallbacks() {
      return fallbacks;
    },
    async forward(inputs, options = {}) {
      checkInputs(plan, inputs);
      const values: (Value | undefined)[] = new Array(plan.values.length);
      for (const { name, value } of plan.inputs) values[value] = inputs[name].data;
      const wanted = selectBlobs(plan, options.blobs);
      const run = neededSteps(
        plan,
        active,
        wanted.map(([, v]) => v),
      );
      const onStep = options.onStep;
      // Real row counts of the values planned at a bound (variable-rows.ts), by the value making them.
      const rows = new Map<number, number>();
      // A value no later step reads is dropped after its last reader (unless asked for), so the pass holds
      // only the live activations, not every blob of the net (FCN-8s at 500²: 619 MiB of blobs, 241 MiB live).
      const lastReader = lastReaders(plan, run);
      const kept = new Set(wanted.map(([, v]) => v));
      const release = (s: number) => {
        const step = plan.steps[s];
        const read = 'alias' in step ? [step.alias] : step.args.flatMap((a) => ('value' in a ? [a.value] : []));
        for (const v of read) if (lastReader[v] === s && !kept.has(v)) values[v] = undefined;
      };
      // Every native kernel of the pass first, so that they all reserve their part of the arena before
      // the first one makes its memory (kernel-arena.ts).
      plan.steps.forEach((step, s) => run[s] && 'native' in step && nativeKernelFor(s));
      // Then the activation memory, in the arena where it has room.
      const activations = slotsFor(run, kept);
      const views = activations?.views;
      // Then every kernel's weights, before any activation is written: each loaded array is freed once laid
      // out, so the peak holds the weights once (plus the largest twice), not also the pass's activations.
      plan.steps.forEach((step, s) => {
        if (!run[s] || !('native' in step) || bound[s]) return;
        const k = nativeKernelFor(s);
        if (!k.bind) return;
        k.bind(step.args.map((a) => ('value' in a ? NO_VALUE : params[a.param[0]][a.param[1]])));
        bound[s] = true;
        for (const a of step.args) if ('param' in a) releaseIfCopied(params[a.param[0]][a.param[1]]);
      });
      let previous = -1;
      for (let s = 0; s < plan.steps.length; s++) {
        if (!run[s]) continue;
        if (previous >= 0) release(previous);
        previous = s;
        const step = plan.steps[s];
        const t0 = onStep ? performance.now() : 0;
        const timed = (ran: StepTiming['ran']) =>
          onStep?.({
            step: s,
            layer: step.layer,
            ran,
            ms: performance.now() - t0,
            ...('fused' in step && step.fused ? { fused: step.fused } : {}),
          });
        if ('alias' in step) {
          values[step.out] = values[step.alias];
          timed('alias');
          continue;
        }
        if ('host' in step) {
          const read = (i: number) => {
            const a = step.args[i];
            return 'value' in a ? hostArray(values[a.value]!) : params[a.param[0]][a.param[1]];
          };
          runHostStep(plan, step, read, (v, n) => rows.set(v, n)).forEach((data, i) => (values[step.outs[i]] = data));
          timed('reference');
          continue;
        }
        if ('native' in step) {
          const k = nativeKernelFor(s);
          values[step.out] = await k.run(
            step.args.map((a) => ('value' in a ? hostArray(values[a.value]!) : params[a.param[0]][a.param[1]])),
            views?.[step.out],
          );
          if (!bound[s]) {
            bound[s] = true;
            // Its parameters freed here, not after the pass: the first pass's peak is the one that counts.
            for (const a of step.args) if ('param' in a) releaseIfCopied(params[a.param[0]][a.param[1]]);
          }
          timed(k.engine === 'js' ? 'js' : 'native');
          continue;
        }
        const weightsOnly = step.args.every((a) => 'param' in a);
        if (weightsOnly && once[s]) {
          values[step.out] = once[s];
          timed('gpu.js');
          continue;
        }
        const k = kernelFor(s, kernelSources[step.kernel], step.size);
        const args = step.args.map((a) => ('value' in a ? values[a.value] : params[a.param[0]][a.param[1]]));
        values[step.out] = (await k(...args)) as Value;
        if (weightsOnly) once[s] = values[step.out];
        checkMode(k, plan.layers[step.layer].name);
        timed('gpu.js');
      }
      const out: Record<string, Tensor> = Object.create(null);
      for (const [name, value] of wanted) {
        const { shape, rowsOf } = plan.values[value];
        const t = readBack(values[value]!, shape);
        const real = rowsOf === undefined ? undefined : rows.get(rowsOf);
        // A value in the activation memory is copied out: the next pass writes over it.
        const owned = t.data.buffer === activations?.memory.buffer ? t.data.slice() : t.data;
        out[name] =
          real === undefined
            ? { ...t, data: owned }
            : { shape: [real, ...shape.slice(1)], data: t.data.slice(0, (t.data.length / shape[0]) * real) };
      }
      return out;
    },
    destroy() {
      for (const k of instances) k?.destroy?.();
      for (const k of nativeKernels) k?.destroy();
      pool?.terminate();
      (gpu as unknown as { destroy?(): void }).destroy?.();
    },
  };
}

/**
 * Threads for native kernels: the cores here, capped by the `threads` option. Every core by default: the
 * split adds no work, so it pays wherever a second core is free (docs/performance-notes.md#threads-by-default).
 */
export function threadCount(threads: boolean | number | undefined, cores = hardwareThreads()): number {
  if (threads === false) return 1;
  if (threads === undefined || threads === true) return Math.max(1, cores);
  if (!Number.isInteger(threads) || threads < 1) fail(`threads must be a whole number ≥ 1 (or true/false); got ${threads}`);
  return Math.max(1, Math.min(threads, cores));
}

/** Per value, the last step to run that reads it (−1: none). */
function lastReaders(plan: ExecutionPlan, run: readonly boolean[]): Int32Array {
  const last = new Int32Array(plan.values.length).fill(-1);
  plan.steps.forEach((step, s) => {
    if (!run[s]) return;
    if ('alias' in step) last[step.alias] = s;
    else for (const a of step.args) if ('value' in a) last[a.value] = s;
  });
  return last;
}

/** A value as a Float32Array (webasm's results already are; anything else is read back). */
function hostArray(v: Value): Float32Array {
  if (v instanceof Float32Array) return v;
  const arr = v.toArray();
  return arr instanceof Float32Array ? arr : Float32Array.from(arr as ArrayLike<number>);
}

function selectBlobs(plan: ExecutionPlan, blobs: ForwardOptions['blobs']): [string, number][] {
  const byName = new Map(plan.blobs);
  if (blobs === 'all') return plan.blobs;
  const names = blobs ?? plan.outputs;
  const unknown = names.filter((n) => !byName.has(n));
  if (unknown.length) {
    throw new DiagnosticError(
      unknown.map((n) =>
        error(
          `no blob named "${n}" in the net`,
          undefined,
          unknownBlobHint(
            n,
            plan.blobs.map(([b]) => b),
          ),
        ),
      ),
    );
  }
  return names.map((n) => [n, byName.get(n)!]);
}
