// The whole-net suite of `npm run bench`: FCN-8s and the corpus FSRCNN on brewnet's reference executor and
// on every backend, per layer (so the next bottleneck is visible) and, where it fits the time, the whole
// forward pass. One process per backend and net.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BACKENDS } from '../../src/runtime/index.js';
import { runChild, xvfbAvailable } from '../child-process.js';
import { fmtExp, fmtMs, table } from '../markdown.js';
import type { NetResult, TimedRun } from './child.js';
import { layerNets, planOf, type LayerNet } from './layer-nets.js';
import { benchNets, loadBenchNet, type BenchNet } from './nets.js';

const CHILD = join(dirname(fileURLToPath(import.meta.url)), 'child.js');
const GL_BACKENDS = new Set(['headlessgl', 'webgl', 'webgl2', 'webgpu', 'gpu']);
const THREADS_SKIP =
  'not run on this net by default: each layer net starts its own worker pool (seconds per layer here); the deconv suite and FSRCNN show what threads give';
const GL_SKIP =
  'not run on this net by default: on a software GL (llvmpipe) it spends its time budget within the first few layers (kernel builds of seconds each); see FSRCNN and the deconv suite for GL';

export interface NetsSuiteOptions {
  root: string;
  /** Also run FCN-8s's whole forward at 500² on every backend (minutes each; off by default). */
  fcnWhole: boolean;
  /** Net ids to run (default all: fcn8s, fsrcnn). */
  nets?: string[];
  log: (line: string) => void;
}

const fmtWork = (n: number) =>
  n >= 1e9 ? `${(n / 1e9).toFixed(2)}G` : n >= 1e6 ? `${(n / 1e6).toFixed(1)}M` : n >= 1e3 ? `${(n / 1e3).toFixed(1)}K` : String(n);
const fmtTime = (ms: number | undefined) =>
  ms === undefined || !Number.isFinite(ms) ? '–' : ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${fmtMs(ms)} ms`;

export function runNetsSuite(options: NetsSuiteOptions): string {
  const { root, log } = options;
  const backends: string[] = BACKENDS.filter((b) => b !== 'auto').flatMap((b) =>
    b === 'webasm' || b === 'wasm' ? [b, `${b}+threads`] : [b],
  );
  const xvfb = !process.env.DISPLAY && xvfbAvailable();
  const sections: string[] = [];
  const unavailable = new Map<string, string>();
  for (const spec of benchNets(root, { fcnWhole: options.fcnWhole }).filter((n) => !options.nets || options.nets.includes(n.id))) {
    if (typeof spec.path !== 'string') {
      log(`\n${spec.title}: skipped: ${spec.path.missing}`);
      sections.push(`### ${spec.title}\n\nskipped: ${spec.path.missing}\n`);
      continue;
    }
    log(
      `\n${spec.title}, input ${Object.values(spec.inputs)
        .map((s) => s.join('×'))
        .join(', ')}`,
    );
    const dir = join(root, 'bench', 'out', 'nets', spec.id);
    // Which size each layer is timed at is decided once here; every process reads it.
    mkdirSync(dir, { recursive: true });
    const lns = layerNets(loadBenchNet(spec), spec.layerBudget);
    writeFileSync(join(dir, 'plan.json'), JSON.stringify(planOf(lns)));
    const results: { backend: string; result?: NetResult; skipped?: string }[] = [];
    for (const backend of ['reference', ...backends]) {
      if (unavailable.has(backend)) {
        results.push({ backend, skipped: unavailable.get(backend) });
        continue;
      }
      if (GL_BACKENDS.has(backend) && !spec.glLayers) {
        results.push({ backend, skipped: GL_SKIP });
        continue;
      }
      if (backend.endsWith('+threads') && !spec.threadLayers) {
        results.push({ backend, skipped: THREADS_SKIP });
        continue;
      }
      const started = performance.now();
      const outcome = runChild<NetResult>(CHILD, [spec.id, backend, dir, ...(spec.wholeForward ? ['whole'] : [])], {
        xvfb: xvfb && GL_BACKENDS.has(backend),
        timeoutMs: spec.wholeForward && spec.id === 'fcn8s' ? 3_600_000 : 240_000,
      });
      const wall = ((performance.now() - started) / 1000).toFixed(1);
      const firstError = outcome.ok
        ? (outcome.value.error ?? Object.values(outcome.value.layers).find((l) => l.error)?.error)
        : outcome.reason;
      if (!outcome.ok || outcome.value.error || (firstError && /cannot run here/.test(firstError))) {
        const why = firstError ?? 'failed';
        if (/cannot run here/.test(why)) unavailable.set(backend, why);
        log(`  ${backend}: skipped: ${why}`);
        results.push({ backend, skipped: why });
        continue;
      }
      const r = outcome.value;
      const total = Object.values(r.layers).reduce((s, l) => s + (Number.isFinite(l.ms) ? l.ms : 0), 0);
      log(
        `  ${backend}${r.ran ? ` (ran on ${r.ran})` : ''}: Σ layers as timed ${fmtTime(total)}${r.whole ? `, whole forward ${fmtTime(r.whole.ms)}` : ''} (${wall} s)${firstError ? `; problem: ${firstError}` : ''}`,
      );
      results.push({ backend, result: r });
    }
    sections.push(netReport(spec, lns, results));
  }
  return [
    '## Whole nets: per layer and whole forward, every backend against the reference executor',
    '',
    "- each layer runs as its own small net (Input holding its bottoms → the layer and the in-place layers right after it, such as its ReLU, from the net's canonical prototxt), compiled with `compile()` like any net; the reference executor (`runReference`, plain TypeScript) writes every layer's output first, and a backend's times count only where its output agrees (≤ 1e-4 of the largest reference value).",
    '- a layer whose work (MACs; output elements for layers without MACs) is above the net\'s budget is timed on a smaller spatial extent (each bottom cut to S×S, differences between bottoms kept so Crop offsets still fit) and its time scaled up by work: "timed at" and "× scale" say where. This is what fits FCN-8s at 500² (182 G MACs, ~938 s per forward on webasm before optimisation) into the 10-minute benchmark; per-layer timing also cuts cross-layer fusions (a Deconvolution with its Crop folded in) into separate layers.',
    '- times per layer: median of 1–3 calls after the first (reference: the first call alone when it takes over 1 s); "first call" (kernel build) not included. Parameters: seeded uniform, scaled by fan-in; FCN\'s Deconvolutions bilinear on the channel diagonal (as FCN ships them); PReLU slopes 0.25.',
    '',
    ...sections,
  ].join('\n');
}

