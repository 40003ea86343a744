// brewnet's runtime entry (`brewnet/runtime`): what a module written by `brewnet compile` imports to run
// its plan — no parser, no IR, only the executor, weight loading and .npy helpers.
import { fileURLToPath } from 'node:url';
import type { GPUConstructor, BackendName } from './backends.js';
import type { ExecutionPlan } from './execution-plan.js';
import { createExecutor, type Executor } from './gpu-executor.js';
import { paramsForPlan } from './plan-params.js';
import { loadPlanWeights } from './plan-weights.js';

export type { ExecutionPlan } from './execution-plan.js';
export type { Executor, ExecutorOptions, ForwardOptions, Fallback } from './gpu-executor.js';
export type { Tensor } from '../ir/tensor.js';
export type { BackendName } from './backends.js';
export { BACKENDS } from './backends.js';
export { createExecutor } from './gpu-executor.js';
export { loadPlanWeights } from './plan-weights.js';
export { readNpy, writeNpy } from './npy.js';

export interface RuntimeNetOptions {
  GPU: GPUConstructor;
  plan: ExecutionPlan;
  /** One function (or its source text) per plan kernel. */
  kernels: readonly (string | ((...args: never[]) => unknown))[];
  /** A .caffemodel: path, file URL or its bytes. */
  weights: string | URL | Uint8Array;
  backend?: BackendName;
  /** webasm and wasm: run large kernels on worker threads (see ExecutorOptions). */
  threads?: boolean;
}

/** Loads the weights, checks them against the plan and returns the executor. */
export function createRuntimeNet(options: RuntimeNetOptions): Executor {
  const { weights } = options;
  const source = weights instanceof URL ? fileURLToPath(weights) : weights;
  const params = paramsForPlan(options.plan, loadPlanWeights(options.plan, source));
  return createExecutor(options.GPU, options.plan, options.kernels, params, options.backend ?? 'auto', { threads: options.threads });
}
