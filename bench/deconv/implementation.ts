// What every implementation in the deconvolution benchmark provides: a call to time, which turns the
// problem's input into its output, and the (untimed) conversion of that output to Caffe's layout for the
// check against the reference.
export interface Implementation {
  /** How it ran: the backend that actually executed, threads, layout. */
  detail: string;
  /** One-time set-up outside the timed calls (compile, session creation, weight re-layout), ms. */
  setupMs: number;
  /** The timed call: input to output, as a user of the library would call it per image. */
  run(): Promise<unknown>;
  /** The output of a run in Caffe's layout [C, H, W] (not timed). */
  toCaffeLayout(output: unknown): Float32Array;
  dispose(): void;
}
