// Prototxt text → typed caffe.NetParameter (as written, before upgrades).
import { DiagnosticError, type Diagnostic } from '../../diagnostics/diagnostic.js';
import { messageType } from '../../schema/caffe-schema.js';
import type { Msg } from '../../schema/message.js';
import { parseText } from './parse-text.js';
import { typeDocument } from './typecheck.js';

export function parseTextMessage(text: string, file: string, typeName: string): Msg {
  const doc = parseText(text, file);
  const diagnostics: Diagnostic[] = [];
  const msg = typeDocument(messageType(typeName), doc, diagnostics);
  if (diagnostics.length > 0) throw new DiagnosticError(diagnostics);
  return msg;
}

export function readNetParameter(text: string, file: string): Msg {
  return parseTextMessage(text, file, 'NetParameter');
}
