// One configuration of the deconvolution benchmark in its own process:
//   node dist/bench/deconv/child.js <problem> <implementation> <reference.f64> [pick]
// Builds the implementation, checks its output against the float64 reference (≤ 1e-4 relative) and only
// then times it. `pick` runs one call only (for `auto`: which backend it chose). Reports a DeconvResult.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { BackendName } from '../../src/runtime/index.js';
import { reportResult } from '../child-process.js';
import { measureRuns, policyAfterFirstCall, type Measured } from '../timing.js';
import { brewnetImplementation } from './brewnet-impl.js';
import type { Implementation } from './implementation.js';
import { ortImplementation } from './ort-impl.js';
import { inputData, problemById, weightData } from './problems.js';
import { compare, TOLERANCE, type Agreement } from './reference.js';
import { tfjsImplementation } from './tfjs-impl.js';

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
  error?: string;
}

export function implementationFor(name: string, ...args: Parameters<typeof ortImplementation>): Promise<Implementation> {
  if (name.startsWith('brewnet:')) return brewnetImplementation(...args, name.slice('brewnet:'.length) as BackendName);
  if (name === 'tfjs-wasm') return tfjsImplementation(...args, 'wasm');
  if (name === 'tfjs-cpu') return tfjsImplementation(...args, 'cpu');
  if (name === 'ort') return ortImplementation(...args);
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
    if (!policy) return { ...result, error: `too slow to time within the benchmark: first call ${(firstMs / 1000).toFixed(1)} s` };
    const timing = await measureRuns(() => impl.run(), policy);
    // The last output must still be right (nothing cached wrongly between calls).
    const again = compare(impl.toCaffeLayout(await impl.run()), reference);
    if (!(again.relError <= TOLERANCE)) return { ...result, agreement: again, error: 'a later call disagrees with the reference' };
    return { ...result, timing: { ...timing, first: firstMs } };
  } finally {
    impl.dispose();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [problem, name, referencePath, pick] = process.argv.slice(2);
  main(problem, name, referencePath, pick === 'pick').then(
    (r) => {
      reportResult(r);
      process.exit(0);
    },
    (e: unknown) => {
      const message = e instanceof Error ? (e as { diagnostics?: { message: string }[] }).diagnostics?.map((d) => d.message).join('; ') || e.message : String(e);
      reportResult({ problem, implementation: name, error: message.split('\n')[0].slice(0, 300) });
      process.exit(0);
    },
  );
}
