// The repository root, found from this file's location, so the benchmark runs the same from bench/ (tsx)
// and from dist/bench/ (compiled).
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The nearest folder above this file with brewnet's package.json. */
export function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json')) || !readFileSync(join(dir, 'package.json'), 'utf8').includes('"name": "brewnet"')) {
    const up = dirname(dir);
    if (up === dir) throw new Error('cannot find the brewnet repository root');
    dir = up;
  }
  return dir;
}
