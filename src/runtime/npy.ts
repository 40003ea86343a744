// NumPy .npy files (format versions 1–3): any numeric dtype (bool, int8–64, uint8–64, float16/32/64), little-
// or big-endian, C or Fortran order. Reading always yields float32 in C order (what the nets compute in; int64
// values beyond 2^24 round as numpy's astype(np.float32) does); writing always writes little-endian float32, v1.0.
// Errors are diagnostics that name the file, since these come from the user's --input arguments.
import { fail } from '../diagnostics/diagnostic.js';
import type { Tensor } from '../ir/tensor.js';
import { countOf } from '../ir/tensor.js';

const MAGIC = '\x93NUMPY';

/** Parses the header dict, e.g. `{'descr': '<f4', 'fortran_order': False, 'shape': (1, 3, 4), }`. */
function parseHeader(text: string, file: string): { descr: string; fortran: boolean; shape: number[] } {
  const descr = /'descr'\s*:\s*'([^']*)'/.exec(text)?.[1];
  const fortran = /'fortran_order'\s*:\s*(True|False)/.exec(text)?.[1];
  const shapeText = /'shape'\s*:\s*\(([^)]*)\)/.exec(text)?.[1];
  if (descr === undefined || fortran === undefined || shapeText === undefined) fail(`${file}: not a valid .npy header: ${text.trim()}`);
  const shape = shapeText
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .map((s) => (/^\d+L?$/.test(s) ? Number.parseInt(s, 10) : NaN));
  if (shape.some((d) => !Number.isSafeInteger(d))) fail(`${file}: .npy shape (${shapeText}) is not a tuple of non-negative integers`);
  return { descr, fortran: fortran === 'True', shape };
}

export function readNpy(bytes: Uint8Array, file = '<npy>'): Tensor {
  if (bytes.length < 10 || String.fromCharCode(...bytes.subarray(0, 6)) !== MAGIC) fail(`${file}: not a NumPy .npy file (bad magic)`);
  const major = bytes[6];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let headerLen: number;
  let start: number;
  if (major === 1) {
    headerLen = view.getUint16(8, true);
    start = 10;
  } else if (major === 2 || major === 3) {
    if (bytes.length < 12) fail(`${file}: truncated .npy header`);
    headerLen = view.getUint32(8, true);
    start = 12;
  } else {
    fail(`${file}: unsupported .npy format version ${major}`);
  }
  if (start + headerLen > bytes.length) fail(`${file}: truncated .npy header`);
  const header = new TextDecoder(major === 3 ? 'utf-8' : 'latin1').decode(bytes.subarray(start, start + headerLen));
  const { descr, fortran, shape } = parseHeader(header, file);
  const kind = /^([<>|=])([fiub])(\d+)$/.exec(descr);
  const reader = kind ? elementReader(kind[2], Number(kind[3]), kind[1] !== '>') : undefined;
  if (!kind || !reader) {
    fail(
      `${file}: dtype '${descr}' is not supported; inputs must be numbers (bool, int8–64, uint8–64, float16/32/64)`,
      undefined,
      'convert with arr.astype(np.float32)',
    );
  }
  const width = Number(kind[3]);
  const n = countOf(shape);
  const dataStart = start + headerLen;
  const expected = n * width;
  if (bytes.length - dataStart < expected) {
    fail(`${file}: truncated: shape (${shape.join(', ')}) needs ${expected} bytes of data, the file has ${bytes.length - dataStart}`);
  }
  const data = new Float32Array(n);
  for (let i = 0; i < n; i++) data[i] = reader(view, dataStart + i * width);
  return { shape, data: fortran ? fromFortranOrder(data, shape) : data };
}

type ElementReader = (view: DataView, at: number) => number;

/** How to read one element of a NumPy dtype (kind f/i/u/b, width in bytes), or undefined if there is none. */
function elementReader(kind: string, width: number, little: boolean): ElementReader | undefined {
  switch (`${kind}${width}`) {
    case 'f2':
      return (v, at) => halfToFloat(v.getUint16(at, little));
    case 'f4':
      return (v, at) => v.getFloat32(at, little);
    case 'f8':
      return (v, at) => v.getFloat64(at, little);
    case 'i1':
      return (v, at) => v.getInt8(at);
    case 'u1':
    case 'b1':
      return (v, at) => v.getUint8(at);
    case 'i2':
      return (v, at) => v.getInt16(at, little);
    case 'u2':
      return (v, at) => v.getUint16(at, little);
    case 'i4':
      return (v, at) => v.getInt32(at, little);
    case 'u4':
      return (v, at) => v.getUint32(at, little);
    case 'i8':
      return (v, at) => Number(v.getBigInt64(at, little));
    case 'u8':
      return (v, at) => Number(v.getBigUint64(at, little));
    default:
      return undefined;
  }
}

/** IEEE 754 binary16 → number (subnormals, infinities and NaN included). */
function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exponent = (h >> 10) & 0x1f;
  const fraction = h & 0x3ff;
  if (exponent === 0) return sign * fraction * 2 ** -24;
  if (exponent === 0x1f) return fraction ? NaN : sign * Infinity;
  return sign * (1 + fraction / 1024) * 2 ** (exponent - 15);
}

/** Column-major (Fortran-ordered) values → row-major (C order), the layout the nets compute in. */
function fromFortranOrder(values: Float32Array, shape: number[]): Float32Array {
  if (shape.length < 2) return values;
  const out = new Float32Array(values.length);
  const rank = shape.length;
  const index = new Array<number>(rank).fill(0);
  // Walk C order; the Fortran offset has strides 1, d0, d0·d1, …
  const fStride = new Array<number>(rank);
  fStride[0] = 1;
  for (let k = 1; k < rank; k++) fStride[k] = fStride[k - 1] * shape[k - 1];
  for (let i = 0; i < out.length; i++) {
    let at = 0;
    for (let k = 0; k < rank; k++) at += index[k] * fStride[k];
    out[i] = values[at];
    for (let k = rank - 1; k >= 0; k--) {
      if (++index[k] < shape[k]) break;
      index[k] = 0;
    }
  }
  return out;
}

export function writeNpy(t: Tensor): Uint8Array {
  const shapeText = t.shape.length === 1 ? `(${t.shape[0]},)` : `(${t.shape.join(', ')})`;
  let header = `{'descr': '<f4', 'fortran_order': False, 'shape': ${shapeText}, }`;
  // The header (with magic, version and length) pads to a multiple of 64 bytes and ends in a newline.
  const total = Math.ceil((10 + header.length + 1) / 64) * 64;
  header = header.padEnd(total - 10 - 1, ' ') + '\n';
  const out = new Uint8Array(total + t.data.length * 4);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0], 0);
  new DataView(out.buffer).setUint16(8, header.length, true);
  for (let i = 0; i < header.length; i++) out[10 + i] = header.charCodeAt(i);
  const view = new DataView(out.buffer);
  for (let i = 0; i < t.data.length; i++) view.setFloat32(total + i * 4, t.data[i], true);
  return out;
}
