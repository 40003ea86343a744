// The picture of a net in Graphviz's DOT language (`brewnet draw -o net.dot`, and what svg.ts lays out).
// Nodes are rounded boxes with HTML-like labels (bold name, type, key parameters, folded in-place layers,
// parameter and MAC counts, the analysis's findings in green or red); edges carry the blob's shape. Names
// reach DOT only escaped: as HTML text in labels and as quoted strings elsewhere, never as node ids.
import type { Net } from '../ir/net.js';
import { FAMILY_STYLES, HIGHLIGHT_COLOUR, OK_COLOUR, PROBLEM_COLOUR, type LayerFamily } from './layer-style.js';
import { netGraph, type GraphNode, type GraphOptions, type NetGraph, type NodeLine } from './net-graph.js';

export type RankDir = 'TB' | 'LR';
export const RANKDIRS: readonly RankDir[] = ['TB', 'LR'];

export interface DrawOptions extends GraphOptions {
  /** Graphviz's rankdir: TB (top to bottom, the default) or LR (left to right). */
  rankdir?: RankDir;
  /**
   * drawNet refuses nets with more boxes than this (default 1000): Graphviz's layout time grows faster than
   * the box count (a 1,667-layer chain with skip connections took over a minute on a busy machine).
   */
  maxBoxes?: number;
}

export const DEFAULT_MAX_BOXES = 1000;

/** DOT for a net: the same picture `drawNet` lays out, with each node's hover text as its tooltip. */
export function netToDot(net: Net, options: DrawOptions = {}): string {
  return graphToDot(netGraph(net, options), options.rankdir ?? 'TB', true);
}

export const FONT = 'Helvetica';

/**
 * DOT text of a graph. `tooltips`: write each node's and edge's hover text as a `tooltip` attribute (for
 * people running Graphviz themselves); svg.ts leaves them out and puts the text in `<title>` instead.
 */
export function graphToDot(graph: NetGraph, rankdir: RankDir, tooltips: boolean): string {
  if (!RANKDIRS.includes(rankdir)) throw new Error(`internal: rankdir ${rankdir}`);
  const out: string[] = [];
  out.push(`digraph ${quote(graph.name ?? 'net')} {`);
  out.push(
    `  graph [rankdir=${rankdir}, fontname=${quote(FONT)}, fontsize=12, nodesep=0.3, ranksep=0.35, bgcolor="white", ` +
      `labelloc="b", label=<${legend(graph)}>, pad=0.2];`,
  );
  out.push(`  node [fontname=${quote(FONT)}, fontsize=11, shape=box, style="rounded,filled", margin="0.12,0.05"];`);
  out.push(`  edge [fontname=${quote(FONT)}, fontsize=9, fontcolor="#555555", color="#777777", arrowsize=0.6];`);
  for (const node of graph.nodes) out.push(`  ${nodeStatement(node, tooltips)}`);
  for (const edge of graph.edges) {
    const attrs = [`id=${quote(edge.id)}`, `label=${quote(edge.label)}`, `class=${quote(`blob`)}`];
    if (tooltips) attrs.push(`tooltip=${quote(edge.title)}`);
    out.push(`  ${edge.from} -> ${edge.to} [${attrs.join(', ')}];`);
  }
  out.push('}');
  return out.join('\n') + '\n';
}

function nodeStatement(node: GraphNode, tooltips: boolean): string {
  const attrs: string[] = [`id=${quote(node.id)}`];
  const classes = node.output ? ['output'] : ['layer', `family-${node.family}`];
  if (node.problem) classes.push('problem');
  if (node.highlighted) classes.push('highlighted');
  attrs.push(`class=${quote(classes.join(' '))}`);
  if (node.output) {
    attrs.push('shape=ellipse', 'style="filled"', 'fillcolor="#ffffff"', 'color="#777777"', 'fontsize=10');
    attrs.push(`label=${quote(node.lines[0].text)}`);
  } else {
    const style = FAMILY_STYLES[node.family as keyof typeof FAMILY_STYLES];
    const border = node.highlighted ? HIGHLIGHT_COLOUR : node.problem ? PROBLEM_COLOUR : style.border;
    const width = node.highlighted ? 3.5 : node.problem ? 2.5 : 1;
    attrs.push(`fillcolor=${quote(style.fill)}`, `color=${quote(border)}`, `penwidth=${width}`);
    attrs.push(`label=<${node.lines.map(htmlLine).join('<BR/>')}>`);
  }
  if (tooltips) attrs.push(`tooltip=${quote(node.title)}`);
  return `${node.id} [${attrs.join(', ')}];`;
}

/** Under the picture: the caption, then one swatch per layer family the net has. */
function legend(graph: NetGraph): string {
  const families = [...new Set(graph.nodes.map((n) => n.family))].filter((f) => f !== 'output') as LayerFamily[];
  const order = Object.keys(FAMILY_STYLES) as LayerFamily[];
  families.sort((a, b) => order.indexOf(a) - order.indexOf(b));
  const cells = families.map((f) => {
    const s = FAMILY_STYLES[f];
    return `<TD BGCOLOR="${s.fill}" COLOR="${s.border}" BORDER="1" STYLE="rounded"><FONT POINT-SIZE="9">${html(s.label)}</FONT></TD>`;
  });
  const swatches = cells.length
    ? `<TR><TD><TABLE BORDER="0" CELLSPACING="4" CELLPADDING="3"><TR>${cells.join('')}</TR></TABLE></TD></TR>`
    : '';
  return `<TABLE BORDER="0" CELLSPACING="0" CELLPADDING="2"><TR><TD>${html(graph.caption)}</TD></TR>${swatches}</TABLE>`;
}

function htmlLine(line: NodeLine): string {
  // The mark is a run of its own: a font without ✓ and ✗ then falls back for the mark alone.
  const text = html(line.text) + (line.mark ? ` <FONT>${line.mark}</FONT>` : '');
  switch (line.kind) {
    case 'name':
      return `<B>${text}</B>`;
    case 'type':
      return `<FONT POINT-SIZE="10" COLOR="#333333">${text}</FONT>`;
    case 'fact':
      return `<FONT POINT-SIZE="10">${text}</FONT>`;
    case 'folded':
      return `<FONT POINT-SIZE="9" COLOR="#555555">${text}</FONT>`;
    case 'stats':
      return `<FONT POINT-SIZE="9" COLOR="#555555">${text}</FONT>`;
    case 'ok':
      return `<FONT POINT-SIZE="10" COLOR="${OK_COLOUR}">${text}</FONT>`;
    case 'problem':
      return `<FONT POINT-SIZE="10" COLOR="${PROBLEM_COLOUR}"><B>${text}</B></FONT>`;
  }
}

/** Text inside an HTML-like label. */
function html(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** A DOT quoted string; `\n` becomes a centred line break, any other backslash stays a backslash. */
function quote(text: string): string {
  return '"' + text.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\r?\n/g, '\\n') + '"';
}
