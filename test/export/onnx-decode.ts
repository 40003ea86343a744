// Decodes ONNX model bytes with brewnet's own schema (proto/onnx.proto), for the checker rules in tests.
import type { ModelLike } from '../../src/export/onnx/check-model.js';
import { onnxSchema } from '../../src/export/onnx/write-model.js';

export function decodeModel(bytes: Uint8Array): ModelLike {
  const Model = onnxSchema().lookupType('onnx.ModelProto');
  return Model.toObject(Model.decode(bytes), { longs: Number, defaults: false }) as ModelLike;
}
