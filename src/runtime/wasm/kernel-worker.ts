// Worker threads that run exported functions of native kernels' modules on the same shared memory as the
// main thread, so a big layer's rows are computed by several threads at once. One pool serves every native
// kernel of an executor: a kernel registers its module, memory and work items once (a message each worker
// handles when it next returns to its event loop), and a call names the kernel in a shared control block.
// A call is a list of work items (argument lists) that the workers and the main thread claim in turn from a
// shared counter: a thread that starts late or gets less CPU (cores shared with other work) takes fewer, and
// a worker that has not yet seen a kernel's registration, or not yet woken, takes none, so no thread waits on
// an even split the CPUs did not honour, nor on a worker that did no work. The worker's code is a string run with `eval` (no file to find: the same code
// serves src/ under tests, dist/ and a compiled module).
//
// Why one pool and not a worker per kernel: ResNet-50 has 53 threaded Convolutions, and a worker each (an
// isolate, started and fed its module on the first pass) made the first forward pass with threads 2× slower
// than without (docs/performance-notes.md#worker-pool).
//
// A call is handed over through a small shared control block with Atomics (wait/notify), not messages: a
// postMessage round trip measured 0.7–2.5 ms of start lag on 2 busy cores, more than the split saves on a
// 2 ms layer; a futex wake costs microseconds.
//
// Whether a call is split at all is decided per kernel from its own calls (SplitChooser): each split call is
// timed, and also says what the call would have taken alone — this thread's time per item it ran, times all
// the items — so a kernel that splits needs no call alone to know that splitting pays (an alone call of a
// VGG layer costs 50 ms more; the bench's few passes of a big net used to be half such probes). A split that
// stops paying (the other core taken by other work: a worker holding an item it cannot finish) goes back to
// one thread, and every REPROBE_EVERY-th call then tries the split again. The items are the same either way
// (this thread runs them all when alone), so the values do not depend on the choice.
import { CAN_BLOCK, startWorker, type PlatformWorker } from '#platform';

/** Control block slots (Int32) of a worker: request counter, quit flag, ready flag, the kernel asked for. */
const REQUEST = 0;
const QUIT = 1;
/** Set by the worker once it runs. */
const READY = 2;
const KERNEL = 3;
/** A kernel's state slots (Int32): items claimed, items completed, failure flag. */
const CLAIMED = 0;
const COMPLETED = 1;
const FAILED = 2;
/**
 * A worker waiting this long (ms) for a request goes back to its event loop for a moment, where new
 * kernels' registrations arrive; a request for a kernel it does not know yet sends it back at once (so
 * only that kernel's first call runs without it).
 */
const IDLE_MS = 1000;

// The worker never acknowledges a request: the caller waits only for the items claimed to be completed, so a
// worker that wakes late (its core busy with other work) finds nothing left and costs the call nothing.
const SOURCE = `
const kernels = new Map();
let c;
let seen = 0;
const loop = () => {
  for (;;) {
    if (Atomics.wait(c, ${REQUEST}, seen, ${IDLE_MS}) === 'timed-out') return void setTimeout(loop, 0);
    seen = Atomics.load(c, ${REQUEST});
    if (Atomics.load(c, ${QUIT})) return;
    const k = kernels.get(Atomics.load(c, ${KERNEL}));
    if (!k) return void setTimeout(loop, 0);
    for (let i; (i = Atomics.add(k.state, ${CLAIMED}, 1)) < k.items.length; ) {
      try {
        k.run(...k.items[i]);
      } catch {
        Atomics.store(k.state, ${FAILED}, 1);
      }
      Atomics.add(k.state, ${COMPLETED}, 1);
      Atomics.notify(k.state, ${COMPLETED});
    }
  }
};
receive((m) => {
  if (m.control) {
    c = new Int32Array(m.control);
    Atomics.store(c, ${READY}, 1);
    loop();
  } else if (m.drop !== undefined) {
    kernels.delete(m.drop);
  } else {
    const run = new WebAssembly.Instance(m.module, { env: { memory: m.memory } }).exports[m.name];
    kernels.set(m.id, { run, items: m.items, state: new Int32Array(m.state) });
  }
});
`;

/**
 * Polls of the completed count before sleeping on it (a part that ends about when this thread's does). Few:
 * until the loop is optimised a poll costs ~50 ns, and on a busy core the spin holds off the very worker it
 * waits for (20 000 polls cost P2 ~1 ms a call in the bench's 15 calls).
 */
