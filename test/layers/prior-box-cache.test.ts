// PriorBox's forward keeps the boxes it computed for its parameters and bottom shapes (they depend on
// nothing else) and hands out copies: the same values as a fresh computation on every call, for other
// shapes with the same parameters too, and a top changed by its caller does not change the next one.
import { describe, expect, it } from 'vitest';
import { priorBox } from '../../src/layers/forks/ssd.js';
import type { ForwardLayer } from '../../src/ir/layer-module.js';
import type { Msg } from '../../src/schema/message.js';

const param: Msg = {
  min_size: [60],
  max_size: [111],
  aspect_ratio: [2, 3],
  flip: true,
  clip: false,
  variance: [0.1, 0.1, 0.2, 0.2],
  offset: 0.5,
};
const tensor = (shape: number[]) => ({ shape, data: new Float32Array(shape.reduce((a, d) => a * d, 1)).fill(Math.random()) });
const run = (p: Msg, feat: number[], img: number[]) => {
  const layer: ForwardLayer = { name: 'pb', type: 'PriorBox', typeParam: p, bottoms: [{ shape: feat }, { shape: img }], tops: [] };
  return priorBox.forward!(layer, [tensor(feat), tensor(img)], [])[0];
};

describe('PriorBox computed once per parameters and shapes', () => {
  it('gives what a fresh computation gives, for two shapes in turn, after its top was changed', () => {
    const fresh = (feat: number[], img: number[]) => run(structuredClone(param), feat, img);
    const a = run(param, [1, 8, 10, 10], [1, 3, 300, 300]);
    expect(a.shape).toEqual([1, 2, 10 * 10 * 6 * 4]);
    expect(a.data).toEqual(fresh([1, 8, 10, 10], [1, 3, 300, 300]).data);
    a.data.fill(7);
    expect(run(param, [1, 8, 10, 10], [1, 3, 300, 300]).data).toEqual(fresh([1, 8, 10, 10], [1, 3, 300, 300]).data);
    const b = run(param, [1, 8, 5, 3], [1, 3, 300, 180]);
    expect(b.shape).toEqual([1, 2, 5 * 3 * 6 * 4]);
    expect(b.data).toEqual(fresh([1, 8, 5, 3], [1, 3, 300, 180]).data);
    expect(run(param, [1, 8, 10, 10], [1, 3, 300, 300]).data).toEqual(fresh([1, 8, 10, 10], [1, 3, 300, 300]).data);
  });
});
