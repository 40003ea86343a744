// Deconvolution's specialised lowering (src/layers/deconvolution/): weights zero off the channel
// diagonal run depthwise, a following Crop computes only its window, and both choices hold up when other
// weights are bound to the same plan (as createNet({ weights }) of a compiled module does). Values are
// checked against PyTorch (test/fixtures/numerics/generate.py, case deconv_structured and its alt weights).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { GPU } from 'gpu.js';
import { describe, expect, it } from 'vitest';
import { buildPlan } from '../../src/runtime/build-plan.js';
import { compile } from '../../src/runtime/compile.js';
import type { ExecutionPlan } from '../../src/runtime/execution-plan.js';
import { createRuntimeNet } from '../../src/runtime/index.js';
import { readNpy } from '../../src/runtime/npy.js';
import { paramsForPlan } from '../../src/runtime/plan-params.js';
import { activeSteps, neededSteps } from '../../src/runtime/step-selection.js';
import type { Tensor } from '../../src/ir/tensor.js';
import { loadCase, numericsCases } from '../helpers/numerics-fixtures.js';
import { maxRelativeError, randomParams, randomTensor } from '../helpers/random-params.js';
import { loadNet } from '../../src/api/load-net.js';
import { runReference } from '../../src/runtime/reference-executor.js';
import type { NativeKernelSpec } from '../../src/ir/native-kernel-spec.js';

/** A Deconvolution's native kernel by the weights it reads ('dense', 'channel-diagonal'); others by kind. */
const nativeKind = (n: NativeKernelSpec) => (n.kind === 'deconvolution' ? n.weights : n.kind);

const entry = numericsCases().find((c) => c.name === 'deconv_structured')!;
const c = loadCase(entry);
const altExpected = new Map(
  (entry as unknown as { alt: string[] }).alt.map((b) => [b, readNpy(readFileSync(join(c.dir, `alt.expected.${b}.npy`))).data]),
);
const altWeights = new Uint8Array(readFileSync(join(c.dir, 'alt.weights.caffemodel')));

function expectClose(out: Record<string, Tensor>, expected: Map<string, Float32Array>): void {
  for (const [name, want] of expected) {
    expect(out[name], `blob ${name}`).toBeDefined();
    const err = maxRelativeError(out[name].data, want);
    expect(err, `blob ${name}: max error ${err}`).toBeLessThanOrEqual(1e-4);
  }
}

const layerIndex = (plan: ExecutionPlan, name: string) => plan.layers.findIndex((l) => l.name === name);

/** The steps of a layer that the weights select, by whether they are the depthwise ones. */
function chosen(plan: ExecutionPlan, params: Float32Array[][], layer: string): boolean[] {
  const active = activeSteps(plan, params);
  const li = layerIndex(plan, layer);
  return plan.steps.flatMap((s, i) => (s.layer === li && 'kernel' in s && s.when && active[i] ? [s.when.holds] : []));
}

