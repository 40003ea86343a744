// coordMapFromTo / cropOffsetsBetween: pycaffe's coord_map_from_to() and crop() by blob name.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { coordMapFromTo, cropOffsetsBetween, loadNet } from '../../src/index.js';
import { repoRoot } from '../helpers/corpus.js';

const net = loadNet(join(repoRoot, 'examples', 'fcn8s-deploy.prototxt'));

describe('blob map API', () => {
  it('maps between any two connected blobs', () => {
    expect(coordMapFromTo(net, 'upscore8', 'data')).toEqual({ a: [1, 1], b: [-31, -31] });
    expect(coordMapFromTo(net, 'score_pool4', 'upscore2')).toEqual({ a: [1, 1], b: [-5, -5] });
  });

  it("gives crop offsets as pycaffe's crop() does, with its failure messages", () => {
    expect(cropOffsetsBetween(net, 'upscore8', 'data')).toEqual([31, 31]);
    expect(cropOffsetsBetween(net, 'score_pool3', 'upscore_pool4')).toEqual([9, 9]);
    expect(() => cropOffsetsBetween(net, 'data', 'upscore8')).toThrow('cannot crop negative offset (b = [31. 31.])');
    expect(() => cropOffsetsBetween(net, 'pool4', 'data')).toThrow('scale mismatch on crop (a = [16. 16.])');
    expect(() => coordMapFromTo(net, 'nope', 'data')).toThrow('no blob named "nope" in the net');
  });
});
