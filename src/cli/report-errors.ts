// Every command ends here on failure: diagnostics go to stderr as `file:line:col: error: …` (with --json: one
// JSON object per line), exit code 1. Anything else is brewnet's own bug: one line saying so, exit code 2,
// no stack trace unless BREWNET_DEBUG is set.
import { DiagnosticError, formatDiagnostic, limitDiagnostics, warning, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { Net } from '../ir/net.js';
import { styleFor } from './style.js';

let jsonLines = false;

/** With --json, diagnostics go to stderr as one JSON object per line (see diagnosticJSON). */
export function useJsonDiagnostics(on: boolean): void {
  jsonLines = on;
}

export function jsonDiagnostics(): boolean {
  return jsonLines;
}

/** One diagnostic as a JSON line's object: every key present, null where there is nothing to say. */
export function diagnosticJSON(d: Diagnostic): {
  severity: string;
  message: string;
  file: string | null;
  line: number | null;
  column: number | null;
  hint: string | null;
} {
  return {
    severity: d.severity,
    message: d.message,
    file: d.location?.file ?? null,
    line: d.location?.line ?? null,
    column: d.location?.column ?? null,
    hint: d.hint ?? null,
  };
}

export function printDiagnostics(diagnostics: readonly Diagnostic[]): void {
  if (jsonLines) {
    for (const d of diagnostics) process.stderr.write(JSON.stringify(diagnosticJSON(d)) + '\n');
    return;
  }
  const style = styleFor(process.stderr);
  for (const d of limitDiagnostics(diagnostics)) {
    const text = formatDiagnostic(d);
    const coloured = text
      .replace(/^(.*?)(error|warning|note):/, (_, where: string, sev: string) => {
        const paint = sev === 'error' ? style.red : sev === 'warning' ? style.yellow : style.cyan;
        return `${style.bold(where)}${paint(style.bold(sev + ':'))}`;
      })
      .replace(/\n  hint:/, `\n  ${style.cyan('hint:')}`);
    process.stderr.write(coloured + '\n');
  }
}

/** An empty file is a legal empty net (as protobuf and Caffe read it), but rarely what the user meant. */
export function warnIfEmpty(net: Net, file: string): void {
  // What --allow-unknown left out is said first.
  if (net.notes.length) printDiagnostics(net.notes);
  if (net.layers.length === 0) {
    printDiagnostics([
      warning(
        'the net has no layers',
        { file, line: 1, column: 1 },
        'an empty file (or one with only comments) is a legal, empty NetParameter',
      ),
    ]);
  }
}

export async function runReportingErrors(action: () => void | Promise<void>): Promise<void> {
  try {
    await action();
  } catch (e) {
    if (e instanceof DiagnosticError) {
      printDiagnostics(e.diagnostics);
      process.exitCode = 1;
      return;
    }
    const message = e instanceof Error ? e.message : String(e);
    if (jsonLines) {
      const d = {
        severity: 'error' as const,
        message: `internal error: ${message}`,
        hint: 'this is a bug in brewnet; please report it with the input that caused it',
      };
      process.stderr.write(JSON.stringify(diagnosticJSON(d)) + '\n');
    } else
      process.stderr.write(
        `brewnet: internal error: ${message}\n  this is a bug in brewnet; please report it with the input that caused it\n`,
      );
    if (process.env.BREWNET_DEBUG && e instanceof Error) process.stderr.write(`${e.stack}\n`);
    process.exitCode = 2;
  }
}
