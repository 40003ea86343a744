// The PyTorch numerics cases (test/fixtures/numerics/generate.py) ship each net's parameters twice: as .npy
// files and as a weights.caffemodel encoded by google.protobuf (V1 `layers` with legacy 4-D dims for the V1
// case). loadWeights must give exactly the .npy values, so the runtime can run from either.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadWeights } from '../../src/weights/match-weights.js';
import { loadCase, numericsCases } from '../helpers/numerics-fixtures.js';

describe.each(numericsCases())('numerics case $name', (entry) => {
  it('weights.caffemodel holds exactly the .npy parameters', () => {
    const c = loadCase(entry);
    const { params, warnings } = loadWeights(c.net, join(c.dir, 'weights.caffemodel'));
    expect(warnings).toEqual([]);
    expect([...params.keys()].sort()).toEqual([...c.params.keys()].sort());
    for (const [layer, blobs] of c.params) expect(params.get(layer), layer).toEqual(blobs);
  });
});
