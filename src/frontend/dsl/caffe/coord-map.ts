// caffe.coord_map's crop() and coord_map_from_to() (docs/caffe-semantics.md#coordinate-maps) in the sandbox. The walk is
// pycaffe's: from each top back through its layer's inputs (a Crop's first input only), composing the
// layers' maps, until the two walks meet. Each layer's map comes from its typed parameters through
// brewnet's exact affine maps (fractions, so "is the offset an integer" is decided exactly), and needs
// no shapes: like pycaffe it works on nets Caffe could not build (a convolution over two differently
// sized bottoms, 3-D pooling), which test_coord_map.py relies on. The failures keep pycaffe's messages:
// "Could not compute map between tops; are they connected by spatial layers?" (RuntimeError) and the
// three crop assertions. Where pycaffe trips on its own reading of the keywords (pooling_param=dict(…),
// kernel_h/kernel_w, a pass-through-only path) the map the net actually has is used.
import { compose, FIRST_SPATIAL_AXIS, inverse, opMap, type AffineMap } from '../../../analysis/affine.js';
import { offsetsFromMap } from '../../../analysis/crop-offsets.js';
import { ONE, ZERO } from '../../../analysis/fraction.js';
import { UNCONNECTED } from '../../../analysis/map-between.js';
import type { SpatialOp } from '../../../ir/layer-module.js';
import { nums } from '../../../layers/shape-utils.js';
import type { Msg } from '../../../schema/message.js';
import { PyError, typeError } from '../errors.js';
import { hashKey } from '../operators.js';
import { PyBuiltin, PyDict, PyList, PyTuple, typeName, type PyValue, type Runtime } from '../values.js';
import { LayerTop, makeLayer, type LayerFunction } from './net-spec.js';
import { emitLayer, newEmitState } from './net-spec.js';
import type { LayerParameter } from '../../../schema/caffe-messages.generated.js';

/** pycaffe's PASS_THROUGH_LAYERS: element-wise layers whose map is the identity on any axis. */
const PASS_THROUGH = new Set([
  'AbsVal',
  'BatchNorm',
  'Bias',
  'BNLL',
  'Dropout',
  'Eltwise',
  'ELU',
  'Log',
  'LRN',
  'Exp',
  'MVN',
  'Power',
  'ReLU',
  'PReLU',
  'Scale',
  'Sigmoid',
  'Split',
  'TanH',
  'Threshold',
]);

/** A layer's map from bottom to top coordinates; `axis` in pycaffe's convention (the channel axis). */
type LayerMap = { axis: number | null; map: AffineMap } | undefined;

/** Values given once broadcast to `n` axes, as numpy broadcasts pycaffe's arrays. */
function broadcast(values: number[], n: number, what: string): number[] {
  if (values.length === n) return values;
  if (values.length === 1) return new Array(n).fill(values[0]);
  throw new PyError('ValueError', `operands could not be broadcast together: ${what} has ${values.length} values for ${n} axes`);
}

function given(p: Msg, repeated: string, base: string, fallback: number | undefined): number[] | undefined {
  const list = nums(p[repeated]);
  if (list.length) return list;
  if (p[`${base}_h`] !== undefined || p[`${base}_w`] !== undefined)
    return [Number(p[`${base}_h`] ?? fallback ?? 0), Number(p[`${base}_w`] ?? fallback ?? 0)];
  return fallback === undefined ? undefined : [fallback];
}

function windowMap(kind: 'window' | 'transpose', p: Msg, axis: number): LayerMap {
  const kernel = given(p, 'kernel_size', 'kernel', undefined);
  if (!kernel) return undefined;
  const stride = given(p, 'stride', 'stride', 1)!;
  const pad = given(p, 'pad', 'pad', 0)!;
  const dilation = given(p, 'dilation', 'dilation', 1)!;
  const n = Math.max(kernel.length, stride.length, pad.length, dilation.length);
  const strides = broadcast(stride, n, 'stride');
  // pycaffe divides by the stride (numpy: inf, then its crop assertions trip); Caffe refuses the layer.
  const bad = strides.find((v) => !(v > 0));
  if (bad !== undefined) {
    throw new PyError('ZeroDivisionError', `coord_map: a stride of ${bad} has no coordinate map (Caffe requires stride ≥ 1)`);
  }
  const op: SpatialOp = {
    kind,
    firstAxis: FIRST_SPATIAL_AXIS,
    kernel: broadcast(kernel, n, 'kernel_size'),
    stride: strides,
    pad: broadcast(pad, n, 'pad'),
    dilation: broadcast(dilation, n, 'dilation'),
  };
  return { axis, map: opMap(op, n) };
}

function layerMap(layer: LayerParameter): LayerMap | 'identity' {
  const type = String(layer.type);
  if (PASS_THROUGH.has(type)) return 'identity';
  switch (type) {
    case 'Convolution':
    case 'Im2col':
    case 'Deconvolution': {
      const p = layer.convolution_param ?? {};
      return windowMap(type === 'Deconvolution' ? 'transpose' : 'window', p, Number(p.axis ?? 1));
    }
    case 'Pooling': {
      const p = layer.pooling_param ?? {};
      // Global pooling leaves no position: the map ends there, as for any layer without one.
      if (p.global_pooling) return undefined;
      // PoolingParameter's kernel_size, stride and pad are single values, not lists.
      const list = (v: number | undefined) => (v === undefined ? undefined : [v]);
      return windowMap('window', { ...p, kernel_size: list(p.kernel_size), stride: list(p.stride), pad: list(p.pad) }, 1);
    }
    case 'Crop': {
      const p = layer.crop_param ?? {};
      const offsets = nums(p.offset);
      const offset = offsets.length ? offsets : [0];
      return { axis: Number(p.axis ?? 2) - 1, map: opMap({ kind: 'crop', firstAxis: FIRST_SPATIAL_AXIS, offset }, offset.length) };
    }
    default:
      return undefined;
  }
}

