// Drives the fuzz cases through a worker thread with a per-case time limit and a memory watch, and sorts
// the endings by cause. A case must end in success or a diagnostic; an internal error, a hang (over the
// time limit in both CPU time and wall time — a busy shared machine inflates wall time, V8's parallel
// garbage collector and brewnet's kernel threads inflate CPU time past wall time, a hang inflates both —
// or six times it in wall time), running out of memory (the worker's heap limit, or the process's resident memory past a
// bound, which catches typed arrays outside the heap) or a flood of diagnostic text is a failure. After a
// hang or an overrun the worker is ended and a fresh one takes the next case.
import { Worker } from 'node:worker_threads';
import { fuzzCases, loadSeeds, type FuzzCase } from './cases.js';
import type { CaseResult } from './worker.js';

export interface CampaignOptions {
  seed: number;
  cases: number;
  /** Per-case wall-clock limit (ms). */
  timeoutMs?: number;
  /** Resident memory past which the case counts as out of memory (bytes). */
  maxRss?: number;
  /** Diagnostic text past which a case counts as a flood (characters). */
  maxDiagnosticChars?: number;
  /** Run only the cases whose id % of === index (one of several processes sharing the campaign). */
  shard?: { index: number; of: number };
  onProgress?: (done: number, failures: number) => void;
  onFailure?: (finding: Finding) => void;
}

export type Ending = 'ok' | 'diagnostic' | 'unlocated diagnostic' | 'internal' | 'hang' | 'out of memory' | 'flood';
export const FAILURES: readonly Ending[] = ['internal', 'hang', 'out of memory', 'flood'];

export interface Finding {
  ending: Ending;
  cause: string;
  origin: string;
  id: number;
  ms: number;
}

export interface CampaignResult {
  counts: Record<Ending, number>;
  findings: Finding[];
  seconds: number;
  slowest: { id: number; origin: string; ms: number }[];
  /** Diagnostics without a file position, by message shape (numbers and quoted names folded): most are about a flag or a file named on the command line, which has no line. */
  unlocated: Map<string, number>;
}

const WORKER_URL = new URL('./worker-entry.mjs', import.meta.url);

function startWorker(): Promise<Worker> {
  const w = new Worker(WORKER_URL, { resourceLimits: { maxOldGenerationSizeMb: 3072 }, stdout: true, stderr: true });
  w.stdout.resume();
  w.stderr.resume();
  return new Promise((res, rej) => {
    w.once('message', () => res(w));
    w.once('error', rej);
  });
}

