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
  /** The closing note of a cut list: how many diagnostics (and errors among them) it stands for. */
  omitted?: { diagnostics: number; errors: number };
}

export function formatLocation(loc: SourceLocation): string {
  return `${loc.file}:${loc.line}:${loc.column}`;
}

export function formatDiagnostic(d: Diagnostic): string {
  const where = d.location ? `${formatLocation(d.location)}: ` : '';
  const hint = d.hint ? `\n  hint: ${d.hint}` : '';
  return `${where}${d.severity}: ${d.message}${hint}`;
}

/** Longest message or hint kept whole; longer ones are user text echoed back (a 10 MB type name). */
const MAX_TEXT = 1000;
/** Most diagnostics kept from one failure; the rest are counted in a closing note. */
const MAX_DIAGNOSTICS = 50;

/** `text` with long quoted runs (user strings) shortened, and cut as a whole past MAX_TEXT characters. */
export function clipText(text: string): string {
  if (text.length <= MAX_TEXT) return text;
  const quoted = text.replace(
    /(["'])([^"'\n]{80,}?)\1/g,
    (_, q: string, inner: string) => `${q}${inner.slice(0, 60)}…${q} (${inner.length.toLocaleString('en-US')} characters)`,
  );
  if (quoted.length <= MAX_TEXT) return quoted;
  return `${quoted.slice(0, MAX_TEXT)}… (${text.length.toLocaleString('en-US')} characters in all)`;
}

/** At most MAX_DIAGNOSTICS diagnostics with clipped texts, and a note counting what was left out. */
export function limitDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  const clip = (d: Diagnostic): Diagnostic =>
    d.message.length <= MAX_TEXT && (d.hint === undefined || d.hint.length <= MAX_TEXT)
      ? d
      : { ...d, message: clipText(d.message), hint: d.hint === undefined ? undefined : clipText(d.hint) };
  // A list cut before (a DiagnosticError's, reported again) is counted with what its note stands for.
  const shown = diagnostics.filter((d) => d.omitted === undefined);
  if (shown.length === diagnostics.length && shown.length <= MAX_DIAGNOSTICS) return diagnostics.map(clip);
  const kept = shown.slice(0, MAX_DIAGNOSTICS).map(clip);
  let count = 0;
  let errors = 0;
  for (const d of shown.slice(MAX_DIAGNOSTICS)) {
    count++;
    if (d.severity === 'error') errors++;
  }
  for (const d of diagnostics) {
    count += d.omitted?.diagnostics ?? 0;
    errors += d.omitted?.errors ?? 0;
  }
  if (count === 0) return kept;
  kept.push({
    severity: 'note',
    message: `${count.toLocaleString('en-US')} more diagnostic(s) not shown (${errors.toLocaleString('en-US')} error(s))`,
    omitted: { diagnostics: count, errors },
  });
  return kept;
}

/** Thrown when a phase cannot go on; carries every error found so far, not only the first. */
export class DiagnosticError extends Error {
  readonly diagnostics: Diagnostic[];
  constructor(diagnostics: Diagnostic[]) {
    const limited = limitDiagnostics(diagnostics);
    super(limited.map(formatDiagnostic).join('\n'));
    this.name = 'DiagnosticError';
    this.diagnostics = limited;
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
