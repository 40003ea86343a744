// Child-process entry for brewnet's timings: one fresh node process per file, as for the Python peer, so
// no size inherits the heap or the compiled code another size left behind.
//   node --expose-gc --max-old-space-size=8192 dist/bench/brewnet-process.js <prototxt> <runs> [warm-up runs]
// Prints the BrewnetTimings as JSON.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { timeBrewnet, type BrewnetTimings } from './brewnet-speed.js';

const OUTPUT_BLOB = 'prob';

/** Runs this file in a new node process (with this process's node flags) and returns its timings. */
export function timeBrewnetInChild(path: string, runs: number, warmup = 1): BrewnetTimings {
  const script = fileURLToPath(import.meta.url);
  const result = spawnSync(process.execPath, [...process.execArgv, script, path, String(runs), String(warmup)], {
    encoding: 'utf8',
    maxBuffer: 1 << 20,
  });
  if (result.error || result.status !== 0) {
    throw new Error(`brewnet timing failed on ${path}: ${result.error?.message ?? result.stderr.slice(-2000)}`);
  }
  return JSON.parse(result.stdout) as BrewnetTimings;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [path, runs, warmup] = process.argv.slice(2);
  process.stdout.write(JSON.stringify(timeBrewnet(path, Number(runs), OUTPUT_BLOB, warmup === undefined ? 1 : Number(warmup))) + '\n');
}
