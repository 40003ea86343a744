// `convert --to onnx --check`: runs the written model in onnxruntime-node (an optional peer: brewnet does
// not need it otherwise) on a seeded input and compares every graph output with brewnet's reference
// executor on the same parameters; the difference is relative to each output's largest magnitude.
import { fail } from '../../diagnostics/diagnostic.js';
import type { Net } from '../../ir/net.js';
import type { ParamMap } from '../../runtime/plan-params.js';
import { runReference } from '../../runtime/reference-executor.js';
import type { Tensor } from '../../ir/tensor.js';
import { Rng } from '../../weights/prng.js';

export interface OutputDifference {
  name: string;
  shape: number[];
  /** max |onnx − reference| / max |reference| (the absolute difference when the reference is all 0). */
  relative: number;
  maxAbs: number;
  /** The reference output holds one value everywhere (zero-filled parameters?): agreement then says little. */
  constant: boolean;
}

export interface OnnxCheckResult {
  outputs: OutputDifference[];
  maxRelative: number;
}

type Ort = typeof import('onnxruntime-node');

export async function loadOnnxruntime(): Promise<Ort> {
  try {
    return (await import('onnxruntime-node')) as Ort;
  } catch (e) {
    const why = e instanceof Error ? e.message.split('\n')[0] : String(e);
    return fail(
      `--check needs onnxruntime-node, which could not be loaded (${why})`,
      undefined,
      'install it beside brewnet: npm install onnxruntime-node',
    );
  }
}

/** Uniform [−1, 1) values for each input of the net, from `seed`. */
export function seededInputs(net: Net, seed: number): Record<string, Tensor> {
  const inputs: Record<string, Tensor> = {};
  for (const name of net.inputs) {
    const shape = [...net.blob(name).shape];
    const rng = new Rng(seed, `input/${name}`);
    const data = new Float32Array(shape.reduce((n, d) => n * d, 1));
    for (let i = 0; i < data.length; i++) data[i] = 2 * rng.uniform() - 1;
    inputs[name] = { shape, data };
  }
  return inputs;
}

export function compareOutputs(net: Net, got: Record<string, Tensor>, expected: Map<string, Tensor>): OnnxCheckResult {
  const outputs = net.outputs.map((name) => {
    const want = expected.get(name)!;
    const have = got[name];
    if (!have || have.data.length !== want.data.length)
      throw new Error(`internal: onnxruntime gave output "${name}" with ${have?.data.length} values, expected ${want.data.length}`);
    let scale = 0;
    let maxAbs = 0;
    for (let i = 0; i < want.data.length; i++) {
      scale = Math.max(scale, Math.abs(want.data[i]));
      const d = Math.abs(have.data[i] - want.data[i]);
      // NaN anywhere (one side only) is an infinite difference.
      maxAbs = Math.max(
        maxAbs,
        Number.isNaN(d) && !(Number.isNaN(have.data[i]) && Number.isNaN(want.data[i])) ? Infinity : Number.isNaN(d) ? 0 : d,
      );
    }
    const constant = want.data.every((v) => v === want.data[0]);
    return { name, shape: [...want.shape], maxAbs, relative: scale > 0 ? maxAbs / scale : maxAbs, constant };
  });
  return { outputs, maxRelative: Math.max(0, ...outputs.map((o) => o.relative)) };
}

/** Runs `model` (a path or the bytes) in onnxruntime-node. */
export async function runOnnxruntime(model: string | Uint8Array, inputs: Record<string, Tensor>): Promise<Record<string, Tensor>> {
  const ort = await loadOnnxruntime();
  const session = typeof model === 'string' ? await ort.InferenceSession.create(model) : await ort.InferenceSession.create(model);
  try {
    const feeds = Object.fromEntries(Object.entries(inputs).map(([name, t]) => [name, new ort.Tensor('float32', t.data, t.shape)]));
    const results = await session.run(feeds);
    return Object.fromEntries(
      Object.entries(results).map(([name, t]) => [
        name,
        { shape: t.dims.map(Number), data: t.data instanceof Float32Array ? t.data : Float32Array.from(t.data as ArrayLike<number>) },
      ]),
    );
  } finally {
    await session.release();
  }
}

/** The model in onnxruntime-node against the reference executor, on inputs seeded by `seed`. */
export async function checkOnnxModelNumerics(net: Net, model: string | Uint8Array, params: ParamMap, seed = 0): Promise<OnnxCheckResult> {
  const inputs = seededInputs(net, seed);
  const got = await runOnnxruntime(model, inputs);
  const { blobs } = runReference(net, params, inputs);
  return compareOutputs(net, got, blobs);
}
