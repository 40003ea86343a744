// A small WebAssembly binary encoder: one module importing its memory (env.memory, shared where worker
// threads run the same code on it) and exporting functions of i32 parameters, built instruction by instruction. Why not binaryen or wabt: either would become a runtime
// dependency of every module `brewnet compile` writes (that module may import only gpu.js and brewnet's
// runtime entry, and the kernels are generated when the weights are bound), binaryen alone is ~12 MB and
// starts asynchronously; the kernels here use a few dozen opcodes, whose encoding is fixed by the spec.

/** Unsigned LEB128. */
export function uleb(value: number, out: number[] = []): number[] {
  if (!Number.isInteger(value) || value < 0) throw new Error(`internal: uleb of ${value}`);
  let v = value;
  do {
    let byte = v & 0x7f;
    v = Math.floor(v / 128);
    if (v !== 0) byte |= 0x80;
    out.push(byte);
  } while (v !== 0);
  return out;
}

/** Signed LEB128 (i32 constants). */
export function sleb(value: number, out: number[] = []): number[] {
  if (!Number.isInteger(value) || value < -(2 ** 31) || value >= 2 ** 32) throw new Error(`internal: sleb of ${value}`);
  let v = value | 0;
  for (;;) {
    const byte = v & 0x7f;
    v >>= 7;
    const done = (v === 0 && (byte & 0x40) === 0) || (v === -1 && (byte & 0x40) !== 0);
    out.push(done ? byte : byte | 0x80);
    if (done) return out;
  }
}

export const I32 = 0x7f;
export const V128 = 0x7b;
export const F32 = 0x7d;
export type ValType = typeof I32 | typeof V128 | typeof F32;

/** Instructions of one function body; locals are numbered parameters first. */
export class FunctionBody {
  readonly code: number[] = [];
  private readonly extra: ValType[] = [];

  constructor(readonly params: number) {}

  /** A new local of this type; returns its index. */
  local(type: ValType): number {
    return this.params + this.extra.push(type) - 1;
  }

  private op(...bytes: number[]): this {
    this.code.push(...bytes);
    return this;
  }
  private simd(opcode: number, ...rest: number[]): this {
    this.code.push(0xfd, ...uleb(opcode), ...rest);
    return this;
  }
  private memarg(align: number, offset: number): number[] {
    return [...uleb(align), ...uleb(offset)];
  }

  get(i: number) {
    return this.op(0x20, ...uleb(i));
  }
  set(i: number) {
    return this.op(0x21, ...uleb(i));
  }
  tee(i: number) {
    return this.op(0x22, ...uleb(i));
  }
  i32(v: number) {
    return this.op(0x41, ...sleb(v));
  }
  add() {
    return this.op(0x6a);
  }
  sub() {
    return this.op(0x6b);
  }
  mul() {
    return this.op(0x6c);
  }
  divU() {
    return this.op(0x6e);
  }
  eq() {
    return this.op(0x46);
  }
  /** Unsigned a < b (a negative a is past every b). */
  ltU() {
    return this.op(0x49);
  }
  ltS() {
    return this.op(0x48);
  }
  leS() {
    return this.op(0x4c);
  }
  geS() {
    return this.op(0x4e);
  }
  load32(offset = 0) {
    return this.op(0x28, ...this.memarg(2, offset));
  }
  ifThen() {
    return this.op(0x04, 0x40);
  }
  end() {
    return this.op(0x0b);
  }
  /** The else of an ifThen() block. */
  else() {
    return this.op(0x05);
  }
  /** Pops a, b, an i32 condition: a where it is not 0, else b. */
  select() {
    return this.op(0x1b);
  }
  brIf(depth: number) {
    return this.op(0x0d, ...uleb(depth));
  }
  v128Load(offset = 0) {
    return this.simd(0x00, ...this.memarg(4, offset));
  }
  v128Load32Splat(offset = 0) {
    return this.simd(0x09, ...this.memarg(2, offset));
  }
  v128Store32Lane(offset: number, lane: number) {
    return this.simd(0x5a, ...this.memarg(2, offset), lane);
  }
  v128Zero() {
    return this.simd(0x0c, ...new Array<number>(16).fill(0));
  }
  f32x4Add() {
    return this.simd(0xe4);
  }
  /** memory.copy (bulk memory, memmove semantics): pops destination, source, byte count. */
  memoryCopy() {
    return this.op(0xfc, ...uleb(10), 0, 0);
  }
  /** memory.fill (bulk memory): pops destination, byte value, byte count. */
  memoryFill() {
    return this.op(0xfc, ...uleb(11), 0);
  }
  f32x4Mul() {
    return this.simd(0xe6);
  }
  f32x4Max() {
    return this.simd(0xe9);
  }
  /** v128.const of four equal f32 lanes. */
  f32x4Const(value: number) {
    const lane = [...new Uint8Array(new Float32Array([value]).buffer)];
    return this.simd(0x0c, ...lane, ...lane, ...lane, ...lane);
  }

