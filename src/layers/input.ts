// Input (docs/caffe-semantics.md#inputs-and-data): tops take input_param.shape (0, 1 or one per top); the net's inputs.
import type { LayerModule } from '../ir/layer-module.js';
import { atLeast, exactly } from '../ir/layer-module.js';
import { nums } from './shape-utils.js';
import { checkBlobShape, topName } from './blob-checks.js';
import type { InputParameter } from '../schema/caffe-messages.generated.js';

export const input: LayerModule<InputParameter> = {
  type: 'Input',
  paramField: 'input_param',
  bottoms: exactly(0),
  tops: atLeast(1),
  inPlace: false,
  source: true,
  infer(ctx) {
    const shapes = ctx.param.shape ?? [];
    if (shapes.length !== 0 && shapes.length !== 1 && shapes.length !== ctx.topCount) {
      ctx.fail(`must specify 'shape' once, once per top blob, or not at all: ${ctx.topCount} tops vs. ${shapes.length} shapes`, {
        msg: ctx.param,
        field: 'shape',
      });
    }
    const tops = Array.from({ length: ctx.topCount }, (_, i) => {
      const given = ctx.userShape(i);
      if (given) return given;
      if (shapes.length === 0) {
        const name = ctx.layer.top?.[i] ?? `top[${i}]`;
        ctx.fail(`top "${name}" has no shape; give one with --input ${name}=N,C,H,W`, { msg: ctx.layer, field: 'top', index: i });
      }
      const shape = shapes[shapes.length === 1 ? 0 : i];
      return checkBlobShape(ctx, [...nums(shape.dim)], `top "${topName(ctx, i)}" shape`, { msg: shape, field: 'dim' });
    });
    return { tops, params: [] };
  },
};
