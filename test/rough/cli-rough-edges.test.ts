// Rough edges a new user hits on the command line (issue 17): each case here failed before its fix. A big
// binary file given as the net (item 2), data layers fed from --input (3), --blobs typos (4), inputs checked
// against the declared shape (6), input forms (7), -o into a missing folder (1), --json and JSON-line
// diagnostics, usage errors and a missing command.
import { existsSync, mkdtempSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readNpy, writeNpy } from '../../src/runtime/npy.js';
import { runCli } from '../helpers/run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'brewnet-rough-'));
const write = (name: string, content: string | Uint8Array) => {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
};
const npy = (name: string, shape: number[], fill = (i: number) => (i % 7) / 7) => {
  const n = shape.reduce((a, b) => a * b, 1);
  return write(name, writeNpy({ shape, data: Float32Array.from({ length: n }, (_, i) => fill(i)) }));
};

// A LeNet-like net: one grey channel, 1×1×12×12 declared.
const GREY = write(
  'grey.prototxt',
  `name: "grey"
layer { name: "data" type: "Input" top: "data" input_param { shape { dim: 1 dim: 1 dim: 12 dim: 12 } } }
layer { name: "conv1" type: "Convolution" bottom: "data" top: "conv1" convolution_param { num_output: 2 kernel_size: 3 weight_filler { type: "xavier" } } }
layer { name: "pool1" type: "Pooling" bottom: "conv1" top: "pool1" pooling_param { pool: MAX kernel_size: 2 stride: 2 } }
layer { name: "ip1" type: "InnerProduct" bottom: "pool1" top: "ip1" inner_product_param { num_output: 3 weight_filler { type: "xavier" } } }
`,
);
const RGB = write(
  'rgb.prototxt',
  `layer { name: "data" type: "Input" top: "data" input_param { shape { dim: 1 dim: 3 dim: 6 dim: 8 } } }
layer { name: "relu" type: "ReLU" bottom: "data" top: "out" }
`,
);
// A train_val-style net: a Data layer (LMDB) and a Python data layer, whose tops are fed from --input.
const TRAIN_VAL = write(
  'train_val.prototxt',
  `name: "tv"
layer { name: "data" type: "Data" top: "data" top: "label" include { phase: TEST } data_param { source: "val_lmdb" batch_size: 2 backend: LMDB } transform_param { crop_size: 8 } }
layer { name: "extra" type: "Python" top: "extra" python_param { module: "layers" layer: "ExtraLayer" } }
layer { name: "conv" type: "Convolution" bottom: "data" top: "conv" convolution_param { num_output: 2 kernel_size: 3 weight_filler { type: "xavier" } } }
layer { name: "sum" type: "Eltwise" bottom: "conv" bottom: "extra" top: "sum" }
`,
);

// Each case spawns the CLI one to three times; on a loaded machine a spawn can take 20 s.
const SLOW = { timeout: 240_000 };

function jsonLines(stderr: string): Record<string, unknown>[] {
  return stderr
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l));
}

describe('the net file', SLOW, () => {
  it('a 600 MB binary file given as the net is "not text" at once (item 2), not a string-length crash', () => {
    // Sparse: the file takes no disk space. Its first bytes are a .caffemodel's (name "LeNet", then a layer).
    const big = write('vgg19.caffemodel', Uint8Array.from([0x0a, 0x05, 0x4c, 0x65, 0x4e, 0x65, 0x74, 0xa2, 0x06, 0x90, 0x01]));
    truncateSync(big, 600 * 1024 * 1024);
    const r = runCli(['shapes', big]);
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(
      `${big}:1:1: error: this file is not text (it contains NUL or non-UTF-8 bytes)\n  hint: a .caffemodel holds weights; pass the .prototxt that defines the net (weights are loaded with --weights)\n`,
    );
  });
});