  // Scalar f32 and more SIMD (pooling, inner products, element-wise kernels).
  f32Load(offset = 0) {
    return this.op(0x2a, ...this.memarg(2, offset));
  }
  f32Store(offset = 0) {
    return this.op(0x38, ...this.memarg(2, offset));
  }
  f32Const(value: number) {
    return this.op(0x43, ...new Uint8Array(new Float32Array([value]).buffer));
  }
  f32Add() {
    return this.op(0x92);
  }
  f32Mul() {
    return this.op(0x94);
  }
  f32Div() {
    return this.op(0x95);
  }
  f32Max() {
    return this.op(0x97);
  }
  f32ConvertI32S() {
    return this.op(0xb2);
  }
  v128Store(offset = 0) {
    return this.simd(0x0b, ...this.memarg(4, offset));
  }
  f32x4Splat() {
    return this.simd(0x13);
  }
  f32x4ExtractLane(lane: number) {
    return this.simd(0x1f, lane);
  }
  f32x4Min() {
    return this.simd(0xe8);
  }
  f32x4Sub() {
    return this.simd(0xe5);
  }
  /** Relaxed SIMD's fused multiply-add a·b + c (pops a, b, c); only where relaxedSimdSupported(). */
  f32x4RelaxedMadd() {
    return this.simd(0x105);
  }

  // LRN's powers (x·s^−β: square roots, a division, log2/exp2 by bit fields) and the vectorised pooling.
  f32x4Sqrt() {
    return this.simd(0xe3);
  }
  f32x4Div() {
    return this.simd(0xe7);
  }
  f32x4Nearest() {
    return this.simd(0x6a);
  }
  /** Lane masks (all ones where true): a > b, a ≤ b, a = b (pops a, b). */
  f32x4Gt() {
    return this.simd(0x44);
  }
  f32x4Le() {
    return this.simd(0x45);
  }
  f32x4Eq() {
    return this.simd(0x41);
  }
  f32x4ConvertI32x4S() {
    return this.simd(0xfa);
  }
  i32x4TruncSatF32x4S() {
    return this.simd(0xf8);
  }
  v128And() {
    return this.simd(0x4e);
  }
  v128Or() {
    return this.simd(0x50);
  }
  /** (a & mask) | (b & ~mask) (pops a, b, mask). */
  v128Bitselect() {
    return this.simd(0x52);
  }
  /** Lane shifts by an i32 count (pops the vector, then the count). */
  i32x4Shl() {
    return this.simd(0xab);
  }
  i32x4ShrU() {
    return this.simd(0xad);
  }
  i32x4Add() {
    return this.simd(0xae);
  }
  i32x4Sub() {
    return this.simd(0xb1);
  }
  /** v128.const of four equal i32 lanes. */
  i32x4Const(value: number) {
    const lane = [...new Uint8Array(new Int32Array([value]).buffer)];
    return this.simd(0x0c, ...lane, ...lane, ...lane, ...lane);
  }
  /** v128.const of four i32 lanes. */
  i32x4Lanes(lanes: readonly number[]) {
    if (lanes.length !== 4) throw new Error(`internal: ${lanes.length} i32x4 lanes`);
    return this.simd(0x0c, ...new Uint8Array(new Int32Array(lanes).buffer));
  }
  /** i8x16.shuffle of a and b (pops a, b) by 16 lane indices (0–15: a's bytes, 16–31: b's). */
  i8x16Shuffle(lanes: readonly number[]) {
    if (lanes.length !== 16 || lanes.some((l) => l < 0 || l > 31)) throw new Error(`internal: shuffle lanes ${lanes.join(',')}`);
    return this.simd(0x0d, ...lanes);
  }

