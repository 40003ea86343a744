// "did you mean …?" hints: the closest candidate by edit distance, if it is close enough to be a typo.

/** Edits (insert, delete, substitute, or swap two neighbours: `nmae` is one edit from `name`) from a to b. */
export function editDistance(a: string, b: string): number {
  // Three rows of the optimal-string-alignment table: two back for the swap.
  let before = new Array<number>(b.length + 1).fill(0);
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = new Array<number>(b.length + 1);
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row[j] = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) row[j] = Math.min(row[j], before[j - 2] + 1);
    }
    before = prev;
    prev = row;
  }
  return prev[b.length];
}

/** Names longer than this are no one's typo of a schema name or blob; they get no suggestion. */
const LONGEST_TYPO = 200;

/** The candidate nearest to `word`, or undefined when none is within a third of the word's length. */
export function closest(word: string, candidates: Iterable<string>): string | undefined {
  if (word.length > LONGEST_TYPO) return undefined;
  const lower = word.toLowerCase();
  const limit = Math.max(1, Math.floor(word.length / 3));
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    // The distance is at least the difference in length: skip what cannot be near enough or nearer.
    if (Math.abs(candidate.length - word.length) > Math.min(limit, bestDistance - 1)) continue;
    const d = editDistance(lower, candidate.toLowerCase());
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return bestDistance <= limit ? best : undefined;
}

export function didYouMean(word: string, candidates: Iterable<string>): string | undefined {
  const match = closest(word, candidates);
  return match === undefined ? undefined : `did you mean "${match}"?`;
}

/**
 * Up to `max` candidates close to `word` (by edit distance within a third of its length, or containing it or
 * contained in it), nearest first: for "did you mean" among many names, where one guess may be wrong.
 */
export function closeNames(word: string, candidates: Iterable<string>, max = 3): string[] {
  const lower = word.toLowerCase();
  const limit = Math.max(1, Math.floor(word.length / 3));
  const scored: [string, number][] = [];
  for (const candidate of candidates) {
    // Long names cost quadratic time to compare; a name far longer or shorter cannot be within the limit.
    const c = candidate.toLowerCase();
    const containing = lower.length >= 2 && (c.includes(lower) || lower.includes(c)) && c.length >= 2;
    if (!containing && Math.abs(c.length - lower.length) > limit) continue;
    const d = c.length > 256 || lower.length > 256 ? Infinity : editDistance(lower, c);
    if (d <= limit) scored.push([candidate, d]);
    else if (containing) scored.push([candidate, limit + 1 + Math.abs(c.length - lower.length)]);
  }
  scored.sort((a, b) => a[1] - b[1]);
  return scored.slice(0, max).map(([c]) => c);
}

/** `did you mean "a", "b" or "c"?` for closeNames' answer, or undefined when it is empty. */
export function didYouMeanAny(word: string, candidates: Iterable<string>, max = 3): string | undefined {
  const names = closeNames(word, candidates, max).map((n) => `"${n}"`);
  if (names.length === 0) return undefined;
  const list = names.length === 1 ? names[0] : `${names.slice(0, -1).join(', ')} or ${names[names.length - 1]}`;
  return `did you mean ${list}?`;
}

/** The hint for a blob name the net lacks: a few close names, or how many blobs there are and a few of them. */
export function unknownBlobHint(name: string, blobs: readonly string[]): string {
  const guess = didYouMeanAny(name, blobs);
  if (guess) return guess;
  const few = blobs
    .slice(0, 5)
    .map((b) => `"${b}"`)
    .join(', ');
  return blobs.length <= 5 ? `its blobs are: ${few}` : `its ${blobs.length} blobs include ${few}, …; \`brewnet shapes\` lists them all`;
}
