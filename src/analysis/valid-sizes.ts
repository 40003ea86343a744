// Input sizes a net accepts: for each spatial axis of its input(s), every size in a range is tried by
// inferring the net's shapes at that size (other axes as given); a size is valid when shape inference
// passes (every Crop fits, every check holds) and no blob has an empty dimension. Consecutive valid sizes
// are summarised as ranges. The net is built once, on a copy of its own; each size re-runs only what
// depends on the input shapes (shape inference and the parameter checks), not the filtering, type checks
// and wiring of a whole build: MobileNet over 1..100000 took 37 s rebuilding per size.
import { buildNet } from '../passes/build-net.js';
import { inferShapes } from '../passes/infer-shapes.js';
import { checkParams } from '../passes/check-params.js';
import { DiagnosticError, fail } from '../diagnostics/diagnostic.js';
import type { Net } from '../ir/net.js';
import { FIRST_SPATIAL_AXIS } from './affine.js';

export interface SizeRange {
  from: number;
  to: number;
}

export interface AxisSizes {
  axis: number;
  /** The source tops whose dimension was varied together (e.g. data and label). */
  inputs: string[];
  valid: SizeRange[];
}

/** Source tops (Input, data or Python layers) with spatial axes, and their shapes. */
function sourceShapes(net: Net): Map<string, number[]> {
  const shapes = new Map<string, number[]>();
  for (const layer of net.layers) {
    if (!layer.module.source) continue;
    for (const top of layer.tops) shapes.set(top.name, [...top.shape]);
  }
  return shapes;
}

/**
 * Most layer shape rules one range may run (sizes × spatial axes × layers): a few seconds on this project's
 * machines. A small net may try 100000 sizes; MobileNet (110 layers, 2 axes) about 9000.
 */
export const MAX_SHAPE_RULES = 2_000_000;

export function validInputSizes(net: Net, range: SizeRange): AxisSizes[] {
  const shapes = sourceShapes(net);
  const spatialAxes = Math.max(0, ...[...shapes.values()].map((s) => s.length - FIRST_SPATIAL_AXIS));
  const sizes = range.to - range.from + 1;
  const perSize = Math.max(1, spatialAxes * net.layers.length);
  if (sizes * perSize > MAX_SHAPE_RULES) {
    fail(
      `--sizes ${range.from}..${range.to}: ${sizes} sizes × ${spatialAxes} axes × ${net.layers.length} layers is more shape inference than one run does (${MAX_SHAPE_RULES.toLocaleString('en-US')} layer shapes); choose a range of at most ${Math.floor(MAX_SHAPE_RULES / perSize)} sizes`,
    );
  }
  const result: AxisSizes[] = [];
  // A copy to infer shapes on (the caller's net keeps its own).
  const copy = buildNet(net.source, { phase: net.state.phase, level: net.state.level, stages: net.state.stages, inputs: shapes });
  const accepts = (inputs: Map<string, number[]>): boolean => {
    try {
      inferShapes(copy.layers, copy.state.phase, inputs);
      checkParams(copy.layers);
      return copy.blobVersions.every((b) => b.automatic || b.shape.every((d) => d > 0));
    } catch (e) {
      if (e instanceof DiagnosticError) return false;
      throw e;
    }
  };
  for (let j = 0; j < spatialAxes; j++) {
    const axis = FIRST_SPATIAL_AXIS + j;
    const varied = [...shapes].filter(([, s]) => s.length > axis).map(([name]) => name);
    const valid: SizeRange[] = [];
    for (let size = range.from; size <= range.to; size++) {
      const inputs = new Map([...shapes].map(([name, s]) => [name, varied.includes(name) ? s.map((d, i) => (i === axis ? size : d)) : s]));
      if (!accepts(inputs)) continue;
      const last = valid[valid.length - 1];
      if (last && last.to === size - 1) last.to = size;
      else valid.push({ from: size, to: size });
    }
    result.push({ axis, inputs: varied, valid });
  }
  return result;
}
