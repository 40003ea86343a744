// The threads suite of `npm run bench` (issue 12): GoogLeNet, ResNet-50 and SqueezeNet whole on backend
// wasm with one thread, the default (every core) and one thread unfused, each configuration in its own
// process, interleaved REPS times (a shared machine's load drifts: interleaving spreads it over all), the
// median of the processes' medians reported with the load average at each run.
import { loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runChild } from '../child-process.js';
import { fmtMs, fmtRatio, table } from '../markdown.js';
import { wholeNets } from './nets.js';
import { prepareNet } from './prepare.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const NETS = ['googlenet', 'resnet50', 'squeezenet11'];
const CONFIGS = [
  { id: '1 thread', args: ['1', 'fuse'] },
  { id: 'default threads', args: ['default', 'fuse'] },
  { id: '1 thread, unfused', args: ['1', 'nofuse'] },
];

interface ChildResult {
  firstMs: number;
  ms: number;
  minMs: number;
  cpuMs: number;
}

const median = (v: number[]) => {
  const s = [...v].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length === 0 ? NaN : s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

export function runThreadsSuite(options: { root: string; nets?: string[]; reps?: number; log: (line: string) => void }): string {
  const { root, log } = options;
  const reps = options.reps ?? 3;
  const rows: string[][] = [];
  const loads: number[] = [];
  for (const net of wholeNets(root).filter((n) => (options.nets ?? NETS).includes(n.id))) {
    if (typeof net.path !== 'string') {
      log(`${net.title}: skipped: ${net.path.missing}`);
      continue;
    }
    const prepared = prepareNet(root, { ...net, path: net.path });
    const results = new Map<string, ChildResult[]>(CONFIGS.map((c) => [c.id, []]));
    log(`\n${net.title}`);
    for (let r = 0; r < reps; r++) {
      for (const c of CONFIGS) {
        const load = loadavg()[0];
        loads.push(load);
        const o = runChild<ChildResult>(join(HERE, 'threads-child.js'), [net.path, prepared.dir, net.input.name, ...c.args], {
          timeoutMs: 300_000,
        });
        if (o.ok) results.get(c.id)!.push(o.value);
        log(`  ${c.id} (load ${load.toFixed(2)}): ${o.ok ? `${fmtMs(o.value.ms)} ms, CPU ${fmtMs(o.value.cpuMs)} ms` : `✗ ${o.reason}`}`);
      }
    }
    const ms = (id: string) => median(results.get(id)!.map((v) => v.ms));
    const cpu = (id: string) => median(results.get(id)!.map((v) => v.cpuMs));
    const [one, many, unfused] = CONFIGS.map((c) => ms(c.id));
    rows.push([
      net.title,
      fmtMs(one),
      fmtMs(many),
      fmtRatio(one / many),
      `${fmtMs(cpu('1 thread'))} / ${fmtMs(cpu('default threads'))}`,
      fmtMs(unfused),
      fmtRatio(unfused / one),
    ]);
  }
  return [
    '## Threads and fusions (whole nets, backend wasm)',
    '',
    `- each configuration in its own process, ${reps} times interleaved; per process the median of 5 passes after 2 untimed ones; the table gives the median over processes. Load average (1 min) at the runs: ${Math.min(...loads).toFixed(2)}–${Math.max(...loads).toFixed(2)} on the cores listed above (a load above the core count: the threads did not have the cores to themselves).`,
    '- targets (issue 12): default threads ≥ 1.6× one thread on ResNet-50 and GoogLeNet, never slower than one thread on any net.',
    '',
    table(
      [
        'net',
        '1 thread ms',
        'default threads ms',
        'threads speed-up',
        'CPU ms per pass (1 / default)',
        '1 thread unfused ms',
        'fusions speed-up',
      ],
      rows,
    ),
    '',
  ].join('\n');
}
