// What each implementation's process reports back to the whole-net suite, and the timing all of them share.
import { writeFileSync } from 'node:fs';
import { writeNpy } from '../../src/runtime/npy.js';
import { measureRuns, type MeasureOptions } from '../timing.js';
export interface WholeResult {
  /** Median ms of the timed forward passes (the first call's when none followed it). */
  ms: number;
  /** The first forward pass: kernel builds, weight re-layout, JIT. */
  firstMs: number;
  runs: number;
  /** Setup before the first forward: parse, load weights, compile. */
  setupMs: number;
  /** Peak resident set size of the process, MB (10^6 bytes). */
  rssMB: number;
  /** The .npy the output was written to. */
  output: string;
  detail?: string;
}

/**
 * How many passes a whole net gets, from the time of its second call (opencv_native.py has the same numbers).
 * The first call builds kernels and re-lays weights into memory never touched before, which on this kind of
 * VM costs ~10 ms per MB (CaffeNet's first call 2 s, its later ones 40 ms), so it says little about the
 * passes a user repeats, nor about how many of them fit the time: the second call does. Every net gets at
 * least one timed pass after the first call; quick ones a warm-up more and ≥ 5 timed passes (until 2 s, at
 * most 20), enough for a median past brewnet's per-layer thread probing (kernel-worker.ts's SplitChooser
 * times its first calls both ways). No forced garbage collection between passes either (the kernel suites
 * settle the heap): a user's loop of passes has none, and forcing it makes each pass re-fault the pages of
 * the arrays it frees. undefined: the second call (over 10 s) is the one timed pass.
 */
export function wholeNetPolicy(secondMs: number): MeasureOptions | undefined {
  if (secondMs < 1000) return { minRuns: 5, maxRuns: 20, budgetMs: 2000, warmup: 1, settle: false };
  if (secondMs < 10000) return { minRuns: 2, maxRuns: 2, budgetMs: 0, warmup: 0, settle: false };
  return undefined;
}

/**
 * Times `forward` as every child does (the first call alone; where it took under a minute a second call,
 * whose time picks wholeNetPolicy's passes), writes the output it left in `last()` to `output` and returns
 * the result line's fields.
 */
export async function timeForward(
  forward: () => Promise<void>,
  last: () => { shape: number[]; data: Float32Array },
  output: string,
  extra: { setupMs: number; detail?: string },
): Promise<WholeResult> {
  const first = performance.now();
  await forward();
  const firstMs = performance.now() - first;
  let timing: { median: number; runs: number } | undefined;
  if (firstMs < 60000) {
    const second = performance.now();
    await forward();
    const secondMs = performance.now() - second;
    const policy = wholeNetPolicy(secondMs);
    timing = policy ? await measureRuns(forward, policy) : { median: secondMs, runs: 1 };
  }
  writeFileSync(output, writeNpy(last()));
  return {
    ms: timing?.median ?? firstMs,
    firstMs,
    runs: timing?.runs ?? 0,
    rssMB: (process.resourceUsage().maxRSS * 1024) / 1e6,
    output,
    ...extra,
  };
}
