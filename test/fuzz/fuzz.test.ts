// A slice of the reliability campaign (npm run fuzz runs thousands): 200 mutated inputs — the examples, the
// numerics fixtures with their .caffemodel and .npy files, generated nets, and the shared corpus where it is
// present — through shapes, analyze, convert, compile and run. Each must end in success or a diagnostic:
// no internal error, no hang (10 s of CPU), no running out of memory, no flood of diagnostic text.
import { describe, expect, it } from 'vitest';
import { corpusAvailable } from '../helpers/corpus.js';
import { FAILURES, runCampaign, summarize } from './campaign.js';

describe('fuzz', () => {
  it('200 mutated cases end in success or a diagnostic', { timeout: 600_000 }, async () => {
    if (!corpusAvailable) console.warn('[fuzz] ../shared/corpus is absent: mutating the examples, fixtures and generated nets only');
    const result = await runCampaign({ seed: 20_261_206, cases: 200 });
    const failures = FAILURES.reduce((n, f) => n + result.counts[f], 0);
    expect(failures, summarize(result)).toBe(0);
    expect(result.counts.ok + result.counts.diagnostic + result.counts['unlocated diagnostic']).toBe(200);
  });
});
