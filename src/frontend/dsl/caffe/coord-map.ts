// caffe.coord_map's crop() and coord_map_from_to() (REFERENCE §4.4) on brewnet's exact coordinate maps
// of the net built so far. The failures keep pycaffe's messages: "Could not compute map between tops;
// are they connected by spatial layers?" (RuntimeError) and the three crop assertions (scale mismatch,
// negative offset, non-integer offset). Where pycaffe trips on its own reading of the keywords
// (pooling_param=dict(…), a pass-through-only path) brewnet computes the map the net actually has.
import { computeCoordMaps } from '../../../analysis/coord-maps.js';
import { offsetsFromMap } from '../../../analysis/crop-offsets.js';
import { mapBetween, MapError } from '../../../analysis/map-between.js';
import type { AffineMap } from '../../../analysis/affine.js';
import { DiagnosticError, formatLocation } from '../../../diagnostics/diagnostic.js';
import { PyError, typeError } from '../errors.js';
import { PyBuiltin, PyDict, PyList, PyTuple, typeName, type PyValue, type Runtime } from '../values.js';
import { hashKey } from '../operators.js';
import { LayerTop, makeLayer } from './net-spec.js';
import { buildPartialNet } from './partial-net.js';

function tops(args: PyValue[], name: string): [LayerTop, LayerTop] {
  if (args.length !== 2) throw typeError(`${name}() takes 2 positional arguments but ${args.length} were given`);
  args.forEach((a, i) => {
    if (!(a instanceof LayerTop)) throw typeError(`${name}() argument ${i + 1} must be a Top, not ${typeName(a)}`);
  });
  return args as [LayerTop, LayerTop];
}

/** coord_to = a·coord_from + b, per spatial axis, between two tops of the net under construction. */
function mapFromTo(from: LayerTop, to: LayerTop, rt: Runtime): AffineMap {
  let partial;
  try {
    partial = buildPartialNet([from, to], rt, { standIns: true });
  } catch (e) {
    if (e instanceof DiagnosticError) {
      const d = e.diagnostics[0];
      const where = d.location ? ` (${formatLocation(d.location)})` : '';
      throw new PyError('RuntimeError', `cannot build the net so far to compute its coordinate maps: ${d.message}${where}`, undefined, d.hint);
    }
    throw e;
  }
  const maps = computeCoordMaps(partial.net).maps;
  try {
    return mapBetween(maps, partial.blobOf(from), partial.blobOf(to));
  } catch (e) {
    if (e instanceof MapError) throw new PyError('RuntimeError', e.message);
    throw e;
  }
}

export const cropBuiltin = new PyBuiltin('crop', (args, kwargs, rt) => {
  const [from, to] = tops(args, 'crop');
  if (kwargs.size) throw typeError(`crop() got an unexpected keyword argument '${[...kwargs.keys()][0]}'`);
  const offsets = offsetsFromMap(mapFromTo(from, to, rt));
  if (typeof offsets === 'string') throw new PyError('AssertionError', offsets);
  // One offset when every axis agrees (pycaffe gives one per axis only when the layers' parameters were
  // given per axis; the Crop layer means the same either way).
  const offset = offsets.every((o) => o === offsets[0]) ? [offsets[0]] : offsets;
  const param = new PyDict();
  param.entries.set(hashKey('axis'), ['axis', 2n]);
  param.entries.set(hashKey('offset'), ['offset', new PyList(offset.map((o) => BigInt(o)))]);
  return makeLayer('Crop', [from, to], new Map([['crop_param', param]]), rt);
});

export const coordMapFromToBuiltin = new PyBuiltin('coord_map_from_to', (args, _kwargs, rt) => {
  const [from, to] = tops(args, 'coord_map_from_to');
  const map = mapFromTo(from, to, rt);
  // (axis, a, b) with pycaffe's axis convention (the channel axis, 1).
  return new PyTuple([1n, new PyList(map.map((m) => m.a.toNumber())), new PyList(map.map((m) => m.b.toNumber()))]);
});
