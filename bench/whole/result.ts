// What each implementation's process reports back to the whole-net suite.
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
