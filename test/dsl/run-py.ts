// Test helpers: run a Python snippet in brewnet's sandbox and get what it printed, the files it wrote,
// or the one diagnostic it failed with, formatted as the CLI prints it.
import { DiagnosticError, formatDiagnostic } from '../../src/diagnostics/diagnostic.js';
import type { Limits } from '../../src/frontend/dsl/limits.js';
import { runScript, type ScriptRun } from '../../src/frontend/dsl/run-script.js';

export interface PyRun extends ScriptRun {
  printed: string;
}

/** Dedents a template literal so snippets can be indented with the test code. */
export function py(strings: TemplateStringsArray, ...values: unknown[]): string {
  const text = strings.reduce((out, s, i) => out + s + (i < values.length ? String(values[i]) : ''), '');
  const lines = text.replace(/^\n/, '').split('\n');
  const indent = Math.min(...lines.filter((l) => l.trim()).map((l) => /^ */.exec(l)![0].length));
  return lines.map((l) => l.slice(indent)).join('\n');
}

export function runPy(source: string, options: { file?: string; limits?: Partial<Limits>; inputs?: Map<string, number[]> } = {}): PyRun {
  let printed = '';
  const run = runScript(source, {
    file: options.file ?? 'net.py',
    limits: options.limits,
    inputs: options.inputs,
    stderr: (t) => (printed += t),
  });
  return { ...run, printed };
}

/** The formatted diagnostic a failing snippet produces (throws if it succeeds). */
export function pyFailure(source: string, options: Parameters<typeof runPy>[1] = {}): string {
  try {
    runPy(source, options);
  } catch (e) {
    if (e instanceof DiagnosticError) return e.diagnostics.map(formatDiagnostic).join('\n');
    throw e;
  }
  throw new Error('expected the script to fail');
}
