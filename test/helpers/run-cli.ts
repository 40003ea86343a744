// Runs the brewnet CLI in a child process, as a user would run it: from the build (dist/) when it is up to
// date with every source file, else from the sources through tsx. The build starts in a third of the time
// (no TypeScript to transpile on each start), which is most of what the CLI tests cost; a stale or partial
// build is never used, so editing a source and running one test file still tests the edit.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { repoRoot } from './corpus.js';

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Whether dist/ holds a .js at least as new as each .ts under src/ and grammar/. */
function buildIsFresh(): boolean {
  const dist = join(repoRoot, 'dist');
  if (!existsSync(join(dist, 'src', 'cli', 'main.js'))) return false;
  const walk = (dir: string): boolean => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!walk(path)) return false;
      } else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) {
        const built = join(dist, relative(repoRoot, path)).replace(/\.ts$/, '.js');
        if (!existsSync(built) || statSync(built).mtimeMs < statSync(path).mtimeMs) return false;
      }
    }
    return true;
  };
  return walk(join(repoRoot, 'src')) && walk(join(repoRoot, 'grammar'));
}

let entry: string[] | undefined;

/** How the CLI is started: decided once per test file. */
export function cliEntry(): string[] {
  entry ??= buildIsFresh()
    ? [join(repoRoot, 'dist', 'src', 'cli', 'main.js')]
    : ['--conditions=brewnet-source', '--import', 'tsx', join(repoRoot, 'src', 'cli', 'main.ts')];
  return entry;
}

export function runCli(args: string[], options: { cwd?: string } = {}): CliResult {
  const result = spawnSync(process.execPath, [...cliEntry(), ...args], {
    cwd: options.cwd ?? repoRoot,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}
