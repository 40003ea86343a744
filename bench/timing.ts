// Timing helpers: run a function after warm-up runs and summarise the wall times (median and min).

export interface Timing {
  /** Median wall time, ms. */
  median: number;
  /** Fastest run, ms. */
  min: number;
  /** Number of timed runs. */
  runs: number;
}

const collectGarbage = (globalThis as { gc?: () => void }).gc;

/** Collects garbage (when node runs with --expose-gc) so one run's leftovers do not bill the next. */
export function settleHeap(): void {
  collectGarbage?.();
}

export function summarise(times: number[]): Timing {
  const sorted = [...times].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  return { median, min: sorted[0], runs: sorted.length };
}

/** Times `fn` (synchronous) `runs` times after `warmup` untimed runs. */
export function timeRuns(fn: () => unknown, runs: number, warmup = 1): Timing {
  for (let i = 0; i < warmup; i++) {
    settleHeap();
    fn();
  }
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    settleHeap();
    const start = performance.now();
    fn();
    times.push(performance.now() - start);
  }
  return summarise(times);
}

/** Megabytes (10^6 bytes) per second. */
export function mbPerSecond(bytes: number, ms: number): number {
  return bytes / 1e6 / (ms / 1000);
}
