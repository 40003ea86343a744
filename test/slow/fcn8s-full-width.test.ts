// FCN-8s (examples/fcn8s-deploy.prototxt: pad 100, ceil pooling, bilinear Deconvolutions, Crops) compiles and
// runs on the default backend and matches the reference executor, at its full widths: a slow check (minutes
// of the reference executor), run by `npm run test:slow` and CI; `npm test` runs the same net narrowed
// (test/runtime/fcn8s.test.ts). The acceptance size 1×3×500×500 takes
// minutes on two cores (182 G multiply-accumulates); the test runs the smallest input the net accepts
// (1×3×1×1: still 12.5 G MACs, conv1 at 199×199) and test/runtime/fcn8s-full.ts runs the full size (node --import tsx).
import { describe, expect, it } from 'vitest';
import { loadNet } from '../../src/api/load-net.js';
import { compile } from '../../src/runtime/compile.js';
import { runReference } from '../../src/runtime/reference-executor.js';
import { repoRoot } from '../helpers/corpus.js';
import { fcnParams } from '../helpers/fcn-params.js';
import { maxRelativeError, randomTensor } from '../helpers/random-params.js';

describe('FCN-8s', () => {
  it('runs on the default backend and matches the reference executor', { timeout: 400_000 }, async () => {
    const net = loadNet(`${repoRoot}/examples/fcn8s-deploy.prototxt`, { inputs: { data: [1, 3, 1, 1] } });
    const params = fcnParams(net, 8);
    const data = randomTensor([1, 3, 1, 1], 500, -100, 100);
    const compiled = await compile(net, { weights: params });
    const out = await compiled.forward({ data }, { blobs: ['score', 'upscore8', 'fuse_pool3'] });
    console.log(`FCN-8s at 1×3×1×1 ran on ${compiled.backend}`);
    const reference = runReference(net, params, { data }).blobs;
    expect(out.score.shape).toEqual([1, 21, 1, 1]);
    for (const name of ['score', 'upscore8', 'fuse_pool3']) {
      const want = reference.get(name)!.data;
      expect(
        want.some((v) => v !== 0),
        `${name} is not all zero`,
      ).toBe(true);
      expect(maxRelativeError(out[name].data, want), name).toBeLessThanOrEqual(1e-4);
    }
  });
});