  /** `local += step` for an i32 local. */
  increment(i: number, step: number) {
    return this.get(i).i32(step).add().set(i);
  }

  /**
   * `for (i = from; i < to; i += step) body` with `to` an i32 local or constant; the body is not entered when
   * from ≥ to. `from` is pushed by the caller's code in `init` (or a constant).
   */
  forLoop(i: number, from: number | (() => void), to: number | { local: number }, step: number, body: () => void): this {
    if (typeof from === 'number') this.i32(from);
    else from();
    this.set(i);
    const bound = () => (typeof to === 'number' ? this.i32(to) : this.get(to.local));
    this.op(0x02, 0x40); // block
    this.get(i);
    bound();
    this.geS().brIf(0);
    this.op(0x03, 0x40); // loop
    body();
    this.increment(i, step);
    this.get(i);
    bound();
    this.ltS().brIf(0);
    this.end().end();
    return this;
  }

  encode(): number[] {
    const groups: [number, ValType][] = [];
    for (const t of this.extra) {
      const last = groups[groups.length - 1];
      if (last && last[1] === t) last[0]++;
      else groups.push([1, t]);
    }
    const body = [...uleb(groups.length), ...groups.flatMap(([n, t]) => [...uleb(n), t]), ...this.code, 0x0b];
    return [...uleb(body.length), ...body];
  }
}

const section = (id: number, content: number[]) => [id, ...uleb(content.length), ...content];
const name = (s: string) => {
  const bytes = [...new TextEncoder().encode(s)];
  return [...uleb(bytes.length), ...bytes];
};

export interface ModuleFunction {
  name: string;
  body: FunctionBody;
}

export interface ImportedMemory {
  /** Size in 64 KiB pages (initial and maximum: the kernels never grow it). */
  pages: number;
  /** A shared memory (a SharedArrayBuffer), which worker threads can run the module on too. */
  shared: boolean;
}

/** A module of functions `(i32 × params) → ()` over the memory imported as env.memory. */
export function encodeModule(functions: readonly ModuleFunction[], memory: ImportedMemory): Uint8Array<ArrayBuffer> {
  const arities = [...new Set(functions.map((f) => f.body.params))];
  const types = section(1, [...uleb(arities.length), ...arities.flatMap((n) => [0x60, ...uleb(n), ...new Array<number>(n).fill(I32), 0])]);
  const funcs = section(3, [...uleb(functions.length), ...functions.flatMap((f) => uleb(arities.indexOf(f.body.params)))]);
  const limits = [memory.shared ? 0x03 : 0x01, ...uleb(memory.pages), ...uleb(memory.pages)];
  const imports = section(2, [1, ...name('env'), ...name('memory'), 0x02, ...limits]);
  const exports = section(7, [...uleb(functions.length), ...functions.flatMap((f, i) => [...name(f.name), 0x00, ...uleb(i)])]);
  const code = section(10, [...uleb(functions.length), ...functions.flatMap((f) => f.body.encode())]);
  return new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, ...types, ...imports, ...funcs, ...exports, ...code]);
}
