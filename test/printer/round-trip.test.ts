// printPrototxt round-trips: reading its output back gives the same message, printing that again gives
// the same text, and on the files with committed C++ canonical text (protoc --encode | protoc --decode,
// from generate.py) the output is that text byte for byte — which pins field order, float spelling
// (SimpleFtoa/SimpleDtoa) and string escaping to C++ TextFormat::Printer's.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DiagnosticError } from '../../src/diagnostics/diagnostic.js';
import { readNetParameter } from '../../src/frontend/prototxt/read-net-parameter.js';
import { toProtoJSON } from '../../src/printer/json-printer.js';
import { printPrototxt } from '../../src/printer/prototxt-printer.js';
import type { Msg } from '../../src/schema/message.js';
import { corpusDir, corpusPresent, loadFixtures } from './text-format-fixtures.js';

const PROTOTXT = /\.(prototxt|pt|prototxt\.template)$/;

function corpusPrototxts(): string[] {
  const rows = readFileSync(join(corpusDir, 'MANIFEST.tsv'), 'utf8').trim().split('\n').slice(1);
  return rows.map((row) => row.split('\t')[0]).filter((file) => PROTOTXT.test(file));
}

/** The message, or undefined where brewnet rejects the file (those are the parity test's business). */
function tryRead(text: string, file: string): Msg | undefined {
  try {
    return readNetParameter(text, file);
  } catch (e) {
    if (e instanceof DiagnosticError) return undefined;
    throw e;
  }
}

function checkRoundTrip(msg: Msg, file: string): void {
  const printed = printPrototxt(msg);
  const again = readNetParameter(printed, `${file} (printed)`);
  expect(toProtoJSON(again)).toEqual(toProtoJSON(msg));
  expect(printPrototxt(again)).toBe(printed);
}

const fixtures = loadFixtures();

/** Files C++ accepts (so they have canonical text) but brewnet, like Python, rejects. */
const CPP_ONLY: Record<string, string> = {
  'edge/err-invalid-utf8.prototxt':
    'C++ keeps non-UTF-8 bytes in a proto2 string field (it only logs an error); brewnet strings are Unicode text, so it rejects them as Python does',
};

describe('round trip: edge cases', () => {
  const accepted = fixtures
    .filter((f) => f.source === 'edge')
    .map((f) => ({ f, msg: tryRead(readFileSync(f.path, 'utf8'), f.file) }))
    .filter((x) => x.msg !== undefined);
  it('has accepted edge cases', () => expect(accepted.length).toBeGreaterThanOrEqual(8));
  for (const { f, msg } of accepted) it(f.file, () => checkRoundTrip(msg!, f.file));
});

describe('round trip: corpus', () => {
  if (!corpusPresent) {
    it.skip(`corpus absent at ${corpusDir}: corpus round trips are not checked`, () => {});
    return;
  }
  const files = corpusPrototxts();
  const accepted = files
    .map((file) => ({ file, msg: tryRead(readFileSync(join(corpusDir, file), 'utf8'), file) }))
    .filter((x) => x.msg !== undefined);
  // 62 of 67 when written: the rest have template placeholders or fields no caffe.proto knows.
  it('reads most of the corpus', () => expect(accepted.length).toBeGreaterThanOrEqual(files.length - 8));
  for (const { file, msg } of accepted) it(file, () => checkRoundTrip(msg!, file));
});

describe('printPrototxt matches protoc canonical text byte for byte', () => {
  const withCanonical = fixtures.filter((f) => f.canonical !== undefined);
  it('has canonical fixtures for corpus and edge files', () => {
    expect(withCanonical.filter((f) => f.source === 'corpus').length).toBeGreaterThanOrEqual(5);
    expect(withCanonical.filter((f) => f.source === 'edge').length).toBeGreaterThanOrEqual(5);
  });
  for (const f of withCanonical) {
    it.skipIf(f.source === 'corpus' && !corpusPresent)(f.file, () => {
      const text = readFileSync(f.path, 'utf8');
      if (f.file in CPP_ONLY) expect(() => readNetParameter(text, f.file), CPP_ONLY[f.file]).toThrow(DiagnosticError);
      else expect(printPrototxt(readNetParameter(text, f.file))).toBe(f.canonical);
    });
  }
});

describe('printPrototxt on messages built by code', () => {
  it('walks the schema: field-number order whatever the key order, nested messages indented', () => {
    const msg: Msg = {
      layer: [{ top: ['r'], bottom: ['x'], type: 'ReLU', name: 'relu', relu_param: { negative_slope: Math.fround(0.1) } }],
      input: ['x'],
      name: 'built',
    };
    expect(printPrototxt(msg)).toBe(
      [
        'name: "built"',
        'input: "x"',
        'layer {',
        '  name: "relu"',
        '  type: "ReLU"',
        '  bottom: "x"',
        '  top: "r"',
        '  relu_param {',
        '    negative_slope: 0.1',
        '  }',
        '}',
        '',
      ].join('\n'),
    );
  });

  it('prints enums by name (given as names or numbers), bools, escapes and 64-bit integers', () => {
    const msg: Msg = {
      force_backward: true,
      state: { phase: 1, stage: ['a"b\\c\n'] },
      input_shape: [{ dim: [1, 2 ** 40] }],
      layer: [{ name: 'é', include: [{ phase: 'TRAIN' }] }],
    };
    expect(printPrototxt(msg)).toBe(
      [
        'force_backward: true',
        'state {',
        '  phase: TEST',
        '  stage: "a\\"b\\\\c\\n"',
        '}',
        'input_shape {',
        '  dim: 1',
        '  dim: 1099511627776',
        '}',
        'layer {',
        '  name: "\\303\\251"',
        '  include {',
        '    phase: TRAIN',
        '  }',
        '}',
        '',
      ].join('\n'),
    );
    const json = toProtoJSON(msg);
    expect(json).toEqual({
      force_backward: true,
      state: { phase: 'TEST', stage: ['a"b\\c\n'] },
      input_shape: [{ dim: ['1', '1099511627776'] }],
      layer: [{ name: 'é', include: [{ phase: 'TRAIN' }] }],
    });
    expect(Object.keys(json)).toEqual(['force_backward', 'state', 'input_shape', 'layer']);
  });

  it('prints nothing for an empty message or an empty repeated field', () => {
    expect(printPrototxt({})).toBe('');
    expect(printPrototxt({ input: [], layer: [] })).toBe('');
    expect(toProtoJSON({ input: [] })).toEqual({});
  });

  it('prints other message types when named', () => {
    expect(printPrototxt({ pool: 'AVE', kernel_size: 3 }, 'PoolingParameter')).toBe('pool: AVE\nkernel_size: 3\n');
  });
});
