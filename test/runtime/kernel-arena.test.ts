// The executor's arena (src/runtime/wasm/kernel-arena.ts): one WebAssembly.Memory for its phase-GEMM kernels,
// each kernel's own regions (tables, weights) apart from every other's, one scratch region shared by all.
// Checked: no two kernels' own regions overlap, nor any of them the scratch; the memory is fixed once made
// (a later reservation gets none, as does one past 2 GiB); and a kernel whose zero-bordered grid lies where
// another kernel wrote its output still reads zeros there (the same values as the reference, pass after pass).
// And the parameter arrays an executor owns are freed once every step reading them is a native kernel that
// has copied them, with the values unchanged on later passes.
import { describe, expect, it } from 'vitest';
import { loadNet } from '../../src/api/load-net.js';
import { compile } from '../../src/runtime/compile.js';
import { runReference } from '../../src/runtime/reference-executor.js';
import { KernelArena, releaseArray } from '../../src/runtime/wasm/kernel-arena.js';
import { GPU } from 'gpu.js';
import { buildPlan } from '../../src/runtime/build-plan.js';
import { createExecutor } from '../../src/runtime/gpu-executor.js';
import { paramsForPlan } from '../../src/runtime/plan-params.js';
import { createNativeKernel } from '../../src/runtime/wasm/native-kernel.js';
import { spaceToDepthKernel, stridedAsStrideOne } from '../../src/runtime/wasm/strided-convolution.js';
import { maxRelativeError, randomParams, randomTensor } from '../helpers/random-params.js';

describe('KernelArena', () => {
  it('own regions apart, the scratch after them all and as large as the largest asked for', () => {
    const arena = new KernelArena(false);
    const asks: [number, number][] = [
      [1000, 5000],
      [3, 70_000],
      [65_536, 10],
      [0, 0],
      [777, 123_456],
    ];
    const slots = asks.map(([own, scratch]) => arena.reserve(own, scratch)!);
    const places = slots.map((s) => s.place());
    const regions = places.map((p, i) => [p.own, p.own + asks[i][0]] as const);
    for (let i = 0; i < regions.length; i++) {
      for (let j = i + 1; j < regions.length; j++) {
        const [a, b] = [regions[i], regions[j]];
        expect(a[1] <= b[0] || b[1] <= a[0], `own regions ${i} and ${j}`).toBe(true);
      }
      expect(regions[i][1]).toBeLessThanOrEqual(places[i].scratch);
    }
    expect(new Set(places.map((p) => p.scratch)).size).toBe(1);
    expect(new Set(places.map((p) => p.memory)).size).toBe(1);
    expect(places[0].memory.buffer.byteLength).toBe(places[0].pages * 65536);
    expect(places[0].pages * 65536).toBeGreaterThanOrEqual(places[0].scratch + 123_456);
    expect(arena.bytes).toBe(places[0].pages * 65536);
    // Fixed once made.
    expect(arena.reserve(16, 16)).toBeUndefined();
  });

  it('no room past 2 GiB: that kernel keeps a memory of its own', () => {
    const arena = new KernelArena(false);
    expect(arena.reserve(2 ** 30, 2 ** 29)).toBeDefined();
    expect(arena.reserve(2 ** 29, 2 ** 29)).toBeUndefined();
    expect(arena.reserve(2 ** 28, 2 ** 28)).toBeDefined();
  });

  it('scratchTaken: true when another kernel used the scratch since this one', () => {
    const arena = new KernelArena(false);
    const [a, b] = [arena.reserve(1, 1)!, arena.reserve(1, 1)!];
    expect([a.scratchTaken(), a.scratchTaken(), b.scratchTaken(), a.scratchTaken(), a.scratchTaken()]).toEqual([
      true,
      false,
      true,
      true,
      false,
    ]);
  });
});

