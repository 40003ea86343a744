// The activation memory of backend wasm (src/runtime/activation-slots.ts): two storages live at a common step
// never overlap, every read of a value (through its aliases too) falls inside its storage's lifetime, values
// asked for live to the end; and a forward pass's results are the caller's own (the next pass writes the
// memory again), on nets with branches, in-place layers and a value read after others reused memory.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadNet } from '../../src/api/load-net.js';
import { buildPlan } from '../../src/runtime/build-plan.js';
import { compile } from '../../src/runtime/compile.js';
import { planActivationSlots } from '../../src/runtime/activation-slots.js';
import type { ExecutionPlan } from '../../src/runtime/execution-plan.js';
import { runReference } from '../../src/runtime/reference-executor.js';
import { activeSteps, neededSteps } from '../../src/runtime/step-selection.js';
import { maxRelativeError, randomParams, randomTensor } from '../helpers/random-params.js';

const corpus = join(__dirname, '..', '..', '..', 'shared', 'corpus');

/** Checks the slots of `plan` when the caller asks for `wanted` (blob names; default the outputs). */
function checkSlots(plan: ExecutionPlan, params: readonly (readonly Float32Array[])[], wanted = plan.outputs): number {
  const byName = new Map(plan.blobs);
  const wantedValues = wanted.map((n) => byName.get(n)!);
  const active = activeSteps(plan, params, true);
  const run = neededSteps(plan, active, wantedValues);
  const kept = new Set(wantedValues);
  const slots = planActivationSlots(plan, run, kept, (s) => 'native' in plan.steps[s]);
  // Each value's storage, through aliases.
  const root = plan.values.map((_, v) => v);
  plan.steps.forEach((step) => 'alias' in step && (root[step.out] = root[step.alias]));
  const placed = new Map(slots.placed.map((p) => [p.value, p]));
  for (const p of slots.placed) {
    expect(p.offset % 64).toBe(0);
    expect(p.offset + p.bytes).toBeLessThanOrEqual(slots.memory.byteLength);
    expect(slots.views[p.value]!.length * 4).toBe(p.bytes);
    expect(slots.views[p.value]!.byteOffset - slots.memory.byteOffset).toBe(p.offset);
  }
  for (let i = 0; i < slots.placed.length; i++) {
    for (let j = i + 1; j < slots.placed.length; j++) {
      const [a, b] = [slots.placed[i], slots.placed[j]];
      const live = a.first <= b.last && b.first <= a.last;
      const apart = a.offset + a.bytes <= b.offset || b.offset + b.bytes <= a.offset;
      if (live && a.bytes > 0 && b.bytes > 0) expect(apart, `values ${a.value} and ${b.value} live together and overlap`).toBe(true);
    }
  }
  // Every step that runs reads a placed storage within its lifetime, and writes one at its first step.
  plan.steps.forEach((step, s) => {
    if (!run[s]) return;
    const reads = 'alias' in step ? [step.alias] : step.args.flatMap((a) => ('value' in a ? [a.value] : []));
    for (const v of reads) {
      const p = placed.get(root[v]);
      if (p) expect(p.first <= s && s <= p.last, `step ${s} reads value ${v} outside its storage's lifetime`).toBe(true);
      // gpu.js kernels read whole arrays: never a placed value.
      if ('kernel' in step) expect(p).toBeUndefined();
    }
    if ('native' in step) expect(placed.get(step.out)?.first ?? s).toBe(s);
  });
  for (const v of kept) if (placed.has(root[v])) expect(placed.get(root[v])!.last).toBe(plan.steps.length);
  // Reuse: never more than every placed value on its own.
  expect(slots.memory.byteLength).toBeLessThanOrEqual(slots.placed.reduce((n, p) => n + Math.ceil(p.bytes / 64) * 64, 0) + 64);
  return slots.placed.length;
}

/** Parameters by plan layer; a layer missing from `byName` gets zeros. */
const paramsInPlanOrder = (plan: ExecutionPlan, byName: Map<string, Float32Array[]>) =>
  plan.layers.map((l) => byName.get(l.name) ?? l.params.map((shape) => new Float32Array(shape.reduce((a, b) => a * b, 1))));

