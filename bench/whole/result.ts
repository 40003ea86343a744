// What each implementation's process reports back to the whole-net suite, and the timing all of them share.
import { writeFileSync } from 'node:fs';
import { writeNpy } from '../../src/runtime/npy.js';
import { measureRuns, policyAfterFirstCall } from '../timing.js';
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
 * Times `forward` as every child does (the first call alone, then more while they are quick: bench/timing.ts),
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
  const policy = policyAfterFirstCall(firstMs);
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
