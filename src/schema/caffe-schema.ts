// The Caffe schema as protobufjs reflection, built once from proto/caffe.proto baked in at build time
// (caffe-proto.generated.ts, written by tools/generate-caffe-schema.mjs). Every typed value in brewnet is
// checked against this reflection: the .proto file is the single source of field names, numbers and types,
// and no file is read at run time, so the same code runs in a web page.
import protobuf from 'protobufjs';
import { CAFFE_PROTO_JSON } from './caffe-proto.generated.js';

let root: protobuf.Root | undefined;

export function caffeRoot(): protobuf.Root {
  if (!root) {
    // Field names stay snake_case, as the .proto declares them (the generator parsed it with keepCase).
    root = protobuf.Root.fromJSON(CAFFE_PROTO_JSON as protobuf.INamespace);
    root.resolveAll();
  }
  return root;
}

export function messageType(name: string): protobuf.Type {
  return caffeRoot().lookupType(name.startsWith('caffe.') ? name : `caffe.${name}`);
}

/** Fields of a message sorted by field number: the order protobuf's printers use. */
const byNumber = new WeakMap<protobuf.Type, protobuf.Field[]>();
export function fieldsInNumberOrder(type: protobuf.Type): protobuf.Field[] {
  let fields = byNumber.get(type);
  if (!fields) {
    fields = [...type.fieldsArray].sort((a, b) => a.id - b.id);
    byNumber.set(type, fields);
  }
  return fields;
}

export const INTEGER_RANGES: Record<string, [bigint, bigint]> = {
  int32: [-(2n ** 31n), 2n ** 31n - 1n],
  sint32: [-(2n ** 31n), 2n ** 31n - 1n],
  sfixed32: [-(2n ** 31n), 2n ** 31n - 1n],
  uint32: [0n, 2n ** 32n - 1n],
  fixed32: [0n, 2n ** 32n - 1n],
  int64: [-(2n ** 63n), 2n ** 63n - 1n],
  sint64: [-(2n ** 63n), 2n ** 63n - 1n],
  sfixed64: [-(2n ** 63n), 2n ** 63n - 1n],
  uint64: [0n, 2n ** 64n - 1n],
  fixed64: [0n, 2n ** 64n - 1n],
};

export const FLOAT_TYPES = new Set(['float', 'double']);