describe('run: inputs', SLOW, () => {
  it('feeds the tops of a Data layer and a Python data layer from --input (item 3), shapes from the arrays', () => {
    const out = join(dir, 'tv-out');
    const r = runCli([
      'run',
      TRAIN_VAL,
      '--input',
      `data=${npy('d.npy', [2, 3, 8, 8])}`,
      '--input',
      'label=zeros:2',
      '--input',
      'extra=ones:2,2,6,6',
      '--seed',
      '1',
      '--backend',
      'cpu',
      '--out',
      out,
    ]);
    expect(r.stderr).not.toContain('error');
    expect(r.status).toBe(0);
    expect(readNpy(readFileSync(join(out, 'sum.npy'))).shape).toEqual([2, 2, 6, 6]);
  });

  it('says which data-layer top is not fed, at its layer', () => {
    const r = runCli([
      'run',
      TRAIN_VAL,
      '--input',
      `data=${npy('d2.npy', [2, 3, 8, 8])}`,
      '--input',
      'extra=ones:2,2,6,6',
      '--out',
      join(dir, 'x'),
    ]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`${TRAIN_VAL}:2:1: error: "label" (2), a top of the Data layer "data", is not given`);
    expect(r.stderr).toContain('hint: feed it: --input label=file.npy, an image, or random:2');
    // A Python data layer's top has no shape at all until it is fed.
    const python = runCli([
      'run',
      TRAIN_VAL,
      '--input',
      `data=${join(dir, 'd2.npy')}`,
      '--input',
      'label=zeros:2',
      '--out',
      join(dir, 'x'),
    ]);
    expect(python.status).toBe(1);
    expect(python.stderr).toBe(
      `${TRAIN_VAL}:3:38: error: layer "extra" (Python): shape of top "extra" cannot be known statically\n  hint: feed it: --input extra=file.npy, an image, or random:N,C,H,W\n`,
    );
  });

  it('explains a channels-last array at the Input layer (item 6), and a 3-channel array for a grey net blames the input', () => {
    const hwc = runCli(['run', RGB, '--input', `data=${npy('hwc.npy', [6, 8, 3])}`, '--out', join(dir, 'x')]);
    expect(hwc.status).toBe(1);
    expect(hwc.stderr).toContain(
      `${RGB}:1:1: error: input "data": the array in ${join(dir, 'hwc.npy')} is 6×8×3, channels last (H×W×C); the Input layer "data" declares 1×3×6×8 (N×C×H×W, channels first)`,
    );
    expect(hwc.stderr).toContain("hint: transpose it: numpy's arr.transpose(2, 0, 1)[None]");
    const c3 = runCli(['run', GREY, '--input', `data=${npy('c3.npy', [1, 3, 12, 12])}`, '--out', join(dir, 'x')]);
    expect(c3.status).toBe(1);
    expect(c3.stderr).toContain(
      `${GREY}:2:1: error: input "data": the array in ${join(dir, 'c3.npy')} has 3 channel(s) (1×3×12×12), but the Input layer "data" declares 1×1×12×12: 1 channel(s)`,
    );
    expect(c3.stderr).not.toContain('weights');
  });

  it('reshapes to another size only with --reshape; a missing batch axis runs as a batch of one, with a note', () => {
    const big = npy('big.npy', [1, 1, 20, 20]);
    const refused = runCli(['run', GREY, '--input', `data=${big}`, '--out', join(dir, 'x')]);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain(
      'is 1×1×20×20, but the Input layer "data" declares 1×1×12×12\n  hint: to run the net at 1×1×20×20 instead, add --reshape',
    );
    const out = join(dir, 'reshaped');
    expect(runCli(['run', GREY, '--input', `data=${big}`, '--reshape', '--backend', 'cpu', '--out', out]).status).toBe(0);
    expect(readNpy(readFileSync(join(out, 'ip1.npy'))).shape).toEqual([1, 3]);
    const batchless = runCli(['run', GREY, '--input', `data=${npy('nb.npy', [1, 12, 12])}`, '--backend', 'cpu', '--out', join(dir, 'nb')]);
    expect(batchless.status).toBe(0);
    expect(batchless.stderr).toContain(`${GREY}:2:1: note: input "data": 1×12×12 has no batch axis: running a batch of one, 1×1×12×12`);
  });

  it('takes random|zeros|ones[:dims] and any-dtype arrays; a bare shape is explained (item 7)', () => {
    const shape = runCli(['run', GREY, '--input', 'data=1,1,12,12', '--out', join(dir, 'x')]);
    expect(shape.status).toBe(1);
    expect(shape.stderr).toContain('error: --input data=1,1,12,12 is a shape; run needs values');
    expect(shape.stderr).toContain('e.g. --input data=random:1,1,12,12');
    const out = join(dir, 'ones');
    expect(runCli(['run', RGB, '--input', 'data=ones', '--backend', 'cpu', '--out', out]).status).toBe(0);
    expect(Array.from(readNpy(readFileSync(join(out, 'out.npy'))).data).every((v) => v === 1)).toBe(true);
  });

  it('runs an image with Caffe-style preprocessing, resized to the declared H×W', () => {
    const out = join(dir, 'image');
    const png = join(__dirname, '..', 'fixtures', 'images', 'small.png');
    const r = runCli([
      'run',
      RGB,
      '--input',
      `data=${png}`,
      '--raw-scale',
      '255',
      '--mean',
      '0',
      '--channel-swap',
      '2,1,0',
      '--backend',
      'cpu',
      '--out',
      out,
    ]);
    expect(r.status).toBe(0);
    const t = readNpy(readFileSync(join(out, 'out.npy')));
    expect(t.shape).toEqual([1, 3, 6, 8]);
    expect(Math.max(...t.data)).toBeLessThanOrEqual(255);
    expect(Math.max(...t.data)).toBeGreaterThan(1);
  });
});

