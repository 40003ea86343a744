// Every command ends here on failure: diagnostics go to stderr as `file:line:col: error: …`, exit code 1.
// Anything else is brewnet's own bug: one line saying so, no stack trace unless BREWNET_DEBUG is set.
import { DiagnosticError, formatDiagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
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
