// Prototxt text → typed caffe.NetParameter (as written, before upgrades), in BVLC's dialect or a fork's:
// given, or inferred when BVLC's schema does not know a field the file uses (infer-dialect.ts).
// Two readers, one job each: the fast typed reader takes a well-formed, well-typed file in one pass; where
// it stops, the chevrotain parser and the checker take over and produce every diagnostic.
import type protobuf from 'protobufjs';
import { DiagnosticError, fail, type Diagnostic } from '../../diagnostics/diagnostic.js';
import { messageType, setActiveDialect } from '../../schema/caffe-schema.js';
import { DIALECT_NAMES } from '../../schema/dialects.js';
import { metaOf, type Msg } from '../../schema/message.js';
import { inferDialect } from './infer-dialect.js';
import { fastReadMessage, skipGivenUpField, type FastRead } from './fast-typed-reader.js';
import { lexerErrorsAhead, looksBinary, parseText, parseTopField, syntaxErrorFrom } from './parse-text.js';
import { MessageTyper } from './typecheck.js';
import type { NetParameter } from '../../schema/caffe-messages.generated.js';

export function parseTextMessage(text: string, file: string, typeName: string): Msg {
  const type = messageType(typeName);
  // A binary file: the full parser says so.
  if (looksBinary(text)) parseText(text, file);
  // A well-formed, well-typed file: one pass straight into typed messages.
  const read = fastReadMessage(text, file, type);
  return read.msg ?? readSlowly(text, file, type, read);
}

/**
 * Errors and rare spellings, at or after the top-level field where the fast reader stopped (a big file
 * is not read twice). First field by field (readByFields); from the field where that stops, the full parser
 * reads the rest and the checker types its fields onto those read before, as if it had read the whole text.
 */
function readSlowly(text: string, file: string, type: protobuf.Type, first: FastRead & { msg?: undefined }): Msg {
  const diagnostics: Diagnostic[] = [];
  const typer = new MessageTyper(type, { file, line: 1, column: 1, offset: 0 }, diagnostics, first.partial);
  const finish = (): Msg => {
    const msg = typer.finish();
    if (diagnostics.length > 0) throw new DiagnosticError(diagnostics);
    return msg;
  };
  let read = first;
  let fieldsBefore = first.fieldsBefore;
  if (first.partial && first.resume) {
    const stop = readByFields(file, typer, first);
    if (stop.read.msg) return finish();
    read = stop.read;
    fieldsBefore ||= stop.typed;
    // Where the reader gave up from deep nesting, it may have been anywhere: the whole text, from scratch.
    if (!read.partial) return readSlowly(text, file, type, read);
    // A field that does not parse alone: a syntax error there or after, which the whole reading reports alone.
    if (stop.syntax) {
      const e = syntaxErrorFrom(text, file, read.resumeAt, !fieldsBefore);
      if (e) throw e;
    }
  }
  // The fields before `read.resumeAt` all parsed (alone, or by the fast reader): the whole reading's first
  // syntax error, if any, is at or after it, and its type errors before it are in `diagnostics` already.
  const lexerErrors = lexerErrorsAhead(text, file, read.resumeAt);
  if (lexerErrors) throw lexerErrors;
  for (const field of parseText(text, file, read.resumeAt, fieldsBefore).fields) typer.add(field);
  return finish();
}

/** Top-level fields the checker types one at a time before the full parser takes the whole rest. */
const MAX_FIELDS_ALONE = 1000;

/**
 * A mistake in one layer of a 100,000-line file should not send the rest through the full parser: the
 * checker (`typer`) types the field the fast reader stopped at, parsed alone, and the fast reader goes on
 * after it, as often as needed, so type errors come in the whole reading's order. It stops where the fast
 * reader took the rest (`read.msg`), at a field that does not parse alone (`syntax`: a syntax error there
 * or after it), or past MAX_FIELDS_ALONE fields; `typed`: whether it typed any.
 */
function readByFields(
  file: string,
  typer: MessageTyper,
  first: FastRead & { msg?: undefined },
): { read: FastRead; syntax?: boolean; typed: boolean } {
  let read: FastRead = first;
  let typed = false;
  for (let n = 0; read.msg === undefined; n++) {
    if (n === MAX_FIELDS_ALONE || !read.resume) return { read, typed };
    const skipped = skipGivenUpField(read);
    const fields = skipped && parseTopField(read.resume.text, file, read.resumeAt, skipped.end);
    if (!skipped || !fields) return { read, syntax: true, typed };
    for (const field of fields) typer.add(field);
    typed = true;
    read = skipped.readOn();
  }
  return { read, typed };
}

/** `dialect`: 'bvlc', a fork's name, or 'auto' (default): BVLC's, or the fork whose fields the file uses. */
export function readNetParameter(text: string, file: string, dialect = 'auto'): NetParameter {
  if (dialect !== 'auto') {
    if (!(DIALECT_NAMES as readonly string[]).includes(dialect))
      fail(`unknown dialect "${dialect}"`, undefined, `the dialects: auto, ${DIALECT_NAMES.join(', ')}`);
    setActiveDialect(dialect);
    return parseTextMessage(text, file, 'NetParameter');
  }
  setActiveDialect('bvlc');
  if (looksBinary(text)) parseText(text, file);
  const bvlcType = messageType('NetParameter');
  const bvlc = fastReadMessage(text, file, bvlcType);
  if (bvlc.msg && !hasDeferred(bvlc.msg)) return bvlc.msg;
  // BVLC's schema lacks a field the file uses: read it in the fork's dialect that has the most of them.
  const fork = inferDialect(text);
  let forked: { type: protobuf.Type; read: FastRead & { msg?: undefined } } | undefined;
  if (fork !== undefined) {
    // Where the fork's fast reader takes the whole text, BVLC's stopped for a field it lacks, not for the
    // syntax, so BVLC's slow path could only fail or defer: the fork's reading is the answer.
    setActiveDialect(fork);
    const type = messageType('NetParameter');
    const read = fastReadMessage(text, file, type);
    if (read.msg) return read.msg;
    forked = { type, read };
    setActiveDialect('bvlc');
  }
  let failure: NetParameter | DiagnosticError;
  try {
    const msg = bvlc.msg ?? readSlowly(text, file, bvlcType, bvlc);
    if (!hasDeferred(msg)) return msg;
    failure = msg;
  } catch (e) {
    if (!(e instanceof DiagnosticError)) throw e;
    failure = e;
  }
  if (fork === undefined || forked === undefined) {
    if (failure instanceof DiagnosticError) throw failure;
    return failure;
  }
  setActiveDialect(fork);
  return readSlowly(text, file, forked.type, forked.read);
}

/** Whether a layer carries an unknown `*_param` (kept to report only if its type is supported). */
function hasDeferred(net: NetParameter): boolean {
  for (const layers of [net.layer, net.layers]) for (const layer of layers ?? []) if (metaOf(layer)?.deferred?.length) return true;
  return false;
}
