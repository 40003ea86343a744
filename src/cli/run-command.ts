// `brewnet run <net> --input name=file.npy … --out DIR`: one forward pass on gpu.js; every requested blob
// (default: the net's outputs; `all`: every blob's final value) is written to DIR/<encodeURIComponent(blob)>.npy
// as float32. The .npy inputs also give the input shapes (the net is reshaped for them).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fail, warning } from '../diagnostics/diagnostic.js';
import { loadNet } from '../api/load-net.js';
import { isBackendName, BACKENDS } from '../runtime/backends.js';
import { compile, resolveWeights } from '../runtime/compile.js';
import { readNpy, writeNpy } from '../runtime/npy.js';
import type { Tensor } from '../ir/tensor.js';
import { showDims } from '../ir/tensor.js';
import type { StepTiming } from '../runtime/gpu-executor.js';
import { netLoadOptions, type NetFlags } from './net-options.js';
import { progressBar, renderTimeTable } from './time-table.js';
import { printDiagnostics } from './report-errors.js';

export interface RunFlags extends NetFlags {
  input?: string[];
  weights?: string;
  seed?: number;
  allowMissingWeights?: boolean;
  blobs?: string;
  out?: string;
  backend?: string;
  threads?: boolean;
  time?: boolean;
}

function readInputs(specs: string[]): Record<string, Tensor> {
  const inputs: Record<string, Tensor> = Object.create(null);
  for (const spec of specs) {
    const m = /^([^=]+)=(.+)$/.exec(spec);
    if (!m) fail(`--input "${spec}": expected name=file.npy`);
    const [, name, file] = m;
    if (name in inputs) fail(`--input ${name} is given twice`);
    let bytes: Uint8Array;
    try {
      bytes = readFileSync(file);
    } catch {
      fail(`--input ${name}: cannot read ${file}`);
    }
    inputs[name] = readNpy(bytes, file);
  }
  return inputs;
}

export async function runCommand(netPath: string, flags: RunFlags): Promise<void> {
  if (!flags.out) fail('brewnet run needs --out DIR (where the .npy files go)');
  const backend = flags.backend ?? 'auto';
  if (!isBackendName(backend)) fail(`--backend ${backend}: choose one of ${BACKENDS.join(', ')}`);
  if (flags.weights !== undefined && flags.seed !== undefined && !flags.allowMissingWeights) {
    fail('give --weights or --seed, not both (--seed only seeds fillers, with --allow-missing-weights)');
  }
  const inputs = readInputs(flags.input ?? []);
  const shapes = Object.fromEntries(Object.entries(inputs).map(([n, t]) => [n, t.shape]));
  const net = loadNet(netPath, { ...netLoadOptions(flags), inputs: shapes });
  const { params, warnings } = resolveWeights(net, { weights: flags.weights, seed: flags.seed, allowMissingWeights: flags.allowMissingWeights });
  printDiagnostics(warnings);
  const compiled = await compile(net, { weights: params, backend, threads: flags.threads });
  const blobs = flags.blobs === undefined ? undefined : flags.blobs === 'all' ? 'all' : flags.blobs.split(',').map((s) => s.trim());
  const started = performance.now();
  const progress = progressBar(compiled.plan.layers, started);
  const out = await compiled.forward(inputs, { blobs, onStep: progress?.step });
  progress?.done();
  const ms = performance.now() - started;
  printDiagnostics(compiled.executor.fallbacks.map((f) => warning(`gpu.js ran layer "${f.layer}" on ${f.mode}${f.reason ? `: ${f.reason}` : ''}`)));
  mkdirSync(flags.out, { recursive: true });
  for (const [name, t] of Object.entries(out)) {
    const file = join(flags.out, `${encodeURIComponent(name)}.npy`);
    writeFileSync(file, writeNpy(t));
    process.stdout.write(`${file}  ${showDims(t.shape)}\n`);
  }
  const why = compiled.backendReason === 'asked for' ? '' : ` (${compiled.backendReason})`;
  const on = compiled.backend === 'wasm' ? "wasm (brewnet's native kernels, gpu.js webasm for the other layers)" : `gpu.js ${compiled.backend}`;
  process.stderr.write(`forward pass on ${on}${why} in ${ms.toFixed(0)} ms\n`);
  if (flags.time) {
    const timings: StepTiming[] = [];
    const t0 = performance.now();
    await compiled.forward(inputs, { blobs, onStep: (t) => timings.push(t) });
    const total = performance.now() - t0;
    process.stdout.write(renderTimeTable(net.layers.map((l) => ({ name: l.name, type: l.type, macs: ['Convolution', 'Deconvolution', 'InnerProduct'].includes(l.type) ? l.macs : 0 })), timings, total));
  }
  compiled.destroy();
}
