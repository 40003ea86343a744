// One configuration of the threads suite on one net, in its own process:
//   node dist/bench/whole/threads-child.js <prototxt> <dir> <input name> <threads: 1 | default | N> [fuse|nofuse]
// Compiles the net with the seeded .caffemodel, runs two untimed passes (kernel builds, weight re-layout,
// JIT), then RUNS timed passes, and reports their median wall time and the process's CPU time per pass
// (all threads): CPU ≈ wall × threads busy, so a split that only added waiting shows as CPU with no gain.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { compile, loadNet } from '../../src/index.js';
import { readNpy } from '../../src/runtime/npy.js';
import { reportResult } from '../child-process.js';
import { summarise } from '../timing.js';

const RUNS = 5;
const [prototxt, dir, inputName, threads, fuse = 'fuse'] = process.argv.slice(2);
const x = readNpy(readFileSync(join(dir, 'input.npy')));
const net = loadNet(prototxt, { inputs: { [inputName]: x.shape } });
const compiled = await compile(net, {
  weights: join(dir, 'weights.caffemodel'),
  backend: 'wasm',
  ...(threads === 'default' ? {} : { threads: Number(threads) }),
  fuse: fuse !== 'nofuse',
});
const t0 = performance.now();
await compiled.forward({ [inputName]: x });
const firstMs = performance.now() - t0;
await compiled.forward({ [inputName]: x });
const wall: number[] = [];
const cpu: number[] = [];
for (let i = 0; i < RUNS; i++) {
  const u = process.cpuUsage();
  const t = performance.now();
  await compiled.forward({ [inputName]: x });
  wall.push(performance.now() - t);
  const d = process.cpuUsage(u);
  cpu.push((d.user + d.system) / 1000);
}
compiled.destroy();
reportResult({ firstMs, ms: summarise(wall).median, minMs: summarise(wall).min, cpuMs: summarise(cpu).median });
process.exit(0);
