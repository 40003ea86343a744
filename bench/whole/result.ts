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
 * How many passes a whole net gets after its first call (opencv_native.py has the same numbers). Unlike the
 * kernel suites, every net gets at least one pass after the first that is timed: a first call re-lays
 * weights into memory never touched before, which on this kind of VM costs ~10 ms per MB (VGG-19's first
 * call is 9 s, its later ones under 1 s), so it says little about the passes a user repeats. No forced
 * garbage collection between passes either (the kernel suites settle the heap): a user's loop of passes
 * has none, and forcing it makes each pass re-fault the pages of the arrays it frees.
 */
export function wholeNetPolicy(firstMs: number): MeasureOptions | undefined {
  if (firstMs < 1000) return { minRuns: 3, maxRuns: 15, budgetMs: 500, warmup: 1, settle: false };
  if (firstMs < 10000) return { minRuns: 2, maxRuns: 2, budgetMs: 0, warmup: 1, settle: false };
  if (firstMs < 60000) return { minRuns: 1, maxRuns: 1, budgetMs: 0, warmup: 0, settle: false };
  return undefined;
}

/**
 * Times `forward` as every child does (the first call alone, then as wholeNetPolicy says),
 * writes the output it left in `last()` to `output` and returns the result line's fields.
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
  const policy = wholeNetPolicy(firstMs);
  const timing = policy ? await measureRuns(forward, policy) : undefined;
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
