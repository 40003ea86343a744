// The deconvolution suite of `npm run bench`: every problem on every brewnet backend and every peer, each
// configuration in its own process, checked against the float64 reference before it is timed; then the
// tables, the ratios and the issue's targets.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BACKENDS } from '../../src/runtime/index.js';
import { runChild, xvfbAvailable } from '../child-process.js';
import { fmtExp, fmtMs, fmtRatio, table } from '../markdown.js';
import type { DeconvResult } from './child.js';
import { describe, inputData, PROBLEMS, usefulMacs, weightData, type Problem } from './problems.js';
import { referenceOutput, TOLERANCE } from './reference.js';
import { ORT_THREADS } from './ort-impl.js';

/** gpu.js modes that run on a GPU (or a software GL); the others are "CPU backends" in the targets. */
const GL_BACKENDS = new Set(['headlessgl', 'webgl', 'webgl2', 'webgpu', 'gpu']);
const PEERS = [
  { name: 'tfjs-wasm', label: 'tfjs-wasm conv2dTranspose' },
  { name: 'tfjs-cpu', label: 'tfjs-cpu conv2dTranspose' },
  { name: 'ort', label: `onnxruntime-node ConvTranspose (${ORT_THREADS} threads)` },
];
const CHILD = join(dirname(fileURLToPath(import.meta.url)), 'child.js');
const PEER_PROCESSES = [['ort', 'tfjs-wasm'], ['tfjs-cpu']];
const order = (name: string) => (name.startsWith('brewnet:') ? 0 : 1 + PEERS.findIndex((p) => p.name === name));

export interface DeconvSuiteOptions {
  root: string;
  problems?: string[];
  log: (line: string) => void;
}

interface Row {
  name: string;
  label: string;
  result?: DeconvResult;
  skipped?: string;
}

const needsDisplay = (backend: string) => GL_BACKENDS.has(backend) || backend === 'auto';

