// Small helpers for tests that write nets as prototxt text: an Input layer line, and the first diagnostic
// loading a net gives, as `line:column: message`.
import { DiagnosticError, loadNet } from '../../src/index.js';

/** An Input layer named (and writing) `name` with the given dims. */
export const inputLayer = (name: string, dims: number[]): string =>
  `layer { name: "${name}" type: "Input" top: "${name}" input_param { shape { ${dims.map((d) => `dim: ${d}`).join(' ')} } } }`;

/** The first diagnostic loading `text` gives, as `line:column: message` (throws if it loads). */
export function firstDiagnostic(text: string, options: Parameters<typeof loadNet>[1] = { file: 'net.prototxt' }): string {
  try {
    loadNet(text, options);
  } catch (e) {
    if (!(e instanceof DiagnosticError)) throw e;
    const d = e.diagnostics[0];
    return `${d.location?.line}:${d.location?.column}: ${d.message}`;
  }
  throw new Error('expected the net to fail');
}
