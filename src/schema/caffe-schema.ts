// The Caffe schema as protobufjs reflection, built from proto/caffe.proto baked in at build time
// (caffe-proto.generated.ts, written by tools/generate-caffe-schema.mjs), plus (for a fork's dialect) that
// fork's messages (proto/dialects/*.proto, baked as text into dialect-protos.generated.ts by the same tool)
// and fields (src/schema/dialects.ts). Every typed value in brewnet is checked against this reflection: the
// .proto files are the single source of field names, numbers and types, and no file is read at run time, so
// the same code runs in a web page.
// One dialect is active at a time (BVLC's unless a net being read speaks a fork's): loading a net selects
// it, and what reads the net afterwards (printers, analyses) sees the same schema.
import protobuf from 'protobufjs';
import { CAFFE_PROTO_JSON } from './caffe-proto.generated.js';
import { DIALECT_PROTOS } from './dialect-protos.generated.js';
import { dialectByName, type Dialect } from './dialects.js';

const roots = new Map<string, protobuf.Root>();
let active = 'bvlc';

/** A fork's field stored under another number because BVLC's schema uses its own for something else. */
const forkNumbers = new WeakMap<protobuf.Field, number>();

/** What plug-ins add to every dialect: their parameter messages and LayerParameter fields. */
export interface SchemaExtension {
  /** proto2 text declaring messages in package caffe. */
  proto?: string;
  fields: Dialect['fields'];
}
const extensions: SchemaExtension[] = [];

/** Adds a plug-in's messages and fields to every dialect's schema (schemas built before are rebuilt). */
export function extendSchema(extension: SchemaExtension): void {
  // Checked on a scratch root first, so a bad snippet leaves the schema as it was.
  extensions.push(extension);
  try {
    buildRoot(undefined);
  } catch (e) {
    extensions.pop();
    throw e;
  }
  roots.clear();
}

function addFields(root: protobuf.Root, fields: Dialect['fields']): void {
  for (const f of fields) {
    const type = root.lookupType(`caffe.${f.message}`);
    // protobufjs wants unique numbers per message; where BVLC's schema already uses the fork's number
    // (PSPNet's interp_param is 143, BVLC's input_param too), the field is kept under a free number.
    // brewnet never encodes layer parameters, so the number only orders printed fields.
    let id = f.id;
    while (type.fieldsById[id]) id += 1_000_000;
    const field = new protobuf.Field(
      f.name,
      id,
      f.type,
      f.repeated ? 'repeated' : undefined,
      undefined,
      f.default === undefined ? undefined : { default: f.default },
    );
    type.add(field);
    forkNumbers.set(field, f.id);
  }
}

function buildRoot(dialect: Dialect | undefined): protobuf.Root {
  // BVLC's root from the baked JSON; a fork's dialect parses BVLC's text and the fork's file onto it
  // (keepCase: prototxt spells fields in snake_case, exactly as the .proto declares them).
  const root =
    dialect || extensions.length
      ? protobuf.parse(DIALECT_PROTOS['caffe.proto'], { keepCase: true }).root
      : protobuf.Root.fromJSON(CAFFE_PROTO_JSON as protobuf.INamespace);
  if (dialect) {
    if (dialect.proto) protobuf.parse(DIALECT_PROTOS[dialect.proto], root, { keepCase: true });
    for (const r of dialect.removes ?? []) {
      const type = root.lookupType(`caffe.${r.message}`);
      type.remove(type.fields[r.name]);
    }
    addFields(root, dialect.fields);
  }
  for (const e of extensions) {
    if (e.proto) protobuf.parse(e.proto, root, { keepCase: true });
    addFields(root, e.fields);
  }
  root.resolveAll();
  return root;
}

/** The schema of a dialect ('bvlc' or a fork's name, see dialects.ts). */
export function dialectRoot(name: string): protobuf.Root {
  let root = roots.get(name);
  if (!root) {
    const dialect = dialectByName(name);
    if (!dialect && name !== 'bvlc') throw new Error(`internal: no dialect "${name}"`);
    root = buildRoot(dialect);
    roots.set(name, root);
  }
  return root;
}

/** The active dialect's schema. */
export function caffeRoot(): protobuf.Root {
  return dialectRoot(active);
}

export function activeDialect(): string {
  return active;
}

/** Makes `name` the active dialect (loading a net does this); returns the one active before. */
export function setActiveDialect(name: string): string {
  const before = active;
  dialectRoot(name);
  active = name;
  return before;
}

/** The number a fork gives a field (where it differs from the one protobufjs holds), else the field's id. */
export function forkFieldNumber(field: protobuf.Field): number {
  return forkNumbers.get(field) ?? field.id;
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
