// The ONNX graph being built from a net, as plain data: nodes, graph inputs and outputs, value shapes, and
// initializers whose bytes are produced only when the writer streams them (so a 548 MB model never sits
// in memory at once). Every name handed out here is unique in the graph: blob versions, temporaries of a
// layer's decomposition, initializers and node names all go through `unique`.

export const FLOAT = 1;
export const INT64 = 7;

// AttributeProto.type values.
const ATTR_FLOAT = 1;
const ATTR_INT = 2;
const ATTR_STRING = 3;
const ATTR_TENSOR = 4;
const ATTR_FLOATS = 6;
const ATTR_INTS = 7;

export type AttrValue =
  | number
  | number[]
  | { float: number }
  | { floats: number[] }
  | { string: string }
  /** A small float tensor (ConstantOfShape's value). */
  | { tensor: { dims: number[]; floats: number[] } };

export interface OnnxAttribute {
  name: string;
  type: number;
  f?: number;
  i?: number;
  floats?: number[];
  ints?: number[];
  s?: Uint8Array;
  t?: { dims: number[]; dataType: number; floatData: number[] };
}

export interface OnnxNode {
  name: string;
  opType: string;
  input: string[];
  output: string[];
  attribute: OnnxAttribute[];
}

export interface OnnxValueInfo {
  name: string;
  type: { tensorType: { elemType: number; shape: { dim: ({ dimValue: number } | { dimParam: string })[] } } };
}

export interface OnnxInitializer {
  name: string;
  dims: number[];
  dataType: typeof FLOAT | typeof INT64;
  /** Size of the raw little-endian bytes. */
  byteLength: number;
  /** The bytes, made when the writer needs them (parameters are filled or re-laid out then). */
  bytes(): Uint8Array;
}

const count = (dims: readonly number[]) => dims.reduce((n, d) => n * d, 1);

/** Float32Array bytes are little-endian on every platform Node runs on, as ONNX's raw_data wants. */
export function bytesOf(values: Float32Array | BigInt64Array): Uint8Array {
  return new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
}

function makeAttribute(name: string, value: AttrValue): OnnxAttribute {
  if (typeof value === 'number') {
    if (!Number.isInteger(value)) throw new Error(`internal: attribute ${name} ${value} is not an integer; pass { float }`);
    return { name, type: ATTR_INT, i: value };
  }
  if (Array.isArray(value)) return { name, type: ATTR_INTS, ints: value };
  if ('float' in value) return { name, type: ATTR_FLOAT, f: value.float };
  if ('string' in value) return { name, type: ATTR_STRING, s: new TextEncoder().encode(value.string) };
  if ('tensor' in value)
    return { name, type: ATTR_TENSOR, t: { dims: value.tensor.dims, dataType: FLOAT, floatData: value.tensor.floats } };
  return { name, type: ATTR_FLOATS, floats: value.floats };
}

export function valueInfo(name: string, shape: readonly (number | string)[], elemType = FLOAT): OnnxValueInfo {
  return {
    name,
    type: { tensorType: { elemType, shape: { dim: shape.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) } } },
  };
}

export class OnnxGraph {
  readonly nodes: OnnxNode[] = [];
  readonly initializers: OnnxInitializer[] = [];
  readonly inputs: OnnxValueInfo[] = [];
  readonly outputs: OnnxValueInfo[] = [];
  readonly valueInfo: OnnxValueInfo[] = [];
  private readonly taken = new Set<string>();

  /** Marks names as used without handing them out (the blob names, reserved before anything else). */
  reserve(name: string): void {
    this.taken.add(name);
  }

  /** `base`, or `base#2`, `base#3`, … : the first that no value, initializer or node of the graph has. */
  unique(base: string): string {
    let name = base;
    for (let k = 2; this.taken.has(name); k++) name = `${base}#${k}`;
    this.taken.add(name);
    return name;
  }

  node(opType: string, name: string, input: string[], output: string[], attrs: Record<string, AttrValue | undefined> = {}): void {
    const attribute = Object.entries(attrs)
      .filter((e): e is [string, AttrValue] => e[1] !== undefined)
      .map(([k, v]) => makeAttribute(k, v));
    this.nodes.push({ name, opType, input, output, attribute });
  }

  /** A float initializer whose values come later (`make`), `dims` fixed now. */
  floatTensor(base: string, dims: number[], make: () => Float32Array): string {
    const name = this.unique(base);
    const n = count(dims);
    this.initializers.push({
      name,
      dims: [...dims],
      dataType: FLOAT,
      byteLength: n * 4,
      bytes: () => {
        const values = make();
        if (values.length !== n) throw new Error(`internal: initializer ${name} has ${values.length} values, dims ${dims.join('×')}`);
        return bytesOf(values);
      },
    });
    return name;
  }

  /** A small float constant known now. */
  floatConst(base: string, dims: number[], values: readonly number[]): string {
    const data = Float32Array.from(values);
    return this.floatTensor(base, dims, () => data);
  }

  /** An int64 constant (shapes, axes, Slice bounds) as a 1-D initializer, or a scalar with `scalar`. */
  int64Const(base: string, values: readonly number[], scalar = false): string {
    const name = this.unique(base);
    const data = BigInt64Array.from(values.map((v) => BigInt(v)));
    this.initializers.push({
      name,
      dims: scalar ? [] : [values.length],
      dataType: INT64,
      byteLength: data.byteLength,
      bytes: () => bytesOf(data),
    });
    return name;
  }
}
