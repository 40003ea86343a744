// `npm run fuzz [-- --cases N --seed S --timeout SECONDS --shard i/N --only N]`: the reliability campaign (see campaign.ts),
// kept out of `npm test` for its length. Prints a summary by cause; exits 1 if any case failed.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fuzzCases } from './cases.js';
import { FAILURES, runCampaign, summarize } from './campaign.js';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return fallback;
  const v = Number(process.argv[i + 1]);
  if (!Number.isFinite(v)) throw new Error(`--${name} needs a number`);
  return v;
}

const seed = arg('seed', 1);
const cases = arg('cases', 3000);
const only = arg('only', -1);
if (only >= 0) {
  // One case, to reproduce a finding: its files written to a folder, its command and flags printed.
  const dir = mkdtempSync(join(tmpdir(), `brewnet-fuzz-case-${only}-`));
  for (const c of fuzzCases(seed, only + 1)) {
    if (c.id !== only) continue;
    for (const [name, bytes] of Object.entries(c.files)) writeFileSync(join(dir, name), bytes);
    console.log(
      JSON.stringify({ origin: c.origin, command: c.command, net: join(dir, c.net), flags: c.flags }, (_, v) =>
        v instanceof Map ? Object.fromEntries(v) : v,
      ).replaceAll('$dir', dir),
    );
  }
  process.exit(0);
}
// --shard i/N: this process runs the cases with id % N === i (run N processes to use N cores).
const shardArg = process.argv.indexOf('--shard');
const shard = shardArg < 0 ? undefined : (([i, n]) => ({ index: Number(i), of: Number(n) }))(process.argv[shardArg + 1].split('/'));
console.log(`brewnet fuzz: ${cases} cases, seed ${seed}${shard ? `, shard ${shard.index}/${shard.of}` : ''}`);
const result = await runCampaign({
  seed,
  cases,
  shard,
  onFailure: (f) => console.log(`  case ${f.id}: ${f.ending}: ${f.cause.slice(0, 200)} (${f.origin.slice(0, 120)})`),
  timeoutMs: arg('timeout', 10) * 1000,
  onProgress: (done, failures) => {
    if (done % 250 === 0) console.log(`  ${done} cases, ${failures} failures`);
  },
});
console.log(summarize(result));
process.exitCode = FAILURES.some((f) => result.counts[f] > 0) ? 1 : 0;