describe('kernels sharing the scratch', () => {
  // 'big' writes its output planes over the bytes where the smaller, padded layers after it keep their
  // grid's zero border; they must still read zeros there.
  const net = loadNet(
    [
      'layer { name: "in" type: "Input" top: "x" input_param { shape { dim: 1 dim: 4 dim: 30 dim: 34 } } }',
      'layer { name: "big" type: "Convolution" bottom: "x" top: "big" convolution_param { num_output: 48 kernel_size: 3 pad: 1 } }',
      'layer { name: "pool" type: "Pooling" bottom: "big" top: "pool" pooling_param { pool: MAX kernel_size: 2 stride: 2 } }',
      'layer { name: "pad2" type: "Convolution" bottom: "pool" top: "pad2" convolution_param { num_output: 8 kernel_size: 5 pad: 2 } }',
      'layer { name: "far" type: "Convolution" bottom: "pad2" top: "far" convolution_param { num_output: 6 kernel_size: 3 pad: 4 dilation: 2 } }',
      'layer { name: "up" type: "Deconvolution" bottom: "far" top: "up" convolution_param { num_output: 3 kernel_size: 4 stride: 2 pad: 1 } }',
    ].join('\n'),
  );
  const params = randomParams(net, 11);

  it.each([1, 2])('threads %i: the same values as the reference, pass after pass', async (threads) => {
    const compiled = await compile(net, { weights: params, backend: 'wasm', threads });
    try {
      for (const seed of [1, 2, 3]) {
        const inputs = { x: randomTensor([1, 4, 30, 34], seed) };
        const want = runReference(net, params, inputs).blobs;
        const got = await compiled.forward(inputs, { blobs: ['pad2', 'far', 'up'] });
        for (const blob of ['pad2', 'far', 'up']) {
          expect(maxRelativeError(got[blob].data, want.get(blob)!.data), `${blob}, input ${seed}`).toBeLessThanOrEqual(1e-4);
        }
      }
    } finally {
      compiled.destroy();
    }
  });
});

describe('parameter bytes freed once copied', () => {
  it('releaseArray frees the bytes and keeps the array', () => {
    const a = new Float32Array(1000).fill(1);
    releaseArray(a);
    expect(a.length).toBe(0);
    // A view on part of a buffer is left alone (others may read the rest).
    const whole = new Float32Array(8);
    const part = whole.subarray(2, 4);
    releaseArray(part);
    expect(part.length).toBe(2);
  });

  // Folded BatchNorm+Scale, a strided Convolution, an InnerProduct, a Deconvolution: every kernel copies (or
  // derives then copies) its weights once; Normalize runs its reference forward on the host, which reads its
  // scale on every pass.
  const net = loadNet(
    [
      'layer { name: "in" type: "Input" top: "x" input_param { shape { dim: 1 dim: 3 dim: 17 dim: 19 } } }',
      'layer { name: "c1" type: "Convolution" bottom: "x" top: "c1" convolution_param { num_output: 8 kernel_size: 3 pad: 1 } }',
      'layer { name: "bn" type: "BatchNorm" bottom: "c1" top: "c1" }',
      'layer { name: "sc" type: "Scale" bottom: "c1" top: "c1" scale_param { bias_term: true } }',
      'layer { name: "pr" type: "PReLU" bottom: "c1" top: "c1" }',
      'layer { name: "c2" type: "Convolution" bottom: "c1" top: "c2" convolution_param { num_output: 6 kernel_size: 3 stride: 2 } }',
      'layer { name: "up" type: "Deconvolution" bottom: "c2" top: "up" convolution_param { num_output: 4 kernel_size: 4 stride: 2 } }',
      'layer { name: "fc" type: "InnerProduct" bottom: "c2" top: "fc" inner_product_param { num_output: 10 } }',
      'layer { name: "nm" type: "Normalize" bottom: "c2" top: "nm" }',
    ].join('\n'),
  );

  it.each([1, 2])(
    'threads %i: the executor frees what only native kernels read; passes after agree with the reference',
    async (threads) => {
      const given = randomParams(net, 5);
      const plan = buildPlan(net);
      const owned = paramsForPlan(plan, new Map([...given].map(([layer, blobs]) => [layer, blobs.map((b) => Float32Array.from(b))])));
      const executor = createExecutor(GPU, plan, plan.kernels, owned, 'wasm', { threads, ownsParams: true });
      try {
        for (const seed of [1, 2, 3]) {
          const inputs = { x: randomTensor([1, 3, 17, 19], seed) };
          const want = runReference(net, given, inputs).blobs;
          const got = await executor.forward(inputs, { blobs: ['up', 'fc', 'nm'] });
          for (const blob of ['up', 'fc', 'nm']) {
            expect(maxRelativeError(got[blob].data, want.get(blob)!.data), `${blob}, input ${seed}`).toBeLessThanOrEqual(1e-4);
          }
        }
        const lengths = new Map(plan.layers.map((l, i) => [l.name, owned[i].map((p) => p.length)]));
        expect(lengths.get('c1')).toEqual([0, 0]);
        expect(lengths.get('bn')).toEqual([0, 0, 0]);
        expect(lengths.get('c2')).toEqual([0, 0]);
        expect(lengths.get('fc')).toEqual([0, 0]);
        expect(lengths.get('up')).toEqual([0, 0]);
        expect(lengths.get('pr')).toEqual([0]);
        // Normalize's scale: read by its host step each pass.
        expect(lengths.get('nm')).toEqual([1]);
      } finally {
        executor.destroy();
      }
    },
  );
});

