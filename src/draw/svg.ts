// `drawNet`: the picture of a net as SVG text, laid out by Graphviz's `dot` compiled to WebAssembly
// (@viz-js/viz: no native binary, runs the same in Node and in a browser). Graphviz titles each node and
// edge with its DOT id; those titles are replaced by the hover text (layer, parameters, coordinate map,
// receptive field), and each node gets `data-layer` (its first layer's name) or `data-blob` (an output),
// each edge `data-blob`, so a page can find what was clicked.
import { instance, type Viz } from '@viz-js/viz';
import type { Net } from '../ir/net.js';
import { fail } from '../diagnostics/diagnostic.js';
import { DEFAULT_MAX_BOXES, graphToDot, type DrawOptions } from './dot.js';
import { netGraph, type NetGraph } from './net-graph.js';

let viz: Promise<Viz> | undefined;

/** Graphviz, compiled once per process (about 0.1 s) and shared. */
function graphviz(): Promise<Viz> {
  return (viz ??= instance());
}

/** SVG text of the net: every layer a box, every blob an edge labelled with its shape. */
export async function drawNet(net: Net, options: DrawOptions = {}): Promise<string> {
  return drawGraph(netGraph(net, options), options);
}

/** SVG text of a graph made by `netGraph` (the web page keeps the graph to map ids back to layers). */
export async function drawGraph(graph: NetGraph, options: Pick<DrawOptions, 'rankdir' | 'maxBoxes'> = {}): Promise<string> {
  const boxes = graph.nodes.length;
  const limit = options.maxBoxes ?? DEFAULT_MAX_BOXES;
  if (boxes > limit) {
    fail(
      `the net has ${boxes.toLocaleString('en-US')} boxes to lay out, more than ${limit.toLocaleString('en-US')}: Graphviz would take minutes or more`,
      undefined,
      'raise the limit (brewnet draw --max-boxes N, drawNet(net, { maxBoxes })), or write DOT (-o net.dot), which needs no layout',
    );
  }
  const dot = graphToDot(graph, options.rankdir ?? 'TB', false);
  const result = (await graphviz()).render(dot, { format: 'svg', engine: 'dot' });
  if (result.status !== 'success') {
    throw new Error(`internal: Graphviz could not lay out the net: ${result.errors.map((e) => e.message).join('; ')}`);
  }
  return retitle(result.output, graph);
}

function retitle(svg: string, graph: NetGraph): string {
  const info = new Map<string, { title: string; data: string }>();
  for (const node of graph.nodes) {
    const data = node.output ? `data-blob="${attr(node.output.name)}"` : `data-layer="${attr(node.layers[0].name)}"`;
    info.set(node.id, { title: node.title, data });
  }
  for (const edge of graph.edges) info.set(edge.id, { title: edge.title, data: `data-blob="${attr(edge.blob.name)}"` });
  let replaced = 0;
  const out = svg.replace(
    /<g id="([^"]+)" class="([^"]*)">(\s*)<title>[^<]*<\/title>/g,
    (whole, id: string, cls: string, space: string) => {
      const found = info.get(id);
      if (!found) return whole;
      replaced++;
      return `<g id="${id}" class="${cls}" ${found.data}>${space}<title>${text(found.title)}</title>`;
    },
  );
  if (replaced !== info.size) throw new Error(`internal: titled ${replaced} of ${info.size} nodes and edges in Graphviz's SVG`);
  return out;
}

function text(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function attr(s: string): string {
  return text(s).replace(/"/g, '&quot;');
}
