// BlobProto's `data` (float) and `double_data` (double) values, gathered straight into one Float32Array.
// Packed runs are read from the source into the array's own memory (protobuf stores floats little-endian,
// as typed arrays do on every little-endian host); doubles go through a small aligned scratch array and are
// rounded to float32, the type Caffe computes in. Unpacked values, or several packed runs of the same field
// (legal in proto2: they concatenate), are collected and joined once at the end.
import { LITTLE_ENDIAN } from '#platform';
import type { WireReader } from './wire-reader.js';

const LITTLE_ENDIAN_HOST = LITTLE_ENDIAN;
const DOUBLE_PIECE = 1 << 16;

/** Reverses every `width`-byte group: protobuf's little-endian values on a big-endian host. */
function swapBytes(bytes: Uint8Array, width: number): void {
  for (let i = 0; i + width <= bytes.length; i += width) bytes.subarray(i, i + width).reverse();
}

export class FloatCollector {
  private runs: Float32Array[] = [];
  private loose: number[] = [];
  /** Values seen so far, kept or not. */
  count = 0;

  constructor(private readonly keep: boolean) {}

  /** A packed run of `bytes` bytes of float32. */
  packedFloats(r: WireReader, bytes: number): void {
    const n = bytes / 4;
    this.count += n;
    if (!this.keep) return r.skip(bytes);
    r.require(bytes);
    this.flushLoose();
    const values = new Float32Array(n);
    const raw = new Uint8Array(values.buffer);
    r.readInto(raw);
    if (!LITTLE_ENDIAN_HOST) swapBytes(raw, 4);
    this.runs.push(values);
  }

  /** A packed run of `bytes` bytes of float64, rounded to float32 piece by piece. */
  packedDoubles(r: WireReader, bytes: number): void {
    const n = bytes / 8;
    this.count += n;
    if (!this.keep) return r.skip(bytes);
    r.require(bytes);
    this.flushLoose();
    const values = new Float32Array(n);
    const scratch = new Float64Array(Math.min(n, DOUBLE_PIECE));
    const raw = new Uint8Array(scratch.buffer);
    for (let done = 0; done < n; done += scratch.length) {
      const m = Math.min(scratch.length, n - done);
      r.readInto(raw.subarray(0, m * 8));
      if (!LITTLE_ENDIAN_HOST) swapBytes(raw.subarray(0, m * 8), 8);
      values.set(m === scratch.length ? scratch : scratch.subarray(0, m), done);
    }
    this.runs.push(values);
  }

  /** One unpacked value (a field of its own, as a proto2 writer without packing emits). */
  value(v: number): void {
    this.count++;
    if (this.keep) this.loose.push(v);
  }

  private flushLoose(): void {
    if (this.loose.length) {
      this.runs.push(Float32Array.from(this.loose));
      this.loose = [];
    }
  }

  /** All values in order; no copy in the usual case of one packed run. */
  finish(): Float32Array {
    this.flushLoose();
    if (this.runs.length === 1) return this.runs[0];
    const out = new Float32Array(this.runs.reduce((n, run) => n + run.length, 0));
    let at = 0;
    for (const run of this.runs) {
      out.set(run, at);
      at += run.length;
    }
    this.runs = [out];
    return out;
  }
}
