// Errors a script raises, in Python's words: `NameError: name 'x' is not defined`. Each carries the
// position where it was raised; the interpreter fills it in for errors thrown by native code. Limit and
// sandbox errors cannot be caught by the script's own try/except: they end the run.
import type { Pos } from '../../../grammar/python-ast.js';
import type { PyValue } from './values.js';

export class PyError extends Error {
  pos?: Pos;
  /** The exception object, when the script raised or caught one. */
  value?: PyValue;
  constructor(
    readonly pyType: string,
    readonly pyMessage: string,
    pos?: Pos,
    readonly hint?: string,
    /** False for limits and sandbox refusals: `except` does not see them. */
    readonly catchable = true,
  ) {
    super(pyMessage ? `${pyType}: ${pyMessage}` : pyType);
    this.pos = pos;
  }
}

export function pyError(type: string, message: string, hint?: string): PyError {
  return new PyError(type, message, undefined, hint);
}

export const typeError = (message: string, hint?: string) => new PyError('TypeError', message, undefined, hint);
export const valueError = (message: string, hint?: string) => new PyError('ValueError', message, undefined, hint);
export const attributeError = (message: string, hint?: string) => new PyError('AttributeError', message, undefined, hint);
export const keyError = (message: string, hint?: string) => new PyError('KeyError', message, undefined, hint);
export const indexError = (message: string) => new PyError('IndexError', message);

/** A resource limit: ends the script, whatever its try/except says. */
export function limitError(type: 'TimeoutError' | 'RecursionError' | 'MemoryError', message: string, hint: string): PyError {
  return new PyError(type, message, undefined, hint, false);
}

/** Something the sandbox never allows (code from strings, reading files): ends the script. */
export function sandboxError(message: string, hint?: string): PyError {
  return new PyError('SandboxError', message, undefined, hint, false);
}

/** Control flow of `return`/`break`/`continue` travels as values, not exceptions; only `raise` throws. */
export enum Flow {
  Normal,
  Break,
  Continue,
  Return,
}
