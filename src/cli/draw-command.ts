// `brewnet draw <net> [-o net.svg|net.dot|net.png] [--rankdir TB|LR] [--highlight layer]…`: the picture of
// a net (src/draw/). The format follows -o's extension (or --format); without -o, SVG or DOT goes to
// stdout. This file does what the drawing code must not, as it also runs in a browser: it reads fonts and
// resvg's .wasm from disk and writes the file.
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, extname, resolve } from 'node:path';
import { loadNet } from '../api/load-net.js';
import { fail } from '../diagnostics/diagnostic.js';
import { graphToDot, RANKDIRS, type RankDir } from '../draw/dot.js';
import { netGraph } from '../draw/net-graph.js';
import { svgToPng } from '../draw/png.js';
import { drawGraph } from '../draw/svg.js';
import { findFonts } from './draw-fonts.js';
import { netLoadOptions, type NetFlags } from './net-options.js';
import { warnIfEmpty } from './report-errors.js';

export interface DrawFlags extends NetFlags {
  input?: Map<string, number[]>;
  output?: string;
  format?: string;
  rankdir?: string;
  highlight?: string[];
  analysis?: boolean;
  font?: string[];
  scale?: string;
  maxBoxes?: number;
}

const FORMATS = ['svg', 'dot', 'png'] as const;
type Format = (typeof FORMATS)[number];

export async function drawCommand(netPath: string, flags: DrawFlags): Promise<void> {
  const rankdir = (flags.rankdir ?? 'TB').toUpperCase() as RankDir;
  if (!RANKDIRS.includes(rankdir)) fail(`--rankdir ${flags.rankdir}: choose TB (top to bottom) or LR (left to right)`);
  const format = outputFormat(flags);
  const scale = flags.scale === undefined ? 2 : Number(flags.scale);
  if (!(scale > 0 && scale <= 8)) fail(`--scale ${flags.scale}: give a number of pixels per point above 0, at most 8`);
  if (flags.output) checkWritable(flags.output);
  if (!flags.output && format === 'png' && process.stdout.isTTY) {
    fail('a PNG is not written to a terminal', undefined, 'give -o net.png, or redirect stdout to a file');
  }
  const fonts = format === 'png' ? findFonts(flags.font) : undefined;

  const net = loadNet(netPath, { ...netLoadOptions(flags), inputs: flags.input });
  warnIfEmpty(net, netPath);
  const graph = netGraph(net, { analysis: flags.analysis !== false, highlight: flags.highlight });
  let bytes: string | Uint8Array;
  if (format === 'dot') bytes = graphToDot(graph, rankdir, true);
  else {
    const svg = await drawGraph(graph, { rankdir, maxBoxes: flags.maxBoxes });
    bytes = format === 'svg' ? svg : await svgToPng(svg, { wasm: resvgWasm(), fonts: fonts!.buffers, fontFamily: fonts!.family, scale });
  }
  if (!flags.output) {
    process.stdout.write(bytes);
    return;
  }
  writeFileSync(flags.output, bytes);
  const problems = graph.nodes.filter((n) => n.problem).length;
  const note = problems ? ` (${problems} flagged by the analysis, drawn in red)` : '';
  const font = fonts ? `, text in ${fonts.family}` : '';
  process.stderr.write(`wrote ${flags.output}: ${graph.nodes.length} nodes, ${graph.edges.length} edges${note}${font}\n`);
}

function outputFormat(flags: DrawFlags): Format {
  if (flags.format !== undefined) {
    const f = flags.format.toLowerCase();
    if (!(FORMATS as readonly string[]).includes(f)) fail(`--format ${flags.format}: choose svg, dot or png`);
    return f as Format;
  }
  if (!flags.output) return 'svg';
  const ext = extname(flags.output).slice(1).toLowerCase();
  if (ext === 'gv') return 'dot';
  if (!(FORMATS as readonly string[]).includes(ext)) {
    fail(
      `-o ${flags.output}: cannot tell the format from "${extname(flags.output) || '(no extension)'}"`,
      undefined,
      'name it .svg, .dot or .png, or give --format svg|dot|png',
    );
  }
  return ext as Format;
}

/** A missing folder or a folder in the file's place is the user's to fix: say which. */
function checkWritable(output: string): void {
  const folder = dirname(resolve(output));
  if (!existsSync(folder)) {
    fail(
      `cannot write ${output}: the folder ${dirname(output)} does not exist`,
      undefined,
      `create it first (mkdir -p ${dirname(output)}) or choose another -o`,
    );
  }
  if (!statSync(folder).isDirectory()) fail(`cannot write ${output}: ${dirname(output)} is not a folder`);
  if (existsSync(output) && statSync(output).isDirectory())
    fail(`cannot write ${output}: it is a folder`, undefined, 'give a file name, e.g. -o net.svg');
}

/** resvg's WebAssembly module, from the installed package. */
function resvgWasm(): Uint8Array {
  const require = createRequire(import.meta.url);
  return readFileSync(require.resolve('@resvg/resvg-wasm/index_bg.wasm'));
}
