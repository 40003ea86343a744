// Reshape (docs/caffe-semantics.md#reshape): replaces bottom axes [start, end) by shape.dim, where 0 copies the
// bottom dim at the same position and one −1 is inferred from the count. `axis` is special: a negative
// value counts from one past the last axis (num_axes + axis + 1), so −1 means "append".
import type { LayerModule } from '../ir/layer-module.js';
import { exactly } from '../ir/layer-module.js';
import { count, nums } from './shape-utils.js';
import { showShape } from './blob-checks.js';
import { aliasForward, aliasLower } from './alias.js';
import type { BlobShape, ReshapeParameter } from '../schema/caffe-messages.generated.js';

export const reshape: LayerModule<ReshapeParameter> = {
  type: 'Reshape',
  paramField: 'reshape_param',
  bottoms: exactly(1),
  tops: exactly(1),
  inPlace: false,
  forward: aliasForward,
  lower: aliasLower,
  infer(ctx) {
    const p = ctx.param;
    const shapeMsg: BlobShape = p.shape ?? {};
    const dims = nums(shapeMsg.dim);
    const bottom = ctx.bottoms[0];
    const at = (field: string) => ({ msg: p, field });

    let inferred = -1;
    dims.forEach((d, i) => {
      if (d === -1) {
        if (inferred !== -1)
          ctx.fail('new shape contains multiple -1 dims; at most a single (1) value of -1 may be specified', {
            msg: shapeMsg,
            field: 'dim',
            index: i,
          });
        inferred = i;
      } else if (d < -1) {
        ctx.fail(`new shape dim ${i} is ${d}; dims must be positive, 0 (copy) or -1 (infer)`, { msg: shapeMsg, field: 'dim', index: i });
      }
    });

    const axis = Number(p.axis ?? 0);
    const start = axis >= 0 ? axis : bottom.length + axis + 1;
    if (start < 0) ctx.fail(`axis ${axis} out of range`, at('axis'));
    if (start > bottom.length) ctx.fail(`axis ${axis} out of range for ${bottom.length}-D input blob`, at('axis'));
    const numAxes = Number(p.num_axes ?? -1);
    if (numAxes < -1) ctx.fail('num_axes must be >= 0, or -1 for all', at('num_axes'));
    const end = numAxes === -1 ? bottom.length : start + numAxes;
    if (end > bottom.length)
      ctx.fail(`end_axis = axis + num_axes is out of range (${start} + ${numAxes} > ${bottom.length} axes)`, at('num_axes'));

    const top = [...bottom.slice(0, start), ...dims, ...bottom.slice(end)];
    dims.forEach((d, j) => {
      if (d !== 0) return;
      if (start + j >= bottom.length) {
        ctx.fail('new shape contains a 0, but there was no corresponding bottom axis to copy', { msg: shapeMsg, field: 'dim', index: j });
      }
      top[start + j] = bottom[start + j];
    });
    const bottomCount = count(bottom);
    if (inferred >= 0) {
      const explicit = top.reduce((n, d, i) => (i === start + inferred ? n : n * d), 1);
      if (explicit === 0 || bottomCount % explicit !== 0) {
        ctx.fail(`bottom count (${bottomCount}) must be divisible by the product of the specified dimensions (${explicit})`, {
          msg: shapeMsg,
          field: 'dim',
          index: inferred,
        });
      }
      top[start + inferred] = bottomCount / explicit;
    }
    if (count(top) !== bottomCount) {
      ctx.fail(`output count must match input count: ${showShape(top)} (${count(top)}) vs. bottom ${showShape(bottom)} (${bottomCount})`, {
        msg: p,
        field: 'shape',
      });
    }
    return { tops: [top], params: [], macs: 0 };
  },
};
