// .npy reading and writing: float32/float64, both endiannesses, header versions, and the diagnostics for
// files brewnet cannot take.
import { describe, expect, it } from 'vitest';
import { DiagnosticError } from '../../src/diagnostics/diagnostic.js';
import { readNpy, writeNpy } from '../../src/runtime/npy.js';

function npyBytes(descr: string, shape: string, payload: Uint8Array, version = 1, fortran = 'False'): Uint8Array {
  let header = `{'descr': '${descr}', 'fortran_order': ${fortran}, 'shape': ${shape}, }`;
  const pre = version === 1 ? 10 : 12;
  const total = Math.ceil((pre + header.length + 1) / 64) * 64;
  header = header.padEnd(total - pre - 1) + '\n';
  const out = new Uint8Array(total + payload.length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, version, 0]);
  const view = new DataView(out.buffer);
  if (version === 1) view.setUint16(8, header.length, true);
  else view.setUint32(8, header.length, true);
  for (let i = 0; i < header.length; i++) out[pre + i] = header.charCodeAt(i);
  out.set(payload, total);
  return out;
}

function messageOf(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    if (e instanceof DiagnosticError) return e.diagnostics.map((d) => d.message).join('\n');
    throw e;
  }
  throw new Error('expected a diagnostic');
}

describe('npy', () => {
  it('round-trips float32 tensors, including 0-d and 1-d shapes', () => {
    for (const shape of [[2, 3, 4], [5], []]) {
      const n = shape.reduce((a, b) => a * b, 1);
      const data = Float32Array.from({ length: n }, (_, i) => i * 0.5 - 1);
      const back = readNpy(writeNpy({ shape, data }));
      expect(back.shape).toEqual(shape);
      expect(Array.from(back.data)).toEqual(Array.from(data));
    }
  });

  it('writes a header NumPy accepts: 64-byte aligned, newline-terminated, (n,) for one axis', () => {
    const bytes = writeNpy({ shape: [3], data: new Float32Array(3) });
    const headerLen = new DataView(bytes.buffer).getUint16(8, true);
    expect((10 + headerLen) % 64).toBe(0);
    const header = new TextDecoder().decode(bytes.subarray(10, 10 + headerLen));
    expect(header).toMatch(/^\{'descr': '<f4', 'fortran_order': False, 'shape': \(3,\), \} *\n$/);
  });

  it('reads float64 (rounded to float32) and big-endian data, and version 2 headers', () => {
    const f64 = new Uint8Array(new Float64Array([1.5, -2.25, 1 / 3]).buffer);
    expect(Array.from(readNpy(npyBytes('<f8', '(3,)', f64)).data)).toEqual([1.5, -2.25, Math.fround(1 / 3)]);
    const be = new Uint8Array(8);
    new DataView(be.buffer).setFloat32(0, 7.5, false);
    new DataView(be.buffer).setFloat32(4, -1, false);
    expect(Array.from(readNpy(npyBytes('>f4', '(1, 2)', be, 2)).data)).toEqual([7.5, -1]);
  });

  it('refuses non-numeric dtypes, truncated data and non-npy files with the file name', () => {
    expect(messageOf(() => readNpy(npyBytes('<c8', '(2,)', new Uint8Array(16)), 'x.npy'))).toMatch(/x\.npy: dtype '<c8' is not supported/);
    expect(messageOf(() => readNpy(npyBytes('<U3', '(2,)', new Uint8Array(24)), 'x.npy'))).toMatch(/x\.npy: dtype '<U3' is not supported/);
    expect(messageOf(() => readNpy(npyBytes('<f4', '(2, 3)', new Uint8Array(20)), 'x.npy'))).toMatch(
      /truncated: shape \(2, 3\) needs 24 bytes of data, the file has 20/,
    );
    expect(messageOf(() => readNpy(new TextEncoder().encode('hello world'), 'x.npy'))).toMatch(/not a NumPy \.npy file/);
  });
});
