// The whole-net peer suite of `npm run bench` (issue 12): each net whole, batch 1, on brewnet (wasm, one
// thread and with threads) beside OpenCV's dnn module native (Debian's python3-opencv, 2 threads) and
// opencv.js (OpenCV's WebAssembly build, in Node) and onnxruntime-node (2 threads) on brewnet's ONNX export,
// all on the same seeded .caffemodel and input. Outputs are
// compared with OpenCV native's (a real Caffe runtime) before any time counts. One process per
// implementation and net; peak RSS is each process's own.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readNpy } from '../../src/runtime/npy.js';
import { runChild, type ChildOutcome } from '../child-process.js';
import { fmtExp, fmtMs, fmtRatio, table } from '../markdown.js';
import { wholeNets, type WholeNet } from './nets.js';
import { prepareNet, type Prepared } from './prepare.js';
import type { WholeResult } from './result.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const PYTHON = '/usr/bin/python3';
/** Checked against OpenCV native's output: the largest difference over the largest |value|. */
const TOLERANCE = 1e-4;

export interface WholeSuiteOptions {
  root: string;
  nets?: string[];
  /** brewnet configurations (default wasm and wasm+threads). */
  configs?: string[];
  log: (line: string) => void;
}

interface Row {
  net: WholeNet;
  prepared?: Prepared;
  results: Map<string, ChildOutcome<WholeResult>>;
  errors: Map<string, number>;
  skipped?: string;
}

function opencvNative(): string | undefined {
  if (!existsSync(PYTHON)) return `${PYTHON} absent`;
  try {
    execFileSync(PYTHON, ['-c', 'import cv2, numpy'], { stdio: 'ignore' });
    return undefined;
  } catch {
    return 'python3-opencv is not installed (apt-get install python3-opencv)';
  }
}

