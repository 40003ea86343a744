// The reference executor: runs a net layer by layer with each module's plain-TypeScript forward (no gpu.js,
// no plan), keeping every blob version. Tests compare the kernels against it, and it against PyTorch.
import { DiagnosticError, error } from '../diagnostics/diagnostic.js';
import type { Net } from '../ir/net.js';
import { checkRunnable, isDataSource } from './build-plan.js';
import { padRows, variableRowBlobs } from './variable-rows.js';
import type { ParamMap } from './plan-params.js';
import type { Tensor } from '../ir/tensor.js';
import { countOf, sameShape, showDims } from '../ir/tensor.js';

export interface ReferenceResult {
  /** Every blob's final value by name (Caffe's net.blobs after the forward pass). */
  blobs: Map<string, Tensor>;
  /** Every blob version by IR id (`conv1`, `conv1@1` after an in-place ReLU). */
  versions: Map<string, Tensor>;
}

export function runReference(net: Net, params: ParamMap, inputs: Readonly<Record<string, Tensor>>): ReferenceResult {
  checkRunnable(net);
  const rowsFollow = variableRowBlobs(net);
  const realRows = new Map<string, number>();
  const versions = new Map<string, Tensor>();
  for (const layer of net.layers) {
    if (isDataSource(layer)) {
      for (const top of layer.tops) {
        const t = Object.prototype.hasOwnProperty.call(inputs, top.name) ? inputs[top.name] : undefined;
        if (!t) throw new DiagnosticError([error(`input "${top.name}" (${showDims(top.shape)}) is missing`)]);
        if (!sameShape(t.shape, top.shape))
          throw new DiagnosticError([
            error(`input "${top.name}" has shape ${showDims(t.shape)}, but the net was built for ${showDims(top.shape)}`),
          ]);
        versions.set(top.id, t);
      }
      continue;
    }
    const blobs = params.get(layer.name) ?? [];
    if (blobs.length < layer.paramShapes.length || layer.paramShapes.some((s, i) => blobs[i].length !== countOf(s))) {
      throw new DiagnosticError([
        error(`layer "${layer.name}" (${layer.type}) needs parameter blobs ${layer.paramShapes.map(showDims).join(' + ')}`, layer.loc),
      ]);
    }
    const bottoms = layer.bottoms.map((b) => versions.get(b.id)!);
    const tops = layer.module.forward!(layer, bottoms, [...blobs]);
    layer.tops.forEach((top, i) => {
      // A top planned at a bound: its real rows, padded to the bound for the layers after it.
      if (rowsFollow.get(top.id) === layer.tops[0].id && top.shape.length > 0) {
        realRows.set(top.id, tops[i].shape[0]);
        const rowSize = countOf(top.shape) / top.shape[0];
        const data = padRows(tops[i].data, tops[i].shape[0], top.shape[0], rowSize, `layer "${layer.name}" (${layer.type})`);
        versions.set(top.id, { shape: [...top.shape], data });
      } else versions.set(top.id, tops[i]);
    });
  }
  // Blobs that follow such a top: their real rows only.
  for (const [id, source] of rowsFollow) {
    const t = versions.get(id)!;
    const real = realRows.get(source)!;
    versions.set(id, { shape: [real, ...t.shape.slice(1)], data: t.data.slice(0, (t.data.length / t.shape[0]) * real) });
  }
  const blobs = new Map(net.blobs.map((b) => [b.name, versions.get(b.id)!]));
  return { blobs, versions };
}
