// The picture of a net as plain data, before any syntax: one node per layer, with the in-place layers
// that rewrite its tops (ReLU, BatchNorm, Scale, Dropout written in place) folded into it; one edge per
// blob a layer reads, labelled with the blob's shape; one small node per blob nobody reads (the net's
// outputs). brewnet's analysis rides on it: each Crop's offsets next to the ones that align it (wrong or
// missing ones flagged), misaligned merges, and per blob its coordinate map and receptive field for the
// hover text. dot.ts writes this as DOT; svg.ts lays it out.
import { analyzeNet, type AnalysisReport } from '../analysis/analyze-net.js';
import { describeAxisMaps } from '../analysis/describe-map.js';
import type { Blob } from '../ir/blob.js';
import type { Layer } from '../ir/layer.js';
import type { Net } from '../ir/net.js';
import { layerFacts } from './layer-facts.js';
import { layerFamily, type LayerFamily } from './layer-style.js';
import { compact as compactNumber } from '../printer/format-numbers.js';

export type LineKind = 'name' | 'type' | 'fact' | 'folded' | 'stats' | 'ok' | 'problem';

export interface NodeLine {
  text: string;
  kind: LineKind;
  /** A check mark after the text: ✓ (the analysis agrees with the file) or ✗ (it does not). */
  mark?: '✓' | '✗';
}

export interface GraphNode {
  /** DOT/SVG id: `layer0`, `layer1`, … (names may hold any character), `output0`, … for output blobs. */
  id: string;
  /** The layer the node stands for, then the in-place layers folded into it, in execution order. */
  layers: Layer[];
  /** For an output node, the blob it shows. */
  output?: Blob;
  family: LayerFamily | 'output';
  lines: NodeLine[];
  /** Hover text (the SVG `<title>`). */
  title: string;
  /** The analysis found something wrong here (a Crop offset, a misaligned merge). */
  problem: boolean;
  highlighted: boolean;
}

export interface GraphEdge {
  id: string;
  from: string;
  to: string;
  blob: Blob;
  /** Shown on the edge: the blob's name when it is not its producer's, and its shape. */
  label: string;
  title: string;
}

export interface NetGraph {
  name?: string;
  nodes: GraphNode[];
  edges: GraphEdge[];
  /** One line under the picture: the net's name, layer count, parameters and MACs. */
  caption: string;
  analysis?: AnalysisReport;
}

export interface GraphOptions {
  /** Run brewnet's analysis (Crop offsets, merges, coordinate maps, receptive fields) onto the picture (default true). */
  analysis?: boolean;
  /** Layer names to mark (the web page's selection); a name that is not in the net is ignored. */
  highlight?: string | readonly string[];
}

export function netGraph(net: Net, options: GraphOptions = {}): NetGraph {
  const analysis = options.analysis === false ? undefined : analyzeNet(net);
  const highlight = new Set(typeof options.highlight === 'string' ? [options.highlight] : (options.highlight ?? []));

  // Group: every layer whose tops all rewrite its bottoms joins the node that made its first bottom.
  const nodeOf = new Map<Layer, GraphNode>();
  const nodes: GraphNode[] = [];
  for (const layer of net.layers) {
    const folds = layer.tops.length > 0 && layer.tops.every((_, i) => layer.isInPlace(i));
    const host = folds ? nodeOf.get(layer.bottoms[0].producer) : undefined;
    if (host) {
      host.layers.push(layer);
      nodeOf.set(layer, host);
      continue;
    }
    const node: GraphNode = {
      id: `layer${nodes.length}`,
      layers: [layer],
      family: layerFamily(layer),
      lines: [],
      title: '',
      problem: false,
      highlighted: false,
    };
    nodes.push(node);
    nodeOf.set(layer, node);
  }

  const crops = new Map(analysis?.crops.map((c) => [c.layer, c]));
  const merges = new Map(analysis?.merges.map((m) => [m.layer, m]));
  for (const node of nodes) describeNode(node, crops, merges, highlight, analysis);

  const edges: GraphEdge[] = [];
  const outputs: GraphNode[] = [];
  const addEdge = (from: GraphNode, to: GraphNode, blob: Blob) => {
    edges.push({
      id: `edge${edges.length}`,
      from: from.id,
      to: to.id,
      blob,
      label: edgeLabel(blob, from),
      title: blobTitle(blob, analysis),
    });
  };
  for (const node of nodes) {
    const members = new Set(node.layers);
    for (const layer of node.layers) {
      for (const bottom of layer.bottoms) {
        if (members.has(bottom.producer)) continue; // a version rewritten inside this node
        addEdge(nodeOf.get(bottom.producer)!, node, bottom);
      }
    }
    // Tops nobody reads (after the node's in-place layers) leave the net: give each a small node.
    for (const layer of node.layers) {
      layer.tops.forEach((top) => {
        if (top.consumers.length > 0) return;
        const out: GraphNode = {
          id: `output${outputs.length}`,
          layers: [],
          output: top,
          family: 'output',
          lines: [{ text: top.automatic ? `${layer.name} (loss)` : top.name, kind: 'name' }],
          title: blobTitle(top, analysis),
          problem: false,
          highlighted: false,
        };
        outputs.push(out);
        addEdge(node, out, top);
      });
    }
  }

  const caption = [
    net.name,
    `${net.layers.length} layers`,
    `${net.totalParams.toLocaleString('en-US')} parameters`,
    `${compact(net.totalMacs)} MACs`,
  ]
    .filter(Boolean)
    .join(' · ');
  return { name: net.name, nodes: [...nodes, ...outputs], edges, caption, analysis };
}

