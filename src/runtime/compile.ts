// The API: compile(net, { weights, backend }) lowers the net to a plan, binds its parameter blobs and
// returns something to run forward passes with.
import { GPU } from 'gpu.js';
import type { Net } from '../ir/net.js';
import type { BackendName } from './backends.js';
import { buildPlan } from './build-plan.js';
import type { ExecutionPlan } from './execution-plan.js';
import { createExecutor, type Executor, type ForwardOptions } from './gpu-executor.js';
import { paramsForPlan, type ParamMap } from './plan-params.js';
import type { Tensor } from './tensor.js';

export interface CompileOptions {
  /** Parameter blobs by layer name, in Caffe's order and layout. */
  weights: ParamMap;
  /** gpu.js backend (default 'auto': gpu.js's own choice, headlessgl where it works, else webasm). */
  backend?: BackendName;
}

export interface CompiledNet {
  readonly plan: ExecutionPlan;
  /** The backend that runs (after a forward pass: the one that actually ran, fallbacks included). */
  readonly backend: string;
  readonly executor: Executor;
  forward(inputs: Readonly<Record<string, Tensor>>, options?: ForwardOptions): Promise<Record<string, Tensor>>;
  destroy(): void;
}

export async function compile(net: Net, options: CompileOptions): Promise<CompiledNet> {
  const plan = buildPlan(net);
  const params = paramsForPlan(plan, options.weights);
  const executor = createExecutor(GPU, plan, plan.kernels, params, options.backend ?? 'auto');
  return {
    plan,
    executor,
    get backend() {
      return executor.backend;
    },
    forward: (inputs, forwardOptions) => executor.forward(inputs, forwardOptions),
    destroy: () => executor.destroy(),
  };
}
