// The weights fixtures (test/fixtures/weights, written by generate.py with Python's google.protobuf) and what
// generate.py says a reader must find in them.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadNet } from '../../src/index.js';
import type { Net } from '../../src/ir/net.js';

export const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'weights');

export interface Expected {
  params?: Record<string, number[][]>;
  [number: string]: unknown;
}

export const expected: Record<string, Expected> = JSON.parse(readFileSync(join(FIXTURES, 'expected.json'), 'utf8'));

export const fixture = (name: string) => join(FIXTURES, name);

/** An expected number from expected.json (offsets, lengths, indices). */
export function num(file: string, key: string): number {
  const value = expected[file]?.[key];
  if (typeof value !== 'number') throw new Error(`expected.json: no number ${key} for ${file}`);
  return value;
}

export const tinyNet = (): Net => loadNet(fixture('tiny.prototxt'), { file: 'tiny.prototxt' });
export const tinyV1Net = (): Net => loadNet(fixture('tiny-v1.prototxt'), { file: 'tiny-v1.prototxt' });

/** Float32Arrays as plain arrays, for exact comparison with expected.json. */
export function plain(params: Map<string, Float32Array[]>): Record<string, number[][]> {
  return Object.fromEntries([...params].map(([name, blobs]) => [name, blobs.map((b) => Array.from(b))]));
}
