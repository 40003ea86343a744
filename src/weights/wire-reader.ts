// A bounds-checked reader of protobuf's wire format over a file descriptor or an in-memory buffer.
// Files are read through a small window, and large payloads (float data) go straight from the file into
// their destination, so a 500 MB .caffemodel is never held twice. Every length and varint is checked
// against the source's size; reads past the end throw a WireError('truncated'), malformed bytes a
// WireError('corrupt'). Nothing here knows Caffe's messages (see read-caffemodel.ts).

export const WireType = { VARINT: 0, I64: 1, LEN: 2, START_GROUP: 3, END_GROUP: 4, I32: 5 } as const;

/** A read past the end of the source, or bytes that cannot be protobuf. `at` is a byte offset. */
export class WireError extends Error {
  constructor(
    readonly kind: 'truncated' | 'corrupt',
    readonly at: number,
    readonly detail: string,
    /** For 'truncated': how many more bytes the read needed. */
    readonly missing = 0,
  ) {
    super(detail);
  }
}

const WINDOW_BYTES = 1 << 20;
/** Big reads go in pieces so a progress bar can move while a 400 MB blob loads. */
const READ_PIECE = 16 << 20;
const MAX_VARINT_BYTES = 10;
const MAX_GROUP_DEPTH = 64;

const UTF8 = new TextDecoder(); // bad bytes become U+FFFD, as Node's Buffer decodes them

/** Reads up to `length` bytes at file `position` into `target[offset…]`; the count read (0 at the end). */
export type FileReadFn = (target: Uint8Array, offset: number, length: number, position: number) => number;

export class WireReader {
  /** Absolute offset of the next byte to read. */
  pos = 0;
  /** Low and high 32 bits of the last varint (unsigned). */
  lo = 0;
  hi = 0;
  /** Field number of the last tag read by `tag()`. */
  field = 0;
  /** Wire type of the last tag read by `tag()`. */
  wireType = 0;
  /** Where the last tag started. */
  tagAt = 0;
  /** Called with `pos` whenever bytes were fetched from the source (progress bars). */
  onRead?: (pos: number) => void;

  private win: Uint8Array;
  private view: DataView;
  private winStart = 0;
  private winLength = 0;

  private constructor(
    readonly size: number,
    private readonly source: FileReadFn | undefined,
    buffer: Uint8Array | undefined,
    windowBytes = WINDOW_BYTES,
  ) {
    // At least 8 bytes: the widest fixed-size value must fit in one window.
    this.win = buffer ?? new Uint8Array(Math.max(8, Math.min(windowBytes, size)));
    this.view = new DataView(this.win.buffer, this.win.byteOffset, this.win.byteLength);
    if (buffer) this.winLength = buffer.length;
  }

  static fromBuffer(buffer: Uint8Array): WireReader {
    return new WireReader(buffer.length, undefined, buffer);
  }

  static fromFile(read: FileReadFn, size: number, windowBytes?: number): WireReader {
    return new WireReader(size, read, undefined, windowBytes);
  }

  /** A read that needed bytes up to `needEnd`, beyond the end of the source. */
  truncated(needEnd: number): WireError {
    return new WireError('truncated', this.size, 'read past the end', needEnd - this.size);
  }

  corrupt(at: number, detail: string): WireError {
    return new WireError('corrupt', at, detail);
  }

  /** Index into the window of `n` bytes at `pos`, fetching them if needed (n ≤ window size). */
  private ensure(n: number): number {
    const offset = this.pos - this.winStart;
    if (offset >= 0 && offset + n <= this.winLength) return offset;
    if (this.pos + n > this.size) throw this.truncated(this.pos + n);
    if (this.source === undefined) throw new Error('unreachable: an in-memory source holds every byte');
    this.winStart = this.pos;
    this.winLength = Math.min(this.win.length, this.size - this.pos);
    this.fill(this.win, 0, this.winLength, this.pos);
    this.onRead?.(this.pos + this.winLength);
    return 0;
  }

  /** readSync until `length` bytes arrived; a file that shrank underneath reads as truncated. */
  private fill(target: Uint8Array, offset: number, length: number, position: number): void {
    let done = 0;
    while (done < length) {
      const n = (this.source as FileReadFn)(target, offset + done, length - done, position + done);
      if (n === 0) throw new WireError('truncated', position + done, 'the file shrank while being read', length - done);
      done += n;
    }
  }

  byte(): number {
    const i = this.ensure(1);
    this.pos++;
    return this.win[i];
  }

  /** Reads a varint into `lo`/`hi`; longer than 10 bytes is corrupt. */
  varintParts(): void {
    const start = this.pos;
    let lo = 0;
    let hi = 0;
    for (let i = 0; i < MAX_VARINT_BYTES; i++) {
      const b = this.byte();
      const bits = b & 0x7f;
      if (i < 4) lo |= bits << (7 * i);
      else if (i === 4) {
        lo |= bits << 28;
        hi = bits >>> 4;
      } else hi |= bits << (7 * (i - 5) + 3);
      if (b < 0x80) {
        this.lo = lo >>> 0;
        this.hi = hi >>> 0;
        return;
      }
    }
    throw this.corrupt(start, `varint longer than ${MAX_VARINT_BYTES} bytes`);
  }

