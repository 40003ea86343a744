// The in-repo examples round-trip through toPrototxt(net) (the corpus test does the same for real nets).
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { loadNet } from '../../src/index.js';
import { repoRoot } from '../helpers/corpus.js';
import { toPrototxt } from '../../src/printer/prototxt-printer.js';

describe('IR round trip through toPrototxt (examples)', () => {
  it.each(['fcn8s-deploy.prototxt', 'lenet-v1.prototxt'])('%s', (name) => {
    const net = loadNet(join(repoRoot, 'examples', name));
    const printed = toPrototxt(net);
    const again = loadNet(printed);
    expect(again.toJSON()).toEqual(net.toJSON());
    expect(toPrototxt(again)).toBe(printed);
    // The printed form is upgraded: no V1 `layers`, no input header.
    expect(printed).not.toMatch(/^(layers|input|input_dim) /m);
  });
});
