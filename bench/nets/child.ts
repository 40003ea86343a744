// One backend (or the reference executor) on one net, in its own process:
//   node dist/bench/nets/child.js <net id> <reference|backend> <out dir> [whole]
// Times every layer as its own small net (layer-nets.ts) and, with `whole`, the whole forward pass. The
// reference executor writes its outputs to <out dir>; a backend's outputs are checked against them
// (≤ 1e-4 of the largest reference value) before its times count.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compile, runReference, type Net } from '../../src/index.js';
import type { Tensor } from '../../src/runtime/index.js';
import { compileOptionsFor } from '../deconv/brewnet-impl.js';
import { reportResult } from '../child-process.js';
import { compare, TOLERANCE } from '../deconv/reference.js';
import { uniform } from '../random.js';
import { repoRoot } from '../repo-root.js';
import { measureRuns, policyAfterFirstCall } from '../timing.js';
import { plannedLayerNets } from './layer-nets.js';
import { benchNets, loadBenchNet } from './nets.js';
import { layerWeights } from './net-weights.js';

export interface TimedRun {
  /** Median ms of the timed calls (after the first); the first call's when runs is 0. */
  ms: number;
  /** The first call: kernel builds and JIT. */
  firstMs: number;
  runs: number;
  /** Largest error over the largest reference value (backends only). */
  relError?: number;
  error?: string;
}

export interface NetResult {
  net: string;
  backend: string;
  ran?: string;
  layers: Record<string, TimedRun>;
  whole?: TimedRun;
  error?: string;
}

const MEASURE = { minRuns: 1, maxRuns: 3, budgetMs: 150, warmup: 0 };
const WHOLE_MEASURE = { minRuns: 2, maxRuns: 3, budgetMs: 1000, warmup: 0 };
/** A process's time for all its layers; the layers it does not reach are reported as not run. */
const BUDGET_MS = { gl: 25_000, other: 90_000 };
const GL_BACKENDS = new Set(['headlessgl', 'webgl', 'webgl2', 'webgpu', 'gpu']);

type Params = Map<string, Float32Array[]>;

function inputsFor(shapes: { name: string; shape: number[] }[], seed: number): Record<string, Tensor> {
  const out: Record<string, Tensor> = {};
  shapes.forEach(
    ({ name, shape }, i) =>
      (out[name] = {
        shape,
        data: uniform(
          shape.reduce((a, b) => a * b, 1),
          seed + i,
        ),
      }),
  );
  return out;
}

function runReferenceTimed(net: Net, params: Params, inputs: Record<string, Tensor>): { blobs: Map<string, Tensor>; ms: number } {
  const started = performance.now();
  const blobs = runReference(net, params, inputs).blobs;
  return { blobs, ms: performance.now() - started };
}

const fileFor = (dir: string, key: string, blob: string) => join(dir, `${encodeURIComponent(key)}--${encodeURIComponent(blob)}.f32`);

async function timeOne(
  what: string,
  net: Net,
  params: Params,
  inputs: Record<string, Tensor>,
  outputs: string[],
  dir: string,
  key: string,
): Promise<TimedRun & { ran?: string }> {
  if (what === 'reference') {
    // The reference executor is slow (plain TypeScript, float64 sums): one call when it takes over 1 s.
    let result = runReferenceTimed(net, params, inputs);
    const first = result.ms;
    let t = { median: first, runs: 0 };
    if (first < 1000) {
      t = await measureRuns(async () => (result = runReferenceTimed(net, params, inputs)), {
        minRuns: 1,
        maxRuns: 3,
        budgetMs: 150,
        warmup: 0,
      });
    }
    for (const o of outputs) writeFileSync(fileFor(dir, key, o), new Uint8Array(result.blobs.get(o)!.data.buffer));
    return { ms: t.median, firstMs: first, runs: t.runs };
  }
  const compiled = await compile(net, { weights: params, ...compileOptionsFor(what) });
  try {
    let result: Record<string, Tensor> | undefined;
    const started = performance.now();
    result = await compiled.forward(inputs, { blobs: outputs });
    const firstMs = performance.now() - started;
    let relError = 0;
    for (const o of outputs) {
      const file = fileFor(dir, key, o);
      if (!existsSync(file)) return { ms: NaN, firstMs, runs: 0, error: 'no reference output to check against' };
      const bytes = readFileSync(file);
      const ref = Float64Array.from(new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4));
      relError = Math.max(relError, compare(result[o].data, ref).relError);
    }
    if (!(relError <= TOLERANCE))
      return { ms: NaN, firstMs, runs: 0, relError, error: 'disagrees with the reference executor', ran: compiled.backend };
    // A slow first call (a GL layer on a software rasteriser) is repeated less, or not at all.
    const policy = firstMs < 1000 ? (key === 'whole' ? WHOLE_MEASURE : MEASURE) : policyAfterFirstCall(firstMs);
    if (!policy) return { ms: firstMs, firstMs, runs: 0, relError, ran: compiled.backend };
    const t = await measureRuns(async () => (result = await compiled.forward(inputs, { blobs: outputs })), policy);
    return { ms: t.median, firstMs, runs: t.runs, relError, ran: compiled.backend };
  } finally {
    compiled.destroy();
  }
}

