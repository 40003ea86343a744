// Peer: TensorFlow.js conv2dTranspose on its wasm backend (XNNPACK build, SIMD; one thread in Node) or its
// plain-JS cpu backend. tfjs works channels-last, so the peer gets its own layout (NHWC in and out, filter
// [K, K, Cout, Cin]) prepared outside the timed call: no layout cost is billed to it (PERF-BASELINE's
// "NHWC in/out" row, its fastest). P5's Crop becomes asymmetric explicit padding (31 before, the rest
// after), so tfjs computes only the kept window — the best a tfjs user could write.
import * as tf from '@tensorflow/tfjs-core';
import type { Implementation } from './implementation.js';
import { cropOffset, fullSize, outputDims, type Problem } from './problems.js';

export type TfjsBackend = 'wasm' | 'cpu';

async function useBackend(name: TfjsBackend): Promise<void> {
  if (name === 'wasm') await import('@tensorflow/tfjs-backend-wasm');
  else await import('@tensorflow/tfjs-backend-cpu');
  if (!(await tf.setBackend(name))) throw new Error(`tfjs backend ${name} did not initialise`);
  await tf.ready();
}

export function toNHWC(x: Float32Array, c: number, h: number, w: number): Float32Array {
  const out = new Float32Array(x.length);
  for (let ci = 0; ci < c; ci++) for (let i = 0; i < h * w; i++) out[i * c + ci] = x[ci * h * w + i];
  return out;
}

export function fromNHWC(x: Float32Array, c: number, h: number, w: number): Float32Array {
  const out = new Float32Array(x.length);
  for (let ci = 0; ci < c; ci++) for (let i = 0; i < h * w; i++) out[ci * h * w + i] = x[i * c + ci];
  return out;
}

export async function tfjsImplementation(q: Problem, x: Float32Array, w: Float32Array, backend: TfjsBackend): Promise<Implementation> {
  const started = performance.now();
  await useBackend(backend);
  const { cin, cout, k, h, w: width } = q;
  // Caffe [Cin, Cout, K, K] → tfjs [K, K, Cout, Cin].
  const f = new Float32Array(w.length);
  for (let ci = 0; ci < cin; ci++)
    for (let co = 0; co < cout; co++) for (let t = 0; t < k * k; t++) f[(t * cout + co) * cin + ci] = w[(ci * cout + co) * k * k + t];
  const filter = tf.tensor4d(f, [k, k, cout, cin]);
  const xNHWC = toNHWC(x, cin, h, width);
  const [, oh, ow] = outputDims(q);
  const before = q.p + cropOffset(q);
  const after = (size: number, out: number) => fullSize(q, size) + 2 * q.p - before - out;
  const pad: [[number, number], [number, number], [number, number], [number, number]] = [
    [0, 0],
    [before, after(h, oh)],
    [before, after(width, ow)],
    [0, 0],
  ];
  const setupMs = performance.now() - started;
  return {
    detail: `tfjs ${tf.version_core} backend ${tf.getBackend()}, NHWC`,
    setupMs,
    run: async () => {
      const input = tf.tensor4d(xNHWC, [1, h, width, cin]);
      const y = tf.conv2dTranspose(input, filter, [1, oh, ow, cout], q.s, pad);
      const data = y.dataSync() as Float32Array;
      input.dispose();
      y.dispose();
      return data;
    },
    toCaffeLayout: (out) => fromNHWC(out as Float32Array, cout, oh, ow),
    dispose: () => filter.dispose(),
  };
}
