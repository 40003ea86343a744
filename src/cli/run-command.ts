// `brewnet run <net> --input name=VALUE … --out DIR`: one forward pass on gpu.js; every requested blob
// (default: the net's outputs; `all`: every blob's final value) is written to DIR/<encodeURIComponent(blob)>.npy
// as float32. Inputs are .npy arrays, images or generated values (run-inputs.ts), checked against the net's
// declared input shapes; --reshape runs the net at the arrays' shapes instead. With --json, stdout is one
// object: what was written, the shapes, the backend and the times.
import { join } from 'node:path';
import { DiagnosticError, error, fail, warning, type Diagnostic } from '../diagnostics/diagnostic.js';
import { unknownBlobHint } from '../diagnostics/suggest.js';
import { isBackendName, BACKENDS } from '../runtime/backends.js';
import { isDataSource } from '../runtime/build-plan.js';
import { compile, resolveWeights } from '../runtime/compile.js';
import { writeNpy } from '../runtime/npy.js';
import { showDims } from '../ir/tensor.js';
import type { Net } from '../ir/net.js';
import { parseMean, type Preprocess } from './image-input.js';
import { netLoadOptions, type NetFlags } from './net-options.js';
import { makeOutputFolder, writeOutputFile } from './output-paths.js';
import type { StepTiming } from '../runtime/gpu-executor.js';
import { median, medianPass, progressBar, renderTimeTable } from './time-table.js';

/** `--time` without a number: passes after the first until this much time went by, at most MAX_TIMED_PASSES. */
const TIME_BUDGET_MS = 3000;
const MAX_TIMED_PASSES = 20;
import { printDiagnostics } from './report-errors.js';
import { resolveInputs } from './run-inputs.js';

export interface RunFlags extends NetFlags {
  input?: string[];
  weights?: string;
  seed?: number;
  allowMissingWeights?: boolean;
  blobs?: string;
  out?: string;
  backend?: string;
  reshape?: boolean;
  mean?: string;
  scale?: string;
  rawScale?: string;
  channelSwap?: string;
  json?: boolean;
  /** --threads (every core) or --threads N (at most N); default: every core for wasm's native kernels. */
  threads?: boolean | string;
  /** false with --no-fuse. */
  fuse?: boolean;
  /** true: time passes for TIME_BUDGET_MS; a string: that many passes. */
  time?: boolean | string;
}

function positiveNumber(text: string | undefined, flag: string): number {
  if (text === undefined) return 1;
  const v = Number(text);
  if (text.trim() === '' || !Number.isFinite(v)) fail(`${flag} ${text}: not a number`);
  return v;
}

function preprocessOf(flags: RunFlags): Preprocess {
  let channelSwap: number[] | undefined;
  if (flags.channelSwap !== undefined) {
    if (!/^\d+(,\d+)*$/.test(flags.channelSwap.replace(/\s/g, '')))
      fail(`--channel-swap ${flags.channelSwap}: expected channel indices, e.g. 2,1,0`);
    channelSwap = flags.channelSwap.split(',').map(Number);
  }
  return {
    mean: flags.mean === undefined ? undefined : parseMean(flags.mean),
    rawScale: positiveNumber(flags.rawScale, '--raw-scale'),
    inputScale: positiveNumber(flags.scale, '--scale'),
    channelSwap,
  };
}

/** Every top of an Input or data layer must be fed; a data layer's own source cannot be read here. */
function checkFed(net: Net, given: Record<string, unknown>): void {
  const problems: Diagnostic[] = [];
  for (const layer of net.layers) {
    if (!isDataSource(layer)) continue;
    for (const top of layer.tops) {
      if (Object.prototype.hasOwnProperty.call(given, top.name)) continue;
      const what =
        layer.type === 'Input'
          ? `input "${top.name}" (${showDims(top.shape)})`
          : `"${top.name}" (${showDims(top.shape)}), a top of the ${layer.type} layer "${layer.name}",`;
      const why = layer.type === 'Input' ? '' : ' (brewnet does not read the databases, files or Python code data layers read)';
      problems.push(
        error(`${what} is not given${why}`, layer.loc, `feed it: --input ${top.name}=file.npy, an image, or random:${top.shape.join(',')}`),
      );
    }
  }
  if (problems.length) throw new DiagnosticError(problems);
}

function blobList(net: Net, flags: RunFlags): 'all' | string[] | undefined {
  if (flags.blobs === undefined) return undefined;
  if (flags.blobs === 'all') return 'all';
  const names = flags.blobs.split(',').map((s) => s.trim());
  const known = net.blobs.map((b) => b.name);
  const unknown = names.filter((n) => !known.includes(n));
  if (unknown.length)
    throw new DiagnosticError(unknown.map((n) => error(`--blobs: no blob named "${n}" in the net`, undefined, unknownBlobHint(n, known))));
  return names;
}

