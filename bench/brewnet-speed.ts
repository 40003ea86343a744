// brewnet's side of the benchmark: the pipeline timed in three depths on one file.
//   parse: scan+parse to the untyped syntax tree (parseText, chevrotain: the slow path that reports
//          diagnostics; a valid file never takes it; the text already in memory)
//   type:  parse+type to caffe.NetParameter (readNetParameter; the text already in memory)
//   full:  loadNet(path): read the file, parse, type, upgrade, filter, connect, infer every shape
import { readFileSync } from 'node:fs';
import { loadNet } from '../src/index.js';
import { parseText } from '../src/frontend/prototxt/parse-text.js';
import { readNetParameter } from '../src/frontend/prototxt/read-net-parameter.js';
import { timeRuns, type Timing } from './timing.js';

export interface BrewnetTimings {
  parse: Timing;
  type: Timing;
  full: Timing;
  /** Layers in the loaded net, and the shape inferred for its last blob: proof the whole net was read. */
  layers: number;
  outputShape: number[];
}

/** `warmup` untimed runs per depth; the untimed loadNet below already runs every phase once. */
export function timeBrewnet(path: string, runs: number, output: string, warmup = 1): BrewnetTimings {
  const text = readFileSync(path, 'utf8');
  const net = loadNet(path);
  const layers = net.layers.length;
  const outputShape = [...net.blob(output).shape];
  return {
    parse: timeRuns(() => parseText(text, path), runs, warmup),
    type: timeRuns(() => readNetParameter(text, path), runs, warmup),
    full: timeRuns(() => loadNet(path), runs, warmup),
    layers,
    outputShape,
  };
}
