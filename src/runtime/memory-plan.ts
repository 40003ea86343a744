// Memory planning: where each value of a forward pass lives in one arena, laid out ahead of time from
// the values' lifetimes so that a value whose last reader has run gives its bytes to later ones.
//
// planMemory is the general step: values with a byte size and a live range [first, last] (step indices,
// inclusive) → byte offsets and the arena's peak, such that two values live at a common step never
// overlap. It places the largest values first, each at the lowest offset that clears every placed value
// it is live with (greedy by size, as TFLite's arena planner does): small values fill the gaps between
// big ones. activationMemory applies it to a net's blobs, with Caffe's in-place layers (a ReLU writing
// its bottom) sharing their bottom's storage, as Caffe's own blobs do.
import type { Net } from '../ir/net.js';

export interface Lifetime {
  bytes: number;
  /** First and last step (inclusive) at which the value must hold its data. */
  first: number;
  last: number;
}

export interface MemoryPlan {
  /** Byte offset of each value (aligned to `align`). */
  offsets: number[];
  /** The arena's size: the highest end of any value. */
  peak: number;
}

/**
 * Greedy by size is quadratic in the values; past GREEDY_LIMIT values (generated nets of many thousand
 * layers) a sweep in order of first use places each value in the lowest free gap (linear scan).
 */
const GREEDY_LIMIT = 4000;

export function planMemory(values: readonly Lifetime[], align = 16, method: 'auto' | 'greedy' | 'sweep' = 'auto'): MemoryPlan {
  if (method === 'sweep' || (method === 'auto' && values.length > GREEDY_LIMIT)) return sweep(values, align);
  const offsets = new Array<number>(values.length).fill(-1);
  const order = values.map((_, i) => i).sort((a, b) => values[b].bytes - values[a].bytes || values[a].first - values[b].first);
  const placed: number[] = [];
  let peak = 0;
  for (const i of order) {
    const v = values[i];
    const size = Math.ceil(v.bytes / align) * align;
    // The placed values live with this one, by offset: take the first gap that holds it.
    const clash = placed.filter((j) => values[j].first <= v.last && v.first <= values[j].last).sort((a, b) => offsets[a] - offsets[b]);
    let at = 0;
    for (const j of clash) {
      const end = offsets[j] + Math.ceil(values[j].bytes / align) * align;
      if (offsets[j] >= at + size) break;
      at = Math.max(at, end);
    }
    offsets[i] = at;
    placed.push(i);
    peak = Math.max(peak, at + v.bytes);
  }
  return { offsets, peak };
}

function sweep(values: readonly Lifetime[], align: number): MemoryPlan {
  const offsets = new Array<number>(values.length).fill(-1);
  const order = values.map((_, i) => i).sort((a, b) => values[a].first - values[b].first);
  const size = (i: number) => Math.ceil(values[i].bytes / align) * align;
  // Live values by offset; a value whose last step precedes the next value's first is dropped.
  let live: number[] = [];
  let peak = 0;
  for (const i of order) {
    const v = values[i];
    live = live.filter((j) => values[j].last >= v.first);
    let at = 0;
    let k = 0;
    for (; k < live.length; k++) {
      const j = live[k];
      if (offsets[j] >= at + size(i)) break;
      at = Math.max(at, offsets[j] + size(j));
    }
    offsets[i] = at;
    live.splice(k, 0, i);
    peak = Math.max(peak, at + v.bytes);
  }
  return { offsets, peak };
}

export interface ActivationMemory {
  /** The planned arena for every blob of a forward pass (float32), in bytes. */
  peak: number;
  /** What the blobs take without reuse: each storage (in-place versions counted once) on its own. */
  unplanned: number;
  /** Per layer (net.layers order): bytes of the tops it writes to new storage (0 for in-place tops). */
  layerBytes: number[];
}

/** The activation memory of a forward pass over `net` (float32 blobs; the net's outputs live to the end). */
export function activationMemory(net: Net): ActivationMemory {
  const storageOf = new Map<string, number>(); // blob id → storage
  const storages: Lifetime[] = [];
  const layerBytes: number[] = [];
  const end = net.layers.length;
  net.layers.forEach((layer, li) => {
    let bytes = 0;
    layer.tops.forEach((top, t) => {
      if (layer.isInPlace(t)) {
        const s = storageOf.get(layer.bottoms[t].id);
        if (s !== undefined) {
          storageOf.set(top.id, s);
          return;
        }
      }
      storageOf.set(top.id, storages.push({ bytes: top.count * 4, first: li, last: li }) - 1);
      bytes += top.count * 4;
    });
    layerBytes.push(bytes);
    for (const b of layer.bottoms) {
      const s = storageOf.get(b.id);
      if (s !== undefined) storages[s].last = Math.max(storages[s].last, li);
    }
  });
  const outputs = new Set(net.outputs);
  for (const b of net.blobs) {
    const s = storageOf.get(b.id);
    if (s !== undefined && outputs.has(b.name)) storages[s].last = end;
  }
  return { peak: planMemory(storages).peak, unplanned: storages.reduce((n, s) => n + s.bytes, 0), layerBytes };
}
