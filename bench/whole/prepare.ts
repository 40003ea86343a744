// Writes what every implementation of the whole-net suite reads, once per net: seeded parameters as a
// .caffemodel (as Caffe writes it, so each peer loads real weights through its own Caffe reader), a seeded
// input as .npy, and the net's numbers (MACs, parameter bytes) for the report.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadNet, type Layer } from '../../src/index.js';
import { buildPlan } from '../../src/runtime/build-plan.js';
import { encodeCaffemodel } from '../../src/runtime/encode-caffemodel.js';
import { writeNpy } from '../../src/runtime/npy.js';
import { layerWeights } from '../nets/net-weights.js';
import { uniform } from '../random.js';
import type { WholeNet } from './nets.js';

export interface Prepared {
  dir: string;
  weights: string;
  input: string;
  macs: number;
  paramBytes: number;
  outputs: string[];
}

const count = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

/**
 * Parameters that keep a deep net's activations of order 1: fan-in-scaled uniform weights (bench/nets), and
 * for batch normalisation statistics a real one could have (variance in [0.5, 1.5], scale factor 1) and
 * Scale layers near 1, so ResNet's 53 normalised blocks neither vanish nor overflow.
 */
export function wholeNetWeights(layer: Layer, seed: number): Float32Array[] {
  const shapes = layer.paramShapes;
  if (layer.type === 'BatchNorm') {
    const c = count(shapes[0]);
    return [uniform(c, seed * 16, -0.1, 0.1), uniform(c, seed * 16 + 1, 0.5, 1.5), new Float32Array(count(shapes[2] ?? [1])).fill(1)];
  }
  if (layer.type === 'Scale')
    return shapes.map((s, i) => (i === 0 ? uniform(count(s), seed * 16, 0.5, 1) : uniform(count(s), seed * 16 + 1, -0.1, 0.1)));
  return layerWeights(layer, seed, layer.type === 'Deconvolution');
}

export function prepareNet(root: string, spec: WholeNet & { path: string }): Prepared {
  const dir = join(root, 'bench', 'out', 'whole', spec.id);
  mkdirSync(dir, { recursive: true });
  const net = loadNet(spec.path, { inputs: { [spec.input.name]: spec.input.shape } });
  const weights = join(dir, 'weights.caffemodel');
  const input = join(dir, 'input.npy');
  const meta = join(dir, 'meta.json');
  const macs = net.layers.reduce((s, l) => s + (['Convolution', 'Deconvolution', 'InnerProduct'].includes(l.type) ? (l.macs ?? 0) : 0), 0);
  const paramBytes = 4 * net.layers.reduce((s, l) => s + l.paramShapes.reduce((t, p) => t + count(p), 0), 0);
  // Seeded and deterministic: an existing file from an earlier run with the same seed is the same file.
  const stamp = JSON.stringify({ version: 1, macs, paramBytes, file: readFileSync(spec.path, 'utf8').length });
  if (!existsSync(meta) || readFileSync(meta, 'utf8') !== stamp || !existsSync(weights) || !existsSync(input)) {
    const params = new Map<string, Float32Array[]>();
    net.layers.forEach((layer, i) => {
      if (layer.paramShapes.length) params.set(layer.name, wholeNetWeights(layer, i + 1));
    });
    writeFileSync(weights, encodeCaffemodel(buildPlan(net), params));
    writeFileSync(input, writeNpy({ shape: spec.input.shape, data: uniform(count(spec.input.shape), 7, 0, 1) }));
    writeFileSync(meta, stamp);
  }
  return { dir, weights, input, macs, paramBytes, outputs: net.outputs };
}
