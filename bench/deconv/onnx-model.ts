// Builds the one-node ONNX model for onnxruntime-node: ConvTranspose with the weights as an initializer,
// encoded with protobufjs from bench/deconv/onnx-minimal.proto (ONNX's field numbers, only the fields used).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import protobuf from 'protobufjs';
import { repoRoot } from '../repo-root.js';

const FLOAT = 1;
const ATTR_INTS = 7;
/** IR version 8 and opset 17: old enough for any onnxruntime of the last years, new enough for ConvTranspose-11. */
const IR_VERSION = 8;
const OPSET = 17;

export interface ConvTransposeSpec {
  cin: number;
  cout: number;
  h: number;
  w: number;
  k: number;
  s: number;
  /** [top, left, bottom, right], ONNX's order (begin values, then end values). */
  pads: [number, number, number, number];
  /** Output [H, W] after the pads. */
  out: [number, number];
  /** Weights [Cin, Cout, K, K] (Caffe's and ONNX's common layout). */
  weights: Float32Array;
}

const valueInfo = (name: string, dims: number[]) => ({
  name,
  type: { tensorType: { elemType: FLOAT, shape: { dim: dims.map((d) => ({ dimValue: d })) } } },
});

export function convTransposeModel(spec: ConvTransposeSpec): Uint8Array {
  const root = protobuf.parse(readFileSync(join(repoRoot(), 'bench', 'deconv', 'onnx-minimal.proto'), 'utf8')).root;
  const Model = root.lookupType('onnx.Model');
  const ints = (name: string, values: number[]) => ({ name, type: ATTR_INTS, ints: values });
  const w = spec.weights;
  const model = {
    irVersion: IR_VERSION,
    producerName: 'brewnet-bench',
    opsetImport: [{ domain: '', version: OPSET }],
    graph: {
      name: 'deconv',
      node: [
        {
          name: 'up',
          opType: 'ConvTranspose',
          input: ['X', 'W'],
          output: ['Y'],
          attribute: [ints('kernel_shape', [spec.k, spec.k]), ints('strides', [spec.s, spec.s]), ints('pads', spec.pads)],
        },
      ],
      initializer: [
        {
          name: 'W',
          dims: [spec.cin, spec.cout, spec.k, spec.k],
          dataType: FLOAT,
          // Float32Array bytes are little-endian on every platform node runs on.
          rawData: new Uint8Array(w.buffer, w.byteOffset, w.byteLength),
        },
      ],
      input: [valueInfo('X', [1, spec.cin, spec.h, spec.w])],
      output: [valueInfo('Y', [1, spec.cout, ...spec.out])],
    },
  };
  const problem = Model.verify(model);
  if (problem) throw new Error(`internal: ONNX model does not fit the schema: ${problem}`);
  return Model.encode(Model.fromObject(model)).finish();
}
