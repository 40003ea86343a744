// One BlobProto from a weights file: its shape (the `shape` message, or the legacy num/channels/height/width
// of V1-era files) and its values. `diff` and `double_diff` (gradients) are skipped unread. Like Caffe's
// Blob::FromProto, `data` is used when it holds values, `double_data` otherwise (rounded to float32).
import { caffemodelFields } from './caffemodel-fields.js';
import { FloatCollector } from './float-data.js';
import { WireType, type WireReader } from './wire-reader.js';

export interface WeightBlob {
  /** BlobShape.dim, when the blob has a `shape` message (or neither shape nor legacy dims: then []). */
  shape: number[];
  /** num, channels, height, width when any of them is present: Caffe then compares these, from the end. */
  legacy?: [number, number, number, number];
  /** The values; empty when the caller asked not to keep them (`count` still says how many there were). */
  data: Float32Array;
  count: number;
}

/** What the reader is inside, for error messages; `field` is updated as fields are read. */
export interface ReadingAt {
  field?: string;
}

function expectWire(r: WireReader, name: string, ...allowed: number[]): void {
  if (!allowed.includes(r.wireType)) {
    throw r.corrupt(r.tagAt, `field ${name} (${r.field}) has wire type ${r.wireType}, which that field cannot have`);
  }
}

/** BlobShape: `dim` packed (as Caffe writes it) or one varint per dim. */
function readShape(r: WireReader, end: number, dims: number[]): void {
  const f = caffemodelFields().shape;
  while (r.pos < end) {
    r.tag();
    if (r.field !== f.dim) {
      r.skipField(end);
      continue;
    }
    expectWire(r, 'dim', WireType.VARINT, WireType.LEN);
    if (r.wireType === WireType.VARINT) {
      r.varintParts();
      dims.push(r.int64);
      continue;
    }
    const runEnd = r.payloadEnd(end);
    while (r.pos < runEnd) {
      r.varintParts();
      dims.push(r.int64);
    }
    if (r.pos > runEnd) throw r.corrupt(runEnd, 'a packed dim runs past the end of its field');
  }
  if (r.pos > end) throw r.corrupt(end, 'a field runs past the end of its shape');
}

/** Reads a BlobProto occupying [r.pos, end); `keep` false counts the values without reading them. */
export function decodeBlob(r: WireReader, end: number, keep: boolean, at: ReadingAt): WeightBlob {
  const f = caffemodelFields().blob;
  const legacy: [number, number, number, number] = [0, 0, 0, 0];
  let hasLegacy = false;
  let dims: number[] | undefined;
  const floats = new FloatCollector(keep);
  const doubles = new FloatCollector(keep);
  const legacyIndex = [f.num, f.channels, f.height, f.width];
  while (r.pos < end) {
    at.field = undefined;
    r.tag();
    const field = r.field;
    const li = legacyIndex.indexOf(field);
    if (li >= 0) {
      at.field = ['num', 'channels', 'height', 'width'][li];
      expectWire(r, at.field, WireType.VARINT);
      r.varintParts();
      legacy[li] = r.int32;
      hasLegacy = true;
    } else if (field === f.data || field === f.double_data) {
      const isFloat = field === f.data;
      const width = isFloat ? 4 : 8;
      at.field = isFloat ? 'data' : 'double_data';
      expectWire(r, at.field, WireType.LEN, isFloat ? WireType.I32 : WireType.I64);
      const into = isFloat ? floats : doubles;
      if (r.wireType === WireType.LEN) {
        const lengthAt = r.pos;
        const bytes = r.length(end);
        if (bytes % width !== 0)
          throw r.corrupt(lengthAt, `packed ${at.field} of ${bytes} bytes is not a whole number of ${width}-byte values`);
        if (isFloat) into.packedFloats(r, bytes);
        else into.packedDoubles(r, bytes);
      } else if (!keep) {
        into.value(0);
        r.skip(width);
      } else {
        into.value(isFloat ? r.float32() : r.float64());
      }
    } else if (field === f.shape) {
      at.field = 'shape';
      expectWire(r, 'shape', WireType.LEN);
      const shapeEnd = r.payloadEnd(end);
      dims = [];
      readShape(r, shapeEnd, dims);
    } else {
      r.skipField(end);
    }
  }
  at.field = undefined;
  if (r.pos > end) throw r.corrupt(end, 'a field runs past the end of its blob');
  const values = floats.count > 0 ? floats : doubles;
  const blob: WeightBlob = { shape: dims ?? [], data: values.finish(), count: values.count };
  if (hasLegacy) blob.legacy = legacy;
  return blob;
}
