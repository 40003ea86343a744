// A failure with thousands of errors shows the first 50 and one note counting the rest, however many
// times the list is cut on its way out (a DiagnosticError cuts it; the CLI's reporter cuts it again).
import { describe, expect, it } from 'vitest';
import { DiagnosticError, error, limitDiagnostics } from '../../src/diagnostics/diagnostic.js';

const many = (n: number) =>
  Array.from({ length: n }, (_, i) => error(`input "d${i}" is not given`, { file: 'n.prototxt', line: i + 2, column: 1 }));

describe('limitDiagnostics', () => {
  it('keeps 50 and counts the rest in a note', () => {
    const out = limitDiagnostics(many(5000));
    expect(out).toHaveLength(51);
    expect(out[49].message).toBe('input "d49" is not given');
    expect(out[50]).toMatchObject({ severity: 'note', message: '4,950 more diagnostic(s) not shown (4,950 error(s))' });
  });

  it('cutting a cut list again keeps the count', () => {
    const once = new DiagnosticError(many(5000)).diagnostics;
    const twice = limitDiagnostics(once);
    expect(twice).toHaveLength(51);
    expect(twice[50].message).toBe('4,950 more diagnostic(s) not shown (4,950 error(s))');
    // Two cut lists joined: both notes' counts, and the shown ones beyond 50, in one note.
    const joined = limitDiagnostics([...once, ...once]);
    expect(joined).toHaveLength(51);
    expect(joined[50].message).toBe('9,950 more diagnostic(s) not shown (9,950 error(s))');
  });

  it('leaves a short list alone', () => {
    expect(limitDiagnostics(many(3))).toHaveLength(3);
  });
});
