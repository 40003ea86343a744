// Shape inference: each layer's module runs its shape rule on the bottoms' shapes, in execution order,
// as Caffe's SetUp/Reshape do. A violated check stops here with a diagnostic that names the layer and
// points at the offending field (or the layer). Shapes given with --input feed the source layers.
import { DiagnosticError, error, type SourceLocation } from '../diagnostics/diagnostic.js';
import { didYouMean } from '../diagnostics/suggest.js';
import type { Blob } from '../ir/blob.js';
import type { Layer } from '../ir/layer.js';
import type { Shape, ShapeContext } from '../layers/layer-module.js';
import { checkBlobShape, showShape } from '../layers/blob-checks.js';
import { locOf } from '../schema/message.js';
import { layerExtension } from '../ir/layer-extensions.js';
import type { Phase } from '../frontend/net-state.js';

export function inferShapes(layers: readonly Layer[], phase: Phase, inputs: ReadonlyMap<string, Shape>): void {
  const used = new Set<string>();
  for (const layer of layers) {
    const ctx = shapeContext(layer, phase, inputs, used);
    const result = layer.module.infer(ctx);
    if (result.tops.length !== layer.tops.length) {
      throw new Error(`internal: ${layer.type} rule returned ${result.tops.length} tops for ${layer.tops.length}`);
    }
    // Blob::Reshape's limits, for every rule: a shape rule need not check them itself.
    result.tops.forEach((shape, i) => checkBlobShape(ctx, shape, `top "${layer.tops[i].name}" shape`));
    result.params.forEach((shape, i) => checkBlobShape(ctx, shape, `parameter blob ${i} shape`));
    result.tops.forEach((shape, i) => {
      const top = layer.tops[i];
      // An in-place top is the bottom's memory: Caffe requires the same shape.
      const before = layer.bottoms[i]?.shape;
      if (layer.isInPlace(i) && !sameShape(before, shape)) {
        ctx.fail(`computes in place on "${top.name}" but would change its shape from ${showShape(before)} to ${showShape(shape)}`);
      }
      top.shape = [...shape];
    });
    layer.paramShapes = result.params.map((s) => [...s]);
    layer.macs = result.macs ?? 0;
    layer.spatial = result.spatial ?? (layer.module.passThrough ? { kind: 'identity' } : undefined);
    layer.outputAdjust = result.outputAdjust;
  }
  const unused = [...inputs.keys()].filter((name) => !used.has(name));
  if (unused.length) {
    const sources = layers.filter((l) => l.module.source).flatMap((l) => l.tops.map((t) => t.name));
    throw new DiagnosticError(
      unused.map((name) =>
        error(
          `--input names "${name}", which is not a top of an Input, data or Python layer`,
          undefined,
          didYouMean(name, sources) ?? (sources.length ? `the net's sources are: ${sources.join(', ')}` : 'this net has no input layers'),
        ),
      ),
    );
  }
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

function shapeContext(layer: Layer, phase: Phase, inputs: ReadonlyMap<string, Shape>, used: Set<string>): ShapeContext {
  const proto = layer.proto;
  const ownPhase = (proto.phase as Phase | undefined) ?? phase;
  return {
    name: layer.name,
    type: layer.type,
    layer: proto,
    param: layer.typeParam,
    bottoms: layer.bottoms.map((b: Blob) => Object.freeze([...b.shape]) as Shape),
    topCount: layer.tops.length,
    phase: ownPhase,
    loc: layer.loc,
    extension: layerExtension(proto),
    userShape(i) {
      const top = layer.tops[i];
      if (!layer.module.source || !top || top.automatic) return undefined;
      const shape = inputs.get(top.name);
      if (shape) used.add(top.name);
      return shape ? [...shape] : undefined;
    },
    fail(message, at): never {
      const where: SourceLocation | undefined = (at && locOf(at.msg, at.field, at.index ?? 0)) ?? layer.loc;
      throw new DiagnosticError([error(`layer "${layer.name}" (${layer.type}): ${message}`, where)]);
    },
  };
}