type Crops = Map<Layer, AnalysisReport['crops'][number]>;
type Merges = Map<Layer, AnalysisReport['merges'][number]>;

function describeNode(node: GraphNode, crops: Crops, merges: Merges, highlight: Set<string>, analysis?: AnalysisReport): void {
  const [head, ...folded] = node.layers;
  const lines: NodeLine[] = [
    { text: head.name, kind: 'name' },
    { text: head.type, kind: 'type' },
    ...layerFacts(head).map((text) => ({ text, kind: 'fact' as const })),
  ];
  const title: string[] = [];
  for (const layer of node.layers) {
    if (highlight.has(layer.name)) node.highlighted = true;
    if (layer !== head) {
      const facts = layerFacts(layer);
      lines.push({ text: `+ ${layer.type} ${layer.name}${facts.length ? ` (${facts.join(', ')})` : ''}`, kind: 'folded' });
    }
    title.push(layerTitle(layer, layer !== head));

    const crop = crops.get(layer);
    if (crop) {
      const file = offsets(crop.offsetFile);
      if (crop.ok) lines.push({ text: `offset ${file}`, kind: 'ok', mark: '✓' });
      else {
        node.problem = true;
        lines.push({ text: `offset ${file}`, kind: 'problem', mark: '✗' });
        lines.push({ text: crop.offsetComputed ? `needs ${offsets(crop.offsetComputed)}` : 'no offset aligns it', kind: 'problem' });
        title.push(`  ✗ ${crop.reason}`);
      }
    }
    const merge = merges.get(layer);
    if (merge && !merge.ok) {
      node.problem = true;
      lines.push({ text: 'misaligned merge', kind: 'problem', mark: '✗' });
      if (merge.hint) for (const text of wrap(merge.hint, 36)) lines.push({ text, kind: 'problem' });
      title.push(`  ✗ ${merge.reason}`);
    }
  }
  const macs = node.layers.reduce((n, l) => n + l.macs, 0);
  const params = node.layers.reduce((n, l) => n + l.paramCount, 0);
  const stats = [params ? `${compact(params)} params` : '', macs ? `${compact(macs)} MACs` : ''].filter(Boolean).join(' · ');
  if (stats) lines.push({ text: stats, kind: 'stats' });
  // What leaves the node: each top's final version, with its map and receptive field.
  for (const top of finalTops(node)) title.push(blobTitle(top, analysis));
  node.lines = lines;
  node.title = title.join('\n');
}

function layerTitle(layer: Layer, folded: boolean): string {
  const loc = layer.loc ? ` at ${layer.loc.file ? `${layer.loc.file}:` : 'line '}${layer.loc.line}:${layer.loc.column}` : '';
  const lines = [`${folded ? '+ ' : ''}${layer.name} (${layer.type}${folded ? ', in place' : ''})${loc}`];
  const facts = layerFacts(layer);
  if (facts.length) lines.push(`  ${facts.join('; ')}`);
  if (layer.paramShapes.length) {
    lines.push(`  params ${layer.paramShapes.map((s) => s.join('×')).join(' + ')} (${layer.paramCount.toLocaleString('en-US')})`);
  }
  if (layer.macs) lines.push(`  ${layer.macs.toLocaleString('en-US')} MACs`);
  return lines.join('\n');
}

/** The last version of each blob the node writes. */
function finalTops(node: GraphNode): Blob[] {
  const last = new Map<string, Blob>();
  for (const layer of node.layers) for (const top of layer.tops) last.set(top.name, top);
  return [...last.values()];
}

function edgeLabel(blob: Blob, from: GraphNode): string {
  const shape = shapeText(blob.shape);
  return from.layers[0]?.name === blob.name ? shape : `${blob.name}\n${shape}`;
}

/** A blob in words: shape, then (relative to the net's input) its coordinate map and receptive field. */
function blobTitle(blob: Blob, analysis?: AnalysisReport): string {
  const lines = [`${blob.name} ${shapeText(blob.shape)}`];
  const root = analysis?.root;
  if (analysis && root) {
    const map = analysis.maps.get(blob)?.get(root);
    if (map) lines.push(`  coordinate map from ${root.name}: ${describeAxisMaps(map)}`);
    const rf = analysis.receptiveFields.get(blob);
    if (rf) {
      lines.push(
        `  receptive field ${rf.size.map(String).join('×')}, jump ${axesText(rf.jump)}, unit 0 centred at ${axesText(rf.start)} (${root.name} pixels)`,
      );
    }
  }
  return lines.join('\n');
}

function axesText(values: { toString(): string }[]): string {
  const texts = values.map(String);
  return texts.every((t) => t === texts[0]) ? (texts[0] ?? '') : texts.join(', ');
}

/** Lines of at most `width` characters, broken at spaces (a longer word keeps its own line). */
export function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines;
}

function offsets(values: number[]): string {
  if (!values.length) return '(none)';
  return values.every((v) => v === values[0]) ? String(values[0]) : values.join(', ');
}

export function shapeText(shape: readonly number[]): string {
  return shape.length === 0 ? 'scalar' : shape.join('×');
}

/** 1,792 → 1.8K, 18,035,712,000 → 18.0G: short numbers for the boxes (exact ones are in the hover text). */
export function compact(n: number): string {
  return compactNumber(n, 1e3);
}
