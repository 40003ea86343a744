// `brewnet compile` writes a module that runs in a fresh Node process in another folder (with only gpu.js
// and brewnet installed there) and gives exactly what `brewnet run` gives; and a net whose names are hostile
// (quotes, backticks, `${`, `*/`, newlines, `</script>`, non-ASCII) compiles to a module that runs correctly
// and executes nothing from those names. The module imports brewnet/runtime from dist/ (npm run build makes it).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GPU } from 'gpu.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadNet } from '../../src/api/load-net.js';
import { readNpy, writeNpy } from '../../src/runtime/npy.js';
import { runReference } from '../../src/runtime/reference-executor.js';
import { buildPlan } from '../../src/runtime/build-plan.js';
import { encodeCaffemodel } from '../../src/runtime/encode-caffemodel.js';
import { fillWeights } from '../../src/weights/fill-weights.js';
import { repoRoot } from '../helpers/corpus.js';
import { maxRelativeError, randomParams, randomTensor } from '../helpers/random-params.js';
import { numericsDir } from '../helpers/numerics-fixtures.js';
import { runCli } from '../helpers/run-cli.js';

let work: string;

/** A folder outside the repository where `gpu.js` and `brewnet` resolve as installed packages. */
function project(): string {
  const dir = mkdtempSync(join(work, 'project-'));
  mkdirSync(join(dir, 'node_modules'));
  symlinkSync(repoRoot, join(dir, 'node_modules', 'brewnet'), 'dir');
  symlinkSync(join(repoRoot, 'node_modules', 'gpu.js'), join(dir, 'node_modules', 'gpu.js'), 'dir');
  return dir;
}

/** Runs the module: inputs from .npy files, every blob written to out/<encodeURIComponent(name)>.npy. */
const RUNNER = `
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { readNpy, writeNpy } from 'brewnet/runtime';
import { createNet } from './net.mjs';
const [config, ...specs] = process.argv.slice(2);
const [backend, threads] = config.split('+');
const inputs = Object.fromEntries(specs.map((s) => { const i = s.indexOf('='); return [s.slice(0, i), readNpy(readFileSync(s.slice(i + 1)))]; }));
const net = await createNet({ backend, threads: threads === 'threads' });
const out = await net.forward(inputs, { blobs: 'all' });
mkdirSync('out', { recursive: true });
for (const [name, t] of Object.entries(out)) writeFileSync('out/' + encodeURIComponent(name) + '.npy', writeNpy(t));
console.log(JSON.stringify({ backend: net.backend, pwned: globalThis.pwned ?? null }));
`;

function runModule(dir: string, backend: string, inputs: Record<string, string>) {
  writeFileSync(join(dir, 'runner.mjs'), RUNNER);
  const args = ['runner.mjs', backend, ...Object.entries(inputs).map(([n, f]) => `${n}=${f}`)];
  const r = spawnSync(process.execPath, args, { cwd: dir, encoding: 'utf8' });
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as { backend: string; pwned: unknown };
}

function readDir(dir: string): Map<string, Float32Array> {
  return new Map(readdirSync(dir).map((f) => [decodeURIComponent(f.replace(/\.npy$/, '')), readNpy(readFileSync(join(dir, f))).data]));
}

beforeAll(() => {
  if (!existsSync(join(repoRoot, 'dist', 'src', 'runtime', 'index.js'))) throw new Error('dist/ is not built: run npm run build');
  work = mkdtempSync(join(tmpdir(), 'brewnet-module-'));
});

