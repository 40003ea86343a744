// Which plan steps a forward pass runs: those the bound weights allow (a kernel specialised on a weight
// structure, or its dense twin), and of those only the ones the values asked for depend on.
import type { ExecutionPlan } from './execution-plan.js';
import { weightPatternHolds } from '../ir/weight-patterns.js';

/**
 * Which steps the bound weights allow: a structure-specialised step and its dense twin exclude each other.
 * With `native` (backend 'wasm') a native step whose condition holds replaces the gpu.js steps writing the
 * same value; without, native steps never run.
 */
export function activeSteps(plan: ExecutionPlan, params: readonly (readonly Float32Array[])[], native = false): boolean[] {
  const checked = new Map<string, boolean>();
  const allowed = plan.steps.map((step) => {
    if ('alias' in step || 'host' in step) return true;
    if ('native' in step && !native) return false;
    if (!step.when) return true;
    const { param, pattern, holds } = step.when;
    const key = JSON.stringify([param, pattern]);
    let has = checked.get(key);
    if (has === undefined) {
      const w = params[param[0]]?.[param[1]];
      has = w !== undefined && weightPatternHolds(pattern, w);
      checked.set(key, has);
    }
    return has === holds;
  });
  const nativeOut = new Set(plan.steps.flatMap((step, s) => ('native' in step && allowed[s] ? [step.out] : [])));
  return plan.steps.map((step, s) => allowed[s] && ('native' in step || 'alias' in step || 'host' in step || !nativeOut.has(step.out)));
}

/** The active steps the wanted values depend on (walking the plan backwards). */
export function neededSteps(plan: ExecutionPlan, active: readonly boolean[], wanted: readonly number[]): boolean[] {
  const need = new Array<boolean>(plan.values.length).fill(false);
  for (const v of wanted) need[v] = true;
  const run = new Array<boolean>(plan.steps.length).fill(false);
  for (let s = plan.steps.length - 1; s >= 0; s--) {
    const step = plan.steps[s];
    if (!active[s] || !('host' in step ? step.outs.some((v) => need[v]) : need[step.out])) continue;
    run[s] = true;
    if ('alias' in step) need[step.alias] = true;
    else for (const a of step.args) if ('value' in a) need[a.value] = true;
  }
  return run;
}
