// toPrototxt(net) is a faithful printer: for every corpus net brewnet loads, parsing the printed text
// back (with the same options) gives the same IR — same layers, blobs, shapes, parameters, inputs, outputs.
import { describe, expect, it } from 'vitest';
import { loadNet } from '../../src/index.js';
import { corpusAvailable, corpusFiles, corpusPath } from '../helpers/corpus.js';
import { expected } from '../helpers/corpus-expectations.js';
import { toPrototxt } from '../../src/printer/prototxt-printer.js';

const loadable = corpusFiles().filter((f) => {
  const want = expected[f];
  return want !== undefined && !('message' in want);
});

describe.skipIf(!corpusAvailable)('IR round trip through toPrototxt (../shared/corpus)', () => {
  it.each(loadable)('%s', (file) => {
    const want = expected[file];
    const options = 'message' in want ? {} : want.options;
    const net = loadNet(corpusPath(file), options);
    const printed = toPrototxt(net);
    const again = loadNet(printed, { ...options, file: 'printed.prototxt' });
    expect(again.toJSON()).toEqual(net.toJSON());
    expect(toPrototxt(again)).toBe(printed);
  });
});
