// Runs the brewnet CLI from source (through tsx) in a child process, as a user would run it.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from './corpus.js';

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

export function runCli(args: string[], options: { cwd?: string } = {}): CliResult {
  const result = spawnSync(
    process.execPath,
    ['--conditions=brewnet-source', '--import', 'tsx', join(repoRoot, 'src', 'cli', 'main.ts'), ...args],
    {
      cwd: options.cwd ?? repoRoot,
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1' },
    },
  );
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}
