// The CLI on net scripts: convert -o DIR writes what a script writes; shapes/analyze take --net/--call;
// convert --to py writes a NetSpec script that converts back to the same prototxt; Theano's output
// adjustment is refused as prototxt with exit status 1.
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readNetParameter } from '../../src/frontend/prototxt/read-net-parameter.js';
import { toProtoJSON } from '../../src/printer/json-printer.js';
import { corpusAvailable, corpusPath } from '../helpers/corpus.js';
import { runCli } from '../helpers/run-cli.js';
import { comparable } from './comparable.js';

const temp = () => mkdtempSync(join(tmpdir(), 'brewnet-dsl-'));

describe.skipIf(!corpusAvailable)('FCN scripts on the command line (../shared/corpus)', () => {
  it('convert net.py -o DIR writes the files the script writes, equal to the committed ones', () => {
    const dir = temp();
    const { status, stderr } = runCli(['convert', corpusPath('fcn/voc-fcn16s/net.py'), '-o', dir]);
    expect(status).toBe(0);
    expect(stderr).toBe(`wrote ${join(dir, 'train.prototxt')}\nwrote ${join(dir, 'val.prototxt')}\n`);
    for (const name of ['train.prototxt', 'val.prototxt']) {
      expect(comparable(readFileSync(join(dir, name), 'utf8'), name)).toEqual(
        comparable(readFileSync(corpusPath(`fcn/voc-fcn16s/${name}`), 'utf8'), name),
      );
    }
  });

  it('shapes net.py --net train.prototxt, and analyze with --call', () => {
    const shapes = runCli([
      'shapes',
      corpusPath('fcn/voc-fcn8s/net.py'),
      '--net',
      'train.prototxt',
      '--phase',
      'train',
      '--input',
      'data=1,3,500,500',
      '--input',
      'label=1,1,500,500',
      '--json',
    ]);
    expect(shapes.status).toBe(0);
    const json = JSON.parse(shapes.stdout);
    expect(json.blobs.upscore8).toEqual([1, 21, 568, 568]);
    expect(json.blobs.score).toEqual([1, 21, 500, 500]);
    const analyze = runCli([
      'analyze',
      corpusPath('fcn/voc-fcn8s/net.py'),
      '--call',
      "fcn('seg11valid')",
      '--input',
      'data=1,3,500,500',
      '--input',
      'label=1,1,500,500',
      '--json',
    ]);
    expect(analyze.status).toBe(0);
    // The offsets crop() computed are the ones the analysis computes: 5, 9 and 31 (docs/caffe-semantics.md#fcn-crop-offsets).
    const crops = JSON.parse(analyze.stdout).crops.map((c: { layer: string; offset_file: number[] }) => [c.layer, c.offset_file]);
    expect(crops).toEqual([
      ['score_pool4c', [5, 5]],
      ['score_pool3c', [9, 9]],
      ['score', [31, 31]],
    ]);
  });

  it('a script with two nets needs --net', () => {
    const { status, stderr } = runCli(['shapes', corpusPath('fcn/voc-fcn32s/net.py')]);
    expect(status).toBe(1);
    expect(stderr).toBe(
      `error: ${corpusPath('fcn/voc-fcn32s/net.py')} made 2 nets (train.prototxt, val.prototxt); which one?\n  hint: pick one with --net train.prototxt, or write them all with convert -o DIR\n`,
    );
  });
});

describe('convert --to py and back', () => {
  it('examples/fcn8s-deploy.prototxt → py → prototxt is the canonical prototxt', () => {
    const dir = temp();
    const script = join(dir, 'fcn8s.py');
    expect(runCli(['convert', 'examples/fcn8s-deploy.prototxt', '--to', 'py', '-o', script]).status).toBe(0);
    expect(readFileSync(script, 'utf8')).toContain("with open('fcn8s.prototxt', 'w') as f:");
    const back = runCli(['convert', script]);
    const direct = runCli(['convert', 'examples/fcn8s-deploy.prototxt']);
    expect(back.status).toBe(0);
    expect(back.stdout).toBe(direct.stdout);
    expect(toProtoJSON(readNetParameter(back.stdout, 'back'))).toEqual(toProtoJSON(readNetParameter(direct.stdout, 'direct')));
  });
});

describe('Theano example on the command line', () => {
  it('converts to prototxt with --input, and refuses an output adjustment', () => {
    const ok = runCli(['convert', 'examples/theano-deconv.py', '--input', 'x=1,3,64,64']);
    expect(ok.status).toBe(0);
    expect(ok.stdout).toContain('type: "Deconvolution"');
    const adjusted = runCli(['convert', 'examples/theano-deconv.py', '--call', 'build(extra=1)', '--input', 'x=1,3,64,64']);
    expect(adjusted.status).toBe(1);
    expect(adjusted.stderr).toBe(
      'examples/theano-deconv.py:85:21: error: Deconvolution "up" has output adjustment 1 from Theano\'s input_shape; prototxt cannot express it\n' +
        "  hint: Caffe's Deconvolution always makes the smallest size; choose that size, or crop or pad after it\n",
    );
  });
});

describe('output files stay in the output folder', () => {
  it('a script may write into sub-folders, not out of the folder', () => {
    const dir = temp();
    const script = join(dir, 'writes.py');
    writeFileSync(script, "with open('nets/a.prototxt', 'w') as f:\n    f.write('name: \"a\"\\n')\nopen('../escape.txt', 'w')\n");
    const { status, stderr } = runCli(['convert', script, '-o', join(dir, 'out')]);
    expect(status).toBe(1);
    expect(stderr).toBe(
      `${script}:3:1: error: SandboxError: open("../escape.txt", "w"): an output file must stay inside the output folder\n  hint: write a relative path such as 'train.prototxt'\n`,
    );
    expect(existsSync(join(dir, 'escape.txt'))).toBe(false);
  });
});
