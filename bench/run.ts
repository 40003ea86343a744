// `npm run bench`: parse speed of brewnet beside protobuf's C++ TextFormat (protoc --encode) and Python's
// text_format, on generated ResNet-50-style prototxt files of several sizes. Prints the tables and writes
// them to bench/results.md.
//
//   node --expose-gc --max-old-space-size=8192 dist/bench/run.js [--sizes 6,12,25,50] [--runs N] [--python-runs N]
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { timeBrewnetInChild } from './brewnet-process.js';
import { INPUT_SHAPE, writeResNet } from './generate-resnet.js';
import { findProtoc, timeProtoc } from './protoc-peer.js';
import { findPython, PYTHON } from './python-peer.js';
import { linearityTable, ratioTable, timesTable, type SizeResult } from './report.js';

/** The repository root: the nearest folder above this file with brewnet's package.json (works from dist/ too). */
function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json')) || !readFileSync(join(dir, 'package.json'), 'utf8').includes('"name": "brewnet"')) {
    const up = dirname(dir);
    if (up === dir) throw new Error('cannot find the brewnet repository root');
    dir = up;
  }
  return dir;
}

function option(name: string): string | undefined {
  const args = process.argv.slice(2);
  const i = args.indexOf(`--${name}`);
  if (i !== -1) return args[i + 1];
  return args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
}

const root = repoRoot();
const protoDir = join(root, 'proto');
const outDir = join(root, 'bench', 'out');
const sizes = (option('sizes') ?? '6,12,25,50').split(',').map(Number);
const runsOption = option('runs');
const pythonRunsOption = option('python-runs');
// Fewer runs for the big files, so the whole benchmark stays within a few minutes.
const runsFor = (size: number) => (runsOption ? Number(runsOption) : size <= 12 ? 5 : 3);
const pythonRunsFor = (size: number) => (pythonRunsOption ? Number(pythonRunsOption) : size <= 12 ? 3 : size <= 25 ? 2 : 1);
if (sizes.some((s) => !(s > 0)) || !(runsFor(1) > 0) || !(pythonRunsFor(1) > 0)) {
  console.error('usage: run.js [--sizes 6,12,25,50] [--runs N] [--python-runs N]');
  process.exit(2);
}

const log = (s: string) => process.stdout.write(s + '\n');
const notes: string[] = [];
const loadBefore = loadavg()[0];
if (!(globalThis as { gc?: unknown }).gc) notes.push('node ran without --expose-gc: the heap is not settled between runs.');

const protoc = findProtoc(protoDir);
if (typeof protoc === 'string') notes.push(`C++ peer skipped: ${protoc}.`);
const python = findPython(protoDir, join(root, 'bench', 'python_text_format.py'));
if (typeof python === 'string') notes.push(`Python peer skipped: ${python}.`);
notes.forEach((n) => log(`note: ${n}`));

// protoc's fixed cost: the same command on a one-line file.
let protocStartup: number | undefined;
if (typeof protoc !== 'string') {
  mkdirSync(outDir, { recursive: true });
  const tiny = join(outDir, 'tiny.prototxt');
  writeFileSync(tiny, 'name: "tiny"\n');
  protocStartup = timeProtoc(protoc, tiny, 10).median;
  log(`protoc start-up (spawn + loading caffe.proto, on a one-line file): ${protocStartup.toFixed(1)} ms`);
}

