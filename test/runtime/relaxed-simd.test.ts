// Relaxed SIMD: the probe (src/runtime/wasm/simd-support.ts) and both multiply-add paths of the native
// kernels — f32x4.relaxed_madd where the engine has it, f32x4.mul + f32x4.add otherwise — against the
// reference executor, on a Convolution (the phase GEMM), a Deconvolution and an InnerProduct.
import { describe, expect, it } from 'vitest';
import { loadNet } from '../../src/api/load-net.js';
import { buildPlan } from '../../src/runtime/build-plan.js';
import { runReference } from '../../src/runtime/reference-executor.js';
import { createNativeKernel } from '../../src/runtime/wasm/native-kernel.js';
import { relaxedSimdSupported } from '../../src/runtime/wasm/simd-support.js';
import { deconvolutionModule } from '../../src/runtime/wasm/phase-gemm-module.js';
import { deconvolutionLayout } from '../../src/runtime/wasm/phase-gemm-layout.js';
import type { DeconvolutionNativeSpec } from '../../src/ir/native-kernel-spec.js';
import { maxRelativeError, randomParams, randomTensor } from '../helpers/random-params.js';

const LAYERS = [
  { name: 'Convolution 3×3 s2', layer: 'type: "Convolution" convolution_param { num_output: 6 kernel_size: 3 stride: 2 pad: 1 }' },
  { name: 'Deconvolution k4 s2', layer: 'type: "Deconvolution" convolution_param { num_output: 5 kernel_size: 4 stride: 2 }' },
  { name: 'InnerProduct', layer: 'type: "InnerProduct" inner_product_param { num_output: 9 }' },
];

describe('relaxed SIMD', () => {
  it('the probe answers a boolean, the same on a second call', () => {
    const first = relaxedSimdSupported();
    expect(typeof first).toBe('boolean');
    expect(relaxedSimdSupported()).toBe(first);
  });

  it.skipIf(!relaxedSimdSupported())(
    'a relaxed module uses f32x4.relaxed_madd (0xfd 0x85 0x02) and validates; a plain one has none',
    () => {
      const spec: DeconvolutionNativeSpec = {
        kind: 'deconvolution',
        weights: 'dense',
        outer: 1,
        cin: 4,
        cout: 4,
        group: 1,
        inH: 5,
        inW: 5,
        kernel: [3, 3],
        stride: [1, 1],
        pad: [1, 1],
        dilation: [1, 1],
        bias: false,
        flip: false,
        window: { y0: 0, x0: 0, h: 5, w: 5 },
      };
      const l = deconvolutionLayout(spec);
      const has = (bytes: Uint8Array) => bytes.some((b, i) => b === 0xfd && bytes[i + 1] === 0x85 && bytes[i + 2] === 0x02);
      const relaxed = deconvolutionModule(l, false, true);
      expect(WebAssembly.validate(relaxed)).toBe(true);
      expect(has(relaxed)).toBe(true);
      expect(has(deconvolutionModule(l, false, false))).toBe(false);
    },
  );

  const paths = relaxedSimdSupported() ? [true, false] : [false];
  it.each(LAYERS.flatMap((c) => paths.map((relaxedSimd) => ({ ...c, relaxedSimd }))))(
    '$name, relaxed $relaxedSimd: matches the reference executor',
    async (c) => {
      const net = loadNet(
        [
          'layer { name: "in" type: "Input" top: "x" input_param { shape { dim: 2 dim: 8 dim: 7 dim: 9 } } }',
          `layer { name: "l" bottom: "x" top: "y" ${c.layer} }`,
        ].join('\n'),
      );
      const params = randomParams(net, 5);
      const plan = buildPlan(net);
      const kernel = createNativeKernel(plan.natives![0], { relaxedSimd: c.relaxedSimd });
      const x = randomTensor([2, 8, 7, 9], 9);
      const got = await kernel.run([x.data, ...params.get('l')!]);
      kernel.destroy();
      expect(maxRelativeError(got, runReference(net, params, { x }).blobs.get('y')!.data)).toBeLessThanOrEqual(1e-5);
    },
  );
});