describe('region kernels in the arena', () => {
  // Two Poolings whose input and output take ≥ 16 MiB share the arena's scratch: each
  // call finds the other's bytes there, and must give what a kernel with a memory of its own gives.
  const specs = buildPlan(
    loadNet(
      [
        'layer { name: "in" type: "Input" top: "x" input_param { shape { dim: 1 dim: 72 dim: 240 dim: 250 } } }',
        'layer { name: "ave" type: "Pooling" bottom: "x" top: "a" pooling_param { pool: AVE kernel_size: 3 stride: 2 pad: 1 } }',
        'layer { name: "max" type: "Pooling" bottom: "x" top: "m" pooling_param { pool: MAX kernel_size: 2 stride: 2 } }',
      ].join('\n'),
    ),
  ).natives!;

  it.each([false, true])('shared memory %s: the same values as kernels with memories of their own', async (shared) => {
    const arena = new KernelArena(shared);
    const inArena = specs.map((spec) => createNativeKernel(spec, { arena }));
    const alone = specs.map((spec) => createNativeKernel(spec));
    try {
      for (const seed of [1, 2]) {
        const x = randomTensor([1, 72, 240, 250], seed).data;
        for (let k = 0; k < specs.length; k++) {
          const [got, want] = [await inArena[k].run([x]), await alone[k].run([x])];
          expect(got.length).toBe(want.length);
          // Bit-equal (a plain loop: expect().toEqual on millions of floats takes seconds).
          let differ = 0;
          for (let i = 0; i < want.length; i++) if (!Object.is(got[i], want[i])) differ++;
          expect(differ, `kernel ${k}, input ${seed}`).toBe(0);
        }
      }
      expect(arena.bytes).toBeGreaterThanOrEqual(16 * 2 ** 20);
    } finally {
      for (const k of [...inArena, ...alone]) k.destroy();
    }
  });
});

describe('values in the arena', () => {
  // The executor keeps its activations in the arena (activation-slots.ts): a phase-GEMM kernel then reads its
  // input and writes its result where they lie — a 1×1 without padding reads the input as its grid, with no
  // copy at all, and a last block's extra lanes read whatever follows it (NaN here). The same values as
  // copies in and out, with the bytes around the output untouched.
  const geometries: [string, number, number, number][] = [
    ['3×3 pad 1', 3, 1, 11],
    ['1×1 pad 0, odd width', 1, 0, 13],
  ];
  it.each(geometries.flatMap((g) => [false, true].map((shared) => [...g, shared] as const)))(
    '%s (kernel %i, pad %i, width %i), shared memory %s: read and written in place, the same values as plain arrays',
    async (_, kernel, pad, width, shared) => {
      const spec = {
        kind: 'convolution' as const,
        outer: 1,
        cin: 5,
        cout: 7,
        group: 1,
        inH: 9,
        inW: width,
        outH: 9,
        outW: width,
        kernel: [kernel, kernel] as [number, number],
        stride: [1, 1] as [number, number],
        pad: [pad, pad] as [number, number],
        dilation: [1, 1] as [number, number],
        bias: true,
        flip: false,
        weights: 'dense' as const,
      };
      const x = randomTensor([1, 5, 9, width], 1).data;
      const w = randomTensor([7, 5, kernel, kernel], 2).data;
      const b = randomTensor([7], 3).data;
      const alone = createNativeKernel(spec);
      const want = await alone.run([x, w, b]);
      const arena = new KernelArena(shared);
      const k = createNativeKernel(spec, { arena });
      const size = 7 * 9 * width;
      const slot = arena.reserve((x.length + size + 200) * 4, 0)!;
      const place = slot.place();
      const values = new Float32Array(place.memory.buffer, place.own, x.length + size + 200);
      values.fill(-7);
      const input = values.subarray(0, x.length);
      input.set(x);
      const output = values.subarray(x.length + 16, x.length + 16 + size);
      const tail = values.subarray(x.length + 16 + size);
      for (let pass = 0; pass < 2; pass++) {
        // Past the input: NaN, which only lanes past a row's end may read.
        values.fill(NaN, x.length, x.length + 16);
        expect(await k.run([input, w, b], output)).toBe(output);
        expect(maxRelativeError(output, want)).toBeLessThanOrEqual(1e-6);
        expect(Array.from(input)).toEqual(Array.from(x));
        expect(Array.from(values.subarray(x.length, x.length + 16)).every(Number.isNaN)).toBe(true);
        expect(Array.from(tail)).toEqual(new Array(tail.length).fill(-7));
        output.fill(0);
      }
      alone.destroy();
      k.destroy();
    },
  );
});

