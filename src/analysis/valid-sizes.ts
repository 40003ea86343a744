// Input sizes a net accepts: for each spatial axis of its input(s), every size in a range is tried by
// rebuilding the net with that size (other axes as given); a size is valid when shape inference passes
// (every Crop fits, every check holds) and no blob has an empty dimension. Consecutive valid sizes are
// summarised as ranges.
import { buildNet } from '../passes/build-net.js';
import { DiagnosticError } from '../diagnostics/diagnostic.js';
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

export function validInputSizes(net: Net, range: SizeRange): AxisSizes[] {
  const shapes = sourceShapes(net);
  const spatialAxes = Math.max(0, ...[...shapes.values()].map((s) => s.length - FIRST_SPATIAL_AXIS));
  const result: AxisSizes[] = [];
  for (let j = 0; j < spatialAxes; j++) {
    const axis = FIRST_SPATIAL_AXIS + j;
    const varied = [...shapes].filter(([, s]) => s.length > axis).map(([name]) => name);
    const valid: SizeRange[] = [];
    for (let size = range.from; size <= range.to; size++) {
      const inputs = new Map([...shapes].map(([name, s]) => [name, varied.includes(name) ? s.map((d, i) => (i === axis ? size : d)) : s]));
      if (!accepts(net, inputs)) continue;
      const last = valid[valid.length - 1];
      if (last && last.to === size - 1) last.to = size;
      else valid.push({ from: size, to: size });
    }
    result.push({ axis, inputs: varied, valid });
  }
  return result;
}

function accepts(net: Net, inputs: Map<string, number[]>): boolean {
  try {
    const sized = buildNet(net.source, { phase: net.state.phase, level: net.state.level, stages: net.state.stages, inputs });
    return sized.blobVersions.every((b) => b.automatic || b.shape.every((d) => d > 0));
  } catch (e) {
    if (e instanceof DiagnosticError) return false;
    throw e;
  }
}
