// Checks Caffe makes once shapes are known (docs/caffe-semantics.md#loss-weights, #parameter-blobs): ParamSpecs against parameter blobs,
// loss_weight and propagate_down counts against tops and bottoms, and shared parameters' shapes.
import { DiagnosticError, error, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { Layer } from '../ir/layer.js';
import { showShape } from '../layers/blob-checks.js';
import { locOf, type Msg } from '../schema/message.js';

export function checkParams(layers: readonly Layer[]): void {
  const diagnostics: Diagnostic[] = [];
  const owners = new Map<string, { layer: Layer; shape: number[]; spec: Msg }>();
  for (const layer of layers) {
    const proto = layer.proto;
    const specs = proto.param ?? [];
    if (specs.length > layer.paramShapes.length) {
      diagnostics.push(
        error(
          `Too many params specified for layer ${layer.name}: ${specs.length} param entries, but a ${layer.type} layer here has ${layer.paramShapes.length} parameter blob(s)`,
          locOf(proto, 'param', layer.paramShapes.length),
        ),
      );
    }
    const lossWeights = proto.loss_weight ?? [];
    if (lossWeights.length && lossWeights.length !== layer.tops.length) {
      diagnostics.push(
        error(
          `layer "${layer.name}": loss_weight must be unspecified or specified once per top blob (${layer.tops.length} tops, ${lossWeights.length} loss_weight)`,
          locOf(proto, 'loss_weight'),
        ),
      );
    }
    const propagate = proto.propagate_down ?? [];
    if (propagate.length && propagate.length !== layer.bottoms.length) {
      diagnostics.push(
        error(
          `layer "${layer.name}": propagate_down param must be specified either 0 or bottom_size times (${layer.bottoms.length} bottoms, ${propagate.length} given)`,
          locOf(proto, 'propagate_down'),
        ),
      );
    }
    specs.forEach((spec, i) => {
      const name = spec.name as string | undefined;
      const shape = layer.paramShapes[i];
      if (!name || !shape) return;
      const owner = owners.get(name);
      if (!owner) {
        owners.set(name, { layer, shape, spec });
        return;
      }
      const permissive = spec.share_mode === 'PERMISSIVE';
      const count = (s: number[]) => s.reduce((n, d) => n * d, 1);
      const mismatch = permissive ? count(owner.shape) !== count(shape) : showShape(owner.shape) !== showShape(shape);
      if (mismatch) {
        diagnostics.push(
          error(
            `Cannot share param '${name}' owned by layer '${owner.layer.name}' with layer '${layer.name}'; ${permissive ? 'count' : 'shape'} mismatch. Owner layer param shape is ${showShape(owner.shape)}; sharing layer ${permissive ? 'param' : 'expects'} shape ${showShape(shape)}`,
            locOf(spec, 'name'),
          ),
        );
      }
      for (const field of ['lr_mult', 'decay_mult']) {
        if (spec[field] !== undefined && owner.spec[field] !== undefined && spec[field] !== owner.spec[field]) {
          diagnostics.push(error(`Shared param '${name}' has mismatched ${field}.`, locOf(spec, field)));
        }
      }
    });
  }
  if (diagnostics.length) throw new DiagnosticError(diagnostics);
}
