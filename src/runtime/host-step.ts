// A host step of the execution plan: a layer with no kernels (DetectionOutput's NMS, PriorBox, …) runs its
// module's reference forward on the host. The plan stays plain data — the step carries the layer's typed
// `*_param` and spatial op; the layer's type (plan.layers) finds the module in the layer registry — so the
// in-process executor and a compiled module run the very same code.
import { DiagnosticError, error } from '../diagnostics/diagnostic.js';
import type { ForwardLayer } from '../ir/layer-module.js';
import { layerModule } from '../layers/registry.js';
import type { ExecutionPlan, PlanStep } from './execution-plan.js';
import type { Tensor } from '../ir/tensor.js';
import { padRows } from './variable-rows.js';

type HostStep = Extract<PlanStep, { host: unknown }>;

/** The layer a host step's forward sees, from the plan's data. */
export function hostLayer(plan: ExecutionPlan, step: HostStep): ForwardLayer {
  const { name, type, params } = plan.layers[step.layer];
  const bottomCount = step.args.length - params.length;
  return {
    name,
    type,
    typeParam: step.host.param,
    bottoms: step.args.slice(0, bottomCount).map((a) => ({ shape: 'value' in a ? plan.values[a.value].shape : [] })),
    tops: step.outs.map((v) => ({ shape: plan.values[v].shape })),
    ...(step.host.spatial ? { spatial: step.host.spatial } : {}),
    ...(step.host.loss ? { lossParam: step.host.loss } : {}),
  };
}

/**
 * Runs a host step: `read(i)` gives argument i as a host array (a bottom's value or a parameter blob).
 * Returns the tops' data, checked against the plan's shapes.
 */
export function runHostStep(
  plan: ExecutionPlan,
  step: HostStep,
  read: (arg: number) => Float32Array,
  /** Told the real row count of each top planned at a bound (variable-rows.ts), by the top's value. */
  onRows?: (value: number, rows: number) => void,
): Float32Array[] {
  const layer = hostLayer(plan, step);
  const forward = layerModule(layer.type)?.forward;
  if (!forward) {
    throw new DiagnosticError([
      error(
        `layer "${layer.name}" (${layer.type}) runs its reference forward on the host, but no layer module of type ${layer.type} with a forward is registered here`,
        undefined,
        'register the plug-in that defines it (registerLayer) before creating the net',
      ),
    ]);
  }
  const bottoms: Tensor[] = layer.bottoms.map((b, i) => ({ shape: [...b.shape], data: read(i) }));
  const params = plan.layers[step.layer].params.map((_, i) => read(layer.bottoms.length + i));
  const tops = forward(layer, bottoms, params);
  return step.outs.map((v, i) => {
    const t = tops[i];
    const { shape, rowsOf } = plan.values[v];
    const n = shape.reduce((a, d) => a * d, 1);
    if (t && rowsOf === step.outs[0] && shape.length > 0) {
      onRows?.(v, t.shape[0]);
      return padRows(t.data, t.shape[0], shape[0], n / shape[0], `the forward of layer "${layer.name}" (${layer.type}), top ${i},`);
    }
    if (!t || t.data.length !== n)
      throw new Error(
        `internal: the forward of layer "${layer.name}" (${layer.type}) gave ${t ? t.data.length : 'no'} values for top ${i}; the plan has ${n}`,
      );
    return t.data;
  });
}
