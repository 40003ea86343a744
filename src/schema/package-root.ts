// Finds files shipped with the package (proto/, examples/) from both the TypeScript sources (vitest)
// and the compiled dist/ tree, whose depths differ.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let cached: string | undefined;

export function packageRoot(): string {
  if (cached) return cached;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'proto', 'caffe.proto')) && existsSync(join(dir, 'package.json'))) return (cached = dir);
    const parent = dirname(dir);
    if (parent === dir) throw new Error('brewnet: cannot find proto/caffe.proto above ' + fileURLToPath(import.meta.url));
    dir = parent;
  }
}