describe('region kernels reading and writing values in the arena', () => {
  // Each single-pass kernel given its input where it lies in the arena, at an offset that is not a multiple of
  // 16 bytes and with NaN on both sides (what follows an activation is another one, or anything): the same
  // result as from a memory of its own. Widths not a multiple of 4, so the last vectors read past the input.
  // Given a result place in the arena too (between sentinels), it writes there and nothing around it.
  const nets: [string, string, number[]][] = [
    [
      'MAX Pooling, ceil rounding',
      'layer { name: "p" type: "Pooling" bottom: "x" top: "y" pooling_param { pool: MAX kernel_size: 3 stride: 2 } }',
      [2, 3, 13, 11],
    ],
    [
      'AVE Pooling, pad',
      'layer { name: "p" type: "Pooling" bottom: "x" top: "y" pooling_param { pool: AVE kernel_size: 3 stride: 1 pad: 1 } }',
      [1, 4, 9, 7],
    ],
    [
      'LRN across channels',
      'layer { name: "n" type: "LRN" bottom: "x" top: "y" lrn_param { local_size: 5 alpha: 0.0001 beta: 0.75 } }',
      [1, 7, 5, 9],
    ],
    [
      'LRN within a channel',
      'layer { name: "n" type: "LRN" bottom: "x" top: "y" lrn_param { local_size: 3 norm_region: WITHIN_CHANNEL } }',
      [1, 3, 6, 7],
    ],
    ['BatchNorm', 'layer { name: "b" type: "BatchNorm" bottom: "x" top: "y" }', [1, 5, 3, 7]],
    ['PReLU', 'layer { name: "r" type: "PReLU" bottom: "x" top: "y" }', [1, 3, 5, 5]],
    ['InnerProduct', 'layer { name: "f" type: "InnerProduct" bottom: "x" top: "y" inner_product_param { num_output: 6 } }', [2, 3, 2, 2]],
    [
      'InnerProduct, 8 outputs',
      'layer { name: "f" type: "InnerProduct" bottom: "x" top: "y" inner_product_param { num_output: 8 } }',
      [2, 3, 2, 2],
    ],
    [
      'Eltwise SUM, 4·k elements',
      'layer { name: "e" type: "Eltwise" bottom: "x" bottom: "x" top: "y" eltwise_param { coeff: 1 coeff: -2 } }',
      [1, 2, 3, 4],
    ],
    [
      'Eltwise MAX, odd count',
      'layer { name: "e" type: "Eltwise" bottom: "x" bottom: "x" top: "y" eltwise_param { operation: MAX } }',
      [1, 3, 3, 3],
    ],
    ['Scale, planes of 4·k', 'layer { name: "s" type: "Scale" bottom: "x" top: "y" scale_param { bias_term: true } }', [1, 3, 2, 6]],
    [
      'strided Convolution (space to depth)',
      'layer { name: "c" type: "Convolution" bottom: "x" top: "y" convolution_param { num_output: 4 kernel_size: 3 stride: 2 } }',
      [1, 3, 11, 13],
    ],
  ];
  it.each(nets)('%s', async (_, layer, shape) => {
    const net = loadNet(
      `layer { name: "in" type: "Input" top: "x" input_param { shape { ${shape.map((d) => `dim: ${d}`).join(' ')} } } }\n${layer}`,
    );
    const plan = buildPlan(net);
    const step = plan.steps.find((st) => 'native' in st)!;
    if (!('native' in step)) throw new Error('no native step');
    const params = paramsForPlan(plan, randomParams(net, 4));
    const x = randomTensor(shape, 5).data;
    const args = step.args.map((a) => ('value' in a ? x : params[a.param[0]][a.param[1]]));
    const alone = createNativeKernel(plan.natives![step.native]);
    const want = await alone.run(args);
    for (const shared of [false, true]) {
      const arena = new KernelArena(shared);
      const k = createNativeKernel(plan.natives![step.native], { arena, threads: shared ? 2 : 1 });
      const slot = arena.reserve((x.length + want.length + 128) * 4, 0)!;
      const place = slot.place();
      const values = new Float32Array(place.memory.buffer, place.own, x.length + want.length + 128).fill(NaN);
      const input = values.subarray(33, 33 + x.length);
      input.set(x);
      const sentinel = -12345;
      const output = values.subarray(x.length + 67, x.length + 67 + want.length);
      values.fill(sentinel, x.length + 33 + 16);
      for (let pass = 0; pass < 2; pass++) {
        const got = await k.run(args.map((a) => (a === x ? input : a)));
        expect(maxRelativeError(got, want), `shared ${shared}, pass ${pass}`).toBeLessThanOrEqual(1e-6);
        expect(Array.from(input)).toEqual(Array.from(x));
        output.fill(0);
        expect(
          await k.run(
            args.map((a) => (a === x ? input : a)),
            output,
          ),
        ).toBe(output);
        expect(maxRelativeError(output, want), `in place, shared ${shared}, pass ${pass}`).toBeLessThanOrEqual(1e-6);
        const around = [...values.subarray(x.length + 49, x.length + 67), ...values.subarray(x.length + 67 + want.length)];
        expect(
          around.every((v) => v === sentinel),
          'bytes around the result untouched',
        ).toBe(true);
      }
      k.destroy();
    }
    alone.destroy();
  });
});

