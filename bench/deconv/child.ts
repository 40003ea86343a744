// One configuration of the deconvolution benchmark in its own process:
//   node dist/bench/deconv/child.js <problem> <implementation> <reference.f64> [pick]
// Builds the implementation, checks its output against the float64 reference (≤ 1e-4 relative) and only
// then times it. `pick` runs one call only (for `auto`: which backend it chose). Reports a DeconvResult.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { reportResult } from '../child-process.js';
import { measureRuns, policyAfterFirstCall, type Measured } from '../timing.js';
import type { Implementation } from './implementation.js';
import { inputData, problemById, weightData, type Problem } from './problems.js';
import { compare, TOLERANCE, type Agreement } from './reference.js';

export interface DeconvResult {
  problem: string;
  implementation: string;
  detail: string;
  setupMs: number;
  agreement: Agreement;
  /** Absent when the check failed (never timed), with `pick`, or when the first call was too slow to repeat. */
  timing?: Measured;
  /** First call alone, when not timed. */
  firstMs?: number;
  /** The first call took so long that it was not repeated: timing is that one call. */
  tooSlow?: boolean;
  error?: string;
}

/** Loads only the library the implementation needs (brewnet alone takes 1–2 s to import). */
export async function implementationFor(name: string, q: Problem, x: Float32Array, w: Float32Array): Promise<Implementation> {
  if (name.startsWith('brewnet:')) return (await import('./brewnet-impl.js')).brewnetImplementation(q, x, w, name.slice('brewnet:'.length));
  if (name === 'tfjs-wasm') return (await import('./tfjs-impl.js')).tfjsImplementation(q, x, w, 'wasm');
  if (name === 'tfjs-cpu') return (await import('./tfjs-impl.js')).tfjsImplementation(q, x, w, 'cpu');
  if (name === 'ort') return (await import('./ort-impl.js')).ortImplementation(q, x, w);
  throw new Error(`unknown implementation ${name}`);
}

async function main(problemId: string, name: string, referencePath: string, pick: boolean): Promise<DeconvResult> {
  const q = problemById(problemId);
  const x = inputData(q);
  const w = weightData(q);
  const bytes = readFileSync(referencePath);
  const reference = new Float64Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 8);
  const impl = await implementationFor(name, q, x, w);
  try {
    // The first call is checked, and timed alone: it includes kernel builds and first allocations.
    const started = performance.now();
    const first = await impl.run();
    const firstMs = performance.now() - started;
    const agreement = compare(impl.toCaffeLayout(first), reference);
    const result: DeconvResult = { problem: q.id, implementation: name, detail: impl.detail, setupMs: impl.setupMs, agreement, firstMs };
    if (!(agreement.relError <= TOLERANCE) || pick) return result;
    const policy = policyAfterFirstCall(firstMs);
    // Too slow to repeat: the first call is the only measurement (runs: 0 says so in the tables).
    if (!policy) return { ...result, timing: { median: firstMs, min: firstMs, runs: 0, first: firstMs }, tooSlow: true };
    const timing = await measureRuns(() => impl.run(), policy);
    // The last output must still be right (nothing cached wrongly between calls).
    const again = compare(impl.toCaffeLayout(await impl.run()), reference);
    if (!(again.relError <= TOLERANCE)) return { ...result, agreement: again, error: 'a later call disagrees with the reference' };
    return { ...result, timing: { ...timing, first: firstMs } };
  } finally {
    impl.dispose();
  }
}

const errorText = (e: unknown) =>
  (e instanceof Error
    ? (e as { diagnostics?: { message: string }[] }).diagnostics?.map((d) => d.message).join('; ') || e.message
    : String(e)
  )
    .split('\n')[0]
    .slice(0, 300);

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  // Several implementations (comma-separated) run one after the other in this process: only for peers whose
  // speed does not hang on the JIT (native and WebAssembly code).
  const [problem, names, referencePath, pick] = process.argv.slice(2);
  (async () => {
    const results: DeconvResult[] = [];
    for (const name of names.split(',')) {
      try {
        results.push(await main(problem, name, referencePath, pick === 'pick'));
      } catch (e) {
        results.push({ problem, implementation: name, error: errorText(e) } as DeconvResult);
      }
    }
    reportResult(results);
    process.exit(0);
  })();
}