const SPIN = 1_000;
/** Longest wait for a call's items (the first includes the worker's start-up): past it, an error rather than a hang. */
const TIMEOUT_MS = 60_000;

class PoolWorker {
  readonly worker: PlatformWorker;
  readonly control = new Int32Array(new SharedArrayBuffer(16));
  failure: Error | undefined;

  constructor() {
    // A Node worker thread or a Web Worker (src/platform); it does not keep a Node process alive.
    this.worker = startWorker(SOURCE);
    this.worker.onError((e) => (this.failure = e));
    this.worker.postMessage({ control: this.control.buffer });
  }

  ready(): boolean {
    if (this.failure) throw new Error(`native kernel worker failed to start: ${this.failure.message}`);
    return Atomics.load(this.control, READY) === 1;
  }

  /** Wakes the worker to claim items of kernel `id`. */
  start(id: number): void {
    const c = this.control;
    Atomics.store(c, KERNEL, id);
    Atomics.add(c, REQUEST, 1);
    Atomics.notify(c, REQUEST);
  }

  terminate(): void {
    Atomics.store(this.control, QUIT, 1);
    Atomics.add(this.control, REQUEST, 1);
    Atomics.notify(this.control, REQUEST);
    this.worker.terminate();
  }
}

/** Timed calls of each way before the choice is made (the first call, which starts the workers on the kernel, is not timed). */
const PROBES = 2;
/** In steady state, one call in this many runs the way not chosen, to notice when it has become the faster. */
const REPROBE_EVERY = 32;
/** Samples per way kept; a way's estimate is their minimum (a call slowed by a preemption does not count against it). */
const KEEP = 3;

/**
 * The per-kernel decision between running a call's items split between the threads and running them all on
 * the calling thread: whichever of the recent timed calls was faster. `policy` 'split' (tests) always splits.
 */
export class SplitChooser {
  private calls = 0;
  private readonly samples: { split: number[]; alone: number[] } = { split: [], alone: [] };
  private chosen: boolean | undefined;
  /** Whether split calls give alone estimates (a pooled kernel's do). */
  private estimated = false;

  constructor(readonly policy: 'adaptive' | 'split' = 'adaptive') {}

  /** Whether the next call splits; `timed`: whether its time should be recorded. */
  next(): { split: boolean; timed: boolean } {
    const call = this.calls++;
    if (this.policy === 'split') return { split: true, timed: false };
    // The first call splits untimed: it registers the kernel with the workers (their first run is slower).
    if (call === 0) return { split: true, timed: false };
    const { split, alone } = this.samples;
    if (this.chosen === undefined) return { split: split.length <= alone.length, timed: true };
    // A split call estimates the alone time too: no call alone is needed to see the split stop paying.
    if (this.chosen && this.estimated) return { split: true, timed: true };
    return { split: call % REPROBE_EVERY === 0 ? !this.chosen : this.chosen, timed: true };
  }

  /**
   * A timed call's milliseconds; a split call may give `aloneEstimate`, what it would have taken alone
   * (its thread's time per item × the items), recorded as an alone sample.
   */
  record(split: boolean, ms: number, aloneEstimate?: number): void {
    const push = (list: number[], v: number) => {
      list.push(v);
      if (list.length > KEEP) list.shift();
    };
    push(split ? this.samples.split : this.samples.alone, ms);
    if (split && aloneEstimate !== undefined) {
      push(this.samples.alone, aloneEstimate);
      this.estimated = true;
    }
    const { split: s, alone: a } = this.samples;
    if (s.length >= PROBES && a.length >= PROBES) this.chosen = Math.min(...s) < Math.min(...a);
  }

  /** The current choice (undefined while probing). */
  get splitting(): boolean | undefined {
    return this.chosen;
  }
}

/** A kernel's handle on the pool: runs its items on the pool's workers and the calling thread. */
export interface PooledKernel {
  /**
   * Claims items with the workers until none are left, or runs them all here where the kernel's calls showed
   * that splitting does not pay (SplitChooser); `run` computes one item on this thread.
   */
  run(run: (...item: number[]) => void): void;
  /** The kernel's split decision (tests, `--time`). */
  readonly chooser: SplitChooser;
  /** Resolves once the workers run (a kernel awaits this before its first call, in a page and in Node). */
  whenReady(): Promise<void>;
  release(): void;
}

