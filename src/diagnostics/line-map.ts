// Line and column from a character offset, computed only when a location is asked for (a diagnostic,
// a rewrite). A parser records where each line starts as it goes; a big net then keeps one number per
// field instead of one location object, which is most of what reading a large file used to allocate.
import type { SourceLocation } from './diagnostic.js';

export class LineMap {
  /** Offset of the first character of each line, in order (the first `count` entries); line 1 starts at 0. */
  private starts = new Int32Array(1024);
  private count = 1;

  constructor(readonly file: string) {}

  /** Records that a line starts at `offset` (after every line before it; one already recorded is ignored). */
  addLine(offset: number): void {
    if (offset <= this.starts[this.count - 1]) return;
    if (this.count === this.starts.length) {
      const grown = new Int32Array(this.starts.length * 2);
      grown.set(this.starts);
      this.starts = grown;
    }
    this.starts[this.count++] = offset;
  }

  /** The location of a 0-based offset, lines and columns 1-based (columns count UTF-16 units). */
  locate(offset: number): SourceLocation {
    const starts = this.starts;
    // The last line starting at or before the offset.
    let lo = 0;
    let hi = this.count - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { file: this.file, line: lo + 1, column: offset - starts[lo] + 1, offset };
  }
}