interface AxisMap {
  axis: number | null;
  map: AffineMap;
}

/** pycaffe's compose(base, next) = base ∘ next, with its axis rule and numpy's broadcasting. */
function composeMaps(base: AxisMap, next: AxisMap): AxisMap {
  let axis: number | null;
  if (base.axis === null) axis = next.axis;
  else if (next.axis === null || base.axis === next.axis) axis = base.axis;
  else throw new PyError('AxisMismatchException', `the maps work on different axes (${base.axis} and ${next.axis})`);
  const n = Math.max(base.map.length, next.map.length);
  const widen = (m: AffineMap) => (m.length === n ? m : m.length === 1 ? new Array(n).fill(m[0]) : undefined);
  const [b, x] = [widen(base.map), widen(next.map)];
  if (!b || !x)
    throw new PyError('ValueError', `operands could not be broadcast together with shapes (${base.map.length},) (${next.map.length},)`);
  return { axis, map: compose(b, x) };
}

const IDENTITY: AxisMap = { axis: null, map: [{ a: ONE, b: ZERO }] };

/** coord_to = a·coord_from + b (pycaffe's coord_map_from_to). */
function mapFromTo(from: LayerTop, to: LayerTop, rt: Runtime): AxisMap {
  // The layers' typed parameters, routed and converted as to_proto would (leniently: this net may
  // never be serialised, and its Deconvolution may carry bare keywords, as in test_coord_map.py).
  const state = newEmitState(rt, { lenient: true });
  emitLayer(from.fn, state);
  emitLayer(to.fn, state);
  const mapOf = (fn: LayerFunction) => layerMap(state.layers.get(fn)!);

  const walk = (start: LayerTop, visit: (top: LayerTop, map: AxisMap) => AxisMap | undefined): AxisMap | undefined => {
    const maps = new Map<LayerTop, AxisMap>([[start, IDENTITY]]);
    const frontier: LayerTop[] = [start];
    while (frontier.length) {
      const top = frontier.shift()!;
      const found = visit(top, maps.get(top)!);
      if (found) return found;
      const m = mapOf(top.fn);
      if (m === undefined) continue;
      const step: AxisMap = m === 'identity' ? IDENTITY : m;
      const bottoms = top.fn.layerType === 'Crop' ? top.fn.inputs.slice(0, 1) : top.fn.inputs;
      for (const bottom of bottoms) {
        if (maps.has(bottom)) continue;
        maps.set(bottom, composeMaps(maps.get(top)!, step));
        frontier.push(bottom);
      }
    }
    return undefined;
  };

  const fromMaps = new Map<LayerTop, AxisMap>();
  walk(from, (top, map) => {
    fromMaps.set(top, map);
    return undefined;
  });
  const result = walk(to, (top, map) => {
    const f = fromMaps.get(top);
    return f ? composeMaps(map, { axis: f.axis, map: inverse(f.map) }) : undefined;
  });
  if (!result) throw new PyError('RuntimeError', UNCONNECTED);
  return result;
}

function tops(args: PyValue[], name: string): [LayerTop, LayerTop] {
  if (args.length !== 2) throw typeError(`${name}() takes 2 positional arguments but ${args.length} were given`);
  args.forEach((a, i) => {
    if (!(a instanceof LayerTop)) throw typeError(`${name}() argument ${i + 1} must be a Top, not ${typeName(a)}`);
  });
  return args as [LayerTop, LayerTop];
}

export const cropBuiltin = new PyBuiltin('crop', (args, kwargs, rt) => {
  const [from, to] = tops(args, 'crop');
  if (kwargs.size) throw typeError(`crop() got an unexpected keyword argument '${[...kwargs.keys()][0]}'`);
  const { axis, map } = mapFromTo(from, to, rt);
  // As many offsets as pycaffe's arrays have entries: one when the layers' parameters were given once.
  const offset = offsetsFromMap(map);
  if (typeof offset === 'string') throw new PyError('AssertionError', offset);
  const param = new PyDict();
  // A pass-through-only path has no axis (pycaffe fails there); Crop's default axis 2 is meant.
  param.entries.set(hashKey('axis'), ['axis', BigInt((axis ?? 1) + 1)]);
  param.entries.set(hashKey('offset'), ['offset', new PyList(offset.map((o) => BigInt(o)))]);
  return makeLayer('Crop', [from, to], new Map([['crop_param', param]]), rt);
});

export const coordMapFromToBuiltin = new PyBuiltin('coord_map_from_to', (args, _kwargs, rt) => {
  const [from, to] = tops(args, 'coord_map_from_to');
  const { axis, map } = mapFromTo(from, to, rt);
  const numbers = (xs: number[]) => new PyList(xs);
  return new PyTuple([
    axis === null ? null : BigInt(axis),
    numbers(map.map((m) => m.a.toNumber())),
    numbers(map.map((m) => m.b.toNumber())),
  ]);
});
