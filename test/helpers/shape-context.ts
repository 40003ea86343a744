// Builds the ShapeContext a layer's shape rule sees, without parsing a net: tests state the bottoms and
// the parameter message directly. fail() throws `layer "<name>" (<Type>): <message>` and keeps the field
// it pointed at, so tests can check both. Bottoms are frozen: a rule that mutates its input throws.
import type { Shape, ShapeContext, ShapeResult } from '../../src/ir/layer-module.js';
import { layerModule } from '../../src/layers/registry.js';
import type { Msg } from '../../src/schema/message.js';

export interface ContextOptions {
  type: string;
  /** The layer's own `*_param` message (plain object; enums by name). */
  param?: Msg;
  bottoms: Shape[];
  topCount: number;
  name?: string;
  phase?: 'TRAIN' | 'TEST';
  /** Shapes given with --input, by top index. */
  userShapes?: Record<number, Shape>;
  /** Other LayerParameter fields: transform_param, param specs, bottom/top names, … */
  layer?: Msg;
}

export class ShapeFailure extends Error {
  field?: string;
  index?: number;
}

export function makeContext(options: ContextOptions): ShapeContext {
  const name = options.name ?? 'layer';
  const param = options.param ?? {};
  const paramField = layerModule(options.type)?.paramField;
  const layer: Msg = { name, type: options.type, ...(paramField ? { [paramField]: param } : {}), ...options.layer };
  const bottoms = Object.freeze(options.bottoms.map((b) => Object.freeze([...b]) as Shape));
  return {
    name,
    type: options.type,
    layer,
    param,
    bottoms,
    topCount: options.topCount,
    phase: options.phase ?? 'TEST',
    userShape: (i) => options.userShapes?.[i],
    fail(message, at) {
      const failure = new ShapeFailure(`layer "${name}" (${options.type}): ${message}`);
      failure.field = at?.field;
      failure.index = at?.index;
      throw failure;
    },
  };
}

/** Runs the registered module's shape rule for `options.type`. */
export function infer(options: ContextOptions): ShapeResult {
  const module = layerModule(options.type);
  if (!module) throw new Error(`no module registered for ${options.type}`);
  return module.infer(makeContext(options));
}

/** Runs a rule that must fail, and returns what it threw. */
export function failure(options: ContextOptions): ShapeFailure {
  try {
    infer(options);
  } catch (e) {
    if (e instanceof ShapeFailure) return e;
    throw e;
  }
  throw new Error(`expected ${options.type} to fail`);
}

/** Top shapes only, the usual thing to compare. */
export function tops(options: ContextOptions): Shape[] {
  return infer(options).tops;
}