export async function runCommand(netPath: string, flags: RunFlags): Promise<void> {
  if (!flags.out) fail('brewnet run needs --out DIR (where the .npy files go)');
  const backend = flags.backend ?? 'auto';
  if (!isBackendName(backend)) fail(`--backend ${backend}: choose one of ${BACKENDS.join(', ')}`);
  const randomInput = (flags.input ?? []).some((spec) => /=random(:|$)/.test(spec));
  if (flags.weights !== undefined && flags.seed !== undefined && !flags.allowMissingWeights && !randomInput) {
    fail('give --weights or --seed, not both (--seed only seeds fillers, with --allow-missing-weights, and random inputs)');
  }
  const timedPasses = flags.time === undefined || flags.time === true ? undefined : Number(flags.time);
  if (timedPasses !== undefined && !(Number.isInteger(timedPasses) && timedPasses >= 1 && timedPasses <= 10000))
    fail(
      `--time ${flags.time}: give a whole number of passes to time, ≥ 1 (or no number: as many as fit in ${TIME_BUDGET_MS / 1000} s, up to ${MAX_TIMED_PASSES})`,
    );
  const t0 = performance.now();
  const { net, inputs, from, notes } = resolveInputs(netPath, flags.input ?? [], {
    ...netLoadOptions(flags),
    reshape: flags.reshape,
    seed: flags.seed,
    preprocess: preprocessOf(flags),
  });
  printDiagnostics(notes);
  checkFed(net, inputs);
  const blobs = blobList(net, flags);
  const { params, warnings } = resolveWeights(net, {
    weights: flags.weights,
    seed: flags.seed,
    allowMissingWeights: flags.allowMissingWeights,
  });
  printDiagnostics(warnings);
  // The folder first: a place that cannot hold the results is refused before the work, not after it.
  makeOutputFolder(flags.out, '--out');
  const t1 = performance.now();
  const compiled = await compile(net, { weights: params, backend, threads: threadsFlag(flags.threads), fuse: flags.fuse });
  // Whatever fails from here on, the executor's threads and contexts are released so the process exits.
  try {
    const t2 = performance.now();
    const progress = flags.json ? undefined : progressBar(compiled.plan.layers, t2);
    const out = await compiled.forward(inputs, { blobs, onStep: progress?.step });
    progress?.done();
    const t3 = performance.now();
    printDiagnostics(
      compiled.executor.fallbacks.map((f) => warning(`gpu.js ran layer "${f.layer}" on ${f.mode}${f.reason ? `: ${f.reason}` : ''}`)),
    );
    const written: { blob: string; file: string; shape: number[] }[] = [];
    for (const [name, t] of Object.entries(out)) {
      const file = join(flags.out, `${encodeURIComponent(name)}.npy`);
      writeOutputFile(file, writeNpy(t), '--out');
      written.push({ blob: name, file, shape: [...t.shape] });
      if (!flags.json) process.stdout.write(`${file}  ${showDims(t.shape)}\n`);
    }
    const t4 = performance.now();
    const why = compiled.backendReason === 'asked for' ? '' : ` (${compiled.backendReason})`;
    const on =
      compiled.backend === 'wasm' ? "wasm (brewnet's native kernels, gpu.js webasm for the other layers)" : `gpu.js ${compiled.backend}`;
    if (flags.json) {
      const ms = (a: number, b: number) => Math.round((b - a) * 10) / 10;
      const report = {
        net: netPath,
        backend: compiled.backend,
        backend_reason: compiled.backendReason,
        inputs: Object.fromEntries(Object.entries(inputs).map(([n, t]) => [n, { shape: t.shape, from: from[n] }])),
        written,
        times_ms: { load: ms(t0, t1), compile: ms(t1, t2), forward: ms(t2, t3), write: ms(t3, t4) },
      };
      process.stdout.write(JSON.stringify(report) + '\n');
    } else {
      for (const [n, f] of Object.entries(from))
        if (!/\.npy$/i.test(f)) process.stderr.write(`input ${n} ${showDims(inputs[n].shape)}: ${f}\n`);
      process.stderr.write(`forward pass on ${on}${why} in ${(t3 - t2).toFixed(0)} ms\n`);
    }
    if (flags.time) {
      // Later passes, not the second one alone: a kernel's first calls still pay for fresh memory and the
      // engine's tiering, so a layer's row is its median over the timed passes (as `caffe time` averages).
      const passes: { steps: StepTiming[]; ms: number }[] = [];
      const started = performance.now();
      while (
        timedPasses !== undefined
          ? passes.length < timedPasses
          : passes.length < MAX_TIMED_PASSES && performance.now() - started < TIME_BUDGET_MS
      ) {
        const steps: StepTiming[] = [];
        const t = performance.now();
        await compiled.forward(inputs, { blobs, onStep: (s) => steps.push(s) });
        passes.push({ steps, ms: performance.now() - t });
      }
      const layers = net.layers.map((l) => ({
        name: l.name,
        type: l.type,
        macs: ['Convolution', 'Deconvolution', 'InnerProduct'].includes(l.type) ? l.macs : 0,
      }));
      const out = flags.json ? process.stderr : process.stdout;
      // The pass's time: each step's median plus the median of the rest (inputs, outputs), so shares add up.
      const steps = medianPass(passes.map((p) => p.steps));
      const rest = median(passes.map((p) => p.ms - p.steps.reduce((n, t) => n + t.ms, 0)));
      out.write(renderTimeTable(layers, steps, steps.reduce((n, t) => n + t.ms, 0) + Math.max(0, rest), passes.length));
    }
  } finally {
    compiled.destroy();
  }
}

/** --threads N as a number (a located refusal for anything but a whole number ≥ 1). */
export function threadsFlag(value: boolean | string | undefined): boolean | number | undefined {
  if (typeof value !== 'string') return value;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) fail(`--threads ${value}: give a whole number of threads ≥ 1 (or --threads alone for every core)`);
  return n;
}