export async function runDeconvSuite(options: DeconvSuiteOptions): Promise<string> {
  const { log } = options;
  const problems = options.problems ? PROBLEMS.filter((q) => options.problems!.includes(q.id)) : PROBLEMS;
  // Every backend compile() offers, and webasm and wasm again with their worker threads (compile's `threads`).
  const backends: string[] = BACKENDS.filter((b) => b !== 'auto').flatMap((b) =>
    b === 'webasm' || b === 'wasm' ? [b, `${b}+threads`] : [b],
  );
  const xvfb = !process.env.DISPLAY && xvfbAvailable();
  const unavailable = new Map<string, string>();
  // A backend too slow to time on one problem is not tried on problems with at least as much work.
  const tooSlow = new Map<string, { macs: number; why: string }>();
  if (!process.env.DISPLAY && !xvfb) log('note: no display and no xvfb-run: GL backends will say they cannot run here');
  const outDir = join(options.root, 'bench', 'out', 'deconv');
  mkdirSync(outDir, { recursive: true });

  const all: { q: Problem; rows: Row[]; auto?: DeconvResult | string }[] = [];
  // Cheapest problems first, so a backend too slow to time is found out on a small problem and skipped on
  // the bigger ones; the report lists them in P-order again.
  const byWork = [...problems].sort((a, b) => usefulMacs(a) - usefulMacs(b));
  for (const q of byWork) {
    log(`\n${q.id} ${q.title}: ${describe(q)}`);
    const refPath = join(outDir, `${q.id}.f64`);
    const reference = referenceOutput(q, inputData(q), weightData(q));
    writeFileSync(refPath, new Uint8Array(reference.buffer));
    const rows: Row[] = [];
    const runGroup = (names: string[], labels: string[], useXvfb: boolean, pick = false): (DeconvResult | string)[] => {
      // GL on a software rasteriser can take minutes per call; it is informative only, so it gets less time.
      const timeoutMs = useXvfb ? 20_000 : 150_000 * names.length;
      const started = performance.now();
      const outcome = runChild<DeconvResult[]>(CHILD, [q.id, names.join(','), refPath, ...(pick ? ['pick'] : [])], {
        xvfb: useXvfb,
        timeoutMs,
      });
      const wall = ((performance.now() - started) / 1000).toFixed(1);
      if (!outcome.ok) return names.map(() => outcome.reason);
      return outcome.value.map((r, i) => {
        if (r.error) return r; // the caller says why it is skipped
        const line = r.timing
          ? `${fmtMs(r.timing.median)} ms median (${r.timing.runs} runs), first call ${fmtMs(r.timing.first)} ms, err ${fmtExp(r.agreement.relError)}, ${r.detail}`
          : `${r.detail}, first call ${fmtMs(r.firstMs)} ms, err ${fmtExp(r.agreement.relError)}${pick ? '' : ' — FAILS the check, not timed'}`;
        log(`  ${labels[i]}: ${line} [${wall} s]`);
        return r;
      });
    };
    const run = (name: string, label: string, useXvfb: boolean, pick = false) => runGroup([name], [label], useXvfb, pick)[0];
    for (const backend of backends) {
      const name = `brewnet:${backend}`;
      const label = `brewnet ${backend}`;
      if (unavailable.has(backend)) {
        rows.push({ name, label, skipped: unavailable.get(backend) });
        continue;
      }
      const slow = tooSlow.get(backend);
      if (slow && usefulMacs(q) >= slow.macs) {
        rows.push({ name, label, skipped: slow.why });
        log(`  ${label}: skipped: ${slow.why}`);
        continue;
      }
      const r = run(name, label, xvfb && needsDisplay(backend));
      if (typeof r !== 'string' && r.tooSlow)
        tooSlow.set(backend, { macs: usefulMacs(q), why: `not tried: first call on ${q.id} took ${fmtMs(r.firstMs)} ms` });
      if (typeof r === 'string' || r.error) {
        const why = typeof r === 'string' ? r : r.error!;
        if (/cannot run here/.test(why)) unavailable.set(backend, why);
        if (/timed out|too slow/.test(why)) tooSlow.set(backend, { macs: usefulMacs(q), why: `not tried: too slow on ${q.id} (${why})` });
        log(`  ${label}: skipped: ${why}`);
        rows.push({ name, label, skipped: why });
      } else rows.push({ name, label, result: r });
    }
    // Native and WebAssembly peers share a process (no JIT to disturb); tfjs-cpu, plain JS, has its own.
    for (const group of PEER_PROCESSES) {
      const peers = group.map((name) => PEERS.find((p) => p.name === name)!);
      runGroup(
        group,
        peers.map((p) => p.label),
        false,
      ).forEach((r, i) => {
        const peer = peers[i];
        if (typeof r === 'string' || r.error) {
          const why = typeof r === 'string' ? r : r.error!;
          log(`  ${peer.label}: skipped: ${why}`);
          rows.push({ name: peer.name, label: peer.label, skipped: why });
        } else rows.push({ name: peer.name, label: peer.label, result: r });
      });
    }
    rows.sort((a, b) => order(a.name) - order(b.name));
    // `auto` as a user gets it where a display exists (under Xvfb gpu.js itself would pick headlessgl). Its
    // rule reads the machine, not the net (backends.ts chooseBackend), so one probe, on the cheapest problem,
    // stands for all; its pick is compared with the fastest backend of every problem.
    const auto = q === byWork[0] ? run('brewnet:auto', 'brewnet auto (one call: which backend it picks)', xvfb, true) : undefined;
    all.push({ q, rows, auto });
  }
  const probe = all.find((a) => a.auto !== undefined)?.auto;
  for (const a of all) a.auto = probe;
  all.sort((a, b) => PROBLEMS.indexOf(a.q) - PROBLEMS.indexOf(b.q));
  return report(all, { xvfb, backends });
}

// ---- report ----

const timed = (r: Row) => (r.result?.timing && !r.result.error ? r.result.timing.median : undefined);
const gflops = (q: Problem, ms: number | undefined) => (ms === undefined ? undefined : (2 * usefulMacs(q)) / ms / 1e6);

function bestBrewnet(rows: Row[]): { row: Row; ms: number } | undefined {
  let best: { row: Row; ms: number } | undefined;
  for (const row of rows) {
    if (!row.name.startsWith('brewnet:') || GL_BACKENDS.has(row.name.slice(8))) continue;
    const ms = timed(row);
    if (ms !== undefined && (!best || ms < best.ms)) best = { row, ms };
  }
  return best;
}

function problemTable(q: Problem, rows: Row[]): string {
  const best = bestBrewnet(rows);
  const body = rows.map((row) => {
    const r = row.result;
    if (!r) return [row.label, `skipped: ${row.skipped}`, '', '', '', '', '', '', '', ''];
    const ms = timed(row);
    const failed = !(r.agreement.relError <= TOLERANCE);
    return [
      row.label,
      r.detail,
      ms === undefined ? (failed ? '**wrong result: not timed**' : '–') : fmtMs(ms),
      r.timing ? fmtMs(r.timing.min) : '–',
      r.timing ? (r.timing.runs === 0 ? '0 (first call only)' : String(r.timing.runs)) : '–',
      gflops(q, ms)?.toFixed(2) ?? '–',
      fmtMs(r.timing?.first ?? r.firstMs),
      fmtMs(r.setupMs),
      fmtExp(r.agreement.relError),
      best && ms !== undefined ? fmtRatio(best.ms / ms) : '–',
    ];
  });
  return table(
    [
      'implementation',
      'ran as',
      'median ms',
      'min ms',
      'runs',
      'GFLOP/s',
      'first call ms',
      'set-up ms',
      'max err / max |y|',
      'brewnet best time ÷ this time',
    ],
    body,
  );
}

