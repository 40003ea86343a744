// Top shapes of layers that read data from outside the net (docs/caffe-semantics.md#inputs-and-data): a shape given with --input
// wins; otherwise the parts Caffe takes from parameters must add up to a whole shape, or the user is asked
// for it, with the dims that are known already filled into the hint.
import type { Shape, ShapeContext } from '../ir/layer-module.js';
import { topName } from './blob-checks.js';

const HINT_LETTERS = ['N', 'C', 'H', 'W'];

/** `known` lists each dim, undefined where only the data can tell; absent when nothing is known. */
export function sourceTop(ctx: ShapeContext, index: number, known?: (number | undefined)[]): Shape {
  const given = ctx.userShape(index);
  if (given) return [...given];
  if (known && known.every((d) => d !== undefined)) return known as number[];
  const name = topName(ctx, index);
  const hint = (known ?? HINT_LETTERS.map(() => undefined)).map((d, i) => d ?? HINT_LETTERS[i] ?? `D${i}`).join(',');
  return ctx.fail(`shape of top "${name}" cannot be known statically; give it with --input ${name}=${hint}`, {
    msg: ctx.layer,
    field: 'top',
    index,
  });
}

/** A positive batch size when the parameter gives one; 0 or absent leaves it to the data. */
export function batchSize(value: unknown): number | undefined {
  const n = Number(value ?? 0);
  return n > 0 ? n : undefined;
}
