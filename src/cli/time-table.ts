// `brewnet run --time`: a per-layer table of timed forward passes, like `caffe time` — each layer's wall
// time (its median over the passes timed after the first), its share of the pass, GFLOP/s (2 ×
// multiply-accumulates ÷ time, for layers that have MACs), and what ran it: native (generated WebAssembly), js (a native-route kernel in plain JavaScript), gpu.js, or
// reference (the layer's reference forward on the host, for layers without kernels). A fused chain (fusion
// rules) is one row, named by its last layer, typed by the chain (Convolution+BatchNorm+Scale+ReLU).
// Also the progress bar drawn on a terminal while a forward pass runs longer than a second.
import type { StepTiming } from '../runtime/gpu-executor.js';

export interface TimedLayer {
  name: string;
  type: string;
  macs: number;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** One step list from several passes of the same plan: each step's median time over the passes. */
export function medianPass(passes: readonly (readonly StepTiming[])[]): StepTiming[] {
  if (passes.length === 1) return [...passes[0]];
  const byStep = new Map<number, { first: StepTiming; ms: number[] }>();
  for (const pass of passes)
    for (const t of pass) {
      const e = byStep.get(t.step);
      if (e) e.ms.push(t.ms);
      else byStep.set(t.step, { first: t, ms: [t.ms] });
    }
  return [...byStep.values()].map((e) => ({ ...e.first, ms: median(e.ms) }));
}

/** `passes`: how many passes the times are the medians of (1: one pass's own times). */
export function renderTimeTable(layers: readonly TimedLayer[], timings: readonly StepTiming[], totalMs: number, passes = 1): string {
  const byLayer = new Map<number, { ms: number; ran: Set<string>; fused: Set<number> }>();
  for (const t of timings) {
    if (t.ran === 'alias') continue;
    const e = byLayer.get(t.layer) ?? { ms: 0, ran: new Set<string>(), fused: new Set<number>() };
    e.ms += t.ms;
    e.ran.add(t.ran);
    for (const f of t.fused ?? []) e.fused.add(f);
    byLayer.set(t.layer, e);
  }
  const header = ['layer', 'type', 'ran', 'ms', 'share', 'GFLOP/s'];
  const rows = [...byLayer]
    .sort((a, b) => a[0] - b[0])
    .map(([i, e]) => {
      const l = layers[i];
      // A fused step's row: the chain's types, and its MACs (the Convolution's) for GFLOP/s.
      const chain = [...e.fused].sort((a, b) => a - b).map((f) => layers[f]);
      const macs = chain.reduce((n, f) => n + f.macs, l.macs);
      return [
        l.name,
        [...chain, l].map((f) => f.type).join('+'),
        [...e.ran].join('+'),
        e.ms.toFixed(2),
        `${((100 * e.ms) / totalMs).toFixed(1)}%`,
        macs && e.ms > 0 ? ((2 * macs) / (e.ms * 1e6)).toFixed(2) : '',
      ];
    });
  const kernels = [...byLayer.values()].reduce((n, e) => n + e.ms, 0);
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c].length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, c) => (c >= 3 ? cell.padStart(widths[c]) : cell.padEnd(widths[c])))
      .join('  ')
      .trimEnd();
  const ran = (what: string) => [...byLayer.values()].filter((e) => e.ran.has(what)).reduce((n, e) => n + e.ms, 0);
  return [
    line(header),
    ...rows.map(line),
    '',
    `${passes > 1 ? `median of ${passes} passes after the first: ` : ''}forward pass ${totalMs.toFixed(1)} ms: layers ${kernels.toFixed(1)} ms (native ${ran('native').toFixed(1)}, js ${ran('js').toFixed(1)}, gpu.js ${ran('gpu.js').toFixed(1)}, reference ${ran('reference').toFixed(1)}), the rest ${(totalMs - kernels).toFixed(1)} ms (inputs, outputs, step selection)`,
    '',
  ].join('\n');
}

/** On a terminal (stderr), a bar redrawn after each step once the pass has run a second; undefined elsewhere. */
export function progressBar(
  layers: readonly { name: string }[],
  started: number,
): { step: (t: StepTiming) => void; done: () => void } | undefined {
  if (!process.stderr.isTTY) return undefined;
  let drawn = false;
  let last = 0;
  return {
    step(t) {
      const now = performance.now();
      if (now - started < 1000 || now - last < 100) return;
      last = now;
      drawn = true;
      const done = (t.layer + 1) / layers.length;
      const width = 30;
      const filled = Math.round(done * width);
      const name = layers[t.layer].name.slice(0, 40);
      process.stderr.write(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(100 * done).toFixed(0).padStart(3)}% ${name}\x1b[K`);
    },
    done() {
      if (drawn) process.stderr.write('\r\x1b[K');
    },
  };
}
