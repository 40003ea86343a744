// Values that repeat through a file, layer types above all, shared: a big net then holds one
// "Convolution" instead of one per layer (each a string the garbage collector copies as it reads).
// Only the first strings of a file are pooled, so a file of distinct names does not fill memory with a
// table of them; the types a net uses appear early, in its first layers.
const POOLED = 1024;

export class StringPool {
  private readonly strings = new Map<string, string>();

  /** The pooled string equal to `s` (or `s`, pooled while there is room). */
  share(s: string): string {
    const pooled = this.strings.get(s);
    if (pooled !== undefined) return pooled;
    if (this.strings.size < POOLED) this.strings.set(s, s);
    return s;
  }
}