const branchy = [
  'layer { name: "in" type: "Input" top: "x" input_param { shape { dim: 1 dim: 8 dim: 20 dim: 18 } } }',
  'layer { name: "c1" type: "Convolution" bottom: "x" top: "c1" convolution_param { num_output: 16 kernel_size: 3 pad: 1 } }',
  'layer { name: "r1" type: "ReLU" bottom: "c1" top: "c1" }',
  'layer { name: "c2" type: "Convolution" bottom: "c1" top: "c2" convolution_param { num_output: 16 kernel_size: 3 pad: 1 } }',
  'layer { name: "p2" type: "Pooling" bottom: "c2" top: "p2" pooling_param { pool: MAX kernel_size: 3 stride: 1 pad: 1 } }',
  'layer { name: "c3" type: "Convolution" bottom: "p2" top: "c3" convolution_param { num_output: 16 kernel_size: 1 } }',
  // c1 is read again here, after three layers wrote values of its size.
  'layer { name: "sum" type: "Eltwise" bottom: "c1" bottom: "c3" top: "sum" }',
  'layer { name: "cat" type: "Concat" bottom: "sum" bottom: "c2" top: "cat" }',
  'layer { name: "fl" type: "Flatten" bottom: "cat" top: "flat" }',
  'layer { name: "ip" type: "InnerProduct" bottom: "flat" top: "ip" inner_product_param { num_output: 10 } }',
  'layer { name: "prob" type: "Softmax" bottom: "ip" top: "prob" }',
].join('\n');

describe('activation slots', () => {
  it('live storages never overlap; reads fall in their lifetimes; asked-for values live to the end', () => {
    const net = loadNet(branchy);
    const plan = buildPlan(net);
    const params = paramsInPlanOrder(plan, randomParams(net, 1));
    expect(checkSlots(plan, params)).toBeGreaterThan(5);
    expect(checkSlots(plan, params, ['c1', 'sum', 'prob'])).toBeGreaterThan(5);
    expect(checkSlots(plan, params, ['flat'])).toBeGreaterThan(3);
  });

  it('a forward pass gives the reference values, and results the next pass does not change', async () => {
    const net = loadNet(branchy);
    const params = randomParams(net, 2);
    for (const threads of [1, 2]) {
      const compiled = await compile(net, { weights: params, backend: 'wasm', threads });
      const runs = [];
      for (const seed of [1, 2, 3]) {
        const inputs = { x: randomTensor([1, 8, 20, 18], seed) };
        const got = await compiled.forward(inputs, { blobs: ['c1', 'sum', 'cat', 'prob'] });
        runs.push({ inputs, got });
      }
      for (const { inputs, got } of runs) {
        const want = runReference(net, params, inputs).blobs;
        for (const name of ['c1', 'sum', 'cat', 'prob'])
          expect(maxRelativeError(got[name].data, want.get(name)!.data), name).toBeLessThanOrEqual(1e-4);
      }
      compiled.destroy();
    }
  });

  it.each([
    ['GoogLeNet', 'bvlc-caffe/models/bvlc_googlenet/deploy.prototxt'],
    ['ResNet-50', 'resnet/prototxt/ResNet-50-deploy.prototxt'],
    ['DenseNet-121', 'densenet/DenseNet_121.prototxt'],
    ['MobileNet-SSD', 'ssd/voc/MobileNetSSD_deploy.prototxt'],
  ])('%s (corpus): the slots of its plan', (_, file) => {
    const path = join(corpus, file);
    if (!existsSync(path)) {
      console.log(`skipped: ${path} is absent (the shared corpus is not beside the repo)`);
      return;
    }
    const net = loadNet(path, { inputs: {} });
    const plan = buildPlan(net);
    const params = paramsInPlanOrder(plan, new Map());
    expect(checkSlots(plan, params)).toBeGreaterThan(20);
    expect(
      checkSlots(
        plan,
        params,
        plan.blobs.map(([n]) => n),
      ),
    ).toBeGreaterThan(20);
  });
});
