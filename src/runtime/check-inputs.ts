// The caller's input tensors against the plan: every input given, known names only, exact shapes (the net
// was shape-inferred for them; a different shape needs a reshaped net: --input at load time).
import { DiagnosticError, error } from '../diagnostics/diagnostic.js';
import type { ExecutionPlan } from './execution-plan.js';
import type { Tensor } from '../ir/tensor.js';
import { countOf, sameShape, showDims } from '../ir/tensor.js';

export function checkInputs(plan: ExecutionPlan, inputs: Readonly<Record<string, Tensor>>): void {
  const problems = [];
  const names = new Set(plan.inputs.map((i) => i.name));
  for (const given of Object.keys(inputs)) {
    if (!names.has(given))
      problems.push(error(`"${given}" is not an input of the net; its inputs are: ${[...names].join(', ') || '(none)'}`));
  }
  for (const { name, value } of plan.inputs) {
    const t = Object.prototype.hasOwnProperty.call(inputs, name) ? inputs[name] : undefined;
    const shape = plan.values[value].shape;
    if (!t) {
      problems.push(error(`input "${name}" (${showDims(shape)}) is missing`));
      continue;
    }
    if (!sameShape(t.shape, shape)) {
      problems.push(
        error(
          `input "${name}" has shape ${showDims(t.shape)}, but the net was built for ${showDims(shape)}`,
          undefined,
          `reshape the net for it: --input ${name}=${t.shape.join(',')}`,
        ),
      );
    } else if (!(t.data instanceof Float32Array) || t.data.length !== countOf(shape)) {
      problems.push(error(`input "${name}": data must be a Float32Array of ${countOf(shape)} values`));
    }
  }
  if (problems.length) throw new DiagnosticError(problems);
}
