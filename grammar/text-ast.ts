// The untyped syntax tree of a text-format message: field names and literal values, each with its location.
// The checker (typecheck.ts) gives it meaning against the schema.
import type { SourceLocation } from '../src/diagnostics/diagnostic.js';

export type ScalarKind = 'number' | 'identifier' | 'string';

export interface TextScalar {
  kind: 'scalar';
  scalar: ScalarKind;
  /** Number or identifier spelling as written; for strings, the decoded text (escapes applied, pieces joined). */
  text: string;
  /** A leading '-' was written. */
  negative: boolean;
  /** For strings: the escaped bytes of all pieces together are not UTF-8 (`text` has U+FFFD for them). */
  invalidUtf8?: boolean;
  loc: SourceLocation;
}

export interface TextMessage {
  kind: 'message';
  fields: TextField[];
  /** Location of the opening delimiter (or of the file start for the top level). */
  loc: SourceLocation;
  /** Location of the closing delimiter; for the top level, the end of the file. */
  end: SourceLocation;
}

export type TextValue = TextScalar | TextMessage;

export interface TextField {
  name: string;
  loc: SourceLocation;
  /** Written as `name: [a, b]`. */
  list: boolean;
  /** Where the `[` is, when a list was written without a colon (`layer [{…}]`: allowed for messages only). */
  listWithoutColon?: SourceLocation;
  values: TextValue[];
}