describe('Deconvolution lowering', () => {
  const plan = buildPlan(c.net);

  it('offers a depthwise and a dense path for square weights, checked against the bound weights', () => {
    const params = paramsForPlan(plan, c.params);
    // FCN's bilinear diagonal and a random diagonal run depthwise; random dense weights of the same shape do not.
    expect(chosen(plan, params, 'up')).toEqual([true, true]);
    expect(chosen(plan, params, 'up2')).toEqual([true, true]);
    expect(chosen(plan, params, 'dense')).toEqual([false, false, false]);
    // The Crops read the Deconvolutions' inputs and weights themselves, with the same two paths.
    expect(chosen(plan, params, 'score')).toEqual([true, true]);
    const alt = paramsForPlan(plan, new Map([...c.params, ['up', [new Float32Array(3 * 3 * 8 * 8).fill(0.25)]]]));
    expect(chosen(plan, alt, 'up')).toEqual([false, false, false]);
    expect(chosen(plan, alt, 'score')).toEqual([false, false, false]);
  });

  it('computes a cropped Deconvolution only for the Crop, unless its own top is asked for', () => {
    const active = activeSteps(plan, paramsForPlan(plan, c.params));
    const up = layerIndex(plan, 'up');
    const ran = (blobs: string[]) => {
      const wanted = blobs.map((b) => plan.blobs.find(([n]) => n === b)![1]);
      return neededSteps(plan, active, wanted).flatMap((run, i) => (run ? [plan.steps[i].layer] : []));
    };
    expect(ran(['score'])).not.toContain(up);
    expect(ran(['score', 'up'])).toContain(up);
  });

  it('on backend wasm, runs the native kernel of the path the weights select instead of the gpu.js steps', () => {
    const params = paramsForPlan(plan, c.params);
    const everyBlob = plan.blobs.map(([, v]) => v);
    // What runs (active and needed) for a layer: the native kernel's weights kind, or 'gpu.js'.
    const running = (p: Float32Array[][], layer: string) => {
      const run = neededSteps(plan, activeSteps(plan, p, true), everyBlob);
      return plan.steps.flatMap((s, i) =>
        s.layer === layerIndex(plan, layer) && run[i] ? ['native' in s ? nativeKind(plan.natives![s.native]) : 'gpu.js'] : [],
      );
    };
    const natives = (layer: string) => running(params, layer);
    expect(natives('up')).toEqual(['channel-diagonal']);
    expect(natives('dense')).toEqual(['dense']);
    expect(natives('score')).toEqual(['channel-diagonal']);
    // Other weights, no longer diagonal: the dense native kernel.
    const alt = paramsForPlan(plan, new Map([...c.params, ['up', [new Float32Array(3 * 3 * 8 * 8).fill(0.25)]]]));
    expect(running(alt, 'up')).toEqual(['dense']);
    // Other backends never run native steps.
    expect(activeSteps(plan, params).some((on, i) => on && 'native' in plan.steps[i])).toBe(false);
  });

  it.each([
    ['cpu', false],
    ['webasm', false],
    ['webasm', true],
    ['wasm', false],
    ['wasm', true],
  ] as const)(
    '%s (threads: %s): the compile-time weights and other weights bound to the same plan match PyTorch',
    async (backend, threads) => {
      const net = await compile(c.net, { weights: c.params, backend, threads });
      expect(net.backend).toBe(backend);
      expectClose(await net.forward(c.inputs, { blobs: 'all' }), new Map([...c.expected].map(([b, t]) => [b, t.data])));
      expectClose(await net.forward(c.inputs, { blobs: ['score'] }), new Map([['score', c.expected.get('score')!.data]]));
      net.destroy();
      // What a compiled module's createNet({ weights }) does: the plan built for the first weights, other weights bound.
      const rebound = createRuntimeNet({ GPU, plan, kernels: plan.kernels, weights: altWeights, backend, threads });
      expectClose(await rebound.forward(c.inputs, { blobs: 'all' }), altExpected);
      expectClose(
        await rebound.forward(c.inputs),
        new Map([
          ['score', altExpected.get('score')!],
          ['crop2', altExpected.get('crop2')!],
        ]),
      );
      rebound.destroy();
    },
  );

  it('a stride of thousands of phases takes the gather kernel (no phase tables), and agrees with the reference', async () => {
    // Stride 80 × 80: 6,400 one-tap phases, past the native kernel's 4,096 (a stride of 3,000 took 47 s and
    // 3.5 GB to lay out).
    const wide = loadNet(
      `layer { name: "x" type: "Input" top: "x" input_param { shape { dim: 1 dim: 2 dim: 2 dim: 3 } } }
       layer { name: "up" type: "Deconvolution" bottom: "x" top: "up" convolution_param { num_output: 2 kernel_size: 80 stride: 80 } }`,
      { file: 'wide.prototxt' },
    );
    const widePlan = buildPlan(wide);
    expect(widePlan.natives ?? []).toEqual([]);
    const params = randomParams(wide, 7);
    const inputs = { x: randomTensor([1, 2, 2, 3], 8) };
    const want = runReference(wide, params, inputs).blobs.get('up')!;
    const net = await compile(wide, { weights: params, backend: 'wasm' });
    const got = (await net.forward(inputs)).up;
    expect(got.shape).toEqual([1, 2, 160, 240]);
    expect(maxRelativeError(got.data, want.data)).toBeLessThanOrEqual(1e-5);
    net.destroy();
  });
});
