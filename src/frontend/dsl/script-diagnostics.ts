// A script's errors as brewnet diagnostics: `net.py:12:5: error: NameError: name 'x' is not defined`.
// Syntax errors from the parser and run-time errors from the interpreter meet here.
import { PythonSyntaxError } from '../../../grammar/python-parser.js';
import { DiagnosticError, error } from '../../diagnostics/diagnostic.js';
import { PyError } from './errors.js';

export function scriptDiagnostic(e: unknown, file: string): DiagnosticError | undefined {
  if (e instanceof PythonSyntaxError) {
    return new DiagnosticError([error(`${e.kind}: ${e.message}`, { file, line: e.line, column: e.column })]);
  }
  if (e instanceof PyError) {
    const location = e.pos ? { file, line: e.pos.line, column: e.pos.column, offset: e.pos.offset } : undefined;
    return new DiagnosticError([error(e.pyMessage ? `${e.pyType}: ${e.pyMessage}` : e.pyType, location, e.hint)]);
  }
  return undefined;
}
