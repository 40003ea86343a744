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

/**
 * Checks the slots of `plan` when the caller asks for `wanted` (blob names; default the outputs), from
 * lifetimes computed here: a value lives from the step writing it to the last step reading it or an alias of
 * it (the end where asked for). Two values live at a common step may share bytes only where one is nested in
 * the other (a Concat's bottom written in place into its top). Returns [storages, nested].
 */
function checkSlots(plan: ExecutionPlan, params: readonly (readonly Float32Array[])[], wanted = plan.outputs): [number, number] {
  const byName = new Map(plan.blobs);
  const wantedValues = wanted.map((n) => byName.get(n)!);
  const active = activeSteps(plan, params, true);
  const run = neededSteps(plan, active, wantedValues);
  const kept = new Set(wantedValues);
  const slots = planActivationSlots(plan, run, kept);
  const end = plan.steps.length;
  const root = plan.values.map((_, v) => v);
  const first = new Map<number, number>();
  const last = new Map<number, number>();
  plan.steps.forEach((step, s) => {
    if (!run[s]) return;
    const reads = 'alias' in step ? [step.alias] : step.args.flatMap((a) => ('value' in a ? [a.value] : []));
    for (const v of reads) last.set(root[v], Math.max(last.get(root[v]) ?? -1, s));
    if ('alias' in step) root[step.out] = root[step.alias];
    else if ('native' in step) {
      first.set(step.out, s);
      last.set(step.out, Math.max(last.get(step.out) ?? -1, s));
      // gpu.js never gets a view; a native step writes its placed value's view.
    }
    if ('kernel' in step) for (const v of reads) expect(slots.views[root[v]], `gpu.js step ${s} reads a placed value`).toBeUndefined();
  });
  for (const v of kept) last.set(root[v], end);
  const parent = new Map(slots.nested.map((n) => [n.value, n.parent]));
  const inside = (a: number, b: number) => {
    for (let v: number | undefined = a; v !== undefined; v = parent.get(v)) if (v === b) return true;
    return false;
  };
  const values = slots.views.flatMap((view, v) => (view ? [v] : []));
  const range = (v: number) => {
    const view = slots.views[v]!;
    expect(view.buffer).toBe(slots.memory.buffer);
    return [view.byteOffset, view.byteOffset + view.byteLength];
  };
  for (const n of slots.nested) {
    // Its block of the parent's bytes.
    const [a0, a1] = range(n.value);
    const [p0, p1] = range(n.parent);
    expect(a0).toBe(p0 + n.offset);
    expect(a1).toBeLessThanOrEqual(p1);
  }
  for (let i = 0; i < values.length; i++) {
    for (let j = i + 1; j < values.length; j++) {
      const [a, b] = [values[i], values[j]];
      const live = first.get(a)! <= last.get(b)! && first.get(b)! <= last.get(a)!;
      const [a0, a1] = range(a);
      const [b0, b1] = range(b);
      const overlap = a0 < b1 && b0 < a1 && a1 > a0 && b1 > b0;
      if (live && overlap) expect(inside(a, b) || inside(b, a), `values ${a} and ${b} live together and overlap`).toBe(true);
    }
  }
  for (const p of slots.placed) {
    expect(p.offset % 64).toBe(0);
    expect(p.offset + p.bytes).toBeLessThanOrEqual(slots.memory.byteLength);
  }
  // Reuse: never more than every storage on its own.
  expect(slots.memory.byteLength).toBeLessThanOrEqual(slots.placed.reduce((n, p) => n + Math.ceil(p.bytes / 64) * 64, 0) + 64);
  return [slots.placed.length, slots.nested.length];
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
    // sum and c2 are written into cat.
    expect(checkSlots(plan, params)).toEqual([expect.any(Number), 2]);
    expect(checkSlots(plan, params, ['c1', 'sum', 'prob'])[0]).toBeGreaterThan(3);
    expect(checkSlots(plan, params, ['flat'])[1]).toBe(2);
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

  // Concats whose bottoms are written in place (batch 1): GoogLeNet's 9 inception outputs (4 bottoms each),
  // DenseNet's 58 (2 each), none in ResNet-50.
  it.each([
    ['GoogLeNet', 'bvlc-caffe/models/bvlc_googlenet/deploy.prototxt', 224, 36],
    ['ResNet-50', 'resnet/prototxt/ResNet-50-deploy.prototxt', 224, 0],
    ['DenseNet-121', 'densenet/DenseNet_121.prototxt', 224, 116],
    ['MobileNet-SSD', 'ssd/voc/MobileNetSSD_deploy.prototxt', 300, -1],
  ])('%s (corpus), batch 1: the slots of its plan', (_, file, size, nested) => {
    const path = join(corpus, file);
    if (!existsSync(path)) {
      console.log(`skipped: ${path} is absent (the shared corpus is not beside the repo)`);
      return;
    }
    const net = loadNet(path, { inputs: { data: [1, 3, size, size] } });
    const plan = buildPlan(net);
    const params = paramsInPlanOrder(plan, new Map());
    const [storages, inPlace] = checkSlots(plan, params);
    expect(storages).toBeGreaterThan(20);
    if (nested >= 0) expect(inPlace).toBe(nested);
    expect(
      checkSlots(
        plan,
        params,
        plan.blobs.map(([n]) => n),
      )[0],
    ).toBeGreaterThan(20);
  });
});