describe('space to depth writes its whole output', () => {
  // It writes straight into the stride-1 kernel's input (a region of the arena that held the last call's
  // planes, or anything): the padding cells must be written as zeros, not left as they were.
  it.each([
    ['3×3 stride 2 pad 1', [3, 3], [2, 2], [1, 1]],
    ['7×7 stride 2 pad 3', [7, 7], [2, 2], [3, 3]],
    ['1×1 stride 2', [1, 1], [2, 2], [0, 0]],
    ['3×5 stride 3×2 pad 2×0', [3, 5], [3, 2], [2, 0]],
  ] as const)('%s: the same planes over NaN as in fresh memory', async (_, kernel, stride, pad) => {
    const [inH, inW] = [13, 11];
    const outH = Math.floor((inH + 2 * pad[0] - kernel[0]) / stride[0]) + 1;
    const outW = Math.floor((inW + 2 * pad[1] - kernel[1]) / stride[1]) + 1;
    const spec = {
      kind: 'convolution' as const,
      outer: 1,
      cin: 3,
      cout: 4,
      group: 1,
      inH,
      inW,
      outH,
      outW,
      kernel: [...kernel] as [number, number],
      stride: [...stride] as [number, number],
      pad: [...pad] as [number, number],
      dilation: [1, 1] as [number, number],
      bias: false,
      flip: false,
      weights: 'dense' as const,
    };
    const strided = stridedAsStrideOne(spec);
    const x = randomTensor([1, 3, inH, inW], 7).data;
    const alone = spaceToDepthKernel(strided);
    const want = await alone.run([x]);
    const arena = new KernelArena(false);
    const k = spaceToDepthKernel(strided, arena);
    const slot = arena.reserve((want.length + 8) * 4, 0)!;
    const place = slot.place();
    const into = new Float32Array(place.memory.buffer, place.own, want.length).fill(NaN);
    expect(await k.run([x], into)).toBe(into);
    expect(Array.from(into)).toEqual(Array.from(want));
    // Padding there is (zeros in the planes), except for the 1×1's plain subsampling.
    if (pad[0] + pad[1] > 0) expect(want.some((v) => v === 0)).toBe(true);
    alone.destroy();
    k.destroy();
  });
});
