// Loads the oracle fixtures (test/fixtures/oracle, made by generate.py with OpenCV's dnn module or NumPy):
// each case's net, inputs, .caffemodel and the oracle's values of the compared blobs.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readNpy } from '../../src/runtime/npy.js';
import type { Tensor } from '../../src/ir/tensor.js';
import { repoRoot } from './corpus.js';

export const oracleDir = join(repoRoot, 'test', 'fixtures', 'oracle');

export interface OracleCase {
  name: string;
  oracle: 'opencv' | 'numpy' | 'torch';
  inputs: string[];
  blobs: string[];
  tolerance: number;
  /** 'detections': [1, 1, rows, 7] compared as a set of rows (rows of -1 are "no detection"). */
  compare?: 'detections';
}

export function oracleCases(): OracleCase[] {
  return JSON.parse(readFileSync(join(oracleDir, 'manifest.json'), 'utf8')) as OracleCase[];
}

const npy = (path: string) => readNpy(readFileSync(path), path);

export function oracleFiles(c: OracleCase) {
  const dir = join(oracleDir, c.name);
  return {
    dir,
    net: join(dir, 'net.prototxt'),
    /** The .caffemodel, where the net has parameter blobs. */
    weights: existsSync(join(dir, 'weights.caffemodel')) ? join(dir, 'weights.caffemodel') : undefined,
    /** CLI options giving the weights: the .caffemodel, or (no parameter blobs) any seed. */
    weightArgs: existsSync(join(dir, 'weights.caffemodel')) ? ['--weights', join(dir, 'weights.caffemodel')] : ['--seed', '0'],
    inputFiles: Object.fromEntries(c.inputs.map((n) => [n, join(dir, `input.${n}.npy`)])) as Record<string, string>,
  };
}

export function oracleInputs(c: OracleCase): Record<string, Tensor> {
  return Object.fromEntries(c.inputs.map((n) => [n, npy(join(oracleDir, c.name, `input.${n}.npy`))]));
}

export function oracleExpected(c: OracleCase): Map<string, Tensor> {
  return new Map(c.blobs.map((b) => [b, npy(join(oracleDir, c.name, `expected.${b}.npy`))]));
}

/** Largest |a − e| over the largest |e| (at least 1e-3), as the PyTorch numerics tests measure. */
export function relativeToMax(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  let scale = 1e-3;
  for (let i = 0; i < expected.length; i++) scale = Math.max(scale, Math.abs(expected[i]));
  let worst = actual.length === expected.length ? 0 : Infinity;
  for (let i = 0; i < expected.length; i++) worst = Math.max(worst, Math.abs(actual[i] - expected[i]) / scale);
  return worst;
}

/** Detection rows (image, label, score, box) without the rows of -1, sorted by image, label, then score. */
export function detectionRows(data: ArrayLike<number>): number[][] {
  const rows: number[][] = [];
  for (let r = 0; r * 7 < data.length; r++) {
    const row = Array.from({ length: 7 }, (_, k) => data[r * 7 + k]);
    if (row[0] !== -1) rows.push(row);
  }
  return rows.sort((a, b) => a[0] - b[0] || a[1] - b[1] || b[2] - a[2]);
}

/** Error of `actual` against the oracle's `expected` as the case says to compare them. */
export function oracleError(c: OracleCase, actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  if (c.compare !== 'detections') return relativeToMax(actual, expected);
  const [a, e] = [detectionRows(actual), detectionRows(expected)];
  if (a.length !== e.length) return Infinity;
  return relativeToMax(a.flat(), e.flat());
}
