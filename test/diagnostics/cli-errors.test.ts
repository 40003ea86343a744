// Bad input through the command line: diagnostics on stderr as `file:line:col: error: …`, exit code 1,
// nothing on stdout and never a stack trace; a bad flag is a usage error.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, type CliResult } from '../helpers/run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'brewnet-cli-errors-'));
function write(name: string, content: string | Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

const DATA = 'layer { name: "data" type: "Input" top: "data" input_param { shape { dim: 1 dim: 3 dim: 8 dim: 8 } } }\n';

const files = {
  syntax: write('syntax.prototxt', 'layer {\n  name:\n}\n'),
  unknownField: write(
    'unknown-field.prototxt',
    'layer {\n  name: "c"\n  type: "Convolution"\n  convolution_param {\n    num_output: 4\n    kernal_size: 3\n  }\n}\n',
  ),
  shape: write(
    'shape.prototxt',
    DATA +
      'layer {\n  name: "c"\n  type: "Convolution"\n  bottom: "data"\n  top: "c"\n  convolution_param { num_output: 2 kernel_size: 11 }\n}\n',
  ),
  unsupported: write(
    'unsupported.prototxt',
    'layer {\n  name: "a"\n  type: "PSROIPooling"\n}\nlayer {\n  name: "b"\n  type: "PSROIPooling"\n}\n',
  ),
  binary: write('weights.caffemodel', Buffer.from([0x0a, 0x05, 0x6c, 0x65, 0x6e, 0x65, 0x74, 0x12, 0x00, 0x00, 0x8f, 0xff])),
  good: write('good.prototxt', DATA),
};

/** A failed run: exit 1, empty stdout, no stack-trace lines, no internal-error line. */
function expectDiagnosticFailure(result: CliResult): string[] {
  expect(result.status).toBe(1);
  expect(result.stdout).toBe('');
  expect(result.stderr).not.toMatch(/^\s+at /m);
  expect(result.stderr).not.toContain('internal error');
  return result.stderr.trimEnd().split('\n');
}

describe('brewnet shapes on bad files', () => {
  it('reports a syntax error at its line and column', () => {
    const lines = expectDiagnosticFailure(runCli(['shapes', files.syntax]));
    expect(lines).toEqual([`${files.syntax}:3:1: error: expected a value after ":", found "}"`]);
  });

  it('reports an unknown field with its hint on the next line', () => {
    const lines = expectDiagnosticFailure(runCli(['shapes', files.unknownField]));
    expect(lines).toEqual([
      `${files.unknownField}:6:5: error: unknown field "kernal_size" in ConvolutionParameter`,
      '  hint: did you mean "kernel_size"?',
    ]);
  });

  it('reports an impossible shape at the field that causes it', () => {
    const lines = expectDiagnosticFailure(runCli(['shapes', files.shape]));
    expect(lines).toEqual([
      `${files.shape}:7:37: error: layer "c" (Convolution): spatial axis 0: input 8 with pad 0 is smaller than the kernel extent 11 (output would be -2)`,
    ]);
  });

  it('lists every unsupported layer, then a note without a location', () => {
    const lines = expectDiagnosticFailure(runCli(['shapes', files.unsupported]));
    expect(lines).toEqual([
      `${files.unsupported}:3:3: error: unsupported layer type "PSROIPooling" (layer "a")`,
      '  hint: PSROIPooling comes from the R-FCN fork (daijifeng001/caffe-rfcn)',
      `${files.unsupported}:7:3: error: unsupported layer type "PSROIPooling" (layer "b")`,
      'note: this net uses 1 unsupported layer type(s): PSROIPooling (2 layers)',
    ]);
  });

  it('says a binary file is not text, at 1:1', () => {
    const lines = expectDiagnosticFailure(runCli(['shapes', files.binary]));
    expect(lines).toEqual([
      `${files.binary}:1:1: error: this file is not text (it contains NUL or non-UTF-8 bytes)`,
      '  hint: a .caffemodel holds weights; pass the .prototxt that defines the net (weights are loaded with --weights)',
    ]);
  });

  it('reports a missing file without a location', () => {
    const missing = join(dir, 'nope.prototxt');
    expect(expectDiagnosticFailure(runCli(['shapes', missing]))).toEqual([`error: no such file: ${missing}`]);
  });

  it('reports --input for a blob the net does not have', () => {
    const lines = expectDiagnosticFailure(runCli(['shapes', files.good, '--input', 'dat=1,3,8,8']));
    expect(lines).toEqual([
      'error: --input names "dat", which is not a top of an Input, data or Python layer',
      '  hint: did you mean "data"?',
    ]);
  });
});

describe('brewnet usage errors', () => {
  it('rejects an unknown flag, pointing at --help', () => {
    const result = runCli(['shapes', files.good, '--bogus']);
    expect(result.status).not.toBe(0);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain("error: unknown option '--bogus'");
    expect(result.stderr).toContain('  hint: see brewnet shapes --help');
    expect(result.stderr).not.toContain('Usage:');
    expect(result.stderr).not.toMatch(/^\s+at /m);
  });

  it('rejects a malformed --input, pointing at --help', () => {
    const result = runCli(['shapes', files.good, '--input', 'data=1,x3']);
    expect(result.status).not.toBe(0);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('--input data: "1,x3" is not a list of non-negative integers (each at most 2147483647)');
    expect(result.stderr).toContain('  hint: see brewnet shapes --help');
    expect(result.stderr).not.toContain('Usage:');
    expect(result.stderr).not.toMatch(/^\s+at /m);
  });

  it('rejects a missing net argument', () => {
    const result = runCli(['shapes']);
    expect(result.status).not.toBe(0);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain("error: missing required argument 'net'");
  });
});

describe('brewnet shapes on an empty net', () => {
  it('prints the empty table, exits 0, and warns that the net has no layers', () => {
    const empty = write('empty.prototxt', '# only a comment\n');
    const result = runCli(['shapes', empty]);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('0 layers');
    expect(result.stderr).toBe(
      `${empty}:1:1: warning: the net has no layers\n  hint: an empty file (or one with only comments) is a legal, empty NetParameter\n`,
    );
  });
});
