// Prototxt text → typed caffe.NetParameter (as written, before upgrades), in BVLC's dialect or a fork's:
// given, or inferred when BVLC's schema does not know a field the file uses (infer-dialect.ts).
import { DiagnosticError, fail, type Diagnostic } from '../../diagnostics/diagnostic.js';
import { messageType, setActiveDialect } from '../../schema/caffe-schema.js';
import { DIALECT_NAMES } from '../../schema/dialects.js';
import { metaOf, type Msg } from '../../schema/message.js';
import { inferDialect } from './infer-dialect.js';
import { fastReadMessage } from './fast-typed-reader.js';
import { looksBinary, parseTextFull, streamTopLevelFields } from './parse-text.js';
import { MessageTyper, typeDocument } from './typecheck.js';

export function parseTextMessage(text: string, file: string, typeName: string): Msg {
  const type = messageType(typeName);
  // A well-formed, well-typed file: one pass straight into typed messages.
  if (!looksBinary(text)) {
    const msg = fastReadMessage(text, file, type);
    if (msg) return msg;
  }
  // Each top-level field (a layer) is typed as soon as it is parsed, so its syntax tree dies young.
  const streamed: Diagnostic[] = [];
  const typer = new MessageTyper(type, { file, line: 1, column: 1, offset: 0 }, streamed);
  if (streamTopLevelFields(text, file, (field) => typer.add(field))) {
    const msg = typer.finish();
    if (streamed.length > 0) throw new DiagnosticError(streamed);
    return msg;
  }
  // Errors and rare spellings: the full parser, then the checker on the whole tree.
  const doc = parseTextFull(text, file);
  const diagnostics: Diagnostic[] = [];
  const msg = typeDocument(type, doc, diagnostics);
  if (diagnostics.length > 0) throw new DiagnosticError(diagnostics);
  return msg;
}

/** `dialect`: 'bvlc', a fork's name, or 'auto' (default): BVLC's, or the fork whose fields the file uses. */
export function readNetParameter(text: string, file: string, dialect = 'auto'): Msg {
  if (dialect !== 'auto') {
    if (!(DIALECT_NAMES as readonly string[]).includes(dialect))
      fail(`unknown dialect "${dialect}"`, undefined, `the dialects: auto, ${DIALECT_NAMES.join(', ')}`);
    setActiveDialect(dialect);
    return parseTextMessage(text, file, 'NetParameter');
  }
  setActiveDialect('bvlc');
  let failure: unknown;
  try {
    const msg = parseTextMessage(text, file, 'NetParameter');
    if (!hasDeferred(msg)) return msg;
    failure = msg;
  } catch (e) {
    if (!(e instanceof DiagnosticError)) throw e;
    failure = e;
  }
  // BVLC's schema lacks a field the file uses: read it in the fork's dialect that has the most of them.
  const fork = inferDialect(text);
  if (fork === undefined) {
    if (failure instanceof DiagnosticError) throw failure;
    return failure as Msg;
  }
  setActiveDialect(fork);
  return parseTextMessage(text, file, 'NetParameter');
}

/** Whether a layer carries an unknown `*_param` (kept to report only if its type is supported). */
function hasDeferred(net: Msg): boolean {
  for (const key of ['layer', 'layers']) {
    for (const layer of (net[key] as Msg[] | undefined) ?? []) if (metaOf(layer)?.deferred?.length) return true;
  }
  return false;
}
