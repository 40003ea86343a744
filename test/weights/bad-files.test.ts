// Weights files that cannot be read: each gives one located, exact diagnostic (byte offsets computed by
// generate.py from protobuf's own serialization), and no input whatever makes the reader crash or hang.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { DiagnosticError, formatDiagnostic } from '../../src/index.js';
import { readCaffemodel } from '../../src/weights/read-caffemodel.js';
import { fixture, num } from './fixtures.js';

const TRUNCATED = '  hint: the file ends before its contents do: an interrupted download or copy? Compare its size with the original';
const CORRUPT = '  hint: this is not a valid Caffe NetParameter; is it a .caffemodel written by Caffe?';

function diagnosticsOf(source: string | Uint8Array, file?: string): string[] {
  try {
    readCaffemodel(source, { file });
  } catch (e) {
    if (e instanceof DiagnosticError) return e.diagnostics.map(formatDiagnostic);
    throw e;
  }
  return [];
}

const read = (name: string) => diagnosticsOf(fixture(name), name);

describe('truncated files', () => {
  it('inside a blob’s data: names layer, blob and field, and what the layer still lacks', () => {
    const f = 'truncated-data.caffemodel';
    expect(read(f)).toEqual([
      `error: ${f}: truncated at byte ${num(f, 'cut')} while reading layer "conv1" blob 0 data (expected ${num(f, 'needed')} more bytes)\n${TRUNCATED}`,
    ]);
  });

  it('inside a layer name: the layer is known by its index', () => {
    const f = 'truncated-name.caffemodel';
    expect(read(f)).toEqual([
      `error: ${f}: truncated at byte ${num(f, 'cut')} while reading layer #${num(f, 'index')} name (expected ${num(f, 'needed')} more bytes)\n${TRUNCATED}`,
    ]);
  });

  it('between a layer’s tag and its length', () => {
    const f = 'truncated-length.caffemodel';
    expect(read(f)).toEqual([
      `error: ${f}: truncated at byte ${num(f, 'cut')} while reading layer #${num(f, 'index')} (expected 1 more byte)\n${TRUNCATED}`,
    ]);
  });
});

describe('corrupt files', () => {
  it.each([
    ['corrupt-wiretype.caffemodel', 'the net, after layer "conv1": invalid wire type 7 (field 1)'],
    ['corrupt-packed.caffemodel', 'layer "conv1" blob 0 data: packed data of 6 bytes is not a whole number of 4-byte values'],
    ['corrupt-fieldtype.caffemodel', 'layer #0 name: field name (1) has wire type 0, which that field cannot have'],
  ])('%s', (f, what) => {
    expect(read(f)).toEqual([`error: ${f}: corrupt at byte ${num(f, 'at')} while reading ${what}\n${CORRUPT}`]);
  });

  it('a blob longer than its layer', () => {
    const f = 'corrupt-overrun.caffemodel';
    expect(read(f)).toEqual([
      `error: ${f}: corrupt at byte ${num(f, 'at')} while reading layer "conv1" blobs: a length of 100 bytes runs past the end of its enclosing message (byte ${num(f, 'layer_end')})\n${CORRUPT}`,
    ]);
  });

  it('a varint longer than ten bytes', () => {
    const f = 'corrupt-varint.caffemodel';
    expect(read(f)).toEqual([
      `error: ${f}: corrupt at byte 0 while reading the net, before its first layer: varint longer than 10 bytes\n${CORRUPT}`,
    ]);
  });

  it('random bytes', () => {
    expect(read('garbage.caffemodel')).toEqual([
      expect.stringMatching(/^error: garbage\.caffemodel: (corrupt|truncated) at byte \d+ while reading /),
    ]);
  });

  it('both `layer` and V1 `layers`', () => {
    const f = 'both-formats.caffemodel';
    expect(read(f)).toEqual([
      `error: ${f} has both \`layer\` (1) and V1 \`layers\` (1) entries\n  hint: Caffe refuses to upgrade such a NetParameter too; it was not written by Caffe`,
    ]);
  });
});

