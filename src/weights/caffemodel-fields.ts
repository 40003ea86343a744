// The field numbers the weights reader walks, taken from proto/caffe.proto by reflection so the .proto stays
// the single source (a fork's renumbered schema would change them in one place).
import { messageType } from '../schema/caffe-schema.js';

export interface CaffemodelFields {
  net: { layer: number; layers: number };
  layer: { name: number; type: number; blobs: number };
  v1: { v0: number; name: number; type: number; blobs: number };
  v0: { name: number; type: number; blobs: number };
  blob: {
    num: number;
    channels: number;
    height: number;
    width: number;
    data: number;
    diff: number;
    shape: number;
    double_data: number;
    double_diff: number;
  };
  shape: { dim: number };
  /** V1LayerParameter.LayerType value → name (CONVOLUTION, …). */
  v1TypeNames: Record<number, string>;
}

let fields: CaffemodelFields | undefined;

function ids<K extends string>(type: string, names: Record<K, string>): Record<K, number> {
  const t = messageType(type);
  const out = {} as Record<K, number>;
  for (const key of Object.keys(names) as K[]) {
    const field = t.fields[names[key]];
    if (!field) throw new Error(`proto/caffe.proto: ${type} has no field ${names[key]}`);
    out[key] = field.id;
  }
  return out;
}

export function caffemodelFields(): CaffemodelFields {
  if (!fields) {
    const typeField = messageType('V1LayerParameter').fields.type;
    typeField.resolve();
    const v1Types = (typeField.resolvedType as unknown as { valuesById: Record<number, string> }).valuesById;
    const blobNames = ['num', 'channels', 'height', 'width', 'data', 'diff', 'shape', 'double_data', 'double_diff'] as const;
    fields = {
      net: ids('NetParameter', { layer: 'layer', layers: 'layers' }),
      layer: ids('LayerParameter', { name: 'name', type: 'type', blobs: 'blobs' }),
      v1: ids('V1LayerParameter', { v0: 'layer', name: 'name', type: 'type', blobs: 'blobs' }),
      v0: ids('V0LayerParameter', { name: 'name', type: 'type', blobs: 'blobs' }),
      blob: ids('BlobProto', Object.fromEntries(blobNames.map((n) => [n, n])) as Record<(typeof blobNames)[number], string>),
      shape: ids('BlobShape', { dim: 'dim' }),
      v1TypeNames: { ...v1Types },
    };
  }
  return fields;
}
