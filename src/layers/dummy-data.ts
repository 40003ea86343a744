// DummyData (docs/caffe-semantics.md#inputs-and-data): constant-filled tops whose shapes are all in the parameters, either as
// BlobShapes (`shape`, once or once per top) or as legacy 4-D num/channels/height/width lists (each once
// or once per top); the two forms exclude each other.
import type { LayerModule, ShapeContext } from '../ir/layer-module.js';
import { atLeast, exactly } from '../ir/layer-module.js';
import { nums } from './shape-utils.js';
import { checkBlobShape } from './blob-checks.js';
import type { DummyDataParameter } from '../schema/caffe-messages.generated.js';

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
