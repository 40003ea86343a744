// Shape inference: each layer's module runs its shape rule on the bottoms' shapes, in execution order,
// as Caffe's SetUp/Reshape do. A violated check stops here with a diagnostic that names the layer and
// points at the offending field (or the layer). Shapes given with --input feed the source layers.
import { DiagnosticError, error, type SourceLocation } from '../diagnostics/diagnostic.js';
import { didYouMean } from '../diagnostics/suggest.js';
import type { Blob } from '../ir/blob.js';
import { NO_PARAMS, type Layer } from '../ir/layer.js';
import type { Shape, ShapeContext, SpatialOp } from '../ir/layer-module.js';
import { checkBlobShape, showShape, withinBlobLimits } from '../layers/blob-checks.js';
import { locOf, type Msg } from '../schema/message.js';
import { layerExtension, type LayerExtension } from '../ir/layer-extensions.js';
import type { Phase } from '../ir/net.js';
import { ShapeTable } from './shape-table.js';

export function inferShapes(layers: readonly Layer[], phase: Phase, inputs: ReadonlyMap<string, Shape>): void {
  const used = new Set<string>();
  const shapes = new ShapeTable();
  for (const layer of layers) {
    const ctx = shapeContext(layer, phase, inputs, used);
    const result = layer.module.infer(ctx);
    if (result.tops.length !== layer.tops.length) {
      throw new Error(`internal: ${layer.type} rule returned ${result.tops.length} tops for ${layer.tops.length}`);
    }
    // Blob::Reshape's limits, for every rule: a shape rule need not check them itself. (The message is
    // made only for a shape that breaks them: this runs for every top of every layer.)
    const tops = result.tops;
    const params = result.params;
    for (let i = 0; i < tops.length; i++) {
      if (!withinBlobLimits(tops[i])) checkBlobShape(ctx, tops[i], `top "${layer.tops[i].name}" shape`);
    }
    for (let i = 0; i < params.length; i++) {
      if (!withinBlobLimits(params[i])) checkBlobShape(ctx, params[i], `parameter blob ${i} shape`);
    }
    for (let i = 0; i < tops.length; i++) {
      const top = layer.tops[i];
      const shape = tops[i];
      // An in-place top is the bottom's memory: Caffe requires the same shape.
      const before = layer.bottoms[i]?.shape;
      if (layer.isInPlace(i) && !sameShape(before, shape)) {
        ctx.fail(`computes in place on "${top.name}" but would change its shape from ${showShape(before)} to ${showShape(shape)}`);
      }
      // Frozen and shared (see shape-table.ts): the next layers' rules read it without a copy of their own.
      top.shape = shapes.intern(shape);
    }
    layer.paramShapes = params.length === 0 ? NO_PARAMS : shapes.internList(params);
    layer.macs = result.macs ?? 0;
    const spatial = result.spatial;
    if (spatial === undefined) layer.spatial = layer.module.passThrough ? IDENTITY : undefined;
    else layer.spatial = spatial.kind === 'identity' ? IDENTITY : shapes.internSpatial(spatial);
    layer.outputAdjust = result.outputAdjust;
  }
  const unused = [...inputs.keys()].filter((name) => !used.has(name));
  if (unused.length) {
    const known = (l: Layer) => l.bottoms.length > 0 && l.module.knownCode?.(l) === true;
    const sources = layers.filter((l) => l.module.source && !known(l)).flatMap((l) => l.tops.map((t) => t.name));
    throw new DiagnosticError(
      unused.map((name) => {
        // A Python layer whose code brewnet runs (ENet's dropout, py-faster-rcnn's proposals) computes its tops.
        const runs = layers.find((l) => known(l) && l.tops.some((t) => t.name === name));
        if (runs)
          return error(
            `--input names "${name}", a top of layer "${runs.name}" (${runs.type}), which brewnet runs: its shape comes from the layer`,
            runs.loc,
            `drop --input ${name}`,
          );
        return error(
          `--input names "${name}", which is not a top of an Input, data or Python layer`,
          undefined,
          didYouMean(name, sources) ?? (sources.length ? `the net's sources are: ${sources.join(', ')}` : 'this net has no input layers'),
        );
      }),
    );
  }
}

/** The coordinate map of element-wise layers, shared (it carries no data). */
const IDENTITY: SpatialOp = Object.freeze({ kind: 'identity' });

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  if (a === b) return true; // interned
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function shapeContext(layer: Layer, phase: Phase, inputs: ReadonlyMap<string, Shape>, used: Set<string>): ShapeContext {
  return new LayerShapeContext(layer, phase, inputs, used);
}

/**
 * What a shape rule sees of its layer. A class rather than an object literal with closures: one is made
 * per layer, and a big net has hundreds of thousands.
 */
class LayerShapeContext implements ShapeContext {
  readonly name: string;
  readonly type: string;
  readonly layer: Msg;
  readonly param: Msg;
  readonly bottoms: readonly Shape[];
  readonly topCount: number;
  readonly phase: Phase;
  readonly extension: LayerExtension | undefined;

  constructor(
    private readonly ir: Layer,
    phase: Phase,
    private readonly inputs: ReadonlyMap<string, Shape>,
    private readonly used: Set<string>,
  ) {
    const proto = ir.proto;
    this.name = ir.name;
    this.type = ir.type;
    this.layer = proto;
    this.param = ir.typeParam;
    // Blob shapes are frozen when inferred (see above), so rules cannot change them through this.
    this.bottoms = ir.bottoms.map((b: Blob) => b.shape);
    this.topCount = ir.tops.length;
    this.phase = proto.phase ?? phase;
    this.extension = layerExtension(proto);
  }

  // Made only when asked for (a diagnostic): a location is computed from the file's line table.
  get loc(): SourceLocation | undefined {
    return this.ir.loc;
  }

  userShape(i: number): Shape | undefined {
    const top = this.ir.tops[i];
    if (!this.ir.module.source || !top || top.automatic) return undefined;
    const shape = this.inputs.get(top.name);
    if (shape) this.used.add(top.name);
    return shape ? [...shape] : undefined;
  }

  fail(message: string, at?: { msg: Msg; field: string; index?: number }): never {
    const where: SourceLocation | undefined = (at && locOf(at.msg, at.field, at.index ?? 0)) ?? this.ir.loc;
    throw new DiagnosticError([error(`layer "${this.ir.name}" (${this.ir.type}): ${message}`, where)]);
  }
}
