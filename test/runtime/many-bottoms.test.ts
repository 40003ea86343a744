// A layer of many bottoms (a Concat or Eltwise of hundreds) runs on the host past MAX_KERNEL_BOTTOMS: a
// gpu.js kernel of thousands of arguments took 23 s and 3.3 GB to build, or overflowed the parser's stack.
// The values are checked against the layers' definitions computed here, on every CPU backend.
import { describe, expect, it } from 'vitest';
import { loadNet } from '../../src/api/load-net.js';
import { buildPlan } from '../../src/runtime/build-plan.js';
import { compile } from '../../src/runtime/compile.js';
import { MAX_KERNEL_BOTTOMS } from '../../src/layers/kernel-source.js';
import { randomTensor } from '../helpers/random-params.js';

const N = MAX_KERNEL_BOTTOMS + 36;
const names = Array.from({ length: N }, (_, i) => `d${i}`);
const coeffs = names.map((_, i) => (i % 3) - 1);
const text = [
  ...names.map((n) => `layer { name: "${n}" type: "Input" top: "${n}" input_param { shape { dim: 1 dim: 2 dim: 1 dim: 3 } } }`),
  `layer { name: "cat" type: "Concat" ${names.map((n) => `bottom: "${n}"`).join(' ')} top: "cat" }`,
  `layer { name: "sum" type: "Eltwise" ${names.map((n) => `bottom: "${n}"`).join(' ')} top: "sum" eltwise_param { ${coeffs.map((c) => `coeff: ${c}`).join(' ')} } }`,
  `layer { name: "max" type: "Eltwise" ${names.map((n) => `bottom: "${n}"`).join(' ')} top: "max" eltwise_param { operation: MAX } }`,
].join('\n');

describe(`layers of ${N} bottoms`, () => {
  const net = loadNet(text, { file: 'many.prototxt' });
  const inputs = Object.fromEntries(names.map((n, i) => [n, randomTensor([1, 2, 1, 3], i + 1)]));

  it('are host steps of the plan', () => {
    const plan = buildPlan(net);
    const hostLayers = plan.steps.flatMap((s) => ('host' in s ? [plan.layers[s.layer].name] : []));
    expect(hostLayers.sort()).toEqual(['cat', 'max', 'sum']);
  });

  it.each(['cpu', 'webasm', 'wasm'] as const)('%s: Concat, weighted sum and max agree with their definitions', async (backend) => {
    const compiled = await compile(net, { backend, weights: new Map() });
    const out = await compiled.forward(inputs);
    compiled.destroy();
    expect(out.cat.shape).toEqual([1, 2 * N, 1, 3]);
    // Concat along channels: bottom i's channel c is the top's channel 2i + c.
    names.forEach((n, i) => expect(Array.from(out.cat.data.subarray(6 * i, 6 * i + 6))).toEqual(Array.from(inputs[n].data)));
    for (let k = 0; k < 6; k++) {
      const sum = names.reduce((acc, n, i) => acc + coeffs[i] * inputs[n].data[k], 0);
      expect(out.sum.data[k]).toBeCloseTo(sum, 4);
      expect(out.max.data[k]).toBe(Math.max(...names.map((n) => inputs[n].data[k])));
    }
  });
});