  /** An unsigned varint as a number (exact below 2^53: lengths, tags, counts). */
  varint(): number {
    this.varintParts();
    return this.hi * 2 ** 32 + this.lo;
  }

  /** The last varint as protobuf's int32 (the low 32 bits, two's complement). */
  get int32(): number {
    return this.lo | 0;
  }

  /** The last varint as int64 (exact when |value| < 2^53). */
  get int64(): number {
    if (this.hi < 0x80000000) return this.hi * 2 ** 32 + this.lo;
    return -((~this.hi >>> 0) * 2 ** 32 + (~this.lo >>> 0) + 1);
  }

  float32(): number {
    const i = this.ensure(4);
    this.pos += 4;
    return this.view.getFloat32(i, true);
  }

  float64(): number {
    const i = this.ensure(8);
    this.pos += 8;
    return this.view.getFloat64(i, true);
  }

  /** Throws a truncation unless `n` more bytes exist: call before allocating room for them. */
  require(n: number): void {
    if (this.pos + n > this.size) throw this.truncated(this.pos + n);
  }

  /** Moves past `n` bytes without reading them (skipped fields cost no I/O). */
  skip(n: number): void {
    if (this.pos + n > this.size) throw this.truncated(this.pos + n);
    this.pos += n;
  }

  /** Copies the next `target.length` bytes into `target`: from the window, then straight from the file. */
  readInto(target: Uint8Array): void {
    const n = target.length;
    if (this.pos + n > this.size) throw this.truncated(this.pos + n);
    const offset = this.pos - this.winStart;
    let done = 0;
    if (offset >= 0 && offset < this.winLength) {
      done = Math.min(n, this.winLength - offset);
      target.set(this.win.subarray(offset, offset + done));
    }
    while (done < n) {
      const piece = Math.min(READ_PIECE, n - done);
      this.fill(target, done, piece, this.pos + done);
      done += piece;
      this.onRead?.(this.pos + done);
    }
    this.pos += n;
  }

  utf8(n: number): string {
    this.require(n);
    const bytes = new Uint8Array(n);
    this.readInto(bytes);
    return UTF8.decode(bytes);
  }

  /** Reads a field tag into `field` and `wireType`; field 0 and wire types 6, 7 are corrupt. */
  tag(): void {
    const at = this.pos;
    this.varintParts();
    const wireType = this.lo & 7;
    const field = (this.lo >>> 3) + this.hi * 2 ** 29;
    if (this.hi !== 0 || field === 0) throw this.corrupt(at, `invalid field number ${field}`);
    if (wireType > WireType.I32) throw this.corrupt(at, `invalid wire type ${wireType} (field ${field})`);
    this.field = field;
    this.wireType = wireType;
    this.tagAt = at;
  }

  /**
   * A length prefix, checked against the end of the enclosing message (`end`: Infinity at the top level,
   * where only the file's size bounds it and a shortfall shows up as truncation when it is read).
   */
  length(end: number): number {
    const at = this.pos;
    const n = this.varint();
    if (this.pos + n > end) {
      throw this.corrupt(at, `a length of ${n} bytes runs past the end of its enclosing message (byte ${end})`);
    }
    return n;
  }

  /** A length prefix, as `length`, returned as the absolute offset where the payload ends. */
  payloadEnd(end: number): number {
    const n = this.length(end);
    return this.pos + n;
  }

  /** Skips the value of the field whose tag was just read (unknown fields, diffs), groups included. */
  skipField(end: number): void {
    const groups: number[] = [];
    for (;;) {
      switch (this.wireType) {
        case WireType.VARINT:
          this.varintParts();
          break;
        case WireType.I64:
          this.skip(8);
          break;
        case WireType.LEN:
          this.skip(this.length(end));
          break;
        case WireType.I32:
          this.skip(4);
          break;
        case WireType.START_GROUP:
          if (groups.length === MAX_GROUP_DEPTH) throw this.corrupt(this.tagAt, `groups nested more than ${MAX_GROUP_DEPTH} deep`);
          groups.push(this.field);
          break;
        case WireType.END_GROUP:
          if (groups.pop() !== this.field) throw this.corrupt(this.tagAt, `end-group tag without a matching start (field ${this.field})`);
          break;
      }
      if (groups.length === 0) return;
      if (this.pos >= end) throw this.corrupt(this.pos, 'a group runs past the end of its enclosing message');
      this.tag();
    }
  }

  /** The first bytes of the source (to sniff what kind of file it is), without moving `pos`. */
  peekStart(n: number): Uint8Array {
    const saved = this.pos;
    this.pos = 0;
    const bytes = new Uint8Array(Math.min(n, this.size));
    this.readInto(bytes);
    this.pos = saved;
    return bytes;
  }
}