interface Target {
  text: string;
  met: boolean | undefined;
  measured: string;
}

function targets(all: { q: Problem; rows: Row[]; auto?: DeconvResult | string }[]): Target[] {
  const out: Target[] = [];
  const find = (id: string) => all.find((a) => a.q.id === id);
  const peerMs = (rows: Row[], name: string) => timed(rows.find((r) => r.name === name)!);
  for (const id of ['P1-bilinear', 'P2-bilinear', 'P5-bilinear']) {
    const a = find(id);
    if (!a) continue;
    const best = bestBrewnet(a.rows);
    const ort = peerMs(a.rows, 'ort');
    const ratio = best && ort ? best.ms / ort : undefined;
    out.push({
      text: `${id}: brewnet's best CPU backend ≤ 0.5× onnxruntime-node's time`,
      met: ratio === undefined ? undefined : ratio <= 0.5,
      measured: best && ort ? `${fmtMs(best.ms)} ms (${best.row.label}) vs ${fmtMs(ort)} ms: ${fmtRatio(ratio)}` : 'not measured',
    });
  }
  for (const id of ['P1', 'P2', 'P3', 'P4']) {
    const a = find(id);
    if (!a) continue;
    const best = bestBrewnet(a.rows);
    const wasm = peerMs(a.rows, 'tfjs-wasm');
    const ort = peerMs(a.rows, 'ort');
    const speedup = best && wasm ? wasm / best.ms : undefined;
    out.push({
      text: `${id} dense: ≥ 5× faster than tfjs-wasm`,
      met: speedup === undefined ? undefined : speedup >= 5,
      measured:
        best && wasm ? `${fmtMs(best.ms)} ms (${best.row.label}) vs ${fmtMs(wasm)} ms: ${fmtRatio(speedup)} faster` : 'not measured',
    });
    const ratio = best && ort ? best.ms / ort : undefined;
    out.push({
      text: `${id} dense: within 5× of onnxruntime-node's time`,
      met: ratio === undefined ? undefined : ratio <= 5,
      measured: best && ort ? `${fmtMs(best.ms)} ms vs ${fmtMs(ort)} ms: ${fmtRatio(ratio)} its time` : 'not measured',
    });
  }
  // auto must pick the fastest backend that works (within 10%: run-to-run noise on a shared machine).
  for (const a of all) {
    if (!a.auto || typeof a.auto === 'string' || a.auto.error) continue;
    const picked = /ran on (\S+)/.exec(a.auto.detail)?.[1];
    // auto chooses a backend, not compile()'s threads option: compare with the plain backends.
    const candidates = a.rows.filter((r) => r.name.startsWith('brewnet:') && !r.name.endsWith('+threads') && timed(r) !== undefined);
    const fastest = candidates.sort((x, y) => timed(x)! - timed(y)!)[0];
    const pickedRow = candidates.find((r) => r.name === `brewnet:${picked}`);
    if (!fastest) continue;
    const ok = pickedRow !== undefined && timed(pickedRow)! <= 1.1 * timed(fastest)!;
    out.push({
      text: `${a.q.id}: auto picks the fastest backend that works (within 10%; threads is an option, not a backend)`,
      met: ok && a.auto.agreement.relError <= TOLERANCE,
      measured: `auto ran on ${picked ?? '?'}${pickedRow ? ` (${fmtMs(timed(pickedRow))} ms)` : ''}; fastest measured: ${fastest.label.replace('brewnet ', '')} (${fmtMs(timed(fastest))} ms)`,
    });
  }
  return out;
}

