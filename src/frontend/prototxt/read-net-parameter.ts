// Prototxt text → typed caffe.NetParameter (as written, before upgrades).
import { DiagnosticError, type Diagnostic } from '../../diagnostics/diagnostic.js';
import { messageType } from '../../schema/caffe-schema.js';
import type { Msg } from '../../schema/message.js';
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

export function readNetParameter(text: string, file: string): Msg {
  return parseTextMessage(text, file, 'NetParameter');
}
