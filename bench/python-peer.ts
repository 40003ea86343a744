// The Python peer: google.protobuf.text_format.Parse (pure-Python tokenizer and parser, whatever the
// message backend) on the same file, in one python3 process per size, timed inside Python around the
// Parse call only. caffe_pb2 is generated into a temporary folder with protoc --python_out.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { summarise, type Timing } from './timing.js';

/** Debian's python3 with its protobuf package (the pyenv python3 on PATH has none). */
export const PYTHON = '/usr/bin/python3';

export interface PythonPeer {
  version: string;
  backend: string;
  time(path: string, runs: number): Timing & { layers: number };
  dispose(): void;
}

/** The Python peer, or the reason it cannot be used. */
export function findPython(protoDir: string, script: string): PythonPeer | string {
  const probe = spawnSync(
    PYTHON,
    ['-c', 'import google.protobuf as p; from google.protobuf.internal import api_implementation as a; print(p.__version__, a.Type())'],
    { encoding: 'utf8' },
  );
  if (probe.error || probe.status !== 0) {
    return `${PYTHON} with protobuf not found (${probe.error?.message ?? probe.stderr.trim().split('\n').pop()})`;
  }
  const [version, backend] = probe.stdout.trim().split(' ');
  const dir = mkdtempSync(join(tmpdir(), 'brewnet-bench-'));
  const gen = spawnSync('protoc', [`--python_out=${dir}`, '-I', protoDir, join(protoDir, 'caffe.proto')], { encoding: 'utf8' });
  if (gen.error || gen.status !== 0) {
    rmSync(dir, { recursive: true, force: true });
    return `cannot generate caffe_pb2 with protoc (${gen.error?.message ?? gen.stderr.trim()})`;
  }
  return {
    version,
    backend,
    time(path: string, runs: number) {
      const result = spawnSync(PYTHON, [script, dir, path, String(runs)], { encoding: 'utf8', maxBuffer: 1 << 20 });
      if (result.error || result.status !== 0) {
        throw new Error(`python text_format failed on ${path}: ${result.error?.message ?? result.stderr.slice(-1000)}`);
      }
      const out = JSON.parse(result.stdout) as { layers: number; times: number[] };
      return { ...summarise(out.times), layers: out.layers };
    },
    dispose() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