export async function runCampaign(options: CampaignOptions): Promise<CampaignResult> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const maxRss = options.maxRss ?? 6 * 2 ** 30;
  const maxChars = options.maxDiagnosticChars ?? 64_000;
  const counts = Object.fromEntries(
    ['ok', 'diagnostic', 'unlocated diagnostic', 'internal', 'hang', 'out of memory', 'flood'].map((k) => [k, 0]),
  ) as Record<Ending, number>;
  const findings: Finding[] = [];
  const timings: { id: number; origin: string; ms: number }[] = [];
  const started = performance.now();
  const seeds = loadSeeds();
  let worker = await startWorker();

  const one = (c: FuzzCase) =>
    new Promise<{ ending: Ending; cause: string; ms: number }>((resolve) => {
      const t0 = performance.now();
      let settled = false;
      const finish = (ending: Ending, cause: string, restart: boolean) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        clearInterval(watch);
        worker.removeAllListeners('message');
        worker.removeAllListeners('error');
        worker.removeAllListeners('exit');
        const ms = performance.now() - t0;
        if (!restart) return resolve({ ending, cause, ms });
        void worker.terminate().then(async () => {
          worker = await startWorker();
          resolve({ ending, cause, ms });
        });
      };
      const cpu0 = process.cpuUsage();
      const cpuMs = () => {
        const d = process.cpuUsage(cpu0);
        return (d.user + d.system) / 1000;
      };
      const timer = setTimeout(() => finish('hang', `over ${(6 * timeoutMs) / 1000} s of wall time`, true), 6 * timeoutMs);
      const caseStarted = performance.now();
      const watch = setInterval(() => {
        if (cpuMs() > timeoutMs && performance.now() - caseStarted > timeoutMs)
          finish('hang', `over ${timeoutMs / 1000} s of CPU time and of wall time`, true);
        else if (process.memoryUsage.rss() > maxRss)
          finish('out of memory', `resident memory over ${(maxRss / 2 ** 30).toFixed(1)} GiB`, true);
      }, 50);
      worker.on('message', (r: CaseResult) => {
        if (r.outcome === 'internal') return finish('internal', `${r.message}${r.where ? ` @ ${r.where}` : ''}`, false);
        if (r.diagnosticChars > maxChars)
          return finish('flood', `${r.diagnosticChars} characters of diagnostics: ${r.message.slice(0, 80)}`, false);
        if (r.outcome === 'diagnostic') return finish(r.located ? 'diagnostic' : 'unlocated diagnostic', r.message, false);
        finish('ok', '', false);
      });
      worker.on('error', (e: Error & { code?: string }) =>
        finish(
          e.code === 'ERR_WORKER_OUT_OF_MEMORY' ? 'out of memory' : 'internal',
          `${e.code ?? e.name}: ${e.message.split('\n')[0]}`,
          true,
        ),
      );
      worker.on('exit', (code) => finish('internal', `worker exited with ${code}`, true));
      worker.postMessage(c);
    });

  let done = 0;
  const unlocated = new Map<string, number>();
  for (const c of fuzzCases(options.seed, options.cases, seeds)) {
    if (options.shard && c.id % options.shard.of !== options.shard.index) continue;
    const { ending, cause, ms } = await one(c);
    counts[ending]++;
    if (ending === 'unlocated diagnostic') {
      const key = foldCause(cause);
      unlocated.set(key, (unlocated.get(key) ?? 0) + 1);
    }
    timings.push({ id: c.id, origin: c.origin, ms });
    if (FAILURES.includes(ending)) {
      findings.push({ ending, cause, origin: c.origin, id: c.id, ms });
      options.onFailure?.(findings[findings.length - 1]);
    }
    options.onProgress?.(++done, findings.length);
  }
  await worker.terminate();
  timings.sort((a, b) => b.ms - a.ms);
  return { counts, findings, seconds: (performance.now() - started) / 1000, slowest: timings.slice(0, 5), unlocated };
}

/** A cause with its numbers and quoted names folded, so like causes group together. */
function foldCause(cause: string): string {
  return cause
    .replace(/\d+/g, 'N')
    .replace(/"[^"]*"/g, '"…"')
    .slice(0, 160);
}

/** The failures grouped by ending and cause (numbers and names folded), most frequent first. */
export function summarize(result: CampaignResult): string {
  const lines: string[] = [];
  const total = Object.values(result.counts).reduce((a, b) => a + b, 0);
  lines.push(
    `${total} cases in ${result.seconds.toFixed(0)} s: ` +
      Object.entries(result.counts)
        .map(([k, v]) => `${k} ${v}`)
        .join(', '),
  );
  const groups = new Map<string, Finding[]>();
  for (const f of result.findings) {
    const key = `${f.ending}: ${foldCause(f.cause)}`;
    groups.set(key, [...(groups.get(key) ?? []), f]);
  }
  for (const [key, fs] of [...groups].sort((a, b) => b[1].length - a[1].length)) {
    lines.push(`  ${fs.length} × ${key}`);
    for (const f of fs.slice(0, 2)) lines.push(`      case ${f.id}: ${f.origin.slice(0, 150)}`);
  }
  if (result.unlocated.size) {
    lines.push('unlocated diagnostics (a command-line flag or file, no line to point at), most frequent:');
    for (const [key, n] of [...result.unlocated].sort((a, b) => b[1] - a[1]).slice(0, 8)) lines.push(`  ${n} × ${key}`);
  }
  lines.push('slowest: ' + result.slowest.map((s) => `case ${s.id} ${(s.ms / 1000).toFixed(1)} s (${s.origin.slice(0, 60)})`).join('; '));
  return lines.join('\n');
}
