// The draw suite of `npm run bench`: how long `brewnet draw` takes on big nets, step by step — the graph
// with its analysis (coordinate maps, Crop offsets, receptive fields), DOT text, Graphviz's `dot` layout
// to SVG (@viz-js/viz, WebAssembly; the first call also compiles the module), and SVG → PNG with resvg
// (WebAssembly). These figures chose Graphviz for the layout (README, "Decisions worth knowing").
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { loadNet } from '../src/api/load-net.js';
import { findFonts } from '../src/cli/draw-fonts.js';
import { graphToDot } from '../src/draw/dot.js';
import { netGraph } from '../src/draw/net-graph.js';
import { svgToPng } from '../src/draw/png.js';
import { drawGraph } from '../src/draw/svg.js';
import { fmtMs, table } from './markdown.js';
import { summarise, type Timing } from './timing.js';

const NETS = [
  { title: 'FCN-8s', path: 'examples/fcn8s-deploy.prototxt', corpus: false },
  { title: 'GoogLeNet', path: 'bvlc-caffe/models/bvlc_googlenet/deploy.prototxt', corpus: true },
  { title: 'ResNet-50', path: 'resnet/prototxt/ResNet-50-deploy.prototxt', corpus: true },
];

async function timeAsync(fn: () => Promise<unknown> | unknown, runs: number): Promise<Timing> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await fn();
    times.push(performance.now() - start);
  }
  return summarise(times);
}

export async function runDrawSuite(options: { root: string; runs?: number; log: (s: string) => void }): Promise<string> {
  const runs = options.runs ?? 5;
  const rows: string[][] = [];
  const wasm = readFileSync(createRequire(import.meta.url).resolve('@resvg/resvg-wasm/index_bg.wasm'));
  let fonts: ReturnType<typeof findFonts> | undefined;
  try {
    fonts = findFonts();
  } catch {
    fonts = undefined;
  }
  let first: number | undefined;
  for (const spec of NETS) {
    const file = spec.corpus ? join(options.root, '..', 'shared', 'corpus', spec.path) : join(options.root, spec.path);
    if (!existsSync(file)) {
      options.log(`${spec.title}: skipped: ${file} is absent`);
      rows.push([spec.title, 'skipped: not in ../shared/corpus', '', '', '', '', '']);
      continue;
    }
    const net = loadNet(file);
    if (first === undefined) {
      const start = performance.now();
      await drawGraph(netGraph(net));
      first = performance.now() - start;
    }
    const graph = netGraph(net);
    const model = await timeAsync(() => netGraph(net), runs);
    const dot = await timeAsync(() => graphToDot(graph, 'TB', true), runs);
    const svg = await timeAsync(() => drawGraph(graph), runs);
    const picture = await drawGraph(graph);
    const png = fonts
      ? await timeAsync(() => svgToPng(picture, { wasm, fonts: fonts.buffers, fontFamily: fonts.family }), Math.min(runs, 3))
      : undefined;
    const nodes = `${net.layers.length} layers → ${graph.nodes.length} nodes, ${graph.edges.length} edges`;
    options.log(
      `${spec.title}: ${nodes}; graph ${fmtMs(model.median)} ms, DOT ${fmtMs(dot.median)} ms, layout+SVG ${fmtMs(svg.median)} ms, PNG ${png ? fmtMs(png.median) : '–'} ms`,
    );
    rows.push([
      spec.title,
      nodes,
      fmtMs(model.median),
      fmtMs(dot.median),
      fmtMs(svg.median),
      png ? fmtMs(png.median) : 'no font',
      `${(picture.length / 1024).toFixed(0)} KB`,
    ]);
  }
  return [
    '## draw: `brewnet draw` step by step',
    '',
    `Median of ${runs} runs (PNG: ${Math.min(runs, 3)}), ms. The first layout in a process also compiles Graphviz's WebAssembly: ${fmtMs(first)} ms for the first net.`,
    '',
    table(['net', 'boxes and edges', 'analysis + graph', 'DOT', 'Graphviz layout → SVG', 'SVG → PNG (2×)', 'SVG size'], rows),
    '',
  ].join('\n');
}
