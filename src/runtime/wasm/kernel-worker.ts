// A worker thread that runs an exported function of a native kernel's module on the same shared memory
// as the main thread, so a big layer's rows are computed by two threads at once. The worker's code is a
// string run with `eval` (no file to find: the same code serves src/ under tests, dist/ and a compiled
// module).
//
// A call is handed over through a small shared control block with Atomics (wait/notify), not messages: a
// postMessage round trip measured 0.7–2.5 ms of start lag on 2 busy cores, more than the split saves on a
// 2 ms layer; a futex wake costs microseconds.
import { Worker } from 'node:worker_threads';

/** Control block slots (Int32): request and done counters, failure flag, quit flag, function index, arguments. */
const REQUEST = 0;
const DONE = 1;
const FAILED = 2;
const QUIT = 3;
const FUNCTION = 4;
const ARGS = 5;
const MAX_ARGS = 8;

const SOURCE = `
const { parentPort } = require('node:worker_threads');
parentPort.once('message', ({ module, memory, control, names }) => {
  const exports_ = new WebAssembly.Instance(module, { env: { memory } }).exports;
  const c = new Int32Array(control);
  let seen = 0;
  for (;;) {
    Atomics.wait(c, ${REQUEST}, seen);
    seen = Atomics.load(c, ${REQUEST});
    if (Atomics.load(c, ${QUIT})) return;
    try {
      exports_[names[c[${FUNCTION}]]](...c.subarray(${ARGS}, ${ARGS + MAX_ARGS}));
    } catch {
      Atomics.store(c, ${FAILED}, 1);
    }
    Atomics.store(c, ${DONE}, seen);
    Atomics.notify(c, ${DONE});
  }
});
`;

/** Polls of the done counter before sleeping on it (a part that ends about when this thread's does). */
const SPIN = 20_000;
/** Longest wait for a call (the first includes the worker's start-up): past it, an error rather than a hang. */
const TIMEOUT_MS = 60_000;

export class KernelWorker {
  private readonly worker: Worker;
  private readonly control = new Int32Array(new SharedArrayBuffer((ARGS + MAX_ARGS) * 4));
  private sent = 0;
  private pending = false;
  private failure: Error | undefined;

  /** `names`: the exported functions call() may run. */
  constructor(module: WebAssembly.Module, memory: WebAssembly.Memory, private readonly names: readonly string[]) {
    this.worker = new Worker(SOURCE, { eval: true });
    this.worker.on('error', (e) => (this.failure = e));
    this.worker.postMessage({ module, memory, control: this.control.buffer, names });
    // The worker sleeps in Atomics.wait between calls; it must not keep the process alive.
    this.worker.unref();
  }

  /** Starts exported function `name` with these i32 arguments on the worker; finish() waits for it. */
  start(name: string, args: readonly number[]): void {
    if (this.pending) throw new Error('internal: a kernel worker got a second call before the first returned');
    if (args.length > MAX_ARGS) throw new Error(`internal: a kernel worker call takes at most ${MAX_ARGS} arguments`);
    const c = this.control;
    c[FUNCTION] = this.names.indexOf(name);
    c.set(args, ARGS);
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
      if (this.failure || left <= 0 || Atomics.wait(c, DONE, done, left) === 'timed-out') {
        throw new Error(`native kernel worker did not finish its part${this.failure ? `: ${this.failure.message}` : ` within ${TIMEOUT_MS} ms`}`);
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