describe('run: --blobs, --json, -o', SLOW, () => {
  it('--blobs with a typo: did you mean, not every name (item 4)', () => {
    const r = runCli(['run', GREY, '--input', 'data=zeros', '--blobs', 'pool', '--out', join(dir, 'x')]);
    expect(r.status).toBe(1);
    expect(r.stderr).toBe('error: --blobs: no blob named "pool" in the net\n  hint: did you mean "pool1"?\n');
  });

  it('--json: one object on stdout; diagnostics as JSON lines on stderr', () => {
    const out = join(dir, 'json');
    const ok = runCli(['run', GREY, '--input', 'data=random', '--json', '--backend', 'cpu', '--out', out]);
    expect(ok.status).toBe(0);
    const report = JSON.parse(ok.stdout);
    expect(report.backend).toBe('cpu');
    expect(report.written).toEqual([{ blob: 'ip1', file: join(out, 'ip1.npy'), shape: [1, 3] }]);
    expect(report.inputs.data).toEqual({ shape: [1, 1, 12, 12], from: 'random, uniform in [0, 1), seed 0' });
    expect(Object.keys(report.times_ms)).toEqual(['load', 'compile', 'forward', 'write']);
    const bad = runCli(['run', GREY, '--input', `data=${npy('c3b.npy', [1, 3, 12, 12])}`, '--json', '--out', out]);
    expect(bad.status).toBe(1);
    expect(bad.stdout).toBe('');
    const [d] = jsonLines(bad.stderr);
    expect(d).toMatchObject({ severity: 'error', file: GREY, line: 2, column: 1 });
    expect(Object.keys(d)).toEqual(['severity', 'message', 'file', 'line', 'column', 'hint']);
  });

  it('compile --json and -o into folders that do not exist yet (item 1)', () => {
    const module = join(dir, 'new', 'deeper', 'net.mjs');
    const r = runCli(['compile', GREY, '-o', module, '--json']);
    expect(r.status).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report).toMatchObject({
      module,
      weights: join(dir, 'new', 'deeper', 'net.caffemodel'),
      inputs: { data: [1, 1, 12, 12] },
      outputs: { ip1: [1, 3] },
    });
    expect(existsSync(module)).toBe(true);
    const converted = join(dir, 'conv', 'a', 'net.prototxt');
    expect(runCli(['convert', GREY, '-o', converted]).status).toBe(0);
    expect(existsSync(converted)).toBe(true);
    const fixed = join(dir, 'fix', 'b', 'net.prototxt');
    expect(runCli(['analyze', GREY, '--fix-crops', '-o', fixed]).status).toBe(0);
    expect(existsSync(fixed)).toBe(true);
  });
});

describe('usage', SLOW, () => {
  it('an unknown option: the error and one line pointing at --help, not the whole help', () => {
    const r = runCli(['shapes', GREY, '--bogus']);
    expect(r.status).toBe(1);
    expect(r.stderr).toBe("error: unknown option '--bogus'\n  hint: see brewnet shapes --help\n");
  });

  it('no command: says so and lists the commands briefly', () => {
    const r = runCli([]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^error: no command given\n/);
    expect(r.stderr).toContain('  shapes ');
    expect(r.stderr.split('\n').length).toBeLessThan(20);
  });

  it('with --json, a usage error is a JSON line too', () => {
    const r = runCli(['shapes', GREY, '--json', '--bogus']);
    expect(jsonLines(r.stderr)).toEqual([
      { severity: 'error', message: "unknown option '--bogus'", file: null, line: null, column: null, hint: 'see brewnet shapes --help' },
    ]);
  });
});
