// Runs one benchmark configuration in a fresh node process, so no configuration inherits another's JIT
// decisions, heap or worker threads (PERF-BASELINE's method). The child prints one line
// `BENCH-RESULT <json>`; everything else it prints (library banners) is ignored.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const MARKER = 'BENCH-RESULT ';

/** Prints the result line a child process reports back with. */
export function reportResult(value: unknown): void {
  process.stdout.write(`\n${MARKER}${JSON.stringify(value)}\n`);
}

export interface ChildOptions {
  /** Run under `xvfb-run -a` (a virtual X display, for headless-gl). */
  xvfb?: boolean;
  /** Kill the child after this many ms. */
  timeoutMs: number;
}

export type ChildOutcome<T> = { ok: true; value: T } | { ok: false; reason: string };

export const xvfbAvailable = (): boolean => existsSync('/usr/bin/xvfb-run') || existsSync('/usr/local/bin/xvfb-run');

/** Runs `script args…` with this process's node flags and returns what it reported. */
export function runChild<T>(script: string, args: string[], options: ChildOptions): ChildOutcome<T> {
  const node = [...process.execArgv, script, ...args];
  const [command, argv] = options.xvfb
    ? ['xvfb-run', ['-a', '-s', '-screen 0 1024x768x24', process.execPath, ...node]]
    : [process.execPath, node];
  const result = spawnSync(command, argv, {
    encoding: 'utf8',
    maxBuffer: 64 << 20,
    timeout: options.timeoutMs,
    // Cold shader compiles every time, as a user's first run would see them.
    env: { ...process.env, MESA_SHADER_CACHE_DISABLE: 'true' },
  });
  const line = result.stdout?.split('\n').find((l) => l.startsWith(MARKER));
  if (line) return { ok: true, value: JSON.parse(line.slice(MARKER.length)) as T };
  if (result.error) {
    const timedOut = (result.error as NodeJS.ErrnoException).code === 'ETIMEDOUT';
    return { ok: false, reason: timedOut ? `timed out after ${(options.timeoutMs / 1000).toFixed(0)} s` : result.error.message };
  }
  const stderr = (result.stderr ?? '')
    .trim()
    .split('\n')
    .filter((l) => l.trim() !== '' && l.length < 400);
  // The message, not the source line a minified module (opencv.js) prints above its throw.
  const cause = stderr.filter((l) => /error|abort|memory|exception|killed/i.test(l)).slice(-2);
  return {
    ok: false,
    reason: `exit ${result.status ?? result.signal}: ${(cause.length ? cause : stderr.slice(-3)).join(' / ').slice(0, 400)}`,
  };
}
