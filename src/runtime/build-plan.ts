// Lowers a whole net: asks every layer's module for its kernels, numbers the values they produce (blob
// versions and temporaries) and records which value each kernel argument reads. Identical kernel sources
// (the same layer shape twice) are stored once.
import type { Net } from '../ir/net.js';
import type { Layer } from '../ir/layer.js';
import { cannotRun } from '../layers/cannot-run.js';
import { fail } from '../diagnostics/diagnostic.js';
import type { ArgSource, ExecutionPlan, PlanStep, PlanValue } from './execution-plan.js';
import type { LoweredLayer, UpstreamRef, ValueRef, WeightCondition } from '../ir/kernel-plan.js';
import { lowerWithFusions } from './fusion-rules.js';
import { nativeKernelCovers } from './wasm/native-kernel.js';
import { checkPlanBudget } from './plan-budget.js';
import { variableRowBlobs } from './variable-rows.js';

/** brewnet runs inference: Dropout is the identity and BatchNorm uses stored statistics only in TEST. */
export function checkRunnable(net: Net): void {
  if (net.state.phase !== 'TEST') fail('brewnet runs nets in the TEST phase; load the net with phase "test" (--phase test)');
  for (const layer of net.layers) {
    if (isDataSource(layer)) continue;
    if (layer.module.source && !layer.module.knownCode?.(layer))
      cannotRun(layer, 'it runs Python code', 'brewnet runs Python layers only as data sources (no bottoms), whose tops are fed as inputs');
    // A layer with a reference forward and no kernels runs that forward on the host (a host step).
    if (!layer.module.forward) cannotRun(layer);
    const refusal = layer.module.cannotRunWhy?.(layer);
    if (refusal) cannotRun(layer, refusal.why, refusal.hint);
  }
  checkPlanBudget(net);
}

/**
 * Input layers and layers that read data from outside the net (Data, Python data layers, …): their tops are
 * the plan's inputs, fed by the caller, as pycaffe's net.blobs[name].data[...] = … replaces what they read.
 */
export function isDataSource(layer: Layer): boolean {
  return layer.type === 'Input' || (layer.module.source === true && layer.bottoms.length === 0);
}

export interface PlanOptions {
  /**
   * Apply the cross-layer fusions of fusion-rules.ts (default true). Off, every layer runs its own kernels:
   * the same values, which is how tests check each fusion (and `--no-fuse` how a user can).
   */
  fuse?: boolean;
}

