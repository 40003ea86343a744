// The C++ peer: `protoc --encode=caffe.NetParameter` reads the file on stdin with protobuf's C++
// TextFormat parser and writes the binary encoding (to /dev/null here). What is timed is the whole
// process, wall clock: spawn, loading caffe.proto, parsing, encoding. The same command on a one-line
// file measures that fixed start-up cost, reported beside it.
import { closeSync, openSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { summarise, type Timing } from './timing.js';

export interface ProtocPeer {
  version: string;
  /** Times one run of protoc on `path`; throws if protoc rejects the file. */
  run(path: string): number;
}

/** protoc, or the reason it cannot be used. */
export function findProtoc(protoDir: string): ProtocPeer | string {
  const probe = spawnSync('protoc', ['--version'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) return `protoc not found (${probe.error?.message ?? probe.stderr.trim()})`;
  const args = ['--encode=caffe.NetParameter', '-I', protoDir, `${protoDir}/caffe.proto`];
  return {
    version: probe.stdout.trim(),
    run(path: string): number {
      const input = openSync(path, 'r');
      try {
        const start = performance.now();
        const result = spawnSync('protoc', args, { stdio: [input, 'ignore', 'pipe'], encoding: 'utf8' });
        const ms = performance.now() - start;
        if (result.error || result.status !== 0) {
          throw new Error(`protoc failed on ${path}: ${result.error?.message ?? result.stderr.slice(0, 500)}`);
        }
        return ms;
      } finally {
        closeSync(input);
      }
    },
  };
}

export function timeProtoc(protoc: ProtocPeer, path: string, runs: number): Timing {
  protoc.run(path); // warm the page cache
  const times: number[] = [];
  for (let i = 0; i < runs; i++) times.push(protoc.run(path));
  return summarise(times);
}
