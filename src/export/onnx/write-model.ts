// Serialises an OnnxGraph as an ONNX ModelProto, streaming. protobufjs (through proto/onnx.proto) encodes
// everything but the initializers' bytes; the ModelProto → GraphProto → TensorProto framing around those
// is written here by hand, since every length is known before any byte of data is made (dims × 4). So a
// model is written initializer by initializer and never whole in memory. Protobuf readers accept fields in
// any order, so the graph's initializers simply follow its other fields.
//
// Initializers go into the model as raw_data, or — when `external` is given (models over protobuf's 2 GB
// limit) — into a data file beside it, referenced by ONNX's external data fields (location, offset,
// length; offsets aligned to 4 KiB so readers may map them).
import protobuf from 'protobufjs';
import { ONNX_PROTO_JSON } from './onnx-proto.generated.js';
import type { OnnxGraph, OnnxInitializer } from './onnx-graph.js';

let root: protobuf.Root | undefined;

/** The ONNX messages brewnet writes (proto/onnx.proto, baked by tools/generate-onnx-schema.mjs), loaded once. */
export function onnxSchema(): protobuf.Root {
  root ??= protobuf.Root.fromJSON(ONNX_PROTO_JSON);
  return root;
}

export interface ModelMeta {
  irVersion: number;
  opset: number;
  graphName: string;
  producerVersion: string;
  docString?: string;
}

export interface ExternalSink {
  /** The data file's path relative to the model's folder (what `location` says). */
  location: string;
  /** Appends bytes to the data file (which starts empty). */
  write(chunk: Uint8Array): void;
}

const ALIGN = 4096;

const WIRE_LEN = 2;
const tag = (field: number) => (field << 3) | WIRE_LEN;

function varint(n: number): number[] {
  const out: number[] = [];
  // Arithmetic, not bit operations: lengths pass 2³¹ for big models.
  while (n >= 0x80) {
    out.push((n % 0x80) | 0x80);
    n = Math.floor(n / 0x80);
  }
  out.push(n);
  return out;
}

/** The encoded TensorProto of an initializer, without its data (and for external data, with its reference). */
function tensorHeader(init: OnnxInitializer, external?: { location: string; offset: number }): Uint8Array {
  const Tensor = onnxSchema().lookupType('onnx.TensorProto');
  const message: Record<string, unknown> = { name: init.name, dims: init.dims, dataType: init.dataType };
  if (external) {
    message.dataLocation = 1;
    message.externalData = [
      { key: 'location', value: external.location },
      { key: 'offset', value: String(external.offset) },
      { key: 'length', value: String(init.byteLength) },
    ];
  }
  return Tensor.encode(Tensor.fromObject(message)).finish();
}

/** Writes the model through `write`; initializer data to `external` when given. */
export function writeModel(graph: OnnxGraph, meta: ModelMeta, write: (chunk: Uint8Array) => void, external?: ExternalSink): void {
  const schema = onnxSchema();
  const Model = schema.lookupType('onnx.ModelProto');
  const Graph = schema.lookupType('onnx.GraphProto');
  const head = Model.encode(
    Model.fromObject({
      irVersion: meta.irVersion,
      producerName: 'brewnet',
      producerVersion: meta.producerVersion,
      docString: meta.docString,
      opsetImport: [{ domain: '', version: meta.opset }],
    }),
  ).finish();
  const body = Graph.encode(
    Graph.fromObject({ name: meta.graphName, node: graph.nodes, input: graph.inputs, output: graph.outputs, valueInfo: graph.valueInfo }),
  ).finish();

  // Every initializer's framing, computed before any data is made; external data at aligned offsets.
  let end = 0;
  const frames = graph.initializers.map((init) => {
    if (external) {
      const offset = Math.ceil(end / ALIGN) * ALIGN;
      end = offset + init.byteLength;
      const header = tensorHeader(init, { location: external.location, offset });
      return { init, header, offset, length: header.length };
    }
    const header = tensorHeader(init);
    return { init, header, offset: -1, length: header.length + 1 + varint(init.byteLength).length + init.byteLength };
  });
  let graphLength = body.length;
  for (const f of frames) graphLength += 1 + varint(f.length).length + f.length;

  let written = 0;
  write(head);
  write(Uint8Array.from([tag(7), ...varint(graphLength)]));
  write(body);
  for (const f of frames) {
    write(Uint8Array.from([tag(5), ...varint(f.length)]));
    write(f.header);
    const data = f.init.bytes();
    if (data.byteLength !== f.init.byteLength)
      throw new Error(`internal: initializer ${f.init.name}: ${data.byteLength} bytes, expected ${f.init.byteLength}`);
    if (!external) {
      write(Uint8Array.from([tag(9), ...varint(data.byteLength)]));
      write(data);
    } else {
      if (f.offset > written) external.write(new Uint8Array(f.offset - written));
      external.write(data);
      written = f.offset + data.byteLength;
    }
  }
}
