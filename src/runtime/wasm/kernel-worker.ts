// A worker thread that runs an exported function of a native kernel's module on the same shared memory
// as the main thread, so a big layer's rows are computed by two threads at once. The worker's code is a
// string run with `eval` (no file to find: the same code serves src/ under tests, dist/ and a compiled
// module).
import { Worker } from 'node:worker_threads';

const SOURCE = `
const { parentPort } = require('node:worker_threads');
let exports_;
parentPort.on('message', (m) => {
  if (m.module) {
    exports_ = new WebAssembly.Instance(m.module, { env: { memory: m.memory } }).exports;
    return;
  }
  exports_[m.name](...m.args);
  parentPort.postMessage(0);
});
`;

export class KernelWorker {
  private readonly worker: Worker;
  private pending: { resolve: () => void; reject: (e: Error) => void } | undefined;

  constructor(module: WebAssembly.Module, memory: WebAssembly.Memory) {
    this.worker = new Worker(SOURCE, { eval: true });
    this.worker.on('message', () => this.settle());
    this.worker.on('error', (e) => this.settle(e));
    this.worker.postMessage({ module, memory });
    // Idle workers must not keep the process alive (after the listeners: adding one refs the port again);
    // a call in flight must, or the awaiting forward pass would be dropped with the event loop empty.
    this.worker.unref();
  }

  private settle(error?: Error): void {
    const p = this.pending;
    this.pending = undefined;
    this.worker.unref();
    if (error) p?.reject(error);
    else p?.resolve();
  }

  /** Runs exported function `name` with these i32 arguments on the worker; resolves when it returns. */
  call(name: string, args: readonly number[]): Promise<void> {
    if (this.pending) throw new Error('internal: a kernel worker got a second call before the first returned');
    return new Promise<void>((resolve, reject) => {
      this.pending = { resolve, reject };
      this.worker.ref();
      this.worker.postMessage({ name, args });
    });
  }

  terminate(): void {
    void this.worker.terminate();
  }
}
