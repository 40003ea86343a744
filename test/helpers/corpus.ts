// The shared corpus of real Caffe nets lives beside the repo (../shared/corpus). Tests that read it skip,
// saying so, where it is absent: the project's own examples are enough for everything else.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const corpusDir = resolve(repoRoot, '..', 'shared', 'corpus');
export const corpusAvailable = existsSync(join(corpusDir, 'MANIFEST.tsv'));

if (!corpusAvailable) {
  console.warn(`[brewnet tests] corpus absent at ${corpusDir}: corpus tests are skipped`);
}

/** Paths (relative to the corpus) of every file in MANIFEST.tsv. */
export function corpusFiles(): string[] {
  if (!corpusAvailable) return [];
  const lines = readFileSync(join(corpusDir, 'MANIFEST.tsv'), 'utf8').trim().split('\n').slice(1);
  return lines.map((line) => line.split('\t')[0]);
}

export function corpusPath(file: string): string {
  return join(corpusDir, file);
}
