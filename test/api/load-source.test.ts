// loadNet's first argument: a path or the prototxt text itself; files are read as UTF-8.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadNet } from '../../src/index.js';

const text = 'name: "réseau→"\nlayer { name: "entrée" type: "Input" top: "données" input_param { shape { dim: 2 } } }\n';

describe('loadNet sources', () => {
  const dir = mkdtempSync(join(tmpdir(), 'brewnet-'));

  it('reads a UTF-8 file and a string to the same net', () => {
    const path = join(dir, 'utf8.prototxt');
    writeFileSync(path, text);
    const fromFile = loadNet(path);
    expect(fromFile.name).toBe('réseau→');
    expect(fromFile.outputs).toEqual(['données']);
    expect(fromFile.layers[0].loc).toMatchObject({ file: path, line: 2, column: 1 });
    expect(loadNet(text).toJSON()).toEqual(fromFile.toJSON());
  });

  it('names text sources "<input>" unless told otherwise', () => {
    expect(() => loadNet('layer { name: "x" typo: 1 }')).toThrow(/^<input>:1:19: error: unknown field "typo"/);
    expect(() => loadNet('layer { name: "x" typo: 1 }', { file: 'mine.prototxt' })).toThrow(/^mine\.prototxt:1:19: /);
  });

  it('reports a missing file or a directory, not a parse error', () => {
    expect(() => loadNet(join(dir, 'nope.prototxt'))).toThrow(`no such file: ${join(dir, 'nope.prototxt')}`);
    expect(() => loadNet(dir)).toThrow(`${dir} is a directory, not a prototxt file`);
  });

  it('accepts an empty net: no layers, no inputs, no outputs', () => {
    const net = loadNet('# nothing here\n', { file: 'empty.prototxt' });
    expect(net.layers).toEqual([]);
    expect(net.toJSON()).toEqual({ blobs: {}, layers: [], inputs: [], outputs: [] });
  });
});