describe('compiled module', () => {
  // wasm: the plan carries native kernel specs as data; the runtime generates the WebAssembly from them.
  it.each(['webasm', 'wasm'])(
    '%s: runs in a fresh process in another folder and gives what brewnet run gives (also with threads)',
    (backend) => {
      const dir = project();
      const net = join(numericsDir, 'deconv', 'net.prototxt');
      const weights = join(numericsDir, 'deconv', 'weights.caffemodel');
      const inputs = { data: join(numericsDir, 'deconv', 'input.data.npy'), ref: join(numericsDir, 'deconv', 'input.ref.npy') };
      const compiled = runCli(['compile', net, '--weights', weights, '--backend', backend, '-o', join(dir, 'net.mjs')]);
      expect(compiled.stderr).toBe('');
      expect(compiled.status).toBe(0);
      const source = readFileSync(join(dir, 'net.mjs'), 'utf8');
      expect([...source.matchAll(/^import .* from '([^']+)';$/gm)].map((m) => m[1])).toEqual(['gpu.js', 'brewnet/runtime']);
      if (backend === 'wasm') expect(source).toMatch(/"natives": \[\n\s+\{"kind":"deconvolution"/);
      expect(runModule(dir, backend, inputs).backend).toBe(backend);

      const out = join(work, `run-out-${backend}`);
      const run = runCli([
        'run',
        net,
        '--weights',
        weights,
        ...Object.entries(inputs).flatMap(([n, f]) => ['--input', `${n}=${f}`]),
        '--blobs',
        'all',
        '--out',
        out,
        '--backend',
        backend,
      ]);
      expect(run.status).toBe(0);
      const fromModule = readDir(join(dir, 'out'));
      const fromRun = readDir(out);
      expect([...fromModule.keys()].sort()).toEqual([...fromRun.keys()].sort());
      for (const [name, data] of fromRun) expect(Array.from(fromModule.get(name)!), name).toEqual(Array.from(data));

      // createNet's threads option: the same kernels with a worker pool, the same numbers.
      rmSync(join(dir, 'out'), { recursive: true });
      expect(runModule(dir, `${backend}+threads`, inputs).backend).toBe(backend);
      const threaded = readDir(join(dir, 'out'));
      for (const [name, data] of fromRun) expect(maxRelativeError(threaded.get(name)!, data), name).toBeLessThanOrEqual(1e-6);
    },
  );

  // Under `npm test` this runs where gl is built (xvfb-run gives the child processes their display too).
  it.skipIf(!GPU.isHeadlessGLSupported)('runs on headlessgl in a fresh process, agreeing with brewnet run on webasm', () => {
    const dir = project();
    const net = join(numericsDir, 'deconv', 'net.prototxt');
    const weights = join(numericsDir, 'deconv', 'weights.caffemodel');
    const inputs = { data: join(numericsDir, 'deconv', 'input.data.npy'), ref: join(numericsDir, 'deconv', 'input.ref.npy') };
    expect(runCli(['compile', net, '--weights', weights, '--backend', 'headlessgl', '-o', join(dir, 'net.mjs')]).status).toBe(0);
    expect(runModule(dir, 'headlessgl', inputs).backend).toBe('headlessgl');

    const out = join(work, 'run-out-webasm-gl');
    const run = runCli([
      'run',
      net,
      '--weights',
      weights,
      ...Object.entries(inputs).flatMap(([n, f]) => ['--input', `${n}=${f}`]),
      '--blobs',
      'all',
      '--out',
      out,
      '--backend',
      'webasm',
    ]);
    expect(run.status).toBe(0);
    const fromModule = readDir(join(dir, 'out'));
    for (const [name, data] of readDir(out)) expect(maxRelativeError(fromModule.get(name)!, data), name).toBeLessThanOrEqual(1e-5);
  });

  // The fusions are plan data too: the module folds BatchNorm and Scale into the weights it loads, and runs
  // the ReLUs in the kernels before them, with the reference executor's values.
  it('wasm: a module with BatchNorm and Scale folded and ReLUs fused matches the reference', () => {
    const dir = project();
    const prototxt = join(dir, 'bn.prototxt');
    writeFileSync(
      prototxt,
      [
        'layer { name: "x" type: "Input" top: "x" input_param { shape { dim: 2 dim: 3 dim: 7 dim: 6 } } }',
        'layer { name: "conv" type: "Convolution" bottom: "x" top: "conv" convolution_param { num_output: 5 kernel_size: 3 stride: 2 pad: 1 bias_term: false } }',
        'layer { name: "bn" type: "BatchNorm" bottom: "conv" top: "conv" }',
        'layer { name: "sc" type: "Scale" bottom: "conv" top: "conv" scale_param { bias_term: true } }',
        'layer { name: "r" type: "ReLU" bottom: "conv" top: "conv" }',
        'layer { name: "fc" type: "InnerProduct" bottom: "conv" top: "fc" inner_product_param { num_output: 6 } }',
        'layer { name: "fbn" type: "BatchNorm" bottom: "fc" top: "fc" }',
        'layer { name: "fr" type: "ReLU" bottom: "fc" top: "fc" relu_param { negative_slope: 0.1 } }',
      ].join('\n') + '\n',
    );
    const net = loadNet(prototxt);
    const params = randomParams(net, 21);
    writeFileSync(join(dir, 'bn.caffemodel'), encodeCaffemodel(buildPlan(net), params));
    const compiled = runCli([
      'compile',
      prototxt,
      '--weights',
      join(dir, 'bn.caffemodel'),
      '--backend',
      'wasm',
      '-o',
      join(dir, 'net.mjs'),
    ]);
    expect(compiled.stderr).toBe('');
    const source = readFileSync(join(dir, 'net.mjs'), 'utf8');
    expect(source).toMatch(/"kind":"convolution".*"affine":\[\{"kind":"batch-norm".*\{"kind":"scale-bias".*"relu":0\}/);
    expect(source).toMatch(/"kind":"inner-product".*"affine":\[\{"kind":"batch-norm".*"relu":0.1/);
    const x = randomTensor([2, 3, 7, 6], 4);
    writeFileSync(join(dir, 'x.npy'), writeNpy(x));
    expect(runModule(dir, 'wasm', { x: 'x.npy' }).backend).toBe('wasm');
    const got = readDir(join(dir, 'out'));
    for (const [name, t] of runReference(net, params, { x }).blobs)
      expect(maxRelativeError(got.get(name)!, t.data), name).toBeLessThanOrEqual(1e-4);
  });

  it('keeps hostile names as data: the module runs, executes nothing and matches the reference', () => {
    const names = [
      'q"uote\'s',
      'back`tick`',
      '${globalThis.pwned = 1}',
      '*/ globalThis.pwned = 2; /*',
      'line\nbreak; globalThis.pwned = 3 //',
      '</script><script>globalThis.pwned = 4</script>',
      'données ∑ 名前 \u2028 end',
      '__proto__',
    ];
    const esc = (s: string) => s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
    const [input, ...rest] = names;
    const layers = [
      `layer { name: "${esc(input)}" type: "Input" top: "${esc(input)}" input_param { shape { dim: 1 dim: 2 dim: 5 dim: 5 } } }`,
    ];
    let bottom = input;
    rest.forEach((name, i) => {
      const type =
        i % 2 === 0
          ? 'type: "Convolution" convolution_param { num_output: 2 kernel_size: 3 pad: 1 weight_filler { type: "gaussian" std: 0.3 } bias_filler { type: "uniform" } }'
          : 'type: "ReLU"';
      layers.push(`layer { name: "${esc(name)}" ${type} bottom: "${esc(bottom)}" top: "${esc(name)}" }`);
      bottom = name;
    });
    const dir = project();
    const prototxt = join(dir, 'hostile.prototxt');
    writeFileSync(prototxt, layers.join('\n') + '\n');
    const compiled = runCli(['compile', prototxt, '--seed', '3', '-o', join(dir, 'net.mjs')]);
    expect(compiled.stderr).toBe('');
    expect(compiled.status).toBe(0);
    const x = randomTensor([1, 2, 5, 5], 11);
    writeFileSync(join(dir, 'x.npy'), writeNpy(x));
    const result = runModule(dir, 'cpu', { [input]: 'x.npy' });
    expect(result.pwned).toBeNull();

    const net = loadNet(prototxt);
    const reference = runReference(net, fillWeights(net, 3), { [input]: x }).blobs;
    const got = readDir(join(dir, 'out'));
    expect([...got.keys()].sort()).toEqual([...names].sort());
    for (const [name, t] of reference) expect(maxRelativeError(got.get(name)!, t.data), name).toBeLessThanOrEqual(1e-5);
  });
});
