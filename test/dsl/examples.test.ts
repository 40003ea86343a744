// examples/fcn8s-netspec.py, written for brewnet's DSL and runnable under Caffe's Python, rebuilds
// examples/fcn8s-deploy.prototxt exactly, with crop() finding the offsets the file gives by hand
// (5, 9 and 31, docs/caffe-semantics.md#fcn-crop-offsets).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadNet } from '../../src/api/load-net.js';
import { readNetParameter } from '../../src/frontend/prototxt/read-net-parameter.js';
import { toProtoJSON } from '../../src/printer/json-printer.js';
import type { Msg } from '../../src/schema/message.js';
import { repoRoot } from '../helpers/corpus.js';
import { runPy } from './run-py.js';

const script = join(repoRoot, 'examples', 'fcn8s-netspec.py');
const deploy = join(repoRoot, 'examples', 'fcn8s-deploy.prototxt');

describe('examples/fcn8s-netspec.py', () => {
  it('writes fcn8s-deploy.prototxt, equal to the example prototxt', () => {
    const run = runPy(readFileSync(script, 'utf8'), { file: script });
    expect([...run.files.keys()]).toEqual(['fcn8s-deploy.prototxt']);
    const written = readNetParameter(run.files.get('fcn8s-deploy.prototxt')!, 'written');
    expect(toProtoJSON(written)).toEqual(toProtoJSON(readNetParameter(readFileSync(deploy, 'utf8'), deploy)));
    const crops = (written.layer as Msg[]).filter((l) => l.type === 'Crop').map((l) => [l.name, (l.crop_param as Msg).offset]);
    expect(crops).toEqual([
      ['score_pool4c', [5]],
      ['score_pool3c', [9]],
      ['score', [31]],
    ]);
  });

  it('gives the prototxt route’s IR, and other sizes with --call', () => {
    expect(loadNet(script).toJSON()).toEqual(loadNet(deploy).toJSON());
    expect(loadNet(script, { call: 'fcn8s(size=224, classes=2)' }).blob('score').shape).toEqual([1, 2, 224, 224]);
  });
});
