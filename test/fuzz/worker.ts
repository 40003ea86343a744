// The fuzz campaign's worker thread: runs one case at a time in-process (the command functions the CLI
// calls), with stdout and stderr counted rather than printed, and answers how it ended: ok, a diagnostic
// (located or not), or an internal error with its first line and the frame it came from. The main thread
// (campaign.ts) times each case and watches memory; it ends this thread on a hang or an overrun.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parentPort } from 'node:worker_threads';
import { DiagnosticError } from '../../src/diagnostics/diagnostic.js';
import type { FuzzCase } from './cases.js';

export interface CaseResult {
  id: number;
  outcome: 'ok' | 'diagnostic' | 'internal';
  /** For a diagnostic: whether every error names file:line:column. */
  located?: boolean;
  /** The first line of the message (an internal error's, or the first diagnostic's). */
  message: string;
  /** For an internal error: the innermost stack frame in brewnet's source. */
  where?: string;
  /** Characters written to stderr plus those of the diagnostics thrown. */
  diagnosticChars: number;
  ms: number;
}

function substitute(value: unknown, dir: string): unknown {
  if (typeof value === 'string') return value.replaceAll('$dir', dir);
  if (Array.isArray(value)) return value.map((v) => substitute(v, dir));
  return value;
}

async function commandFunction(command: FuzzCase['command']): Promise<(net: string, flags: never) => unknown> {
  switch (command) {
    case 'shapes':
      return (await import('../../src/cli/shapes-command.js')).shapesCommand as never;
    case 'analyze':
      return (await import('../../src/cli/analyze-command.js')).analyzeCommand as never;
    case 'convert':
      return (await import('../../src/cli/convert-command.js')).convertCommand as never;
    case 'run':
      return (await import('../../src/cli/run-command.js')).runCommand as never;
    case 'compile':
      return (await import('../../src/cli/compile-command.js')).compileCommand as never;
  }
}

let stderrChars = 0;
process.stdout.write = (() => true) as typeof process.stdout.write;
process.stderr.write = ((chunk: string | Uint8Array) => {
  stderrChars += chunk.length;
  return true;
}) as typeof process.stderr.write;

async function runCase(c: FuzzCase): Promise<CaseResult> {
  const dir = mkdtempSync(join(tmpdir(), 'brewnet-fuzz-'));
  const started = performance.now();
  stderrChars = 0;
  try {
    for (const [name, bytes] of Object.entries(c.files)) writeFileSync(join(dir, name), bytes);
    const flags = Object.fromEntries(Object.entries(c.flags).map(([k, v]) => [k, substitute(v, dir)]));
    const fn = await commandFunction(c.command);
    await fn(join(dir, c.net), flags as never);
    return { id: c.id, outcome: 'ok', message: '', diagnosticChars: stderrChars, ms: performance.now() - started };
  } catch (e) {
    const ms = performance.now() - started;
    if (e instanceof DiagnosticError) {
      const errors = e.diagnostics.filter((d) => d.severity === 'error');
      const chars = stderrChars + e.diagnostics.reduce((n, d) => n + d.message.length + (d.hint?.length ?? 0), 0);
      const first = e.diagnostics[0];
      return {
        id: c.id,
        outcome: 'diagnostic',
        located: errors.every((d) => d.location?.line !== undefined),
        message: (first?.message ?? '').split('\n')[0].slice(0, 200).replaceAll(dir, '$dir'),
        diagnosticChars: chars,
        ms,
      };
    }
    const err = e instanceof Error ? e : new Error(String(e));
    const frame = (err.stack ?? '')
      .split('\n')
      .find((l) => /\/(src|grammar)\//.test(l))
      ?.trim()
      .replace(/^at /, '')
      .replace(/.*\/(src|grammar)\//, '$1/');
    return {
      id: c.id,
      outcome: 'internal',
      message: `${err.name}: ${err.message.split('\n')[0].slice(0, 200).replaceAll(dir, '$dir')}`,
      where: frame,
      diagnosticChars: stderrChars,
      ms,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
    process.exitCode = 0;
  }
}

parentPort!.on('message', (c: FuzzCase) => {
  void runCase(c).then((r) => parentPort!.postMessage(r));
});
parentPort!.postMessage('ready');