const results: SizeResult[] = [];
try {
  for (const size of sizes) {
    const path = join(outDir, `resnet50-${size}mb.prototxt`);
    const generated = writeResNet(path, size);
    log(`\n${size} MB: ${path} (${generated.bytes} bytes, ${generated.layers} layers, ${generated.repetitions} × ResNet-50's body)`);

    const brewnet = timeBrewnetInChild(path, runsFor(size));
    if (brewnet.outputShape.join('x') !== '1x1000') throw new Error(`brewnet inferred ${brewnet.outputShape.join('x')} for prob`);
    log(`  brewnet: parse ${brewnet.parse.median.toFixed(0)} ms, parse+type ${brewnet.type.median.toFixed(0)} ms, full ${brewnet.full.median.toFixed(0)} ms (${brewnet.layers} layers, prob ${brewnet.outputShape.join('×')})`);
    const result: SizeResult = { nominal: size, bytes: generated.bytes, layers: brewnet.layers, brewnet };

    if (typeof protoc !== 'string') {
      result.protoc = timeProtoc(protoc, path, runsFor(size));
      log(`  protoc: ${result.protoc.median.toFixed(0)} ms`);
    }
    if (typeof python !== 'string') {
      const timed = python.time(path, pythonRunsFor(size));
      // Python's NetParameter has the layers as written; brewnet's net adds one Input layer for input_shape.
      if (timed.layers !== generated.layers) throw new Error(`Python read ${timed.layers} layers, expected ${generated.layers}`);
      result.python = timed;
      log(`  python: ${timed.median.toFixed(0)} ms`);
    }
    results.push(result);
  }
} finally {
  if (typeof python !== 'string') python.dispose();
}

const linearity = linearityTable(results);
const cpu = cpus();
const setup = [
  `- machine: ${cpu[0]?.model ?? 'unknown CPU'} × ${cpu.length} cores; node ${process.version}; load average ${loadBefore.toFixed(2)} at the start, ${loadavg()[0].toFixed(2)} at the end`,
  `- input: generated by bench/generate-resnet.ts: ResNet-50's body (16 bottleneck units: conv/BatchNorm/Scale/ReLU, Eltwise) repeated with fresh names, stride 1, input ${INPUT_SHAPE.join('×')}`,
  `- brewnet scan+parse: parseText (syntax tree); parse+type: readNetParameter (typed caffe.NetParameter); both on the text in memory`,
  `- brewnet full: loadNet(path): read the file, parse, type, upgrade, filter, connect blobs, infer every shape`,
  `- brewnet runs in a fresh node process per size (${process.execArgv.join(' ') || 'no node flags'}), garbage collected before each run`,
  typeof protoc === 'string'
    ? `- protoc: skipped (${protoc})`
    : `- protoc: ${protoc.version}, \`protoc --encode=caffe.NetParameter -I proto proto/caffe.proto < file > /dev/null\`, wall time of the whole process (spawn, loading caffe.proto, C++ TextFormat parse, binary encoding); its start-up alone (one-line file) is ${protocStartup?.toFixed(1)} ms, subtracted in the "minus start-up" column`,
  typeof python === 'string'
    ? `- Python: skipped (${python})`
    : `- Python: ${PYTHON}, protobuf ${python.version}, backend "${python.backend}" (text_format itself is pure Python with every backend), time.perf_counter around text_format.Parse only, one process per size`,
  `- times are wall clock; median of the runs after one warm-up run (Python: after a warm-up on a tiny message); ratios read "brewnet is X× the speed of …", from the medians (and, in brackets, from the fastest runs)`,
];
const report = [
  '# Parse speed: brewnet vs protobuf C++ TextFormat and Python text_format',
  '',
  ...setup,
  ...notes.map((n) => `- note: ${n}`),
  '',
  '## Times',
  '',
  timesTable(results),
  '',
  '## Ratios (target: brewnet full ≥ 1.0× protoc)',
  '',
  ratioTable(results, { protocStartup }),
  '',
  '## Linearity: MB/s by size',
  '',
  linearity.text,
  '',
  `brewnet's worst spread across sizes: ${linearity.worstSpread.toFixed(2)}× (${linearity.worstSpread <= 1.35 ? 'roughly constant MB/s: linear in size' : 'MB/s falls with size: not linear'}).`,
  '',
].join('\n');

log('\n' + report);
writeFileSync(join(root, 'bench', 'results.md'), report);
log(`written to ${resolve(root, 'bench', 'results.md')}`);
