// `brewnet run` and `brewnet compile` take what shapes and analyze take: .py net scripts and the net state
// (--phase, --stage, --level). A NetSpec script and the prototxt it prints must run to the same numbers,
// and a stage must switch its layers on.
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readNpy, writeNpy } from '../../src/runtime/npy.js';
import { randomTensor } from '../helpers/random-params.js';
import { runCli } from '../helpers/run-cli.js';

let work: string;

const SCRIPT = `import caffe
from caffe import layers as L, params as P

def net():
    n = caffe.NetSpec()
    n.data = L.Input(shape=dict(dim=[1, 2, 6, 6]))
    n.conv = L.Convolution(n.data, num_output=3, kernel_size=3, pad=1, weight_filler=dict(type='gaussian', std=0.5), bias_filler=dict(type='constant', value=0.1))
    n.up = L.Deconvolution(n.conv, convolution_param=dict(num_output=3, kernel_size=4, stride=2, weight_filler=dict(type='xavier')))
    return n.to_proto()

with open('net.prototxt', 'w') as f:
    f.write(str(net()))
`;

// The Sigmoid exists only in stage "squash", the TanH only at level ≥ 2.
const STAGED = `name: "staged"
layer { name: "data" type: "Input" top: "data" input_param { shape { dim: 1 dim: 1 dim: 2 dim: 2 } } }
layer { name: "squash" type: "Sigmoid" bottom: "data" top: "data" include { stage: "squash" } }
layer { name: "bend" type: "TanH" bottom: "data" top: "data" include { min_level: 2 } }
`;

function run(net: string, input: string, extra: string[] = []): { status: number | null; stdout: string; out: Float32Array | undefined } {
  const dir = mkdtempSync(join(work, 'out-'));
  const r = runCli(['run', net, '--input', `data=${input}`, '--seed', '3', '--backend', 'cpu', '--out', dir, ...extra]);
  const blob = ['up', 'data'].map((b) => join(dir, `${b}.npy`)).find(existsSync);
  return { status: r.status, stdout: r.stdout, out: blob ? readNpy(readFileSync(blob)).data : undefined };
}

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'brewnet-run-options-'));
  writeFileSync(join(work, 'net.py'), SCRIPT);
  writeFileSync(join(work, 'staged.prototxt'), STAGED);
  writeFileSync(join(work, 'data.npy'), writeNpy(randomTensor([1, 2, 6, 6], 7)));
  writeFileSync(join(work, 'small.npy'), writeNpy({ shape: [1, 1, 2, 2], data: Float32Array.from([-2, -0.5, 0.5, 2]) }));
});

describe('brewnet run and compile take net scripts and the net state', () => {
  it('runs a NetSpec script (--net picks the file it writes) to the numbers of the prototxt it prints', () => {
    const converted = runCli(['convert', join(work, 'net.py'), '--net', 'net.prototxt']);
    expect(converted.status).toBe(0);
    writeFileSync(join(work, 'printed.prototxt'), converted.stdout);
    const fromScript = run(join(work, 'net.py'), join(work, 'data.npy'), ['--net', 'net.prototxt']);
    const fromText = run(join(work, 'printed.prototxt'), join(work, 'data.npy'));
    expect(fromScript.stdout).toMatch(/up\.npy  1×3×14×14\n$/);
    expect(fromScript.status).toBe(0);
    expect(fromText.status).toBe(0);
    expect(fromScript.out).toBeDefined();
    expect(Array.from(fromScript.out!)).toEqual(Array.from(fromText.out!));
  });

  it('applies --stage and --level to the layers that run', () => {
    const input = join(work, 'small.npy');
    const plain = run(join(work, 'staged.prototxt'), input);
    const squashed = run(join(work, 'staged.prototxt'), input, ['--stage', 'squash']);
    const both = run(join(work, 'staged.prototxt'), input, ['--stage', 'squash', '--level', '2']);
    const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));
    expect(Array.from(plain.out!)).toEqual([-2, -0.5, 0.5, 2]);
    expect(Array.from(squashed.out!)).toEqual([-2, -0.5, 0.5, 2].map((x) => Math.fround(sigmoid(x))));
    Array.from(both.out!).forEach((v, i) => expect(v).toBeCloseTo(Math.tanh(sigmoid([-2, -0.5, 0.5, 2][i])), 6));
  });

  it('compiles a NetSpec script to a module', () => {
    const out = join(work, 'script.mjs');
    const r = runCli(['compile', join(work, 'net.py'), '--net', 'net.prototxt', '--seed', '3', '-o', out]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(readFileSync(out, 'utf8')).toContain('"up"');
  });

  it('refuses a bad --phase for run as shapes does', () => {
    const r = runCli([
      'run',
      join(work, 'staged.prototxt'),
      '--input',
      `data=${join(work, 'small.npy')}`,
      '--phase',
      'deploy',
      '--out',
      join(work, 'x'),
    ]);
    const shapes = runCli(['shapes', join(work, 'staged.prototxt'), '--phase', 'deploy']);
    expect(r.status).not.toBe(0);
    expect(shapes.status).not.toBe(0);
    expect(r.stderr).toBe(shapes.stderr);
  });
});
