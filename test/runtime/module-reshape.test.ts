// A compiled module travels: moved with its .caffemodel to a folder outside the repository (where only
// brewnet and gpu.js are installed), it finds its weights by a path relative to itself, and runs inputs of
// another batch and size than it was compiled for, rebuilding its plan for them — checked in a fresh process
// against the reference executor at those shapes.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileCommand } from '../../src/cli/compile-command.js';
import { loadNet } from '../../src/api/load-net.js';
import { runReference } from '../../src/runtime/reference-executor.js';
import { loadWeights } from '../../src/weights/match-weights.js';
import { repoRoot } from '../helpers/corpus.js';
import { numericsDir } from '../helpers/numerics-fixtures.js';
import { maxRelativeError } from '../helpers/random-params.js';

const RUNNER = `
import { writeFileSync } from 'node:fs';
import { writeNpy } from 'brewnet/runtime';
import { createNet } from './model/net.mjs';
const net = await createNet({ backend: 'cpu' });
const out = {};
for (const shape of [[3, 4, 9, 9], [1, 4, 12, 10], [3, 4, 9, 9]]) {
  const n = shape.reduce((a, b) => a * b, 1);
  const data = Float32Array.from({ length: n }, (_, i) => Math.sin(i * 0.37));
  const result = await net.forward({ data: { shape, data } });
  out[shape.join('x')] = Object.fromEntries(Object.entries(result).map(([k, t]) => [k, { shape: t.shape, data: Array.from(t.data) }]));
}
net.destroy();
writeFileSync('out.json', JSON.stringify(out));
`;

describe('a compiled module outside the repository', () => {
  it('loads its weights relative to itself and runs a new batch and size', () => {
    if (!existsSync(join(repoRoot, 'dist', 'src', 'runtime', 'index.js'))) throw new Error('dist/ is not built: run npm run build');
    const work = mkdtempSync(join(tmpdir(), 'brewnet-travel-'));
    try {
      // Compiled where the weights are, then the folder moved elsewhere: the module's path to them is relative.
      const build = join(work, 'build');
      mkdirSync(build);
      const prototxt = join(numericsDir, 'conv', 'net.prototxt');
      copyFileSync(join(numericsDir, 'conv', 'weights.caffemodel'), join(build, 'weights.caffemodel'));
      compileCommand(prototxt, { weights: join(build, 'weights.caffemodel'), output: join(build, 'net.mjs'), backend: 'cpu' });
      const source = readFileSync(join(build, 'net.mjs'), 'utf8');
      expect(source).toContain('new URL("./weights.caffemodel", import.meta.url)');
      expect(source).not.toContain(work);

      const project = join(work, 'project');
      mkdirSync(join(project, 'node_modules'), { recursive: true });
      symlinkSync(repoRoot, join(project, 'node_modules', 'brewnet'), 'dir');
      symlinkSync(join(repoRoot, 'node_modules', 'gpu.js'), join(project, 'node_modules', 'gpu.js'), 'dir');
      mkdirSync(join(project, 'model'));
      for (const f of ['net.mjs', 'weights.caffemodel']) copyFileSync(join(build, f), join(project, 'model', f));
      rmSync(build, { recursive: true });
      writeFileSync(join(project, 'runner.mjs'), RUNNER);
      const r = spawnSync(process.execPath, ['runner.mjs'], { cwd: project, encoding: 'utf8' });
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      const out = JSON.parse(readFileSync(join(project, 'out.json'), 'utf8')) as Record<
        string,
        Record<string, { shape: number[]; data: number[] }>
      >;

      const weights = readFileSync(join(project, 'model', 'weights.caffemodel'));
      for (const key of ['3x4x9x9', '1x4x12x10']) {
        const shape = key.split('x').map(Number);
        const net = loadNet(prototxt, { inputs: { data: shape } });
        const params = loadWeights(net, weights).params;
        const data = Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, (_, i) => Math.sin(i * 0.37));
        const reference = runReference(net, params, { data: { shape, data } }).blobs;
        expect(Object.keys(out[key]).sort()).toEqual([...net.outputs].sort());
        for (const name of net.outputs) {
          expect(out[key][name].shape, `${key} ${name}`).toEqual(net.blob(name).shape);
          expect(maxRelativeError(Float32Array.from(out[key][name].data), reference.get(name)!.data), `${key} ${name}`).toBeLessThanOrEqual(
            1e-4,
          );
        }
      }
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });
});
