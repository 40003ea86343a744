// Host steps: a layer type with a reference forward and no kernels (MVN, Reduction, Tile here) runs that
// forward as a plan step — in-process on cpu and wasm, and in a module written by `brewnet compile`, in a
// fresh process — and agrees with the oracle fixtures (OpenCV's dnn for MVN, NumPy for the others).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadNet } from '../../src/api/load-net.js';
import { compile } from '../../src/runtime/compile.js';
import { buildPlan } from '../../src/runtime/build-plan.js';
import { readNpy, writeNpy } from '../../src/runtime/npy.js';
import { runReference } from '../../src/runtime/reference-executor.js';
import { repoRoot } from '../helpers/corpus.js';
import { oracleCases, oracleExpected, oracleFiles, oracleInputs, relativeToMax } from '../helpers/oracle-fixtures.js';
import { runCli } from '../helpers/run-cli.js';

const cases = oracleCases().filter((c) => ['mvn', 'mvn_across', 'mvn_mean_only', 'reduction', 'tile'].includes(c.name));

let work: string;
beforeAll(() => {
  if (!existsSync(join(repoRoot, 'dist', 'src', 'runtime', 'index.js')))
    throw new Error('dist/ is not built: run npm run build (npm ci does it)');
  work = mkdtempSync(join(tmpdir(), 'brewnet-host-'));
});

