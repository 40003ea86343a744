// The memory planner (src/runtime/memory-plan.ts): two values live at a common step never overlap, on
// random lifetimes and on real nets' blobs; reuse makes the arena smaller than the sum where lifetimes
// allow, and never smaller than the most bytes live at one step.
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadNet } from '../../src/api/load-net.js';
import { activationMemory, planMemory, type Lifetime } from '../../src/runtime/memory-plan.js';
import { mulberry32 } from '../helpers/random-params.js';

function checkPlan(values: Lifetime[], method: 'greedy' | 'sweep' = 'greedy'): number {
  const { offsets, peak } = planMemory(values, 16, method);
  for (let i = 0; i < values.length; i++) {
    expect(offsets[i] % 16).toBe(0);
    expect(offsets[i] + values[i].bytes).toBeLessThanOrEqual(peak);
    for (let j = i + 1; j < values.length; j++) {
      const [a, b] = [values[i], values[j]];
      const live = a.first <= b.last && b.first <= a.last;
      const apart = offsets[i] + a.bytes <= offsets[j] || offsets[j] + b.bytes <= offsets[i];
      if (live && a.bytes > 0 && b.bytes > 0) expect(apart, `values ${i} and ${j} are live together and overlap`).toBe(true);
    }
  }
  // Never below the bytes live at the busiest step.
  const steps = Math.max(0, ...values.map((v) => v.last)) + 1;
  for (let s = 0; s < steps; s++)
    expect(peak).toBeGreaterThanOrEqual(values.filter((v) => v.first <= s && s <= v.last).reduce((n, v) => n + v.bytes, 0));
  return peak;
}

/** A chain a → b → c …: each value read only by the next step. */
const chain = (sizes: number[]): Lifetime[] => sizes.map((bytes, i) => ({ bytes, first: i, last: i + 1 }));

describe('planMemory', () => {
  it('a chain reuses: the arena holds two neighbours, not every value', () => {
    const peak = checkPlan(chain([1024, 2048, 1024, 4096, 512, 512]));
    expect(peak).toBeLessThan(1024 + 2048 + 1024 + 4096 + 512 + 512);
    expect(peak).toBeLessThanOrEqual(4096 + 1024 + 512);
  });

  it.each(['greedy', 'sweep'] as const)('%s: values live at once never overlap (200 random sets of lifetimes)', (method) => {
    const rand = mulberry32(7);
    for (let t = 0; t < 200; t++) {
      const n = 1 + Math.floor(rand() * 30);
      const values = Array.from({ length: n }, () => {
        const first = Math.floor(rand() * 20);
        return { bytes: Math.floor(rand() * 5000), first, last: first + Math.floor(rand() * 8) };
      });
      checkPlan(values, method);
    }
  });
});

const corpus = '../shared/corpus';
const NETS = [
  'bvlc-caffe/models/bvlc_googlenet/deploy.prototxt',
  'resnet/prototxt/ResNet-50-deploy.prototxt',
  'squeezenet/SqueezeNet_v1.1/deploy.prototxt',
];

describe('activationMemory on real nets', () => {
  it.skipIf(!existsSync(corpus))(
    'plans GoogLeNet, ResNet-50 and SqueezeNet 1.1 within the sum of their blobs (corpus absent: skipped)',
    () => {
      for (const file of NETS) {
        const net = loadNet(`${corpus}/${file}`);
        const m = activationMemory(net);
        expect(m.peak, file).toBeGreaterThan(0);
        expect(m.peak, file).toBeLessThan(m.unplanned / 2);
        expect(
          m.layerBytes.reduce((a, b) => a + b, 0),
          file,
        ).toBe(m.unplanned);
      }
    },
  );

  it("an in-place ReLU shares its bottom's storage; a branch keeps its input alive", () => {
    const net = loadNet(
      [
        'layer { name: "in" type: "Input" top: "x" input_param { shape { dim: 1 dim: 4 dim: 8 dim: 8 } } }',
        'layer { name: "a" type: "Convolution" bottom: "x" top: "a" convolution_param { num_output: 4 kernel_size: 1 } }',
        'layer { name: "r" type: "ReLU" bottom: "a" top: "a" }',
        'layer { name: "b" type: "Convolution" bottom: "a" top: "b" convolution_param { num_output: 4 kernel_size: 1 } }',
        'layer { name: "c" type: "Convolution" bottom: "b" top: "c" convolution_param { num_output: 4 kernel_size: 1 } }',
        'layer { name: "s" type: "Eltwise" bottom: "a" bottom: "c" top: "s" }',
      ].join('\n'),
    );
    const m = activationMemory(net);
    const blob = 4 * 8 * 8 * 4;
    expect(m.layerBytes).toEqual([blob, blob, 0, blob, blob, blob]);
    // x is dead after a; a lives until s: at c, a, b and c are live (3 blobs); at s, a, c and s.
    expect(m.peak).toBe(3 * blob);
  });
});
