// Every command ends here on failure: diagnostics go to stderr as `file:line:col: error: …`, exit code 1.
// Anything else is brewnet's own bug: one line saying so, no stack trace unless BREWNET_DEBUG is set.
import { DiagnosticError, formatDiagnostic, warning, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { Net } from '../ir/net.js';
import { styleFor } from './style.js';

export function printDiagnostics(diagnostics: readonly Diagnostic[]): void {
  const style = styleFor(process.stderr);
  for (const d of diagnostics) {
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
    printDiagnostics([warning('the net has no layers', { file, line: 1, column: 1 }, 'an empty file (or one with only comments) is a legal, empty NetParameter')]);
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
    process.stderr.write(`brewnet: internal error: ${message}\n  this is a bug in brewnet; please report it with the input that caused it\n`);
    if (process.env.BREWNET_DEBUG && e instanceof Error) process.stderr.write(`${e.stack}\n`);
    process.exitCode = 2;
  }
}
