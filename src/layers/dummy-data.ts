// DummyData (docs/caffe-semantics.md#inputs-and-data): constant-filled tops whose shapes are all in the parameters, either as
// BlobShapes (`shape`, once or once per top) or as legacy 4-D num/channels/height/width lists (each once
// or once per top); the two forms exclude each other.
//
// Forward (dummy_data_layer.cpp): each top filled by its data_filler (one for all tops, one per top, or none:
// constant 0), on the host (a plan host step). Constant fillers are exact. uniform, gaussian, xavier and msra
// draw from brewnet's own seeded stream per (layer name, top) — the same distributions as Caffe's fillers, not
// Caffe's random numbers (its one shared mt19937), and the same values on every forward pass, where Caffe
// draws again each time. gaussian with `sparse`, positive_unitball and bilinear do not run yet (a located
// diagnostic says so).
import type { LayerModule, ShapeContext } from '../ir/layer-module.js';
import { atLeast, exactly } from '../ir/layer-module.js';
import { nums } from './shape-utils.js';
import { checkBlobShape } from './blob-checks.js';
import type { DummyDataParameter, FillerParameter } from '../schema/caffe-messages.generated.js';
import type { ForwardLayer } from '../ir/layer-module.js';
import type { Tensor } from '../ir/tensor.js';

const LEGACY_FIELDS = ['num', 'channels', 'height', 'width'];

/** One value per top, or one for all: Caffe's "once, or once per top blob" rule. */
function perTop<T>(ctx: ShapeContext, values: T[], field: string): (i: number) => T {
  if (values.length !== 1 && values.length !== ctx.topCount) {
    ctx.fail(
      `must specify '${field}' once, or once per top blob (${ctx.topCount}); specified ${values.length}`,
      values.length ? { msg: ctx.param, field } : undefined,
    );
  }
  return (i) => values[values.length === 1 ? 0 : i];
}

export const dummyData: LayerModule<DummyDataParameter> = {
  type: 'DummyData',
  paramField: 'dummy_data_param',
  bottoms: exactly(0),
  tops: atLeast(1),
  inPlace: false,
  forward: dummyDataForward,
  cannotRunWhy(layer) {
    const fillers = (layer.typeParam.data_filler ?? []) as FillerParameter[];
    for (const [i, f] of fillers.entries()) {
      const type = String(f.type ?? 'constant');
      const which = fillers.length === 1 ? 'its data_filler' : `data_filler ${i}`;
      if (!DRAWN.includes(type) && type !== 'constant') {
        return { why: `${which} is of type "${type}"`, hint: `DummyData runs with the constant, ${DRAWN.join(', ')} fillers` };
      }
      if (type === 'gaussian' && Number(f.sparse ?? -1) >= 0) return { why: `${which} is a sparse gaussian filler` };
      if ((type === 'xavier' || type === 'msra') && layer.tops.some((t) => t.shape.length > 4)) {
        return { why: `${which} (${type}) reads the legacy num and channels of a top with more than 4 axes` };
      }
    }
    return undefined;
  },
  infer(ctx) {
    const p = ctx.param;
    const fillers = p.data_filler ?? [];
    if (fillers.length > 1 && fillers.length !== ctx.topCount) {
      ctx.fail(
        `number of data fillers must be 0, 1 or equal to the number of tops: ${ctx.topCount}; you specified ${fillers.length} data fillers`,
        { msg: p, field: 'data_filler' },
      );
    }
    const shapes = p.shape ?? [];
    const legacy = LEGACY_FIELDS.some((f) => nums(p[f]).length > 0);
    let shapeOf: (i: number) => number[];
    if (legacy) {
      if (shapes.length > 0) ctx.fail('both shape and legacy fields were specified', { msg: p, field: 'shape' });
      const dims = LEGACY_FIELDS.map((f) => perTop(ctx, nums(p[f]), f));
      shapeOf = (i) => dims.map((d) => d(i));
    } else {
      const shape = perTop(ctx, shapes, 'shape');
      shapeOf = (i) => nums(shape(i).dim);
    }
    const tops = Array.from({ length: ctx.topCount }, (_, i) => checkBlobShape(ctx, [...shapeOf(i)], `top ${i} shape`));
    return { tops, params: [], macs: 0 };
  },
};

const DRAWN = ['uniform', 'gaussian', 'xavier', 'msra'];

function dummyDataForward(layer: ForwardLayer): Tensor[] {
  const fillers = (layer.typeParam.data_filler ?? []) as FillerParameter[];
  return layer.tops.map((top, i) => {
    const f: FillerParameter = fillers.length === 0 ? {} : fillers[fillers.length === 1 ? 0 : i];
    const data = new Float32Array(top.shape.reduce((a, d) => a * d, 1));
    const type = String(f.type ?? 'constant');
    if (type === 'constant') return { shape: [...top.shape], data: data.fill(Number(f.value ?? 0)) };
    const random = seeded(`${layer.name}\u0000${i}`);
    const uniform = (lo: number, hi: number) => data.forEach((_, j) => (data[j] = lo + (hi - lo) * random()));
    const gaussian = (mean: number, std: number) =>
      data.forEach((_, j) => (data[j] = mean + std * Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random())));
    if (type === 'uniform') uniform(Number(f.min ?? 0), Number(f.max ?? 1));
    else if (type === 'gaussian') gaussian(Number(f.mean ?? 0), Number(f.std ?? 1));
    else {
      // XavierFiller / MSRAFiller: n from the legacy num() and channels() of the blob.
      const legacy = (axis: number) => (axis < top.shape.length ? top.shape[axis] : 1);
      const fanIn = data.length / legacy(0);
      const fanOut = data.length / legacy(1);
      const norm = String(f.variance_norm ?? 'FAN_IN');
      const n = norm === 'FAN_OUT' ? fanOut : norm === 'AVERAGE' ? (fanIn + fanOut) / 2 : fanIn;
      if (type === 'xavier') uniform(-Math.sqrt(3 / n), Math.sqrt(3 / n));
      else gaussian(0, Math.sqrt(2 / n));
    }
    return { shape: [...top.shape], data };
  });
}

/** mulberry32 seeded by FNV-1a of `stream`: uniform numbers in [0, 1), the same for the same stream. */
function seeded(stream: string): () => number {
  let h = 0x811c9dc5;
  for (let i = 0; i < stream.length; i++) h = Math.imul(h ^ stream.charCodeAt(i), 0x01000193);
  let a = h >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