/** `threads − 1` worker threads shared by the native kernels of one executor (this thread is the other). */
export class KernelPool {
  private readonly workers: PoolWorker[];
  private nextId = 0;

  /** `policy` 'split': every call of a registered kernel splits (tests of the split path); default: chosen per kernel by timing. */
  constructor(
    readonly threads: number,
    readonly policy: 'adaptive' | 'split' = 'adaptive',
  ) {
    this.workers = Array.from({ length: Math.max(0, threads - 1) }, () => new PoolWorker());
  }

  /** Kernels registered (tests: a small layer is never registered). */
  get registered(): number {
    return this.nextId;
  }

  /** Registers exported function `name` of `module` on `memory` with its work items (argument lists). */
  register(module: WebAssembly.Module, memory: WebAssembly.Memory, name: string, items: readonly (readonly number[])[]): PooledKernel {
    const id = this.nextId++;
    const chooser = new SplitChooser(this.policy);
    const state = new Int32Array(new SharedArrayBuffer(12));
    for (const w of this.workers) w.worker.postMessage({ id, module, memory, name, items, state: state.buffer });
    const workers = this.workers;
    const n = items.length;
    return {
      chooser,
      run(run) {
        const way = chooser.next();
        const t0 = way.timed ? performance.now() : 0;
        if (!way.split) {
          for (const item of items) run(...item);
          chooser.record(false, performance.now() - t0);
          return;
        }
        // Completed first: a late worker's claim on the last call must find the claim count still past the end.
        Atomics.store(state, COMPLETED, 0);
        Atomics.store(state, CLAIMED, 0);
        for (const w of workers) w.start(id);
        // This thread's items and their time: what the call would take alone is about that time per item.
        let mine = 0;
        let mineMs = 0;
        for (let i; (i = Atomics.add(state, CLAIMED, 1)) < n;) {
          const t = way.timed ? performance.now() : 0;
          run(...items[i]);
          Atomics.add(state, COMPLETED, 1);
          if (way.timed) mineMs += performance.now() - t;
          mine++;
        }
        // Only items a worker claimed are waited for; one that has not woken yet takes none.
        for (let i = 0; i < SPIN && Atomics.load(state, COMPLETED) !== n; i++);
        const deadline = Date.now() + TIMEOUT_MS;
        for (let done = Atomics.load(state, COMPLETED); done !== n; done = Atomics.load(state, COMPLETED)) {
          const left = deadline - Date.now();
          const failure = workers.find((w) => w.failure)?.failure;
          // A page's main thread may not sleep in Atomics.wait: there it polls until the deadline.
          if (failure || left <= 0 || (CAN_BLOCK && Atomics.wait(state, COMPLETED, done, left) === 'timed-out')) {
            throw new Error(`native kernel worker did not finish its part${failure ? `: ${failure.message}` : ` within ${TIMEOUT_MS} ms`}`);
          }
        }
        if (Atomics.exchange(state, FAILED, 0)) throw new Error('native kernel worker: its part of the layer failed');
        // A call whose items this thread ran all (a worker not yet woken, or not yet given the kernel: its
        // first calls) ran alone, and says nothing of the split.
        if (way.timed) {
          if (mine === n) chooser.record(false, performance.now() - t0);
          else chooser.record(true, performance.now() - t0, mine > 0 ? (mineMs / mine) * n : undefined);
        }
      },
      // Workers start only while the main thread yields: Chromium starts a Web Worker through tasks on the
      // page's own event loop (a main thread waiting for their part would wait for ever), and a Node worker
      // thread got its first message only once the main thread's event loop turned (a one-layer net run
      // pass after pass with `--time` never had its worker: 2.3 ms a pass against 1.25 ms).
      async whenReady() {
        const deadline = Date.now() + TIMEOUT_MS;
        while (!workers.every((w) => w.ready())) {
          if (Date.now() > deadline) throw new Error(`native kernel worker did not start within ${TIMEOUT_MS} ms`);
          await new Promise((resolve) => setTimeout(resolve, 1));
        }
      },
      release() {
        for (const w of workers) w.worker.postMessage({ drop: id });
      },
    };
  }

  terminate(): void {
    for (const w of this.workers) w.terminate();
  }
}
