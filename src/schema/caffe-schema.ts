// The Caffe schema, loaded once from proto/caffe.proto with protobufjs. Every typed value in brewnet is
// checked against this reflection: the .proto file is the single source of field names, numbers and types.
import protobuf from 'protobufjs';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from './package-root.js';

let root: protobuf.Root | undefined;

export function caffeRoot(): protobuf.Root {
  if (!root) {
    // keepCase: prototxt spells fields in snake_case, exactly as the .proto declares them.
    const source = readFileSync(join(packageRoot(), 'proto', 'caffe.proto'), 'utf8');
    root = protobuf.parse(source, { keepCase: true }).root;
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