async function main(netId: string, what: string, dir: string, whole: boolean): Promise<NetResult> {
  const root = repoRoot();
  const spec = benchNets(root, { fcnWhole: whole }).find((n) => n.id === netId);
  if (!spec) throw new Error(`unknown net ${netId}`);
  mkdirSync(dir, { recursive: true });
  const net = loadBenchNet(spec);
  const params: Params = new Map();
  const paramsOf = (name: string) => {
    const index = net.layers.findIndex((l) => l.name === name);
    const layer = net.layers[index];
    if (layer.paramShapes.length && !params.has(name)) params.set(name, layerWeights(layer, index, spec.bilinearDeconvolutions));
    return params;
  };
  const result: NetResult = { net: netId, backend: what, layers: {} };
  const started = performance.now();
  const budget = GL_BACKENDS.has(what) ? BUDGET_MS.gl : BUDGET_MS.other;
  const plan = JSON.parse(readFileSync(join(dir, 'plan.json'), 'utf8')) as Record<string, number | null>;
  for (const ln of plannedLayerNets(net, plan)) {
    const name = ln.layer.name;
    if (performance.now() - started > budget) {
      result.layers[name] = { ms: NaN, firstMs: NaN, runs: 0, error: `not run: this backend's ${budget / 1000} s were spent` };
      continue;
    }
    const layerParams: Params = new Map();
    for (const l of [ln.layer, ...ln.followers]) {
      const p = paramsOf(l.name).get(l.name);
      if (p) layerParams.set(l.name, p);
    }
    try {
      const r = await timeOne(what, ln.net, layerParams, inputsFor(ln.inputs, 7 + ln.layer.index), ln.outputs, dir, name);
      if (r.ran) result.ran = r.ran;
      result.layers[name] = r;
    } catch (e) {
      result.layers[name] = { ms: NaN, firstMs: NaN, runs: 0, error: e instanceof Error ? e.message.split('\n')[0] : String(e) };
    }
  }
  if (spec.wholeForward && performance.now() - started > budget) {
    result.whole = { ms: NaN, firstMs: NaN, runs: 0, error: `not run: this backend's ${budget / 1000} s were spent` };
  } else if (spec.wholeForward) {
    for (const l of net.layers) paramsOf(l.name);
    const inputs = inputsFor(
      Object.entries(spec.inputs).map(([name, shape]) => ({ name, shape })),
      3,
    );
    try {
      result.whole = await timeOne(what, net, params, inputs, net.outputs, dir, 'whole');
    } catch (e) {
      result.whole = { ms: NaN, firstMs: NaN, runs: 0, error: e instanceof Error ? e.message.split('\n')[0] : String(e) };
    }
  }
  return result;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [netId, what, dir, whole] = process.argv.slice(2);
  main(netId, what, dir, whole === 'whole').then(
    (r) => {
      reportResult(r);
      process.exit(0);
    },
    (e: unknown) => {
      reportResult({ net: netId, backend: what, layers: {}, error: e instanceof Error ? e.message.split('\n')[0] : String(e) });
      process.exit(0);
    },
  );
}
