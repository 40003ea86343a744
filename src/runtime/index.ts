// brewnet's runtime entry (`brewnet/runtime`): what a module written by `brewnet compile` imports to run
// its plan — no parser, no IR, only the executor, weight loading and .npy helpers.
import type { GPUConstructor, BackendName } from './backends.js';
import type { ExecutionPlan } from './execution-plan.js';
import { createExecutor, type Executor } from './gpu-executor.js';
import { paramsForPlan } from './plan-params.js';
import { loadPlanWeights } from './plan-weights.js';
import { resolveWeightSource, type ResolvedWeights, type WeightSource } from './weight-source.js';
import type { LayerModule } from '../ir/layer-module.js';
import { layerModule, registerLayer } from '../layers/registry.js';

export type { ExecutionPlan } from './execution-plan.js';
export type { Executor, ExecutorOptions, ForwardOptions, Fallback } from './gpu-executor.js';
export type { Tensor } from '../ir/tensor.js';
export type { BackendName } from './backends.js';
export type { WeightSource } from './weight-source.js';
export { BACKENDS } from './backends.js';
export { createExecutor } from './gpu-executor.js';
export { loadPlanWeights } from './plan-weights.js';
export { readNpy, writeNpy } from './npy.js';

/**
 * Registers a layer plug-in (or a list, as a plug-in file exports) for host steps: a compiled module whose
 * plan runs a plug-in's layer calls this before createRuntimeNet. Only `type` and `forward` are used here.
 */
export function registerHostLayer(plugin: unknown): void {
  for (const p of Array.isArray(plugin) ? plugin : [plugin]) {
    const m = p as Partial<LayerModule>;
    if (typeof m?.type !== 'string' || typeof m.forward !== 'function')
      throw new Error('registerHostLayer: a plug-in needs a type and a forward');
    if (layerModule(m.type)?.forward === m.forward) continue;
    registerLayer({
      bottoms: { min: 0, max: Infinity },
      tops: { min: 0, max: Infinity },
      inPlace: false,
      infer: () => ({ tops: [], params: [] }),
      ...m,
    } as LayerModule);
  }
}

export interface RuntimeNetOptions {
  GPU: GPUConstructor;
  plan: ExecutionPlan;
  /** One function (or its source text) per plan kernel. */
  kernels: readonly (string | ((...args: never[]) => unknown))[];
  /** A .caffemodel: a path or file URL (Node), its bytes (Uint8Array, ArrayBuffer), a fetch Response, or a URL to fetch. */
  weights: WeightSource;
  backend?: BackendName;
  /** wasm: threads for big native kernels (default every core; a number caps it); given, webasm's worker pool too (see ExecutorOptions). */
  threads?: boolean | number;
}

/**
 * Loads the weights, checks them against the plan and returns the executor: at once for a path or bytes,
 * as a promise for a Response or a URL to fetch (a compiled module's default weights in a page).
 */
export function createRuntimeNet(options: RuntimeNetOptions & { weights: string | Uint8Array | ArrayBuffer }): Executor;
export function createRuntimeNet(options: RuntimeNetOptions): Executor | Promise<Executor>;
export function createRuntimeNet(options: RuntimeNetOptions): Executor | Promise<Executor> {
  const build = ({ source, file }: ResolvedWeights) => {
    const params = paramsForPlan(options.plan, loadPlanWeights(options.plan, source, file));
    return createExecutor(options.GPU, options.plan, options.kernels, params, options.backend ?? 'auto', { threads: options.threads });
  };
  const resolved = resolveWeightSource(options.weights);
  return resolved instanceof Promise ? resolved.then(build) : build(resolved);
}
