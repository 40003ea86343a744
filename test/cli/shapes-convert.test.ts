// The CLI as a user sees it: `shapes` (table and --json) and `convert` on the project's examples.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';

describe('brewnet shapes', () => {
  it('prints one row per layer with shapes, params and totals', () => {
    const { status, stdout, stderr } = runCli(['shapes', 'examples/fcn8s-deploy.prototxt']);
    expect(stderr).toBe('');
    expect(status).toBe(0);
    const lines = stdout.split('\n');
    expect(lines[0]).toMatch(/^layer\s+type\s+bottoms → tops\s+params\s+MACs\s+memory$/);
    // 64×698×698 floats: 119 MiB of new activation memory; the in-place ReLU takes none.
    expect(lines.find((l) => l.startsWith('conv1_1 '))).toMatch(/data → conv1_1 1×64×698×698\s+64×3×3×3 \+ 64 \(1,792\)\s+842M\s+119 MiB$/);
    expect(lines.find((l) => l.startsWith('relu1_1 '))).toMatch(/conv1_1 1×64×698×698 \(in place\)\s+31.2M$/);
    // conv1_1 and conv1_2 live at once: the planned peak is at least theirs.
    const peak = /^activation memory: ([\d.]+) MiB planned peak \(blobs reuse dead blobs' bytes; ([\d.]+) (MiB|GiB) without reuse\)$/m.exec(
      stdout,
    );
    expect(peak).not.toBeNull();
    expect(Number(peak![1])).toBeGreaterThanOrEqual(238);
    expect(lines.find((l) => l.startsWith('score '))).toMatch(/upscore8, data → score 1×21×500×500/);
    expect(stdout).toMatch(/^47 layers · [\d,]+ parameters · [\d.]+G MACs \([\d,]+\)$/m);
    expect(stdout).toMatch(/^inputs: data 1×3×500×500$/m);
    expect(stdout).toMatch(/^outputs: score 1×21×500×500$/m);
    expect(stdout).not.toMatch(/\x1b\[/); // no colours when not a TTY
  });

  it('a layer with thousands of bottoms: its cell names a few and counts them, and no column widens every row', () => {
    // Before: each of the 5,001 rows was padded to the Concat cell's 40,000 characters (200 MB of output).
    const n = 5000;
    const text = [
      ...Array.from(
        { length: n },
        (_, i) => `layer { name: "d${i}" type: "Input" top: "d${i}" input_param { shape { dim: 1 dim: 1 dim: 2 dim: 2 } } }`,
      ),
      `layer { name: "cat" type: "Concat" ${Array.from({ length: n }, (_, i) => `bottom: "d${i}"`).join(' ')} top: "cat" }`,
    ].join('\n');
    const dir = mkdtempSync(join(tmpdir(), 'brewnet-wide-'));
    writeFileSync(join(dir, 'wide.prototxt'), text);
    const { status, stdout } = runCli(['shapes', join(dir, 'wide.prototxt')]);
    expect(status).toBe(0);
    expect(stdout.length).toBeLessThan(1_000_000);
    expect(stdout).toMatch(/^cat\s+Concat\s+d0, d1, d2, d3, d4, d5, …, d4999 \(5,000 bottoms\) → cat 1×5000×2×2/m);
    expect(stdout).toMatch(/^inputs: d0 1×1×2×2, .*, …, d4999 1×1×2×2 \(5,000 inputs\)$/m);
    expect(Math.max(...stdout.split('\n').map((l) => l.length))).toBeLessThan(400);
  });

  it('--json prints exactly one JSON object with every blob, layer, input and output', () => {
    const { status, stdout } = runCli(['shapes', 'examples/fcn8s-deploy.prototxt', '--json', '--input', 'data=1,3,224,224']);
    expect(status).toBe(0);
    const json = JSON.parse(stdout);
    expect(Object.keys(json).sort()).toEqual(['blobs', 'inputs', 'layers', 'memory', 'name', 'outputs', 'totals']);
    expect(json.totals.params).toBe(
      json.layers.reduce((n: number, l: { params: number[][] }) => n + l.params.reduce((m, p) => m + p.reduce((a, b) => a * b, 1), 0), 0),
    );
    expect(json.totals.macs).toBe(json.layers.reduce((n: number, l: { macs: number }) => n + l.macs, 0));
    // The planned peak of activation bytes: at least conv1_1 and conv1_2 (64×422×422 floats each), live at once.
    expect(json.memory.peak_bytes).toBeGreaterThanOrEqual(2 * 64 * 422 * 422 * 4);
    expect(json.memory.unplanned_bytes).toBeGreaterThan(json.memory.peak_bytes);
    expect(json.blobs.score).toEqual([1, 21, 224, 224]);
    expect(json.layers).toHaveLength(47);
    expect(json.layers[1]).toEqual({
      name: 'conv1_1',
      type: 'Convolution',
      bottom: ['data'],
      top: ['conv1_1'],
      top_shapes: [[1, 64, 422, 422]],
      params: [[64, 3, 3, 3], [64]],
      macs: 64 * 422 * 422 * 27,
    });
    expect(json.inputs).toEqual(['data']);
    expect(json.outputs).toEqual(['score']);
  });

  it('applies --phase, --stage and --level', () => {
    const { stdout } = runCli(['shapes', 'examples/lenet-v1.prototxt', '--phase', 'train', '--stage', 'x', '--level', '2', '--json']);
    expect(JSON.parse(stdout).layers.map((l: { name: string }) => l.name)).toContain('conv1');
  });

  it('exits 1 with located diagnostics on stderr and nothing on stdout', () => {
    // A 3-axis input passes the (N-D) convolution but not Pooling, which needs 4 axes.
    const { status, stdout, stderr } = runCli(['shapes', 'examples/lenet-v1.prototxt', '--input', 'data=64,1,28']);
    expect(status).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toBe(
      'examples/lenet-v1.prototxt:14:1: error: layer "pool1" (Pooling): input must have 4 axes, corresponding to (num, channels, height, width); got 64×20×24\n',
    );
    expect(stderr).not.toMatch(/\n\s+at /);
  });
});

describe('brewnet convert', () => {
  it('prints the upgraded net in canonical prototxt', () => {
    const { status, stdout } = runCli(['convert', 'examples/lenet-v1.prototxt']);
    expect(status).toBe(0);
    expect(stdout).toMatch(/^name: "LeNet"\nlayer \{\n  name: "input"\n  type: "Input"\n  top: "data"\n/);
    expect(stdout).toContain('  type: "InnerProduct"\n');
    expect(stdout).toContain('  param {\n    lr_mult: 1\n  }\n  param {\n    lr_mult: 2\n  }\n');
    expect(stdout).not.toContain('layers {');
  });

  it('keeps the V1 form with --no-upgrade', () => {
    const { stdout } = runCli(['convert', 'examples/lenet-v1.prototxt', '--no-upgrade']);
    expect(stdout).toMatch(/^name: "LeNet"\nlayers \{\n/);
    expect(stdout).toContain('  type: CONVOLUTION\n');
    expect(stdout).toContain('input_dim: 64\n');
  });

  it('prints protobuf JSON with the original field names', () => {
    const { status, stdout } = runCli(['convert', 'examples/lenet-v1.prototxt', '--to', 'json']);
    expect(status).toBe(0);
    const json = JSON.parse(stdout);
    expect(json.layer[0].input_param.shape[0].dim).toEqual(['64', '1', '28', '28']); // int64 as strings
    expect(json.layer[1].convolution_param).toMatchObject({ num_output: 20, kernel_size: [5] });
  });

  it('rejects an unknown --to format', () => {
    const { status, stderr } = runCli(['convert', 'examples/lenet-v1.prototxt', '--to', 'yaml']);
    expect(status).toBe(1);
    expect(stderr).toBe('error: --to must be "prototxt", "json", "py" or "onnx", not "yaml"\n');
  });
});
