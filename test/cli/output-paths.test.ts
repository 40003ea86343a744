// Output paths the file system refuses (a folder where a file is meant, a file where a folder is meant, a
// pseudo file system that takes no new entries) are diagnostics naming the path, in every command that
// writes; none is an internal error, and `run --out /proc/x` ends (Node's recursive mkdir loops on it).
import { mkdirSync, mkdtempSync, writeFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DiagnosticError } from '../../src/diagnostics/diagnostic.js';
import { analyzeCommand } from '../../src/cli/analyze-command.js';
import { compileCommand } from '../../src/cli/compile-command.js';
import { convertCommand } from '../../src/cli/convert-command.js';
import { runCommand } from '../../src/cli/run-command.js';
import { makeOutputFolder } from '../../src/cli/output-paths.js';
import { writeNpy } from '../../src/runtime/npy.js';
import { repoRoot } from '../helpers/corpus.js';

const lenet = join(repoRoot, 'examples', 'lenet-v1.prototxt');
const fcn8s = join(repoRoot, 'examples', 'fcn8s-deploy.prototxt');
const script = join(repoRoot, 'examples', 'fcn8s-netspec.py');

function place() {
  const dir = mkdtempSync(join(tmpdir(), 'brewnet-out-'));
  mkdirSync(join(dir, 'folder'));
  writeFileSync(join(dir, 'file'), 'x');
  return dir;
}

async function message(action: () => unknown): Promise<string> {
  try {
    await action();
  } catch (e) {
    if (e instanceof DiagnosticError) return e.diagnostics.map((d) => `${d.message}${d.hint ? ` | ${d.hint}` : ''}`).join('\n');
    throw e;
  }
  throw new Error('expected a diagnostic');
}

describe('output paths', () => {
  const dir = place();
  const folder = join(dir, 'folder');
  const file = join(dir, 'file');

  it('refuses a folder where a file is meant, before writing anything', async () => {
    expect(await message(() => compileCommand(lenet, { output: folder, seed: 1 }))).toMatch(
      /^-o: cannot write .*folder: it is a folder \| name a file/,
    );
    expect(await message(() => convertCommand(lenet, { to: 'prototxt', upgrade: true, output: folder }))).toMatch(/it is a folder/);
    expect(await message(() => analyzeCommand(fcn8s, { fixCrops: true, output: folder }))).toMatch(/it is a folder/);
    expect(readdirSync(dir).sort()).toEqual(['file', 'folder']); // no weights written beside "folder"
  });

  it('refuses a file where a folder is meant, or on the way to a file', async () => {
    expect(await message(() => convertCommand(script, { to: 'prototxt', upgrade: true, output: file }))).toMatch(
      /^-o: cannot create the folder .*file: it is a file, not a folder/,
    );
    // compile makes -o's missing folders first (makeOutputFolder), which finds the file on the way.
    expect(await message(() => compileCommand(lenet, { output: join(file, 'net.mjs'), seed: 1 }))).toMatch(
      /a part of the path is a file, not a folder|is a file, not a folder/,
    );
    expect(await message(() => makeOutputFolder(join(file, 'a', 'b'), '--out'))).toMatch(/file is a file, not a folder/);
  });

  it('refuses a folder that takes no new entries, and does not loop on it', async () => {
    if (process.platform !== 'linux') return;
    expect(await message(() => makeOutputFolder('/proc/brewnet-x/y', '--out'))).toMatch(
      /^--out: cannot create the folder \/proc\/brewnet-x\/y: the folder \/proc does not take new files/,
    );
    expect(await message(() => convertCommand(lenet, { to: 'prototxt', upgrade: true, output: '/proc/brewnet-x' }))).toMatch(
      /^-o: cannot write \/proc\/brewnet-x: the folder \/proc does not take new files/,
    );
  });

  it('run refuses its --out before the forward pass', async () => {
    const npy = join(dir, 'x.npy');
    writeFileSync(npy, writeNpy({ shape: [1, 1, 28, 28], data: new Float32Array(28 * 28) }));
    expect(await message(() => runCommand(lenet, { input: [`data=${npy}`], out: file, seed: 1, backend: 'cpu' }))).toMatch(
      /^--out: cannot create the folder .*file: it is a file/,
    );
    expect(await message(() => runCommand(lenet, { input: [`data=${npy}`], out: '/proc/brewnet-x', seed: 1, backend: 'cpu' }))).toMatch(
      /does not take new files/,
    );
  });
});
