// Every net in the shared corpus, classified: BVLC-only nets (V2 or V1) load and infer (data and Python
// layers get --input), the others fail with a located diagnostic — unsupported type, V0, a fork's unknown
// field, or a syntax error at a template placeholder. A corpus file missing from this table fails the
// test, so a new file must be classified deliberately. Expected shapes are well-known architecture facts.
import { describe, expect, it } from 'vitest';
import { DiagnosticError, loadNet } from '../../src/index.js';
import { expected } from '../helpers/corpus-expectations.js';
import { corpusAvailable, corpusFiles, corpusPath } from '../helpers/corpus.js';

const prototxtFiles = corpusFiles().filter((f) => !f.endsWith('.py'));

describe.skipIf(!corpusAvailable)('corpus nets (../shared/corpus)', () => {
  it('classifies every prototxt in the manifest', () => {
    expect(prototxtFiles.filter((f) => !(f in expected))).toEqual([]);
  });

  it.each(prototxtFiles.filter((f) => f in expected))('%s', (file) => {
    const want = expected[file];
    if ('message' in want) {
      let thrown: unknown;
      try {
        loadNet(corpusPath(file));
      } catch (e) {
        thrown = e;
      }
      expect(thrown).toBeInstanceOf(DiagnosticError);
      const first = (thrown as DiagnosticError).diagnostics[0];
      if (typeof want.message === 'string') expect(first.message).toBe(want.message);
      else expect(first.message).toMatch(want.message);
      expect(first.location).toMatchObject({ file: corpusPath(file), line: want.line, column: want.column });
      return;
    }
    const net = loadNet(corpusPath(file), want.options);
    expect(net.layers.length).toBeGreaterThan(0);
    for (const [blob, shape] of Object.entries(want.shapes ?? {})) expect(net.blob(blob).shape, blob).toEqual(shape);
  });
});