describe('host steps', () => {
  it('covers the five fixture cases', () =>
    expect(cases.map((c) => c.name).sort()).toEqual(['mvn', 'mvn_across', 'mvn_mean_only', 'reduction', 'tile']));

  it.each(cases)('$name: the plan is plain data with host steps naming the layer', (c) => {
    const net = loadNet(oracleFiles(c).net);
    const plan = buildPlan(net);
    const host = plan.steps.filter((s) => 'host' in s);
    expect(host.length).toBe(net.layers.length - 1);
    expect(JSON.parse(JSON.stringify(plan))).toEqual(plan);
    for (const s of host) expect(plan.layers[s.layer].type).toBe(net.layers[s.layer].type);
  });

  it.each(cases)('$name: reference executor, cpu and wasm agree with the oracle ($oracle)', async (c) => {
    const files = oracleFiles(c);
    const net = loadNet(files.net);
    const inputs = oracleInputs(c);
    const expected = oracleExpected(c);
    const ref = runReference(net, new Map(), inputs).blobs;
    for (const [name, e] of expected) {
      expect(ref.get(name)!.shape, name).toEqual(e.shape);
      expect(relativeToMax(ref.get(name)!.data, e.data), name).toBeLessThanOrEqual(c.tolerance);
    }
    for (const backend of ['cpu', 'wasm'] as const) {
      const compiled = await compile(net, { ...(files.weights ? { weights: files.weights } : { seed: 0 }), backend });
      const out = await compiled.forward(inputs, { blobs: c.blobs });
      compiled.destroy();
      for (const [name, e] of expected)
        expect(relativeToMax(out[name].data, e.data), `${backend} ${name}`).toBeLessThanOrEqual(c.tolerance);
    }
  });

  it('a compiled module runs host steps in a fresh process (cpu and wasm)', () => {
    const c = cases.find((k) => k.name === 'mvn_across')!;
    const t = cases.find((k) => k.name === 'tile')!;
    const dir = mkdtempSync(join(work, 'project-'));
    mkdirSync(join(dir, 'node_modules'));
    symlinkSync(repoRoot, join(dir, 'node_modules', 'brewnet'), 'dir');
    symlinkSync(join(repoRoot, 'node_modules', 'gpu.js'), join(dir, 'node_modules', 'gpu.js'), 'dir');
    writeFileSync(
      join(dir, 'runner.mjs'),
      `import { readFileSync } from 'node:fs';
import { readNpy } from 'brewnet/runtime';
const [mod, backend, input] = process.argv.slice(2);
const { createNet } = await import('./' + mod);
const net = await createNet({ backend });
const out = await net.forward({ data: readNpy(readFileSync(input)) }, { blobs: 'all' });
console.log(JSON.stringify(Object.fromEntries(Object.entries(out).map(([k, v]) => [k, Array.from(v.data)]))));
`,
    );
    for (const k of [c, t]) {
      const files = oracleFiles(k);
      const r = runCli(['compile', files.net, ...files.weightArgs, '-o', join(dir, `${k.name}.mjs`)]);
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      expect(readFileSync(join(dir, `${k.name}.mjs`), 'utf8')).toMatch(/\{"host":\{"param":/);
      for (const backend of ['cpu', 'wasm']) {
        const run = spawnSync(process.execPath, ['runner.mjs', `${k.name}.mjs`, backend, files.inputFiles.data], {
          cwd: dir,
          encoding: 'utf8',
        });
        expect(run.stderr).toBe('');
        const got = JSON.parse(run.stdout) as Record<string, number[]>;
        for (const [name, e] of oracleExpected(k))
          expect(relativeToMax(got[name], e.data), `${k.name} ${backend} ${name}`).toBeLessThanOrEqual(k.tolerance);
      }
    }
    // The module's input file was read by the runner, not by brewnet: sanity-check it is the fixture.
    expect(readNpy(readFileSync(oracleFiles(c).inputFiles.data)).shape).toEqual([2, 3, 4, 5]);
  });

  it("a compiled module runs fork dialects' and recurrent host steps in a fresh process (MergeCrop, LSTM, RNN)", () => {
    const dir = mkdtempSync(join(work, 'forks-'));
    mkdirSync(join(dir, 'node_modules'));
    symlinkSync(repoRoot, join(dir, 'node_modules', 'brewnet'), 'dir');
    symlinkSync(join(repoRoot, 'node_modules', 'gpu.js'), join(dir, 'node_modules', 'gpu.js'), 'dir');
    writeFileSync(
      join(dir, 'runner.mjs'),
      `import { readFileSync } from 'node:fs';
import { readNpy } from 'brewnet/runtime';
const [mod, inputs] = process.argv.slice(2);
const { createNet } = await import('./' + mod);
const net = await createNet({ backend: 'wasm' });
const feed = Object.fromEntries(Object.entries(JSON.parse(inputs)).map(([k, f]) => [k, readNpy(readFileSync(f))]));
const out = await net.forward(feed, { blobs: 'all' });
console.log(JSON.stringify(Object.fromEntries(Object.entries(out).map(([k, v]) => [k, Array.from(v.data)]))));
`,
    );
    for (const k of oracleCases().filter((o) => ['mergecrop', 'recurrent'].includes(o.name))) {
      const files = oracleFiles(k);
      const r = runCli(['compile', files.net, ...files.weightArgs, '-o', join(dir, `${k.name}.mjs`)]);
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      const run = spawnSync(process.execPath, ['runner.mjs', `${k.name}.mjs`, JSON.stringify(files.inputFiles)], {
        cwd: dir,
        encoding: 'utf8',
      });
      expect(run.stderr).toBe('');
      const got = JSON.parse(run.stdout) as Record<string, number[]>;
      for (const [name, e] of oracleExpected(k))
        expect(relativeToMax(got[name], e.data), `${k.name} ${name}`).toBeLessThanOrEqual(k.tolerance);
    }
  });

  it("a compiled module runs py-faster-rcnn's proposals in a fresh process and gives their real rows only", () => {
    const dir = mkdtempSync(join(work, 'proposal-'));
    mkdirSync(join(dir, 'node_modules'));
    symlinkSync(repoRoot, join(dir, 'node_modules', 'brewnet'), 'dir');
    symlinkSync(join(repoRoot, 'node_modules', 'gpu.js'), join(dir, 'node_modules', 'gpu.js'), 'dir');
    const fixture = join(repoRoot, 'test', 'fixtures', 'proposal', 'python_vgg');
    // The regions, then a row-wise layer after them: both come back with the real rows only.
    const text = `${readFileSync(join(fixture, 'net.prototxt'), 'utf8')}layer { name: "half" type: "Power" bottom: "scores" top: "half" power_param { scale: 0.5 } }\n`;
    writeFileSync(join(dir, 'net.prototxt'), text);
    writeFileSync(
      join(dir, 'runner.mjs'),
      `import { readFileSync } from 'node:fs';
import { readNpy } from 'brewnet/runtime';
const { createNet } = await import('./net.mjs');
const net = await createNet({ backend: 'wasm' });
const feed = Object.fromEntries(['rpn_cls_prob_reshape', 'rpn_bbox_pred', 'im_info'].map((k) => [k, readNpy(readFileSync(process.argv[2] + '/input.' + k + '.npy'))]));
const out = await net.forward(feed, { blobs: ['rois', 'half'] });
console.log(JSON.stringify(Object.fromEntries(Object.entries(out).map(([k, v]) => [k, { shape: v.shape, data: Array.from(v.data) }]))));
`,
    );
    const r = runCli(['compile', join(dir, 'net.prototxt'), '--seed', '0', '-o', join(dir, 'net.mjs')]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const run = spawnSync(process.execPath, ['runner.mjs', fixture], { cwd: dir, encoding: 'utf8' });
    expect(run.stderr).toBe('');
    const got = JSON.parse(run.stdout) as Record<string, { shape: number[]; data: number[] }>;
    const rois = readNpy(readFileSync(join(fixture, 'expected.rois.npy')));
    const scores = readNpy(readFileSync(join(fixture, 'expected.scores.npy')));
    expect(got.rois.shape).toEqual([25, 5]);
    expect(got.half.shape).toEqual([25, 1]);
    expect(Math.max(...got.rois.data.map((v, i) => Math.abs(v - rois.data[i])))).toBeLessThanOrEqual(1e-4);
    expect(Math.max(...got.half.data.map((v, i) => Math.abs(v - 0.5 * scores.data[i])))).toBeLessThanOrEqual(1e-7);
  });

  it("a compiled module runs BVLC losses' host steps with their loss_param in a fresh process (PyTorch oracle)", () => {
    const want = JSON.parse(readFileSync(join(repoRoot, 'test', 'fixtures', 'bvlc-forward', 'expected.json'), 'utf8'));
    const dir = mkdtempSync(join(work, 'losses-'));
    mkdirSync(join(dir, 'node_modules'));
    symlinkSync(repoRoot, join(dir, 'node_modules', 'brewnet'), 'dir');
    symlinkSync(join(repoRoot, 'node_modules', 'gpu.js'), join(dir, 'node_modules', 'gpu.js'), 'dir');
    // InfogainLoss's own parameters are infogain_loss_param: its loss_param must travel in the plan's host step.
    writeFileSync(
      join(dir, 'net.prototxt'),
      `layer { name: "in" type: "Input" top: "x" top: "t" top: "xi" top: "l" top: "H" input_param { shape { dim: 2 dim: 3 dim: 2 } shape { dim: 2 dim: 3 dim: 2 } shape { dim: 2 dim: 3 dim: 2 } shape { dim: 2 dim: 1 dim: 2 } shape { dim: 3 dim: 3 } } }
layer { name: "sce" type: "SigmoidCrossEntropyLoss" bottom: "x" bottom: "t" top: "sce" loss_param { ignore_label: -1 normalization: FULL } }
layer { name: "ig" type: "InfogainLoss" bottom: "xi" bottom: "l" bottom: "H" top: "ig" loss_param { ignore_label: 7 normalization: BATCH_SIZE } }
`,
    );
    const feed: Record<string, [number[], number[]]> = {
      x: [[2, 3, 2], want.sigmoid_ce.x],
      t: [[2, 3, 2], want.sigmoid_ce.t],
      xi: [[2, 3, 2], want.infogain.x],
      l: [[2, 1, 2], want.infogain.label],
      H: [[3, 3], want.infogain.H],
    };
    const files: Record<string, string> = {};
    for (const [name, [shape, data]] of Object.entries(feed)) {
      files[name] = join(dir, `${name}.npy`);
      writeFileSync(files[name], writeNpy({ shape, data: Float32Array.from(data) }));
    }
    writeFileSync(
      join(dir, 'runner.mjs'),
      `import { readFileSync } from 'node:fs';
import { readNpy } from 'brewnet/runtime';
const [mod, backend, inputs] = process.argv.slice(2);
const { createNet } = await import('./' + mod);
const net = await createNet({ backend });
const feed = Object.fromEntries(Object.entries(JSON.parse(inputs)).map(([k, f]) => [k, readNpy(readFileSync(f))]));
const out = await net.forward(feed, { blobs: 'all' });
console.log(JSON.stringify(Object.fromEntries(Object.entries(out).map(([k, v]) => [k, Array.from(v.data)]))));
`,
    );
    const r = runCli(['compile', join(dir, 'net.prototxt'), '-o', join(dir, 'losses.mjs')]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    for (const backend of ['cpu', 'wasm']) {
      const run = spawnSync(process.execPath, ['runner.mjs', 'losses.mjs', backend, JSON.stringify(files)], { cwd: dir, encoding: 'utf8' });
      expect(run.stderr).toBe('');
      const got = JSON.parse(run.stdout) as Record<string, number[]>;
      expect(got.sce[0]).toBeCloseTo(want.sigmoid_ce.full, 5);
      expect(got.ig[0]).toBeCloseTo(want.infogain.batch, 5);
    }
  });
});