function report(all: { q: Problem; rows: Row[]; auto?: DeconvResult | string }[], env: { xvfb: boolean; backends: string[] }): string {
  const summaryRows = all.map(({ q, rows }) => {
    const best = bestBrewnet(rows);
    const ms = (name: string) => timed(rows.find((r) => r.name === name)!);
    const wasm = ms('tfjs-wasm');
    const cpu = ms('tfjs-cpu');
    const ort = ms('ort');
    const per = (backend: string) => fmtMs(ms(`brewnet:${backend}`));
    return [
      q.id,
      ((2 * usefulMacs(q)) / 1e9).toFixed(3),
      ...env.backends.map(per),
      best ? `${fmtMs(best.ms)} (${best.row.name.slice(8)})` : '–',
      fmtMs(wasm),
      fmtMs(cpu),
      fmtMs(ort),
      best && wasm ? fmtRatio(wasm / best.ms) : '–',
      best && cpu ? fmtRatio(cpu / best.ms) : '–',
      best && ort ? fmtRatio(best.ms / ort) : '–',
    ];
  });
  const summary = table(
    [
      'problem',
      'useful GFLOP',
      ...env.backends.map((b) => `brewnet ${b} ms`),
      'brewnet best CPU ms',
      'tfjs-wasm ms',
      'tfjs-cpu ms',
      'ORT ms',
      'speed-up vs tfjs-wasm',
      'speed-up vs tfjs-cpu',
      'brewnet ÷ ORT time',
    ],
    summaryRows,
  );
  const goals = targets(all);
  const goalTable = table(
    ['target', 'measured', 'status'],
    goals.map((g) => [g.text, g.measured, g.met === undefined ? 'not measured' : g.met ? '**met**' : 'not met']),
  );
  const auto = all[0]?.auto;
  const autoLines = [
    typeof auto === 'string'
      ? `- auto failed: ${auto}`
      : auto
        ? `- \`compile(net, { backend: 'auto' })\` on ${auto.problem}${env.xvfb ? ' under xvfb-run (a display, as gpu.js would pick headlessgl there)' : ''}: ${auto.detail}, first call ${fmtMs(auto.firstMs)} ms, err ${fmtExp(auto.agreement.relError)}${auto.error ? ` (${auto.error})` : ''}. auto's rule reads the machine (GL renderer), not the net, so this one probe stands for every problem in the targets.`
        : '- auto not probed',
  ];
  const sections = all.map(({ q, rows }) =>
    [`### ${q.id} ${q.title}: ${describe(q)}; ${((2 * usefulMacs(q)) / 1e6).toFixed(1)} useful MFLOP`, '', problemTable(q, rows), ''].join(
      '\n',
    ),
  );
  return [
    '## Deconvolution: brewnet vs tfjs and onnxruntime-node',
    '',
    "- problems: batch 1, Caffe layout, no bias, data uniform in [−1, 1) from mulberry32 (seed 1234 + problem number, weights seed + 1000); `-bilinear`: FCN's weights (Caffe's bilinear filler on the channel diagonal, zero elsewhere). P5: Deconvolution then FCN-8s's Crop to 500×500 at offset 31.",
    '- brewnet: each problem is a prototxt net (Input → Deconvolution [→ Crop]) compiled with `compile(net, { weights, backend })` and run with `forward()`; the timed call is the whole `forward` (input upload, kernels, read-back). Backends tried: ' +
      env.backends.join(', ') +
      (env.xvfb ? ' (GL ones under `xvfb-run`)' : '') +
      " (`webasm+threads`: webasm with compile()'s `threads: true`, kernels of ≥ 4096 outputs on gpu.js's worker pool, 2 workers here; `wasm+threads`: native kernels of ≥ 4 M multiply-adds split by rows between the main thread and one worker on a shared memory).",
    "- peers (devDependencies only): tfjs `conv2dTranspose` in NHWC with its filter re-laid once (layout changes not timed, its fastest form); onnxruntime-node `ConvTranspose` one-node model (built in bench/deconv/onnx-model.ts), CPU EP, 2 intra-op threads. P5's Crop is given to both peers as asymmetric padding, so they compute only the kept 500×500 window.",
    `- every brewnet configuration and tfjs-cpu (plain JS: JIT-sensitive) runs in its own node process, onnxruntime-node and tfjs-wasm (native and WebAssembly code) share one; its first call is checked against a float64 direct scatter (max |error| / max |reference| ≤ ${TOLERANCE}) before anything is timed, and the last call is checked again; "first call" (kernel build, JIT, allocation) is reported apart; then 1 warm-up call and ≥ 3 timed calls (more until 0.5 s, at most 15) — a call slower than 1 s gets 2 timed calls and no warm-up, slower than 2.5 s one, slower than 8 s none (that first call is then the row's time, runs 0, and bigger problems skip that configuration); median and fastest.`,
    '- GFLOP/s = 2 × useful MACs (those reaching a kept output, counted as dense also for the bilinear weights) ÷ median time. "brewnet best" = fastest CPU backend (not GL) per problem. Ratios: "speed-up" = peer time ÷ brewnet time; "brewnet ÷ ORT" = brewnet time ÷ ORT time (target ≤ 0.5 for FCN upsampling, ≤ 5 dense).',
    '',
    '### Summary (median ms)',
    '',
    summary,
    '',
    '### Targets (issue 6)',
    '',
    goalTable,
    '',
    '### auto',
    '',
    ...autoLines.filter((l) => l !== ''),
    '',
    ...sections,
  ].join('\n');
}
