// py-faster-rcnn's region proposals (the Python ProposalLayer and OpenCV's Proposal type) alone, against a
// NumPy model of py-faster-rcnn and OpenCV's dnn module (test/fixtures/proposal, made by generate.py): the
// real rows only (R, known after NMS), on the reference executor and compiled on cpu and wasm.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadNet } from '../../src/api/load-net.js';
import { buildPlan } from '../../src/runtime/build-plan.js';
import { compile } from '../../src/runtime/compile.js';
import { readNpy } from '../../src/runtime/npy.js';
import { runReference } from '../../src/runtime/reference-executor.js';
import type { Tensor } from '../../src/ir/tensor.js';
import { repoRoot } from '../helpers/corpus.js';

const dir = join(repoRoot, 'test', 'fixtures', 'proposal');
interface ProposalCase {
  name: string;
  inputs: string[];
  blobs: string[];
  rows: number;
  bound: number;
  opencv: boolean;
  filtered: number;
}
const cases = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as ProposalCase[];
const npy = (c: ProposalCase, file: string) => readNpy(readFileSync(join(dir, c.name, file)), file);

/** Largest difference, after checking the shapes agree (boxes in pixels: float32 rounding of values up to ~200). */
function difference(actual: Tensor, expected: Tensor): number {
  expect(actual.shape).toEqual(expected.shape);
  let worst = 0;
  for (let i = 0; i < expected.data.length; i++) worst = Math.max(worst, Math.abs(actual.data[i] - expected.data[i]));
  return worst;
}

describe('Proposal against py-faster-rcnn (NumPy) and OpenCV', () => {
  it('covers the Python layer, the Proposal type, the min_size filter and the top-N cuts', () => {
    expect(cases.map((c) => c.name)).toEqual(['python_vgg', 'python_rois_only', 'python_min_size', 'proposal_cuts']);
    expect(cases.filter((c) => c.opencv).length).toBe(3);
    expect(cases.find((c) => c.name === 'python_min_size')!.filtered).toBeGreaterThan(0);
    expect(cases.find((c) => c.name === 'proposal_cuts')!.rows).toBe(25);
  });

  it.each(cases)('$name: $rows of at most $bound rows on reference, cpu and wasm', async (c) => {
    const net = loadNet(join(dir, c.name, 'net.prototxt'));
    const plan = buildPlan(net);
    const rois = plan.values[plan.blobs.find(([b]) => b === 'rois')![1]];
    expect(rois.shape, 'planned at the bound').toEqual([c.bound, 5]);
    const inputs = Object.fromEntries(c.inputs.map((n) => [n, npy(c, `input.${n}.npy`)]));
    const ref = runReference(net, new Map(), inputs).blobs;
    for (const blob of c.blobs)
      expect(difference(ref.get(blob)!, npy(c, `expected.${blob}.npy`)), `reference ${blob}`).toBeLessThanOrEqual(1e-4);
    for (const backend of ['cpu', 'wasm'] as const) {
      const compiled = await compile(net, { weights: new Map(), backend });
      const out = await compiled.forward(inputs, { blobs: c.blobs });
      compiled.destroy();
      for (const blob of c.blobs)
        expect(difference(out[blob], npy(c, `expected.${blob}.npy`)), `${backend} ${blob}`).toBeLessThanOrEqual(1e-4);
    }
  });
});
