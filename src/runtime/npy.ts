// NumPy .npy files (format versions 1–3): float32 or float64, little- or big-endian, C order. Reading
// always yields float32 (what the nets compute in); writing always writes little-endian float32, v1.0.
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
  if (fortran) fail(`${file}: Fortran-ordered arrays are not supported; save a C-ordered array (np.ascontiguousarray)`);
  const kind = /^([<>|=])([fiu])(\d+)$/.exec(descr);
  if (!kind || kind[2] !== 'f' || (kind[3] !== '4' && kind[3] !== '8')) {
    fail(`${file}: dtype '${descr}' is not supported; inputs must be float32 or float64`, undefined, 'convert with arr.astype(np.float32)');
  }
  const width = Number(kind[3]);
  const little = kind[1] !== '>';
  const n = countOf(shape);
  const dataStart = start + headerLen;
  const expected = n * width;
  if (bytes.length - dataStart < expected) {
    fail(`${file}: truncated: shape (${shape.join(', ')}) needs ${expected} bytes of data, the file has ${bytes.length - dataStart}`);
  }
  const data = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const at = dataStart + i * width;
    data[i] = width === 4 ? view.getFloat32(at, little) : view.getFloat64(at, little);
  }
  return { shape, data };
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
