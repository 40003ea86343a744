// A prototxt as comparable data: its protobuf JSON, with each param_str (Python's str(dict), whose key
// order depends on the Python version that wrote it) replaced by the literal it spells.
import { readNetParameter } from '../../src/frontend/prototxt/read-net-parameter.js';
import { toProtoJSON, type JsonValue } from '../../src/printer/json-printer.js';
import { literalEval } from './literal-eval.js';

export function comparable(text: string, file: string): JsonValue {
  const json = toProtoJSON(readNetParameter(text, file));
  return JSON.parse(JSON.stringify(json, (key, value) => (key === 'param_str' ? { literal: literalEval(value as string) } : value)));
}
