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

export interface MeasureOptions {
  /** Timed runs at least, and at most. */
  minRuns: number;
  maxRuns: number;
  /** Stop adding runs (past minRuns) once the timed runs took this long, ms. */
  budgetMs: number;
  /** Untimed runs after the first call. */
  warmup: number;
  /** Collect garbage before each timed run (default true; see settleHeap). */
  settle?: boolean;
}

export interface Measured extends Timing {
  /** The first call, timed alone (kernel build, JIT, first allocation). */
  first: number;
}

/** `warmup` untimed calls, then timed calls until `minRuns` are done and `budgetMs` is spent (or `maxRuns`). */
export async function measureRuns(fn: () => Promise<unknown>, options: MeasureOptions): Promise<Timing> {
  for (let i = 0; i < options.warmup; i++) await fn();
  const times: number[] = [];
  let spent = 0;
  while (times.length < options.maxRuns && (times.length < options.minRuns || spent < options.budgetMs)) {
    if (options.settle !== false) settleHeap();
    const start = performance.now();
    await fn();
    const t = performance.now() - start;
    times.push(t);
    spent += t;
  }
  return summarise(times);
}

/** Times an asynchronous call: the first call alone, then measureRuns. */
export async function measureAsync(fn: () => Promise<unknown>, options: MeasureOptions): Promise<Measured> {
  settleHeap();
  const start = performance.now();
  await fn();
  const first = performance.now() - start;
  return { ...(await measureRuns(fn, options)), first };
}

/**
 * How much to time after a first call that took `firstMs`, so slow configurations do not eat the
 * benchmark's 10 minutes: fast calls get a warm-up and ≥ 3 timed runs (more until 0.5 s, at most 15); calls of 1–2.5 s
 * two timed runs without warm-up, of 2.5–8 s one; slower ones are not repeated (undefined: the first call
 * is all there is).
 */
export function policyAfterFirstCall(firstMs: number): MeasureOptions | undefined {
  if (firstMs < 1000) return { minRuns: 3, maxRuns: 15, budgetMs: 500, warmup: 1 };
  if (firstMs < 2500) return { minRuns: 2, maxRuns: 2, budgetMs: 0, warmup: 0 };
  if (firstMs < 8000) return { minRuns: 1, maxRuns: 1, budgetMs: 0, warmup: 0 };
  return undefined;
}