export function buildPlan(net: Net, options: PlanOptions = {}): ExecutionPlan {
  checkRunnable(net);
  const rowsFollow = variableRowBlobs(net);
  const fuse = options.fuse !== false;
  const lowerings = new Map<Layer, LoweredLayer>();
  const values: PlanValue[] = [];
  const valueOfBlob = new Map<string, number>();
  const kernels: string[] = [];
  const kernelIndex = new Map<string, number>();
  const natives: NonNullable<ExecutionPlan['natives']> = [];
  const nativeIndex = new Map<string, number>();
  const steps: PlanStep[] = [];
  const inputs: ExecutionPlan['inputs'] = [];
  const addValue = (blob: string | null, shape: number[]) => values.push({ blob, shape: [...shape] }) - 1;
  const key = (layer: Layer, i: number) => layer.tops[i].id;

  net.layers.forEach((layer, li) => {
    if (isDataSource(layer)) {
      layer.tops.forEach((top, i) => {
        const value = addValue(top.name, top.shape);
        valueOfBlob.set(key(layer, i), value);
        inputs.push({ name: top.name, value });
      });
      return;
    }
    const lowered = layer.module.lower ? (fuse ? lowerWithFusions(layer, (l) => lowerings.get(l)) : layer.module.lower(layer)) : undefined;
    if (lowered) lowerings.set(layer, lowered);
    const bottoms = layer.bottoms.map((b) => valueOfBlob.get(b.id)!);
    if (!lowered || lowered.host) {
      const outs = layer.tops.map((t) => addValue(t.name, t.shape));
      const args: ArgSource[] = [
        ...bottoms.map((value) => ({ value })),
        ...layer.paramShapes.map((_, i) => ({ param: [li, i] as [number, number] })),
      ];
      const host = {
        param: layer.typeParam,
        ...(layer.spatial ? { spatial: layer.spatial } : {}),
        ...(layer.module.loss ? { loss: layer.proto.loss_param ?? {} } : {}),
      };
      steps.push({ host: JSON.parse(JSON.stringify(host)) as typeof host, layer: li, args, outs });
      outs.forEach((v, i) => valueOfBlob.set(key(layer, i), v));
      return;
    }
    // `upstream` refs: a bottom or parameter of the layer that produced bottom `upstream` (or further up).
    const upstreamOf = (from: Layer, ref: UpstreamRef): ArgSource => {
      const producer = from.bottoms[ref.upstream].producer;
      const r = ref.ref;
      if ('upstream' in r) return upstreamOf(producer, r);
      if ('param' in r) return { param: [net.layers.indexOf(producer), r.param] as [number, number] };
      return { value: valueOfBlob.get(producer.bottoms[r.bottom].id)! };
    };
    const upstream = (ref: UpstreamRef): ArgSource => upstreamOf(layer, ref);
    const tops = layer.tops.map((t) => addValue(t.name, t.shape));
    const temps: number[] = [];
    const condition = (k: { when?: WeightCondition }) => {
      if (!k.when) return undefined;
      const p = 'upstream' in k.when.param ? upstream(k.when.param) : { param: [li, k.when.param.param] as [number, number] };
      if (!('param' in p)) throw new Error('internal: a weight condition must name a parameter blob');
      return { param: p.param, pattern: k.when.pattern, holds: k.when.holds };
    };
    const argSource = (ref: ValueRef): ArgSource => {
      if ('upstream' in ref) return upstream(ref);
      if ('bottom' in ref) return { value: bottoms[ref.bottom] };
      if ('param' in ref) return { param: [li, ref.param] };
      return { value: temps[ref.temp] };
    };
    for (const alias of lowered.aliases ?? []) steps.push({ alias: bottoms[alias.bottom], layer: li, out: tops[alias.top] });
    for (const k of lowered.kernels) {
      let kernel = kernelIndex.get(k.source);
      if (kernel === undefined) {
        kernel = kernels.push(k.source) - 1;
        kernelIndex.set(k.source, kernel);
      }
      const args = k.args.map(argSource);
      let out: number;
      if ('top' in k.out) out = tops[k.out.top];
      else out = temps[k.out.temp] = addValue(null, [k.size]);
      const when = condition(k);
      steps.push({ kernel, layer: li, args, size: k.size, out, ...(when ? { when } : {}) });
    }
    for (const k of lowered.natives ?? []) {
      if (!nativeKernelCovers(k.native)) continue;
      const spec = JSON.stringify(k.native);
      let native = nativeIndex.get(spec);
      if (native === undefined) {
        native = natives.push(k.native) - 1;
        nativeIndex.set(spec, native);
      }
      const when = condition(k);
      const fused = lowered.fused?.map((l) => net.layers.indexOf(l));
      steps.push({
        native,
        layer: li,
        args: k.args.map(argSource),
        size: k.size,
        out: tops[k.out.top],
        ...(when ? { when } : {}),
        ...(fused ? { fused } : {}),
      });
    }
    tops.forEach((v, i) => valueOfBlob.set(key(layer, i), v));
  });
  for (const [blob, source] of rowsFollow) values[valueOfBlob.get(blob)!].rowsOf = valueOfBlob.get(source)!;

  return {
    format: 'brewnet-plan/1',
    netName: net.name ?? null,
    layers: net.layers.map((l) => ({ name: l.name, type: l.type, params: l.paramShapes.map((s) => [...s]) })),
    values,
    inputs,
    blobs: net.blobs.map((b) => [b.name, valueOfBlob.get(b.id)!]),
    outputs: net.outputs,
    kernels,
    natives,
    steps,
  };
}
