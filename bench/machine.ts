// What the numbers were measured on: CPU, cores, memory, load, node, the peers' versions and brewnet's commit.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';

export function packageVersion(root: string, name: string): string {
  const file = join(root, 'node_modules', name, 'package.json');
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version : 'not installed';
}

function gitCommit(root: string): string {
  try {
    const head = execFileSync('git', ['-C', root, 'log', '-1', '--format=%h %cI'], { encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['-C', root, 'status', '--porcelain', '--untracked-files=no'], { encoding: 'utf8' }).trim() !== '';
    return `${head}${dirty ? ' (working tree has uncommitted changes)' : ''}`;
  } catch {
    return 'unknown (not a git checkout)';
  }
}

export const loadAverage = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(', ');

export function machineLines(root: string): string[] {
  const cpu = cpus();
  return [
    `- machine: ${cpu[0]?.model.trim() ?? 'unknown CPU'} × ${cpu.length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB; node ${process.version} (V8 ${process.versions.v8})`,
    `- brewnet: commit ${gitCommit(root)}`,
    `- versions: gpu.js ${packageVersion(root, 'gpu.js')}, @tensorflow/tfjs-core ${packageVersion(root, '@tensorflow/tfjs-core')} (-backend-wasm ${packageVersion(root, '@tensorflow/tfjs-backend-wasm')}, -backend-cpu ${packageVersion(root, '@tensorflow/tfjs-backend-cpu')}), onnxruntime-node ${packageVersion(root, 'onnxruntime-node')}, gl ${packageVersion(root, 'gl')}`,
  ];
}
