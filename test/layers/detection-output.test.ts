// DetectionOutput (caffe-ssd) alone against OpenCV's dnn module and a NumPy model of caffe-ssd
// (test/fixtures/detection, made by generate.py): inputs with well-separated scores and IoUs, so every
// detection is decided by a margin; rows compared in caffe-ssd's order (image, label, descending score),
// caffe-ssd's "no detection" rows included, on the reference executor and compiled on cpu and wasm.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadNet } from '../../src/api/load-net.js';
import { compile } from '../../src/runtime/compile.js';
import { readNpy } from '../../src/runtime/npy.js';
import { runReference } from '../../src/runtime/reference-executor.js';
import type { Tensor } from '../../src/ir/tensor.js';
import { repoRoot } from '../helpers/corpus.js';

const dir = join(repoRoot, 'test', 'fixtures', 'detection');
interface DetectionCase {
  name: string;
  oracle: 'opencv' | 'numpy';
  inputs: string[];
  detections: number;
}
const cases = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as DetectionCase[];
const npy = (c: DetectionCase, file: string) => readNpy(readFileSync(join(dir, c.name, file)), file);

/** The top's rows before the padding (rows wholly -1), then the check that the rest is all padding. */
function rowsOf(top: Tensor): number[][] {
  const rows: number[][] = [];
  for (let r = 0; r * 7 < top.data.length; r++) rows.push(Array.from(top.data.subarray(r * 7, r * 7 + 7)));
  const end = rows.findIndex((row) => row.every((v) => v === -1));
  const real = end === -1 ? rows : rows.slice(0, end);
  expect(
    rows.slice(real.length).every((row) => row.every((v) => v === -1)),
    'padding rows are all -1',
  ).toBe(true);
  return real;
}

function expectRows(actual: Tensor, expected: Tensor, label: string) {
  const [a, e] = [rowsOf(actual), rowsOf(expected)];
  expect(a.length, `${label}: rows`).toBe(e.length);
  let worst = 0;
  for (let r = 0; r < e.length; r++) for (let k = 0; k < 7; k++) worst = Math.max(worst, Math.abs(a[r][k] - e[r][k]));
  expect(worst, `${label}: largest difference`).toBeLessThanOrEqual(1e-5);
}

describe('DetectionOutput against OpenCV and caffe-ssd', () => {
  it('covers the parameters and the empty cases', () => {
    expect(cases.map((c) => c.name)).toEqual(
      expect.arrayContaining(['center_cut', 'corner_unshared', 'center_vet', 'corner_size', 'batch_one_empty', 'none']),
    );
    expect(cases.find((c) => c.name === 'none')!.detections).toBe(0);
    expect(cases.filter((c) => c.oracle === 'opencv').length).toBeGreaterThanOrEqual(8);
  });

  it.each(cases)('$name ($detections detections, $oracle): reference, cpu and wasm', async (c) => {
    const net = loadNet(join(dir, c.name, 'net.prototxt'));
    const inputs = Object.fromEntries(c.inputs.map((n) => [n, npy(c, `input.${n}.npy`)]));
    const expected = npy(c, 'expected.det.npy');
    expectRows(runReference(net, new Map(), inputs).blobs.get('det')!, expected, 'reference');
    for (const backend of ['cpu', 'wasm'] as const) {
      const compiled = await compile(net, { weights: new Map(), backend });
      const out = await compiled.forward(inputs, { blobs: ['det'] });
      compiled.destroy();
      expectRows(out.det, expected, backend);
    }
  });
});
