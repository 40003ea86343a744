// The fixtures written by test/fixtures/text-format/generate.py: what Python's text_format.Parse and
// json_format.MessageToDict make of each corpus and edge-case file, and C++'s canonical text for some.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const fixtureDir = join(repoRoot, 'test', 'fixtures', 'text-format');
export const corpusDir = resolve(repoRoot, '..', 'shared', 'corpus');
export const corpusPresent = existsSync(join(corpusDir, 'MANIFEST.tsv'));

export interface TextFormatFixture {
  /** Fixture base name (the source path with / replaced by __). */
  name: string;
  /** Source path, relative to the corpus ("corpus") or to the fixture folder ("edge"). */
  file: string;
  source: 'corpus' | 'edge';
  /** MessageToDict(msg, preserving_proto_field_name=True), when Python accepted the file. */
  message?: Record<string, unknown>;
  /** Python's ParseError text, when it rejected the file, with its 1-based line and column. */
  error?: string;
  line?: number | null;
  column?: number | null;
  /** Absolute path of the source file. */
  path: string;
  /** `protoc --encode | protoc --decode` output, when the generator made one (C++ accepted the file). */
  canonical?: string;
}

export function loadFixtures(): TextFormatFixture[] {
  return readdirSync(fixtureDir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => {
      const name = f.slice(0, -'.json'.length);
      const data = JSON.parse(readFileSync(join(fixtureDir, f), 'utf8')) as Omit<TextFormatFixture, 'name' | 'path'>;
      const path = data.source === 'corpus' ? join(corpusDir, data.file) : join(fixtureDir, data.file);
      const canonicalPath = join(fixtureDir, `${name}.canonical.txt`);
      const canonical = existsSync(canonicalPath) ? readFileSync(canonicalPath, 'utf8') : undefined;
      return { ...data, name, path, canonical };
    });
}
