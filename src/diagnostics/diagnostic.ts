// A diagnostic is the one shape every user-caused error takes: where, what, and (optionally) how to fix it.
// Printed as `file:line:col: error: cause` with an optional indented hint line, like a compiler.

export interface SourceLocation {
  file: string;
  /** 1-based line. */
  line: number;
  /** 1-based column. */
  column: number;
  /** 0-based character offset into the source text, when known (used by source-preserving rewrites). */
  offset?: number;
}

export type Severity = 'error' | 'warning' | 'note';

export interface Diagnostic {
  severity: Severity;
  message: string;
  location?: SourceLocation;
  hint?: string;
}

export function formatLocation(loc: SourceLocation): string {
  return `${loc.file}:${loc.line}:${loc.column}`;
}

export function formatDiagnostic(d: Diagnostic): string {
  const where = d.location ? `${formatLocation(d.location)}: ` : '';
  const hint = d.hint ? `\n  hint: ${d.hint}` : '';
  return `${where}${d.severity}: ${d.message}${hint}`;
}

/** Thrown when a phase cannot go on; carries every error found so far, not only the first. */
export class DiagnosticError extends Error {
  readonly diagnostics: Diagnostic[];
  constructor(diagnostics: Diagnostic[]) {
    super(diagnostics.map(formatDiagnostic).join('\n'));
    this.name = 'DiagnosticError';
    this.diagnostics = diagnostics;
  }
}

export function error(message: string, location?: SourceLocation, hint?: string): Diagnostic {
  return { severity: 'error', message, location, hint };
}

export function warning(message: string, location?: SourceLocation, hint?: string): Diagnostic {
  return { severity: 'warning', message, location, hint };
}

/** Throws a single located error. */
export function fail(message: string, location?: SourceLocation, hint?: string): never {
  throw new DiagnosticError([error(message, location, hint)]);
}
