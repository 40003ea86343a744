// Small helpers for analysis tests: load a net from text and read maps as plain numbers.
import { loadNet, type LoadOptions } from '../../src/index.js';
import { computeCoordMaps } from '../../src/analysis/coord-maps.js';
import { mapBetween } from '../../src/analysis/map-between.js';
import type { Net } from '../../src/ir/net.js';

export function mapsOf(net: Net) {
  return computeCoordMaps(net).maps;
}

/** coord_to = a·coord_from + b, as numbers per spatial axis. */
export function mapFromTo(net: Net, from: string, to: string): { a: number[]; b: number[] } {
  const m = mapBetween(mapsOf(net), net.blob(from), net.blob(to));
  return { a: m.map((x) => x.a.toNumber()), b: m.map((x) => x.b.toNumber()) };
}

export function load(text: string, options: LoadOptions = {}): Net {
  return loadNet(text, { file: 'test.prototxt', ...options });
}
