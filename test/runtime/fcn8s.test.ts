// FCN-8s's structure (examples/fcn8s-deploy.prototxt: pad 100, ceil pooling, bilinear Deconvolutions, Crops,
// Eltwise fusions) compiles and runs on the default backend and matches the reference executor, at the
// smallest input the net accepts (1×3×1×1, conv1 at 199×199) and with every layer narrowed (64 → 4 … 4096 →
// 16 channels; the 21 classes kept, so the bilinear upsampling is FCN's own). Every layer, shape and
// geometry is the real net's; only the widths, and so the reference executor's minutes, are smaller. The
// net at full width runs in `npm run test:slow` (test/slow/fcn8s-full-width.test.ts), and at 1×3×500×500 in
// test/runtime/fcn8s-full.ts
// (node --conditions=brewnet-source --import tsx).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadNet } from '../../src/api/load-net.js';
import { compile } from '../../src/runtime/compile.js';
import { runReference } from '../../src/runtime/reference-executor.js';
import { repoRoot } from '../helpers/corpus.js';
import { fcnParams } from '../helpers/fcn-params.js';
import { maxRelativeError, randomTensor } from '../helpers/random-params.js';

const NARROW: Record<string, number> = { 64: 4, 128: 8, 256: 8, 512: 8, 4096: 16 };

describe('FCN-8s (narrowed)', () => {
  it('runs on the default backend and matches the reference executor', async () => {
    const full = readFileSync(`${repoRoot}/examples/fcn8s-deploy.prototxt`, 'utf8');
    const text = full.replace(/num_output: (\d+)/g, (m, n: string) => (n in NARROW ? `num_output: ${NARROW[n]}` : m));
    expect(text).not.toBe(full);
    const net = loadNet(text, { file: 'fcn8s-narrow.prototxt', inputs: { data: [1, 3, 1, 1] } });
    expect(net.layers.length).toBe(loadNet(full, { inputs: { data: [1, 3, 1, 1] } }).layers.length);
    const params = fcnParams(net, 8);
    const data = randomTensor([1, 3, 1, 1], 500, -100, 100);
    const compiled = await compile(net, { weights: params });
    const out = await compiled.forward({ data }, { blobs: ['score', 'upscore8', 'fuse_pool3'] });
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
    compiled.destroy();
  });
});
