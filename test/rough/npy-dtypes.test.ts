// Every numeric .npy dtype (issue 17, item 7): bool, int8–64, uint8–64, float16/32/64, both byte orders, C and
// Fortran order, read against files numpy itself wrote (test/fixtures/npy/generate.py) and the values numpy's
// astype(np.float32) gives, in C order.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readNpy } from '../../src/runtime/npy.js';

const DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'npy');
const expected: Record<string, { shape: number[]; values: (number | string)[] }> = JSON.parse(
  readFileSync(join(DIR, 'expected.json'), 'utf8'),
);

describe('readNpy reads what numpy wrote', () => {
  it('has fixtures for every dtype family', () => {
    expect(Object.keys(expected)).toEqual(expect.arrayContaining(['i1le.npy', 'u8be.npy', 'f2be.npy', 'bool.npy', 'fortran-f4.npy']));
  });

  it.each(Object.keys(expected))('%s', (name) => {
    const t = readNpy(readFileSync(join(DIR, name)), name);
    expect(t.shape).toEqual(expected[name].shape);
    expect(Array.from(t.data)).toEqual(
      expected[name].values.map((v) => (typeof v === 'string' ? Number(v.replace('inf', 'Infinity')) : Math.fround(v))),
    );
  });
});
