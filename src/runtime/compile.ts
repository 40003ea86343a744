// The API: compile(net, { weights, backend }) lowers the net to a plan, binds its parameter blobs and
// returns something to run forward passes with.
import { GPU } from 'gpu.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { Net } from '../ir/net.js';
import type { BackendName } from './backends.js';
import { buildPlan } from './build-plan.js';
import type { ExecutionPlan } from './execution-plan.js';
import { createExecutor, type Executor, type ForwardOptions } from './gpu-executor.js';
import { paramsForPlan, type ParamMap } from './plan-params.js';
import type { Tensor } from '../ir/tensor.js';
import { resolveWeightSource, type ResolvedWeights, type WeightSource } from './weight-source.js';
import { fillWeights } from '../weights/fill-weights.js';
import { loadWeights } from '../weights/match-weights.js';

export interface CompileOptions {
  /**
   * Parameter blobs by layer name (Caffe's order and layout), or a .caffemodel: a path (Node), its bytes
   * (Uint8Array, ArrayBuffer), a fetch Response, or a URL (fetched; a file: URL is a path in Node).
   */
  weights?: ParamMap | WeightSource;
  /** Without weights: every parameter from the prototxt's fillers, seeded (default 0). */
  seed?: number;
  /** With a .caffemodel: fill the layers it lacks from their fillers instead of failing. */
  allowMissingWeights?: boolean;
  /** Backend (default 'auto': headlessgl on a hardware GL renderer, else wasm, else webasm, else cpu; see backends.ts). */
  backend?: BackendName;
  /** Threads for wasm's big native kernels (default: every core; a number caps it, false: one) and, given, webasm's worker pool (see ExecutorOptions). */
  threads?: boolean | number;
  /** Apply the plan's cross-layer fusions (default true; see fusion-rules.ts). The same values either way. */
  fuse?: boolean;
}

export interface CompiledNet {
  readonly plan: ExecutionPlan;
  /** The backend that runs (after a forward pass: the one that actually ran, fallbacks included). */
  readonly backend: string;
  /** Why that backend ('asked for', or auto's reason). */
  readonly backendReason: string;
  readonly executor: Executor;
  forward(inputs: Readonly<Record<string, Tensor>>, options?: ForwardOptions): Promise<Record<string, Tensor>>;
  destroy(): void;
}

export async function compile(net: Net, options: CompileOptions): Promise<CompiledNet> {
  const plan = buildPlan(net, { fuse: options.fuse });
  const weights =
    options.weights === undefined || isParamMap(options.weights) ? options.weights : await resolveWeightSource(options.weights);
  const params = paramsForPlan(plan, resolveWeights(net, { ...options, weights }).params);
  // Weights read from a .caffemodel or filled here are the executor's alone; a ParamMap is the caller's.
  const ownsParams = !isParamMap(options.weights);
  const executor = createExecutor(GPU, plan, plan.kernels, params, options.backend ?? 'auto', { threads: options.threads, ownsParams });
  return {
    plan,
    executor,
    get backend() {
      return executor.backend;
    },
    backendReason: executor.backendReason,
    forward: (inputs, forwardOptions) => executor.forward(inputs, forwardOptions),
    destroy: () => executor.destroy(),
  };
}

/** The parameter blobs compile() runs with: given, read from a .caffemodel, or filled from the fillers. */
export function resolveWeights(
  net: Net,
  options: Pick<CompileOptions, 'seed' | 'allowMissingWeights'> & { weights?: ParamMap | string | Uint8Array | ResolvedWeights },
): { params: ParamMap; warnings: Diagnostic[] } {
  const { weights } = options;
  if (isParamMap(weights)) return { params: weights, warnings: [] };
  if (weights === undefined) return { params: fillWeights(net, options.seed ?? 0), warnings: [] };
  const { source, file } = typeof weights === 'string' || weights instanceof Uint8Array ? { source: weights, file: undefined } : weights;
  return loadWeights(net, source, { allowMissing: options.allowMissingWeights, seed: options.seed, file });
}

const isParamMap = (w: unknown): w is ParamMap => w instanceof Map;
