// brewnet's side: the problem as a tiny prototxt net (Input → Deconvolution [→ Crop]), compiled through
// the public compile() API with the weights given, on one backend. Whatever the kernels do inside
// (KERNELS' optimisations) shows here without changes to the benchmark.
import { compile, loadNet } from '../../src/index.js';
import type { BackendName } from '../../src/runtime/index.js';
import type { Implementation } from './implementation.js';
import type { Problem } from './problems.js';

/** The problem as Caffe would write it. P5's Crop takes its size from a second input, as FCN's `data`. */
export function problemPrototxt(q: Problem): string {
  const dims = (d: number[]) => `shape { ${d.map((v) => `dim: ${v}`).join(' ')} }`;
  const lines = [
    `name: "${q.id}"`,
    `layer { name: "input" type: "Input" top: "x"${q.crop ? ' top: "data"' : ''}`,
    `  input_param { ${dims([1, q.cin, q.h, q.w])}${q.crop ? ` ${dims([1, 3, q.crop.size, q.crop.size])}` : ''} } }`,
    `layer { name: "up" type: "Deconvolution" bottom: "x" top: "up"`,
    `  convolution_param { num_output: ${q.cout} kernel_size: ${q.k} stride: ${q.s}${q.p ? ` pad: ${q.p}` : ''} bias_term: false } }`,
  ];
  if (q.crop)
    lines.push(
      `layer { name: "score" type: "Crop" bottom: "up" bottom: "data" top: "score" crop_param { axis: 2 offset: ${q.crop.offset} } }`,
    );
  return lines.join('\n') + '\n';
}

/**
 * A brewnet configuration: a backend name from BACKENDS (one thread: `threads: false`, as these tables
 * always measured it, though compile()'s default is every core), or `webasm+threads` / `wasm+threads`
 * (`threads: true`: gpu.js's async mode on its worker pool; wasm's native kernels on every core where a
 * layer is big enough).
 */
export function compileOptionsFor(config: string): { backend: BackendName; threads: boolean } {
  if (config.endsWith('+threads')) return { backend: config.slice(0, -'+threads'.length) as BackendName, threads: true };
  return { backend: config as BackendName, threads: false };
}

export async function brewnetImplementation(q: Problem, x: Float32Array, w: Float32Array, config: string): Promise<Implementation> {
  const started = performance.now();
  const net = loadNet(problemPrototxt(q), { file: `${q.id}.prototxt` });
  const options = compileOptionsFor(config);
  const compiled = await compile(net, { weights: new Map([['up', [w]]]), ...options });
  const setupMs = performance.now() - started;
  const inputs: Record<string, { shape: number[]; data: Float32Array }> = { x: { shape: [1, q.cin, q.h, q.w], data: x } };
  // FCN's Crop reads only the size of its reference blob `data`; its values are the image (zeros here).
  if (q.crop) inputs.data = { shape: [1, 3, q.crop.size, q.crop.size], data: new Float32Array(3 * q.crop.size * q.crop.size) };
  const output = q.crop ? 'score' : 'up';
  return {
    get detail() {
      return `ran on ${compiled.backend}${options.threads ? ', threads' : ''}`;
    },
    setupMs,
    run: async () => (await compiled.forward(inputs))[output].data,
    toCaffeLayout: (out) => out as Float32Array,
    dispose: () => compiled.destroy(),
  };
}
