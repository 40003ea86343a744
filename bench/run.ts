// `npm run bench`: brewnet's benchmark suites, one after the other, into bench/results.md.
//   deconv    Deconvolution problems P1–P5 on every backend vs tfjs (wasm, cpu) and onnxruntime-node
//   nets      FCN-8s and the corpus FSRCNN per layer and whole, every backend vs the reference executor
//   whole     corpus nets whole (GoogLeNet, ResNet-50, …, FCN-8s 500²) vs OpenCV native and opencv.js
//   threads   GoogLeNet, ResNet-50, SqueezeNet on wasm: one thread vs the default (every core) vs unfused, interleaved
//   frontend  parse speed on 6–50 MB prototxt files vs protoc (C++) and Python text_format
//   draw      brewnet draw on FCN-8s, GoogLeNet, ResNet-50: analysis, DOT, Graphviz layout, PNG
//
//   npm run bench -- [--only deconv,nets,whole,threads,frontend,draw] [--whole-nets googlenet,resnet50] [--reps N] [--problems P1,P2-bilinear] [--nets fcn8s,fsrcnn] [--fcn8s-whole]
//                    [--sizes 6,12,25,50] [--runs N] [--python-runs N] [--out FILE]
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { listOption, option } from './cli-options.js';
import { runDeconvSuite } from './deconv/suite.js';
import { runDrawSuite } from './draw-suite.js';
import { runFrontendSuite } from './frontend-suite.js';
import { loadAverage, machineLines } from './machine.js';
import { runNetsSuite } from './nets/suite.js';
import { runWholeSuite } from './whole/suite.js';
import { runThreadsSuite } from './whole/threads-suite.js';
import { repoRoot } from './repo-root.js';

const SUITES = ['deconv', 'nets', 'whole', 'threads', 'frontend', 'draw'] as const;
type Suite = (typeof SUITES)[number];

const root = repoRoot();
const only = listOption('only') ?? [...SUITES];
const unknown = only.filter((s) => !(SUITES as readonly string[]).includes(s));
if (unknown.length) {
  console.error(`unknown suite(s) ${unknown.join(', ')}; choose from ${SUITES.join(', ')}`);
  process.exit(2);
}
const log = (s: string) => process.stdout.write(s + '\n');
const out = resolve(option('out') ?? join(root, 'bench', 'results.md'));
const loadBefore = loadAverage();
const started = performance.now();
const wall: string[] = [];
const sections: string[] = [];

for (const suite of SUITES.filter((s) => only.includes(s)) as Suite[]) {
  log(`\n=== ${suite} ===`);
  const t0 = performance.now();
  if (suite === 'deconv') sections.push(await runDeconvSuite({ root, problems: listOption('problems'), log }));
  if (suite === 'nets')
    sections.push(runNetsSuite({ root, fcnWhole: process.argv.includes('--fcn8s-whole'), nets: listOption('nets'), log }));
  if (suite === 'whole') sections.push(runWholeSuite({ root, nets: listOption('whole-nets'), log }));
  if (suite === 'threads') {
    const reps = option('reps');
    sections.push(runThreadsSuite({ root, nets: listOption('whole-nets'), reps: reps ? Number(reps) : undefined, log }));
  }
  if (suite === 'frontend') {
    const sizes = listOption('sizes')?.map(Number);
    const runs = option('runs');
    const pythonRuns = option('python-runs');
    sections.push(
      runFrontendSuite({
        root,
        sizes,
        runs: runs ? Number(runs) : undefined,
        pythonRuns: pythonRuns ? Number(pythonRuns) : undefined,
        log,
      }),
    );
  }
  if (suite === 'draw') sections.push(await runDrawSuite({ root, log }));
  wall.push(`${suite} ${((performance.now() - t0) / 1000).toFixed(0)} s`);
}

const report = [
  '# brewnet benchmark results',
  '',
  `Written by \`npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}\` on ${new Date().toISOString().replace(/\.\d+Z$/, 'Z')}.`,
  '',
  ...machineLines(root),
  `- load average (1, 5, 15 min): ${loadBefore} at the start, ${loadAverage()} at the end (a load above the core count means other work shared the CPUs: compare ratios measured in the same run)`,
  `- suites: ${wall.join(', ')}; total ${((performance.now() - started) / 1000).toFixed(0)} s of wall time`,
  '',
  ...sections,
].join('\n');
log('\n' + report);
writeFileSync(out, report);
log(`written to ${out}`);
