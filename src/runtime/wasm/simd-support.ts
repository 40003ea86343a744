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

let relaxed: boolean | undefined;

/** A module whose one function is an f32x4.relaxed_madd of three zero vectors. */
function relaxedProbe(): Uint8Array<ArrayBuffer> {
  const body = new FunctionBody(0);
  body.v128Zero().v128Zero().v128Zero().f32x4RelaxedMadd();
  body.set(body.local(0x7b));
  return encodeModule([{ name: 'probe', body }], { pages: 1, shared: false });
}

/**
 * Whether this engine runs relaxed SIMD's fused multiply-add (f32x4.relaxed_madd), probed by validating a
 * module that uses it. Node 20's V8 has it behind a flag: where the first probe fails and Node's v8 module
 * is reachable, the flag is set (it holds for modules compiled after) and the probe repeated. Once per process.
 */
export function relaxedSimdSupported(): boolean {
  if (relaxed !== undefined) return relaxed;
  relaxed = false;
  try {
    if (!wasmSimdSupported()) return relaxed;
    relaxed = WebAssembly.validate(relaxedProbe());
    if (!relaxed) {
      const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
      const v8 = proc?.getBuiltinModule?.('node:v8') as { setFlagsFromString?: (flags: string) => void } | undefined;
      if (v8?.setFlagsFromString) {
        v8.setFlagsFromString('--experimental-wasm-relaxed-simd');
        relaxed = WebAssembly.validate(relaxedProbe());
      }
    }
  } catch {
    relaxed = false;
  }
  return relaxed;
}
