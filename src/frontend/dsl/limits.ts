// The sandbox's bounds on a script's work: steps (statements, loop turns, calls, and bulk operations by
// size), call depth, and the size of any one string or list. Defaults let real net scripts (a few
// thousand steps) run with room to spare while a runaway loop ends in a fraction of a second.

export interface Limits {
  /**
   * Statements, loop iterations and calls; building a list or string in bulk costs one step per
   * LIST_CELLS_PER_STEP items or STRING_CHARS_PER_STEP characters, which also bounds the memory a
   * script can fill (steps × cells) however it loops.
   */
  maxSteps: number;
  /** Nested Python calls. */
  maxDepth: number;
  /** Characters in one string. */
  maxString: number;
  /** Elements in one list, tuple, dict or set. */
  maxList: number;
  /** Bytes written to all captured output files together. */
  maxOutput: number;
  /** Wall-clock seconds: steps differ in cost (a raised NameError looks for a near name), time does not. */
  maxSeconds: number;
  /**
   * Characters of script source. Reading a script cannot be stopped part-way (the lexer takes the whole
   * text), so its size is its time bound: a 14 MB list literal took 35 s and 1.3 GB to read before its
   * list limit stopped it. Real net scripts are tens of KB (DenseNet-121 as NetSpec: 44 KB).
   */
  maxSource: number;
}

export const DEFAULT_LIMITS: Limits = {
  maxSteps: 1_000_000,
  maxDepth: 200,
  maxString: 16_000_000,
  maxList: 1_000_000,
  maxOutput: 64_000_000,
  maxSeconds: 10,
  maxSource: 500_000,
};

/** Steps one raised-and-caught exception costs (making it, unwinding, matching the handler). */
export const STEPS_PER_EXCEPTION = 20;

export const LIST_CELLS_PER_STEP = 4;
export const STRING_CHARS_PER_STEP = 16;

/** Which command-line flag raises each limit (named in the error). */
export const LIMIT_FLAGS: Record<keyof Limits, string> = {
  maxSteps: '--max-steps',
  maxDepth: '--max-depth',
  maxString: '--max-string',
  maxList: '--max-list',
  maxOutput: '--max-output',
  maxSeconds: '--max-seconds',
  maxSource: '--max-source',
};

export function resolveLimits(given: Partial<Limits> | undefined): Limits {
  const limits = { ...DEFAULT_LIMITS };
  for (const [key, value] of Object.entries(given ?? {}) as [keyof Limits, number | undefined][]) {
    if (value === undefined) continue;
    if (!Number.isSafeInteger(value) || value < 1) throw new RangeError(`${LIMIT_FLAGS[key]} must be a positive integer, not ${value}`);
    limits[key] = value;
  }
  return limits;
}
