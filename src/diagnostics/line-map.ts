// Line and column from a character offset, computed only when a location is asked for (a diagnostic,
// a rewrite). A parser records where each line starts as it goes; a big net then keeps one number per
// field instead of one location object, which is most of what reading a large file used to allocate.
import type { SourceLocation } from './diagnostic.js';

export class LineMap {
  constructor(
    readonly file: string,
    /** Offset of the first character of each line, in order; lineStarts[0] is 0. */
    readonly lineStarts: readonly number[],
  ) {}

  /** The location of a 0-based offset, lines and columns 1-based (columns count UTF-16 units). */
  locate(offset: number): SourceLocation {
    const starts = this.lineStarts;
    // The last line starting at or before the offset.
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { file: this.file, line: lo + 1, column: offset - starts[lo] + 1, offset };
  }
}
