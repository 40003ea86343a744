// A worker thread that runs an exported function of a native kernel's module on the same shared memory
// as the main thread, so a big layer's rows are computed by two threads at once. A call is a list of work
// items (argument lists) that the worker and the main thread claim in turn from a shared counter: a thread
// that starts late or gets less CPU (2 cores shared with other work) takes fewer, so no thread waits on an
// even split the CPUs did not honour. The worker's code is a
// string run with `eval` (no file to find: the same code serves src/ under tests, dist/ and a compiled
// module).
//
// A call is handed over through a small shared control block with Atomics (wait/notify), not messages: a
// postMessage round trip measured 0.7–2.5 ms of start lag on 2 busy cores, more than the split saves on a
// 2 ms layer; a futex wake costs microseconds.
import { CAN_BLOCK, startWorker, type PlatformWorker } from '#platform';

/** Control block slots (Int32): request and done counters, failure flag, quit flag. */
const REQUEST = 0;
const DONE = 1;
const FAILED = 2;
const QUIT = 3;
/** Set by the worker once its module instance is ready. */
const READY = 4;

const SOURCE = `
receive(({ module, memory, control, counter, name, items }) => {
  const run = new WebAssembly.Instance(module, { env: { memory } }).exports[name];
  const c = new Int32Array(control);
  const next = new Int32Array(counter);
  Atomics.store(c, ${READY}, 1);
  let seen = 0;
  for (;;) {
    Atomics.wait(c, ${REQUEST}, seen);
    seen = Atomics.load(c, ${REQUEST});
    if (Atomics.load(c, ${QUIT})) return;
    try {
      for (let i; (i = Atomics.add(next, 0, 1)) < items.length; ) run(...items[i]);
    } catch {
      Atomics.store(c, ${FAILED}, 1);
    }
    Atomics.store(c, ${DONE}, seen);
    Atomics.notify(c, ${DONE});
  }
});
`;

/**
 * Polls of the done counter before sleeping on it (a part that ends about when this thread's does). Few:
 * until the loop is optimised a poll costs ~50 ns, and on a busy core the spin holds off the very worker it
 * waits for (20 000 polls cost P2 ~1 ms a call in the bench's 15 calls).
 */
const SPIN = 1_000;
/** Longest wait for a call (the first includes the worker's start-up): past it, an error rather than a hang. */
const TIMEOUT_MS = 60_000;

export class KernelWorker {
  private readonly worker: PlatformWorker;
  private readonly control = new Int32Array(new SharedArrayBuffer(20));
  private sent = 0;
  private pending = false;
  private failure: Error | undefined;

  /**
   * Each call runs exported function `name` on the items it claims from `counter` (an index into `items`,
   * shared with the other threads of the layer, reset by the caller before start()).
   */
  constructor(
    module: WebAssembly.Module,
    memory: WebAssembly.Memory,
    name: string,
    items: readonly (readonly number[])[],
    counter: Int32Array,
  ) {
    // A Node worker thread or a Web Worker (src/platform); it does not keep a Node process alive.
    this.worker = startWorker(SOURCE);
    this.worker.onError((e) => (this.failure = e));
    this.worker.postMessage({ module, memory, control: this.control.buffer, counter: counter.buffer, name, items });
  }

  /**
   * Resolves once the worker runs. A page's main thread must await this before its first call: Chromium
   * starts a Web Worker through tasks on the page's own event loop, so a main thread polling for the
   * worker's part before it started would wait for ever.
   */
  async whenReady(): Promise<void> {
    const deadline = Date.now() + TIMEOUT_MS;
    while (Atomics.load(this.control, READY) !== 1) {
      if (this.failure) throw new Error(`native kernel worker failed to start: ${this.failure.message}`);
      if (Date.now() > deadline) throw new Error(`native kernel worker did not start within ${TIMEOUT_MS} ms`);
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
  }

  /** Wakes the worker to claim items; finish() waits until it found none left. */
  start(): void {
    if (this.pending) throw new Error('internal: a kernel worker got a second call before the first returned');
    const c = this.control;
    this.sent = (this.sent + 1) | 0;
    this.pending = true;
    Atomics.store(c, REQUEST, this.sent);
    Atomics.notify(c, REQUEST);
  }

  /** Blocks until the started call returned: a bounded spin, then a sleep with a timeout. */
  finish(): void {
    if (!this.pending) return;
    this.pending = false;
    const c = this.control;
    for (let i = 0; i < SPIN && Atomics.load(c, DONE) !== this.sent; i++);
    const deadline = Date.now() + TIMEOUT_MS;
    for (let done = Atomics.load(c, DONE); done !== this.sent; done = Atomics.load(c, DONE)) {
      const left = deadline - Date.now();
      // A page's main thread may not sleep in Atomics.wait: there it polls until the deadline.
      if (this.failure || left <= 0 || (CAN_BLOCK && Atomics.wait(c, DONE, done, left) === 'timed-out')) {
        throw new Error(
          `native kernel worker did not finish its part${this.failure ? `: ${this.failure.message}` : ` within ${TIMEOUT_MS} ms`}`,
        );
      }
    }
    if (Atomics.exchange(c, FAILED, 0)) throw new Error('native kernel worker: its part of the layer failed');
  }

  terminate(): void {
    Atomics.store(this.control, QUIT, 1);
    Atomics.add(this.control, REQUEST, 1);
    Atomics.notify(this.control, REQUEST);
    void this.worker.terminate();
  }
}
