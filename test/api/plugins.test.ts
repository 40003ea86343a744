// Layer plug-ins: examples/plugins/mish.mjs loaded with --plugin on the CLI (shapes, run against PyTorch's
// values, compile into a module that runs in a fresh process) and through registerLayer; and the errors a
// plug-in author can make, each a diagnostic.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadNet } from '../../src/api/load-net.js';
import { loadPlugin, registerLayer } from '../../src/api/plugins.js';
import { DiagnosticError } from '../../src/diagnostics/diagnostic.js';
import { readNpy } from '../../src/runtime/npy.js';
import { runReference } from '../../src/runtime/reference-executor.js';
import { repoRoot } from '../helpers/corpus.js';
import { oracleCases, oracleExpected, oracleFiles, oracleInputs, relativeToMax } from '../helpers/oracle-fixtures.js';
import { runCli } from '../helpers/run-cli.js';

const plugin = join(repoRoot, 'examples', 'plugins', 'mish.mjs');
const c = oracleCases().find((k) => k.name === 'plugin_mish')!;
const files = oracleFiles(c);
const messageOf = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    if (e instanceof DiagnosticError) return e.diagnostics.map((d) => d.message + (d.hint ? ` | ${d.hint}` : '')).join('\n');
    throw e;
  }
  return 'no error';
};

describe('layer plug-ins from the CLI', () => {
  it('without the plug-in the type is unsupported; with it, shapes prints the layer', () => {
    const without = runCli(['shapes', files.net]);
    expect(without.status).toBe(1);
    expect(without.stderr).toMatch(/unsupported layer type "Mish"/);
    const r = runCli(['shapes', files.net, '--plugin', plugin]);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/mish\s+Mish\s+data → mish 2×3×4×4/);
  });

  it('run computes what PyTorch computes', () => {
    const out = mkdtempSync(join(tmpdir(), 'brewnet-plugin-'));
    const r = runCli([
      'run',
      files.net,
      '--plugin',
      plugin,
      '--seed',
      '0',
      '--input',
      `data=${files.inputFiles.data}`,
      '--out',
      out,
      '--backend',
      'cpu',
    ]);
    expect(r.stderr).not.toMatch(/error/);
    expect(r.status).toBe(0);
    const got = readNpy(readFileSync(join(out, 'mish.npy')));
    expect(relativeToMax(got.data, oracleExpected(c).get('mish')!.data)).toBeLessThanOrEqual(1e-5);
  });

  it('compile writes a module that imports the plug-in and runs it in a fresh process', () => {
    if (!existsSync(join(repoRoot, 'dist', 'src', 'runtime', 'index.js'))) throw new Error('dist/ is not built: run npm run build');
    const dir = mkdtempSync(join(tmpdir(), 'brewnet-plugin-module-'));
    mkdirSync(join(dir, 'node_modules'));
    symlinkSync(repoRoot, join(dir, 'node_modules', 'brewnet'), 'dir');
    symlinkSync(join(repoRoot, 'node_modules', 'gpu.js'), join(dir, 'node_modules', 'gpu.js'), 'dir');
    const r = runCli(['compile', files.net, '--plugin', plugin, '--seed', '0', '-o', join(dir, 'net.mjs')]);
    expect(r.stderr).toBe('');
    writeFileSync(
      join(dir, 'runner.mjs'),
      `import { readFileSync } from 'node:fs';
import { readNpy } from 'brewnet/runtime';
import { createNet } from './net.mjs';
const net = await createNet({ backend: 'cpu' });
const out = await net.forward({ data: readNpy(readFileSync(process.argv[2])) });
console.log(JSON.stringify(Array.from(out.mish.data)));
`,
    );
    const run = spawnSync(process.execPath, ['runner.mjs', files.inputFiles.data], { cwd: dir, encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(relativeToMax(JSON.parse(run.stdout) as number[], oracleExpected(c).get('mish')!.data)).toBeLessThanOrEqual(1e-5);
  });

  it('a plug-in file that does not exist or exports nothing is a diagnostic', () => {
    const r = runCli(['shapes', files.net, '--plugin', 'nope.mjs']);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/no such plug-in file: nope\.mjs/);
    const empty = join(mkdtempSync(join(tmpdir(), 'brewnet-plugin-')), 'empty.mjs');
    writeFileSync(empty, 'export const x = 1;\n');
    expect(runCli(['shapes', files.net, '--plugin', empty]).stderr).toMatch(/must export default a layer plug-in object/);
  });
});

describe('registerLayer', () => {
  it('registers the plug-in: its parameter message is typed, the reference executor runs it', async () => {
    await loadPlugin(plugin);
    const net = loadNet(files.net);
    expect(net.layers[1].typeParam).toEqual({ beta: 0.5 });
    const out = runReference(net, new Map(), oracleInputs(c)).blobs.get('mish')!;
    expect(relativeToMax(out.data, oracleExpected(c).get('mish')!.data)).toBeLessThanOrEqual(1e-5);
    // A field its message lacks is a located error, as for built-in layers.
    expect(messageOf(() => loadNet(readFileSync(files.net, 'utf8').replace('beta: 0.5', 'alpha: 0.5')))).toMatch(
      /unknown field "alpha" in MishParameter/,
    );
    // Its shape rule's own checks name the layer and field.
    expect(messageOf(() => loadNet(readFileSync(files.net, 'utf8').replace('beta: 0.5', 'beta: -1')))).toMatch(
      /layer "mish" \(Mish\): beta must be positive/,
    );
  });

  it('refuses to replace a built-in type, a plug-in without a shape rule, and a bad parameter message', () => {
    expect(messageOf(() => registerLayer({ type: 'Convolution', infer: () => ({ tops: [], params: [] }) }))).toMatch(
      /already has a layer type "Convolution"/,
    );
    expect(messageOf(() => registerLayer({ type: 'NoShape' } as never))).toMatch(/has no shape rule/);
    const bad = {
      type: 'BadProto',
      infer: () => ({ tops: [], params: [] }),
      param: { proto: 'message BadParameter { optional flot x = 1; }', field: 'bad_param', id: 91002, message: 'BadParameter' },
    };
    expect(messageOf(() => registerLayer(bad))).toMatch(/plug-in layer "BadProto": its parameter message does not load/);
    expect(messageOf(() => loadNet('layer { name: "x" type: "BadProto" }'))).toMatch(/unsupported layer type "BadProto"/);
  });
});
