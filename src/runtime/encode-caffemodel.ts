// A minimal .caffemodel writer: NetParameter { name, layer { name, type, blobs { shape { dim }, data } } }
// with packed floats, what Caffe itself writes. `brewnet compile --seed` stores the filled parameters with it
// so a compiled module loads them the same way as trained weights. The encoding is a list of chunks that
// reference the parameter arrays themselves where the host is little-endian (as the wire format is): a
// VGG-19's 575 MB are written to the file without being copied into one buffer first.
import type { ExecutionPlan } from './execution-plan.js';
import type { ParamMap } from './plan-params.js';

class Writer {
  private chunks: Uint8Array[] = [];
  private size = 0;

  varint(v: number): this {
    const bytes: number[] = [];
    while (v >= 0x80) {
      bytes.push((v % 0x80) | 0x80);
      v = Math.floor(v / 0x80);
    }
    bytes.push(v);
    return this.raw(Uint8Array.from(bytes));
  }

  raw(b: Uint8Array): this {
    this.chunks.push(b);
    this.size += b.length;
    return this;
  }

  /** A length-delimited field (wire type 2). */
  bytes(field: number, b: Uint8Array): this {
    return this.varint((field << 3) | 2)
      .varint(b.length)
      .raw(b);
  }

  /** A nested message (wire type 2), its chunks taken over rather than copied. */
  message(field: number, m: Writer): this {
    this.varint((field << 3) | 2).varint(m.size);
    for (const c of m.chunks) this.raw(c);
    return this;
  }

  parts(): Uint8Array[] {
    return this.chunks;
  }

  string(field: number, s: string): this {
    return this.bytes(field, new TextEncoder().encode(s));
  }
}

// Field numbers from proto/caffe.proto: NetParameter.name 1, .layer 100; LayerParameter.name 1, .type 2,
// .blobs 7; BlobProto.data 5 (packed), .shape 7; BlobShape.dim 1 (packed int64).
const littleEndian = new Uint8Array(Float32Array.of(1).buffer)[3] === 0x3f;

/** The floats as little-endian bytes: a view of the array itself on a little-endian host. */
function floatBytes(data: Float32Array): Uint8Array {
  if (littleEndian) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  const values = new Uint8Array(data.length * 4);
  const view = new DataView(values.buffer);
  for (let i = 0; i < data.length; i++) view.setFloat32(i * 4, data[i], true);
  return values;
}

function blob(shape: number[], data: Float32Array): Writer {
  const dims = new Writer();
  for (const d of shape) dims.varint(d);
  return new Writer().message(7, new Writer().message(1, dims)).bytes(5, floatBytes(data));
}

/** The file as chunks to write one after another (see writeOutputFile); they may share the parameters' memory. */
export function encodeCaffemodelChunks(plan: ExecutionPlan, params: ParamMap): Uint8Array[] {
  const net = new Writer();
  if (plan.netName !== null) net.string(1, plan.netName);
  for (const layer of plan.layers) {
    const blobs = params.get(layer.name);
    if (layer.params.length === 0 || !blobs) continue;
    const l = new Writer().string(1, layer.name).string(2, layer.type);
    layer.params.forEach((shape, i) => l.message(7, blob(shape, blobs[i])));
    net.message(100, l);
  }
  return net.parts();
}

/** The whole file in one buffer (tests and the bench, for small nets). */
export function encodeCaffemodel(plan: ExecutionPlan, params: ParamMap): Uint8Array {
  const chunks = encodeCaffemodelChunks(plan, params);
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}