function pythonChild(script: string, args: string[], timeoutMs: number): ChildOutcome<WholeResult> {
  try {
    const stdout = execFileSync(PYTHON, [script, ...args], {
      encoding: 'utf8',
      timeout: timeoutMs,
      maxBuffer: 16 << 20,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const line = stdout.split('\n').find((l) => l.startsWith('BENCH-RESULT '));
    return line ? { ok: true, value: JSON.parse(line.slice('BENCH-RESULT '.length)) } : { ok: false, reason: 'no result line' };
  } catch (e) {
    const err = e as { stderr?: string; code?: string; signal?: string };
    if (err.code === 'ETIMEDOUT' || err.signal === 'SIGTERM')
      return { ok: false, reason: `timed out after ${(timeoutMs / 1000).toFixed(0)} s` };
    return { ok: false, reason: (err.stderr ?? String(e)).trim().split('\n').slice(-2).join(' / ').slice(0, 300) };
  }
}

/**
 * The largest difference from the oracle's output, relative to the oracle's largest value. A detection
 * table (SSD's DetectionOutput: rows of 7, [image, label, score, x1, y1, x2, y2]) is compared as a set of
 * rows: caffe-ssd pads with rows of -1 (and writes [i, -1, …] for an image with none) where OpenCV pads with
 * zeros and orders an image's rows by score rather than by label, so padding rows are dropped and the rest
 * sorted before comparing.
 */
function relError(a: string, b: string, detections = false): number {
  let x = readNpy(readFileSync(a)).data;
  let y = readNpy(readFileSync(b)).data;
  if (detections) [x, y] = [detectionRows(x), detectionRows(y)];
  if (x.length !== y.length) return Infinity;
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < x.length; i++) {
    diff = Math.max(diff, Math.abs(x[i] - y[i]));
    scale = Math.max(scale, Math.abs(y[i]));
  }
  return Number.isNaN(diff) ? Infinity : diff / (scale || 1);
}

function detectionRows(data: Float32Array): Float32Array {
  const rows: Float32Array[] = [];
  for (let i = 0; i + 7 <= data.length; i += 7) {
    const row = data.subarray(i, i + 7);
    if (row[1] === -1 || row.every((v) => v === 0)) continue;
    rows.push(row);
  }
  rows.sort((p, q) => {
    for (let k = 0; k < 7; k++) if (p[k] !== q[k]) return p[k] - q[k];
    return 0;
  });
  const out = new Float32Array(rows.length * 7);
  rows.forEach((r, i) => out.set(r, i * 7));
  return out;
}

export function runWholeSuite(options: WholeSuiteOptions): string {
  const { root, log } = options;
  const configs = options.configs ?? ['wasm', 'wasm+threads'];
  const nativeMissing = opencvNative();
  const rows: Row[] = [];
  for (const net of wholeNets(root).filter((n) => !options.nets || options.nets.includes(n.id))) {
    const row: Row = { net, results: new Map(), errors: new Map() };
    rows.push(row);
    if (typeof net.path !== 'string') {
      row.skipped = net.path.missing;
      log(`${net.title}: skipped: ${row.skipped}`);
      continue;
    }
    const path = net.path;
    log(`\n${net.title}`);
    const prepared = (row.prepared = prepareNet(root, { ...net, path }));
    const timeoutMs = net.slow ? 600_000 : 240_000;
    const run = (impl: string, outcome: () => ChildOutcome<WholeResult>) => {
      const t0 = performance.now();
      const o = outcome();
      row.results.set(impl, o);
      log(
        `  ${impl}: ${o.ok ? `${fmtMs(o.value.ms)} ms (first ${fmtMs(o.value.firstMs)} ms, ${o.value.runs} timed, RSS ${o.value.rssMB.toFixed(0)} MB)` : `✗ ${o.reason}`} [${((performance.now() - t0) / 1000).toFixed(0)} s]`,
      );
    };
    if (nativeMissing) row.results.set('opencv-native', { ok: false, reason: nativeMissing });
    else run('opencv-native', () => pythonChild(join(root, 'bench', 'whole', 'opencv_native.py'), [path, prepared.dir, '2'], timeoutMs));
    run('opencv.js', () => runChild<WholeResult>(join(HERE, 'opencvjs-child.js'), [path, prepared.dir], { timeoutMs }));
    for (const config of configs)
      run(`brewnet ${config}`, () =>
        runChild<WholeResult>(join(HERE, 'brewnet-child.js'), [path, prepared.dir, net.input.name, config], { timeoutMs }),
      );
    // onnxruntime-node on brewnet's ONNX export of the same net and weights (2 threads).
    run('onnxruntime', () => runChild<WholeResult>(join(HERE, 'ort-child.js'), [path, prepared.dir, net.input.name], { timeoutMs }));
    const oracle = row.results.get('opencv-native');
    for (const [impl, o] of row.results) {
      if (impl === 'opencv-native' || !o.ok || !oracle?.ok) continue;
      const e = relError(o.value.output, oracle.value.output, net.detections === true);
      row.errors.set(impl, e);
      if (!(e <= TOLERANCE)) log(`  ${impl}: output differs from OpenCV native's: ${fmtExp(e)} of the largest value`);
    }
  }
  return report(rows, configs);
}

function report(rows: Row[], configs: string[]): string {
  const impls = ['opencv-native', 'opencv.js', ...configs.map((c) => `brewnet ${c}`), 'onnxruntime'];
  const ms = (row: Row, impl: string) => {
    const o = row.results.get(impl);
    const e = row.errors.get(impl);
    // A time counts only where the output agreed with OpenCV native's.
    return o?.ok && (impl === 'opencv-native' || (e !== undefined && e <= TOLERANCE)) ? o.value.ms : undefined;
  };
  const cell = (row: Row, impl: string) => {
    const o = row.results.get(impl);
    if (!o) return '–';
    if (!o.ok) return `✗ ${o.reason.slice(0, 80)}`;
    const e = row.errors.get(impl);
    const bad = impl !== 'opencv-native' && !(e !== undefined && e <= TOLERANCE);
    return `${fmtMs(o.value.ms)}${o.value.runs === 0 ? ' (1 call)' : ''}${bad ? ` ✗ err ${fmtExp(e)}` : ''}`;
  };
  const best = (row: Row) => {
    const times = configs.map((c) => ms(row, `brewnet ${c}`)).filter((t): t is number => t !== undefined);
    return times.length ? Math.min(...times) : undefined;
  };
  const targets: string[] = [];
  const ratioRows = rows
    .filter((r) => !r.skipped)
    .map((row) => {
      const b = best(row);
      const native = ms(row, 'opencv-native');
      const js = ms(row, 'opencv.js');
      const one = ms(row, 'brewnet wasm');
      const two = ms(row, 'brewnet wasm+threads');
      const vsNative = b !== undefined && native !== undefined ? b / native : undefined;
      const vsJs = b !== undefined && js !== undefined ? js / b : undefined;
      const threads = one !== undefined && two !== undefined ? one / two : undefined;
      const threadTarget = row.net.id === 'resnet50' || row.net.id === 'googlenet' ? 1.6 : 1;
      const met = (ok: boolean | undefined) => (ok === undefined ? '?' : ok ? 'met' : 'not met');
      targets.push(
        `- ${row.net.title}: ≤ 2× OpenCV native ${met(vsNative === undefined ? undefined : vsNative <= 2)}; ≥ 3× opencv.js ${met(vsJs === undefined ? undefined : vsJs >= 3)}; threads ≥ ${threadTarget}× one thread ${met(threads === undefined ? undefined : threads >= threadTarget)}`,
      );
      return [row.net.title, fmtRatio(vsNative), fmtRatio(vsJs), fmtRatio(threads)];
    });
  const gflops = (row: Row, impl: string) => {
    const t = ms(row, impl);
    return row.prepared && t ? ((2 * row.prepared.macs) / (t * 1e6)).toFixed(1) : '–';
  };
  const main = rows.map((row) => {
    if (row.skipped) return [row.net.title, `skipped: ${row.skipped}`, ...impls.slice(1).map(() => '')];
    return [row.net.title, ...impls.map((i) => cell(row, i))];
  });
  const detail = rows
    .filter((r) => !r.skipped)
    .map((row) => [
      row.net.title,
      row.prepared ? `${((2 * row.prepared.macs) / 1e9).toFixed(2)}` : '–',
      row.prepared ? (row.prepared.paramBytes / 1e6).toFixed(0) : '–',
      ...impls.map((i) => {
        const o = row.results.get(i);
        return o?.ok ? `${gflops(row, i)} GFLOP/s, ${o.value.rssMB.toFixed(0)} MB` : '–';
      }),
      ...impls.slice(1).map((i) => fmtExp(row.errors.get(i))),
    ]);
  return [
    '## Whole nets beside OpenCV (issue 12)',
    '',
    "- batch 1; weights seeded (fan-in-scaled uniform; BatchNorm statistics with variance in [0.5, 1.5]; Scale near 1) and written once as a .caffemodel that every implementation loads through its own Caffe reader; input uniform in [0, 1). OpenCV native: Debian's python3-opencv, `cv2.setNumThreads(2)`, DNN_BACKEND_OPENCV on the CPU. opencv.js: npm `@techstark/opencv-js` in Node (WebAssembly, no SIMD, no threads). onnxruntime: onnxruntime-node's CPU provider, 2 threads, on the model `brewnet convert --to onnx` writes from the same .caffemodel.",
    '- a time counts only where the output agrees with OpenCV native\'s within 1e-4 of its largest value (errors in the last table). Median ms of the forward passes after the first (wholeNetPolicy in bench/whole/result.ts: every net gets at least one timed pass after its first call, whose weight re-layout into untouched memory costs seconds on this VM; the time of the second call picks how many: under 1 s, a warm-up and 5–20 passes within 2 s; no forced garbage collection between passes, as in a loop of passes); "(1 call)": the first call took over a minute and is all there is. SSD detections are compared as sets of rows (padding rows dropped, rows sorted: OpenCV pads with zeros and orders by score, caffe-ssd pads with -1 and orders by label).',
    '',
    table(['net', ...impls.map((i) => `${i} (ms)`)], main),
    '',
    table(
      ['net', 'brewnet ÷ OpenCV native (target ≤ 2×)', 'opencv.js ÷ brewnet (target ≥ 3×)', 'threads speed-up (wasm ÷ wasm+threads)'],
      ratioRows,
    ),
    '',
    'Targets:',
    '',
    ...targets,
    '',
    table(
      [
        'net',
        'GFLOP per forward',
        'weights (MB)',
        ...impls.map((i) => `${i}: speed, peak RSS`),
        ...impls.slice(1).map((i) => `${i} err vs native`),
      ],
      detail,
    ),
    '',
  ].join('\n');
}
