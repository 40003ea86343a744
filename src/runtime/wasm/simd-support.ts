// Whether this JavaScript engine runs WebAssembly SIMD: brewnet's native kernels need it (Node ≥ 16.4 has
// it on by default; `--no-experimental-wasm-simd` or an old engine turns it off).
import { encodeModule, FunctionBody } from './wasm-binary.js';

let cached: boolean | undefined;

/** Validates a one-instruction SIMD module (an f32x4 add), once per process. */
export function wasmSimdSupported(): boolean {
  if (cached !== undefined) return cached;
  try {
    const body = new FunctionBody(0);
    body.v128Zero().v128Zero().f32x4Add();
    const v = body.local(0x7b);
    body.set(v);
    cached = typeof WebAssembly === 'object' && WebAssembly.validate(encodeModule([{ name: 'probe', body }], { pages: 1, shared: false }));
  } catch {
    cached = false;
  }
  return cached;
}
