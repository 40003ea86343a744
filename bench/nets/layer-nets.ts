// Per-layer timing without touching brewnet's internals: each layer of a net (with the in-place layers right
// after it, such as its ReLU) becomes its own small prototxt net (an Input holding its bottoms → the layers,
// their text taken from the net's canonical prototxt),
// compiled through the public API like any net. A layer too costly to run at full size within the
// benchmark's time is built on a smaller spatial extent and its time scaled up by work (MACs, or output
// elements for layers without MACs, such as Crop) — stated beside every such row.
import { loadNet, type Layer, type Net } from '../../src/index.js';
import { toPrototxt } from '../../src/printer/prototxt-printer.js';

export interface LayerNet {
  /** The layer timed, and the in-place layers right after it that run with it (a ReLU after its conv). */
  layer: Layer;
  followers: Layer[];
  /** The extent its bottoms were cut to; undefined: full size. */
  size?: number;
  /** The two-layer net at the size it is timed at. */
  net: Net;
  /** Its inputs (the layer's bottoms) with their shapes at that size. */
  inputs: { name: string; shape: number[] }[];
  /** The blobs the layer writes. */
  outputs: string[];
  /** Work at the timed size and in the full net; their ratio scales the measured time. */
  work: number;
  fullWork: number;
}

/** Work of a layer: its multiply-accumulates, or the elements it writes when it has none (Crop, Split…). */
export function layerWork(layer: Layer): number {
  if (layer.macs > 0) return layer.macs;
  return layer.tops.reduce((n, t) => n + t.shape.reduce((a, b) => a * b, 1), 0);
}

/** The canonical prototxt of each layer, in the net's order. */
function layerBlocks(net: Net): string[] {
  const blocks: string[] = [];
  let current: string[] | undefined;
  for (const line of toPrototxt(net).split('\n')) {
    if (line === 'layer {') current = [line];
    else if (current) {
      current.push(line);
      if (line === '}') {
        blocks.push(current.join('\n'));
        current = undefined;
      }
    }
  }
  if (blocks.length !== net.layers.length) throw new Error(`internal: ${blocks.length} layer blocks for ${net.layers.length} layers`);
  return blocks;
}

const SIZES = [512, 384, 256, 192, 128, 96, 64, 48, 32, 24, 16, 12, 8, 6, 4, 3, 2, 1];
/** Smallest extent a layer is cut to (when its bottoms are at least this big): below it, padding and
 * per-call costs would dominate the time that is scaled up. */
const MIN_SIZE = 4;

/** A layer (and its in-place followers) as a small net with its bottoms cut to `size` (undefined: full size). */
function layerNetAt(net: Net, blocks: string[], layer: Layer, followers: Layer[], size: number | undefined): LayerNet {
  const bottoms = [...new Map(layer.bottoms.map((b) => [b.name, [...b.shape]])).entries()];
  const minH = Math.min(...bottoms.map(([, s]) => s[2] ?? 1));
  const minW = Math.min(...bottoms.map(([, s]) => s[3] ?? 1));
  const inputs = bottoms.map(([name, s]) => {
    const shape = [...s];
    if (size !== undefined && shape.length === 4) {
      shape[2] = shape[2] - minH + Math.min(minH, size);
      shape[3] = shape[3] - minW + Math.min(minW, size);
    }
    return { name, shape };
  });
  const text = [
    `name: ${JSON.stringify(`${net.name ?? 'net'}-${layer.name}`)}`,
    `layer { name: "bench_input" type: "Input" ${inputs.map((i) => `top: ${JSON.stringify(i.name)}`).join(' ')}`,
    `  input_param { ${inputs.map((i) => `shape { ${i.shape.map((d) => `dim: ${d}`).join(' ')} }`).join(' ')} } }`,
    ...[layer, ...followers].map((l) => blocks[l.index]),
  ].join('\n');
  const small = loadNet(text, { file: `${layer.name}.prototxt` });
  const timed = small.layers.slice(1);
  const last = timed[timed.length - 1];
  if (timed.some((l) => l.tops.some((t) => t.shape.some((d) => d <= 0)))) throw new Error('empty output at this size');
  const work = (ls: Layer[]) => ls.reduce((n, l) => n + layerWork(l), 0);
  return {
    layer,
    followers,
    size,
    net: small,
    inputs,
    outputs: last.tops.map((t) => t.name),
    work: work(timed),
    fullWork: work([layer, ...followers]),
  };
}

/** In-place layers (one bottom, top of the same name) right after `layer` on its top. */
function inPlaceFollowers(net: Net, layer: Layer): Layer[] {
  const out: Layer[] = [];
  if (layer.tops.length !== 1) return out;
  const top = layer.tops[0].name;
  for (let i = layer.index + 1; i < net.layers.length; i++) {
    const next = net.layers[i];
    if (next.bottoms.length === 1 && next.tops.length === 1 && next.bottoms[0].name === top && next.tops[0].name === top) out.push(next);
    else break;
  }
  return out;
}

/** The layers timed, each with its in-place followers (which are not timed on their own). */
function timedGroups(net: Net): { layer: Layer; followers: Layer[] }[] {
  const groups: { layer: Layer; followers: Layer[] }[] = [];
  const absorbed = new Set<Layer>();
  for (const layer of net.layers) {
    if (layer.type === 'Input' || layer.bottoms.length === 0 || absorbed.has(layer)) continue;
    const followers = inPlaceFollowers(net, layer);
    followers.forEach((f) => absorbed.add(f));
    groups.push({ layer, followers });
  }
  return groups;
}

/**
 * Every layer but the net's inputs (with its in-place followers) as a LayerNet, at full size when its work
 * is at most `budget`, else at the largest spatial size S (each bottom's height and width cut to S, keeping
 * the differences between bottoms, so Crop offsets still fit) whose work fits, but not below MIN_SIZE; or
 * the smallest size the layer accepts.
 */
export function layerNets(net: Net, budget: number): LayerNet[] {
  const blocks = layerBlocks(net);
  return timedGroups(net).map(({ layer, followers }) => {
    const full = layerNetAt(net, blocks, layer, followers, undefined);
    if (full.work <= budget) return full;
    let smallest: LayerNet | undefined;
    const bottomMin = Math.min(...layer.bottoms.map((b) => Math.min(b.shape[2] ?? 1, b.shape[3] ?? 1)));
    for (const size of SIZES.filter((s) => s >= Math.min(MIN_SIZE, bottomMin))) {
      let candidate: LayerNet;
      try {
        candidate = layerNetAt(net, blocks, layer, followers, size);
      } catch {
        continue; // too small for this layer (a kernel larger than its padded input)
      }
      smallest = candidate;
      if (candidate.work <= budget) break;
    }
    return smallest ?? full;
  });
}

/** The LayerNets of a plan made by layerNets (layer name → size), without searching for the sizes again. */
export function plannedLayerNets(net: Net, plan: Record<string, number | null>): LayerNet[] {
  const blocks = layerBlocks(net);
  return timedGroups(net).map(({ layer, followers }) => layerNetAt(net, blocks, layer, followers, plan[layer.name] ?? undefined));
}

export const planOf = (lns: LayerNet[]): Record<string, number | null> =>
  Object.fromEntries(lns.map((l) => [l.layer.name, l.size ?? null]));
