// The 'js' Softmax kernel (host-kernels.ts) has a path of its own for contiguous rows (inner = 1, SSD's
// (priors, classes) scores). It must give what the general path gives bit for bit: the general path on the
// transposed data (the rows as columns, inner = rows) does the same arithmetic per column. The general path
// itself is checked against the reference in wasm-layers.test.ts.
import { describe, expect, it } from 'vitest';
import { softmaxHostKernel } from '../../src/runtime/wasm/host-kernels.js';
import { randomTensor } from '../helpers/random-params.js';

describe('Softmax js kernel: contiguous rows', () => {
  it.each([
    [1917, 21],
    [3, 1000],
    [5, 1],
  ])('%i rows of %i: the same bits as the general path over the transpose', async (rows, dim) => {
    const x = randomTensor([rows, dim], 7, -30, 30).data;
    x[0] = Infinity; // a row with an infinity and one with a NaN take the same route too
    if (rows > 1) x[dim] = NaN;
    const xt = new Float32Array(x.length);
    for (let r = 0; r < rows; r++) for (let k = 0; k < dim; k++) xt[k * rows + r] = x[r * dim + k];
    const rowsOut = await softmaxHostKernel({ kind: 'softmax', outer: rows, dim, inner: 1 }).run([x]);
    const colsOut = await softmaxHostKernel({ kind: 'softmax', outer: 1, dim, inner: rows }).run([xt]);
    for (let r = 0; r < rows; r++)
      for (let k = 0; k < dim; k++) expect(Object.is(rowsOut[r * dim + k], colsOut[k * rows + r]), `row ${r}, class ${k}`).toBe(true);
  });
});
