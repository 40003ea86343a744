// Every layer type against PyTorch (float64, test/fixtures/numerics/generate.py): the reference executor
// and the gpu.js kernels on the cpu and webasm backends (and wasm: native kernels where a layer has one) agree with it within 1e-4 of each blob's largest
// magnitude (an absolute floor of 1e-3 for blobs near zero). headlessgl runs where a display and the native
// gl module are available.
import { GPU } from 'gpu.js';
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { compile, resolveWeights } from '../../src/runtime/compile.js';
import { runReference } from '../../src/runtime/reference-executor.js';
import type { Tensor } from '../../src/ir/tensor.js';
import { loadCase, numericsCases } from '../helpers/numerics-fixtures.js';
import { maxRelativeError } from '../helpers/random-params.js';

const TOLERANCE = 1e-4;

function expectClose(actual: Record<string, Tensor> | Map<string, Tensor>, expected: Map<string, Tensor>): void {
  for (const [name, want] of expected) {
    const got = actual instanceof Map ? actual.get(name) : actual[name];
    expect(got, `blob ${name}`).toBeDefined();
    expect(got!.shape, `shape of ${name}`).toEqual(want.shape);
    const err = maxRelativeError(got!.data, want.data);
    expect(err, `blob ${name}: max error ${err}`).toBeLessThanOrEqual(TOLERANCE);
  }
}

const glReady = GPU.isHeadlessGLSupported;
if (!glReady) console.log('numerics: headlessgl skipped: no X display or no built native "gl" module (run under xvfb-run with gl built)');

describe.each(numericsCases())('numerics case $name', (entry) => {
  const c = loadCase(entry);

  it('reference executor matches PyTorch', () => {
    expectClose(runReference(c.net, c.params, c.inputs).blobs, c.expected);
  });

  it('the same parameters read from its .caffemodel (V1 layers for the V1 net) give the same values', () => {
    const { params } = resolveWeights(c.net, { weights: join(c.dir, 'weights.caffemodel') });
    expectClose(runReference(c.net, params, c.inputs).blobs, c.expected);
  });

  it.each(['cpu', 'webasm', 'wasm'] as const)('backend %s matches PyTorch', async (backend) => {
    const net = await compile(c.net, { weights: c.params, backend });
    const out = await net.forward(c.inputs, { blobs: 'all' });
    expect(net.backend).toBe(backend);
    expectClose(out, c.expected);
    net.destroy();
  });

  it.skipIf(!glReady)('gpu.js headlessgl matches PyTorch', async () => {
    const net = await compile(c.net, { weights: c.params, backend: 'headlessgl' });
    const out = await net.forward(c.inputs, { blobs: 'all' });
    expect(net.backend).toBe('headlessgl');
    expectClose(out, c.expected);
    net.destroy();
  });
});
