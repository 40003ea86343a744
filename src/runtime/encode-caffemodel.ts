// A minimal .caffemodel writer: NetParameter { name, layer { name, type, blobs { shape { dim }, data } } }
// with packed floats, what Caffe itself writes. `brewnet compile --seed` stores the filled parameters with it
// so a compiled module loads them the same way as trained weights.
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

  string(field: number, s: string): this {
    return this.bytes(field, new TextEncoder().encode(s));
  }

  finish(): Uint8Array {
    const out = new Uint8Array(this.size);
    let at = 0;
    for (const c of this.chunks) {
      out.set(c, at);
      at += c.length;
    }
    return out;
  }
}

// Field numbers from proto/caffe.proto: NetParameter.name 1, .layer 100; LayerParameter.name 1, .type 2,
// .blobs 7; BlobProto.data 5 (packed), .shape 7; BlobShape.dim 1 (packed int64).
function blob(shape: number[], data: Float32Array): Uint8Array {
  const dims = new Writer();
  for (const d of shape) dims.varint(d);
  const values = new Uint8Array(data.length * 4);
  const view = new DataView(values.buffer);
  for (let i = 0; i < data.length; i++) view.setFloat32(i * 4, data[i], true);
  return new Writer().bytes(7, new Writer().bytes(1, dims.finish()).finish()).bytes(5, values).finish();
}

export function encodeCaffemodel(plan: ExecutionPlan, params: ParamMap): Uint8Array {
  const net = new Writer();
  if (plan.netName !== null) net.string(1, plan.netName);
  for (const layer of plan.layers) {
    const blobs = params.get(layer.name);
    if (layer.params.length === 0 || !blobs) continue;
    const l = new Writer().string(1, layer.name).string(2, layer.type);
    layer.params.forEach((shape, i) => l.bytes(7, blob(shape, blobs[i])));
    net.bytes(100, l.finish());
  }
  return net.finish();
}
