// Every FCN net.py in the shared corpus, run in brewnet's sandbox, writes the prototxts committed next
// to it (train/val or trainval/test), equal as parsed messages. param_str is Python's str(dict) and its
// key order depends on the Python version that wrote the files (2.x hash order), so it is compared as a
// parsed literal.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { corpusAvailable, corpusFiles, corpusPath } from '../helpers/corpus.js';
import { comparable } from './comparable.js';
import { runPy } from './run-py.js';

const scripts = corpusFiles().filter((f) => f.startsWith('fcn/') && f.endsWith('/net.py'));

describe.skipIf(!corpusAvailable)('FCN net.py scripts give the committed prototxts (../shared/corpus)', () => {
  it('finds the eight net.py scripts', () => {
    expect(scripts).toHaveLength(8);
  });

  it.each(scripts)('%s', (script) => {
    const run = runPy(readFileSync(corpusPath(script), 'utf8'), { file: script });
    const written = [...run.files.keys()];
    // Each script writes its two nets, and nothing else.
    expect(written).toHaveLength(2);
    for (const name of written) {
      const committed = join(dirname(corpusPath(script)), name);
      expect(comparable(run.files.get(name)!, name), name).toEqual(comparable(readFileSync(committed, 'utf8'), committed));
    }
  });

  it('param_str keeps the script’s dict, in insertion order (Python 3)', () => {
    const run = runPy(readFileSync(corpusPath('fcn/voc-fcn32s/net.py'), 'utf8'), { file: 'net.py' });
    expect(run.files.get('train.prototxt')).toContain(
      `param_str: "{\\'split\\': \\'train\\', \\'mean\\': (104.00699, 116.66877, 122.67892), \\'seed\\': 1337, \\'sbdd_dir\\': \\'../data/sbdd/dataset\\'}"`,
    );
  });
});