describe('files that are not a .caffemodel', () => {
  it.each([
    [
      'text.caffemodel',
      'text.caffemodel is a text file, not a binary .caffemodel\n  hint: weights are the binary .caffemodel file Caffe writes; a .prototxt describes the net, not its weights',
    ],
    [
      'hdf5.caffemodel',
      "hdf5.caffemodel is an HDF5 weights file (.caffemodel.h5), which brewnet does not read\n  hint: load it in pycaffe and save it as a binary .caffemodel: caffe.Net(prototxt, weights, caffe.TEST).save('out.caffemodel')",
    ],
  ])('%s', (f, message) => {
    expect(read(f)).toEqual([`error: ${message}`]);
  });

  it('a net without parameter blobs: `name` alone (0x0a, length 10, 10 letters) is printable, yet a .caffemodel', () => {
    const bytes = new Uint8Array([0x0a, 10, ...new TextEncoder().encode('mvn_across')]);
    expect(diagnosticsOf(bytes, 'named.caffemodel')).toEqual([]);
    expect(diagnosticsOf(new TextEncoder().encode('\nname: "x"\n'), 'text.caffemodel')[0]).toMatch(/is a text file/);
  });

  it('a 0-byte file is a valid empty NetParameter (no layers), as protobuf and Caffe read it', () => {
    expect(readCaffemodel(new Uint8Array(0)).layers).toEqual([]);
  });

  it('a path that does not exist, and a directory', () => {
    expect(diagnosticsOf('/nonexistent/w.caffemodel')).toEqual(['error: no such weights file: /nonexistent/w.caffemodel']);
    const dir = mkdtempSync(`${tmpdir()}/brewnet-`);
    expect(diagnosticsOf(dir)).toEqual([`error: ${dir} is a directory, not a .caffemodel file`]);
  });
});

describe('robustness: never a crash or a hang', () => {
  const good = readFileSync(fixture('good-packed.caffemodel'));
  const outcome = (bytes: Uint8Array): 'ok' | 'diagnostic' => {
    try {
      readCaffemodel(bytes);
      return 'ok';
    } catch (e) {
      if (e instanceof DiagnosticError) return 'diagnostic';
      throw e;
    }
  };

  it('every prefix of a good file reads or gives a diagnostic; cuts inside a layer always a truncation', () => {
    for (let n = 0; n < good.length; n++) {
      const result = outcome(good.subarray(0, n));
      expect(result, `prefix of ${n} bytes`).toMatch(/ok|diagnostic/);
    }
    // A cut that falls inside conv1 is always noticed.
    const cut = num('truncated-data.caffemodel', 'cut');
    for (let n = cut - 5; n < cut + 5; n++) expect(diagnosticsOf(good.subarray(0, n))[0]).toMatch(/truncated at byte/);
  });

  it('lengths far beyond the file are truncations, not huge allocations', () => {
    const varint = (n: number) => {
      const out: number[] = [];
      for (; n >= 128; n = Math.floor(n / 128)) out.push((n % 128) | 0x80);
      return [...out, n];
    };
    // layer (100) of 2^40 bytes holding blobs (7) of 2^39 bytes holding packed data (5) of 2^38 bytes.
    const head = [0xa2, 0x06, ...varint(2 ** 40)];
    const bytes = Uint8Array.from([...head, 0x3a, ...varint(2 ** 39), 0x2a, ...varint(2 ** 38), 1, 2, 3]);
    const missing = head.length + 2 ** 40 - bytes.length;
    expect(diagnosticsOf(bytes, 'big')).toEqual([
      `error: big: truncated at byte ${bytes.length} while reading layer #0 blob 0 data (expected ${missing} more bytes)\n${TRUNCATED}`,
    ]);
  });

  it('random byte changes, and random files of every small length, give a result or a diagnostic', () => {
    // A fixed linear congruential sequence (Numerical Recipes' constants): the same mutations every run.
    let state = 1;
    // Its low bits repeat quickly, so only the high bits are used.
    const next = (n: number) => {
      state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
      return (state >>> 8) % n;
    };
    for (let trial = 0; trial < 3000; trial++) {
      const bytes = Uint8Array.from(good);
      const changes = 1 + next(4);
      for (let k = 0; k < changes; k++) bytes[next(bytes.length)] = next(256);
      expect(outcome(bytes)).toMatch(/ok|diagnostic/);
    }
    for (let length = 1; length < 200; length++) {
      const bytes = Uint8Array.from({ length }, () => next(256));
      expect(outcome(bytes)).toMatch(/ok|diagnostic/);
    }
  });
});