function netReport(spec: BenchNet, lns: LayerNet[], results: { backend: string; result?: NetResult; skipped?: string }[]): string {
  const measured = results.filter((r) => r.result);
  const cols = measured.map((r) => r.backend);
  const estimate = (run: TimedRun | undefined, scale: number) => (run && Number.isFinite(run.ms) ? run.ms * scale : undefined);
  const totals = new Map<string, number>(cols.map((c) => [c, 0]));
  const incomplete = new Set<string>();
  const rows = lns.map((ln) => {
    const scale = ln.fullWork / ln.work;
    const cells = measured.map(({ backend, result }) => {
      const run = result!.layers[ln.layer.name];
      const ms = estimate(run, scale);
      if (ms === undefined) incomplete.add(backend);
      else totals.set(backend, totals.get(backend)! + ms);
      return run?.error ? `✗ ${run.error.slice(0, 60)}${run.relError !== undefined ? ` (err ${fmtExp(run.relError)})` : ''}` : fmtTime(ms);
    });
    const timedAt = scale === 1 ? 'full' : ln.inputs.map((i) => i.shape.join('×')).join(' + ');
    const names = [ln.layer, ...ln.followers];
    return [
      names.map((l) => l.name).join(' + '),
      names.map((l) => l.type).join(' + '),
      ln.layer.tops.map((t) => t.shape.join('×')).join(', '),
      fmtWork(ln.fullWork),
      timedAt,
      scale === 1 ? '1' : `${scale.toFixed(scale < 10 ? 2 : 0)}`,
      ...cells,
    ];
  });
  const best = cols.filter((c) => c !== 'reference' && !incomplete.has(c)).sort((a, b) => totals.get(a)! - totals.get(b)!)[0];
  rows.push([
    '**Σ layers**',
    '',
    '',
    fmtWork(lns.reduce((s, l) => s + l.fullWork, 0)),
    '',
    '',
    ...cols.map((c) => `**${fmtTime(totals.get(c))}**${incomplete.has(c) ? ' (incomplete)' : ''}`),
  ]);
  const header = ['layer', 'type', 'top (full size)', 'work', 'timed at (bottoms)', '× scale', ...cols];
  const parts = [
    `### ${spec.title}, input ${Object.values(spec.inputs)
      .map((s) => s.join('×'))
      .join(', ')}`,
    '',
  ];
  for (const r of results) if (r.skipped) parts.push(`- ${r.backend}: skipped: ${r.skipped}`);
  for (const r of measured) if (r.result!.ran) parts.push(`- ${r.backend}: kernels ran on ${r.result!.ran}`);
  parts.push('');
  if (measured.some((r) => r.result!.whole)) {
    parts.push(
      table(
        ['whole forward', 'median', 'first call', 'timed calls', 'max err / max |y|', 'Σ layers (scaled)'],
        measured.map(({ backend, result }) => {
          const w = result!.whole;
          return [
            backend,
            w?.error ? `✗ ${w.error}` : fmtTime(w?.ms),
            fmtTime(w?.firstMs),
            String(w?.runs ?? '–'),
            backend === 'reference' ? '(oracle)' : fmtExp(w?.relError),
            fmtTime(totals.get(backend)),
          ];
        }),
      ),
      '',
    );
  }
  parts.push(table(header, rows), '');
  if (best) {
    const share = lns
      .map((ln) => ({
        name: ln.layer.name,
        ms: estimate(measured.find((m) => m.backend === best)!.result!.layers[ln.layer.name], ln.fullWork / ln.work) ?? 0,
      }))
      .sort((a, b) => b.ms - a.ms)
      .slice(0, 5);
    const total = totals.get(best)!;
    parts.push(
      `Fastest backend over the layers: ${best}, Σ ${fmtTime(total)}. Largest layers there: ${share.map((s) => `${s.name} ${fmtTime(s.ms)} (${((100 * s.ms) / total).toFixed(0)}%)`).join(', ')}.`,
      '',
    );
  }
  return parts.join('\n');
}
