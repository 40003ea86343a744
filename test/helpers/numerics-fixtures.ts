// Loads the PyTorch numerics fixtures (test/fixtures/numerics, made by generate.py): each case's net,
// inputs, parameter blobs and expected final blob values.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadNet } from '../../src/api/load-net.js';
import type { Net } from '../../src/ir/net.js';
import { readNpy } from '../../src/runtime/npy.js';
import type { Tensor } from '../../src/ir/tensor.js';
import { repoRoot } from './corpus.js';

export const numericsDir = join(repoRoot, 'test', 'fixtures', 'numerics');

interface ManifestCase {
  name: string;
  inputs: string[];
  params: Record<string, number>;
  blobs: string[];
  /** A net script (Theano style) instead of net.prototxt, with its input shapes. */
  net?: string;
  input_shapes?: Record<string, number[]>;
}

export interface NumericsCase {
  name: string;
  dir: string;
  net: Net;
  inputs: Record<string, Tensor>;
  params: Map<string, Float32Array[]>;
  expected: Map<string, Tensor>;
}

const npy = (path: string) => readNpy(readFileSync(path), path);

export function numericsCases(): ManifestCase[] {
  return JSON.parse(readFileSync(join(numericsDir, 'manifest.json'), 'utf8')) as ManifestCase[];
}

export function loadCase(c: ManifestCase): NumericsCase {
  const dir = join(numericsDir, c.name);
  const inputs: Record<string, Tensor> = Object.fromEntries(c.inputs.map((n) => [n, npy(join(dir, `input.${n}.npy`))]));
  const params = new Map(
    Object.entries(c.params).map(([layer, k]) => [
      layer,
      Array.from({ length: k }, (_, i) => npy(join(dir, `param.${layer}.${i}.npy`)).data),
    ]),
  );
  const expected = new Map(c.blobs.map((b) => [b, npy(join(dir, `expected.${b}.npy`))]));
  return { name: c.name, dir, net: loadNet(join(dir, c.net ?? 'net.prototxt'), { inputs: c.input_shapes }), inputs, params, expected };
}
