// `brewnet analyze` as a user runs it: the report, --json, exit status on crop problems, --fix-crops.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';

const badCrop = `layer { name: "data" type: "Input" top: "data" input_param { shape { dim: 1 dim: 1 dim: 32 dim: 32 } } }
layer { name: "down" type: "Convolution" bottom: "data" top: "down" convolution_param { num_output: 1 kernel_size: 4 stride: 2 pad: 5 } }
layer { name: "up" type: "Deconvolution" bottom: "down" top: "up" convolution_param { num_output: 1 kernel_size: 4 stride: 2 } }
layer { name: "crop" type: "Crop" bottom: "up" bottom: "data" top: "crop" }
`;

describe('brewnet analyze', () => {
  it('prints crops, maps, padding, deconvolution sizes and valid sizes for FCN-8s', () => {
    const { status, stdout, stderr } = runCli(['analyze', 'examples/fcn8s-deploy.prototxt', '--sizes', '1..40']);
    expect(stderr).toBe('');
    expect(status).toBe(0);
    expect(stdout).toMatch(/^score_pool4c\s+score_pool4 → upscore2\s+2\s+5, 5\s+5, 5\s+ok$/m);
    expect(stdout).toMatch(/^score\s+upscore8 → data\s+2\s+31, 31\s+31, 31\s+ok$/m);
    expect(stdout).toMatch(/^fuse_pool4: aligned$/m);
    expect(stdout).toMatch(/^fc6\s+1×4096×16×16\s+a=1\/32, b=-0\.390625\s+404\s+32\s+12\.5$/m);
    expect(stdout).toContain('upscore8 axis 2: input 70; forward sizes 568..575 (8 sizes) all map to 70; Caffe produces 568');
    expect(stdout).toMatch(/^axis 2 \(data\): 1\.\.40$/m);
  });

  it('--json prints one object with maps, crops, receptive fields and merges', () => {
    const { status, stdout } = runCli(['analyze', 'examples/fcn8s-deploy.prototxt', '--json']);
    expect(status).toBe(0);
    const json = JSON.parse(stdout);
    expect(json.maps.pool4).toEqual({ data: { a: [0.0625, 0.0625], b: [5.71875, 5.71875] } });
    expect(json.crops[2]).toMatchObject({ layer: 'score', axis: 2, offset_file: [31, 31], offset_computed: [31, 31], ok: true });
    expect(json.receptive_fields.fc6).toEqual({ size: [404, 404], jump: [32, 32], start: [12.5, 12.5] });
    expect(json.merges).toEqual([
      { layer: 'fuse_pool4', ok: true },
      { layer: 'fuse_pool3', ok: true },
    ]);
  });

  it('exits 1 with a located warning when a crop is wrong; --fix-crops repairs it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'brewnet-analyze-'));
    const file = join(dir, 'net.prototxt');
    writeFileSync(file, badCrop);
    const bad = runCli(['analyze', file]);
    expect(bad.status).toBe(1);
    // down = (x + 5 − 1.5)/2, up = 2·down + 1.5 = x + 5: offset 5.
    expect(bad.stderr).toBe(
      `${file}:4:1: warning: layer "crop" (Crop): the file gives no crop_param, so offset 0, but aligning "up" with "data" needs offset 5\n`,
    );
    const fixedFile = join(dir, 'fixed.prototxt');
    const fix = runCli(['analyze', file, '--fix-crops', '-o', fixedFile]);
    expect(fix.status).toBe(0);
    expect(fix.stderr).toBe(`wrote ${fixedFile}: 1 crop offset(s) fixed (crop)\n`);
    expect(readFileSync(fixedFile, 'utf8')).toBe(badCrop.replace('type: "Crop"', 'type: "Crop" crop_param { offset: 5 }'));
    expect(runCli(['analyze', fixedFile]).status).toBe(0);
  });

  it('rejects --fix-crops without -o and a malformed --sizes', () => {
    expect(runCli(['analyze', 'examples/fcn8s-deploy.prototxt', '--fix-crops']).stderr).toBe(
      'error: --fix-crops needs -o <file> for the corrected copy\n',
    );
    expect(runCli(['analyze', 'examples/fcn8s-deploy.prototxt', '--sizes', '10-1']).stderr).toBe(
      'error: --sizes must look like 1..1024 (from ≤ to, from ≥ 1), not "10-1"\n',
    );
  });

  // Each size re-infers every layer's shape: a range is bounded by sizes × axes × layers (MobileNet over
  // 1..100000 took half a minute), and the message says how many sizes this net may try.
  it('refuses a size range that would infer more shapes than one run does, saying how many sizes fit', () => {
    const { status, stderr } = runCli(['analyze', 'examples/fcn8s-deploy.prototxt', '--sizes', '1..40000']);
    expect(status).not.toBe(0);
    expect(stderr).toBe(
      'error: --sizes 1..40000: 40000 sizes × 2 axes × 47 layers is more shape inference than one run does (2,000,000 layer shapes); choose a range of at most 21276 sizes\n',
    );
  });
});
