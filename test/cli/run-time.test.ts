// `brewnet run --time [passes]`: after the pass, a per-layer table of the medians over more timed passes (ms,
// share, GFLOP/s for layers with multiply-accumulates, what ran each layer); on backend wasm every layer here
// runs natively.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeNpy } from '../../src/runtime/npy.js';
import { randomTensor } from '../helpers/random-params.js';
import { runCli } from '../helpers/run-cli.js';

const work = mkdtempSync(join(tmpdir(), 'brewnet-time-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('brewnet run --time', () => {
  it('prints one row per layer with ms, share, GFLOP/s and what ran it', () => {
    writeFileSync(
      join(work, 'net.prototxt'),
      [
        'layer { name: "in" type: "Input" top: "x" input_param { shape { dim: 1 dim: 3 dim: 16 dim: 16 } } }',
        'layer { name: "conv" type: "Convolution" bottom: "x" top: "c" convolution_param { num_output: 8 kernel_size: 3 stride: 2 } }',
        'layer { name: "bn" type: "BatchNorm" bottom: "c" top: "c" }',
        'layer { name: "relu" type: "ReLU" bottom: "c" top: "c" }',
        'layer { name: "pool" type: "Pooling" bottom: "c" top: "p" pooling_param { pool: MAX kernel_size: 2 stride: 2 } }',
        'layer { name: "fc" type: "InnerProduct" bottom: "p" top: "f" inner_product_param { num_output: 10 } }',
        'layer { name: "prob" type: "Softmax" bottom: "f" top: "prob" }',
      ].join('\n'),
    );
    writeFileSync(join(work, 'x.npy'), writeNpy(randomTensor([1, 3, 16, 16], 3)));
    const r = runCli([
      'run',
      join(work, 'net.prototxt'),
      '--input',
      `x=${join(work, 'x.npy')}`,
      '--out',
      join(work, 'out'),
      '--seed',
      '1',
      '--backend',
      'wasm',
      '--time',
    ]);
    expect(r.stderr).toMatch(/forward pass on wasm/);
    expect(r.status).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines.find((l) => l.startsWith('layer '))).toMatch(/^layer\s+type\s+ran\s+ms\s+share\s+GFLOP\/s$/);
    const row = (name: string) => lines.find((l) => l.startsWith(`${name} `))?.split(/\s+/);
    // The Convolution, its BatchNorm folded in and its ReLU fused: one step, on the chain's last layer's row.
    expect(row('conv')).toBeUndefined();
    expect(row('bn')).toBeUndefined();
    expect(row('relu')?.slice(1, 3)).toEqual(['Convolution+BatchNorm+ReLU', 'native']);
    expect(row('relu')![5]).toMatch(/^\d+\.\d\d$/); // GFLOP/s of the Convolution's multiply-adds
    expect(row('pool')?.slice(1, 3)).toEqual(['Pooling', 'native']);
    expect(row('pool')).toHaveLength(5); // no GFLOP/s for pooling
    expect(row('fc')?.slice(1, 3)).toEqual(['InnerProduct', 'native']);
    expect(row('prob')?.slice(1, 3)).toEqual(['Softmax', 'js']);
    const shares = ['relu', 'pool', 'fc', 'prob'].map((n) => Number(row(n)![4].replace('%', '')));
    expect(shares.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(100.5);
    expect(r.stdout).toMatch(
      /^median of \d+ passes after the first: forward pass [\d.]+ ms: layers [\d.]+ ms \(native [\d.]+, js [\d.]+, gpu\.js 0\.0, reference 0\.0\)/m,
    );
  });

  it('refuses --threads that is not a whole number ≥ 1, and runs with --threads N and --no-fuse', () => {
    writeFileSync(
      join(work, 'small.prototxt'),
      [
        'layer { name: "in" type: "Input" top: "x" input_param { shape { dim: 1 dim: 3 dim: 8 dim: 8 } } }',
        'layer { name: "c" type: "Convolution" bottom: "x" top: "c" convolution_param { num_output: 4 kernel_size: 3 } }',
        'layer { name: "bn" type: "BatchNorm" bottom: "c" top: "c" }',
      ].join('\n'),
    );
    const run = (...flags: string[]) =>
      runCli(['run', join(work, 'small.prototxt'), '--input', 'x=random', '--out', join(work, 'small-out'), '--backend', 'wasm', ...flags]);
    for (const bad of ['0', '1.5', 'many']) {
      const r = run('--threads', bad);
      expect(r.status).not.toBe(0);
      expect(r.stderr).toContain(`--threads ${bad}: give a whole number of threads ≥ 1`);
    }
    expect(run('--threads', '1').status).toBe(0);
    const unfused = run('--no-fuse', '--time');
    expect(unfused.status).toBe(0);
    expect(unfused.stdout).toMatch(/^bn\s+BatchNorm\s+native/m);
    expect(run('--time').stdout).toMatch(/^bn\s+Convolution\+BatchNorm\s+native/m);
    // A number of passes: that many; one pass is its own times.
    expect(run('--time', '3').stdout).toMatch(/^median of 3 passes after the first: forward pass/m);
    expect(run('--time', '1').stdout).toMatch(/^forward pass [\d.]+ ms: layers/m);
    for (const bad of ['0', '2.5', 'x']) {
      const r = run('--time', bad);
      expect(r.status).toBe(1);
      expect(r.stderr).toContain(`--time ${bad}: give a whole number of passes to time, ≥ 1`);
    }
  });
});
