// The front door: prototxt (a path or the text itself) → upgraded, filtered, connected and shape-checked
// IR. The phases run in a fixed order, each one small and in its own file, like a compiler pipeline:
//   scan+parse (grammar/) → type (frontend/prototxt) → upgrade (upgrade/) → filter by state
//   → check layer types → connect blobs → infer shapes → check params.
import { isAscii } from 'node:buffer';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { DiagnosticError, fail } from '../diagnostics/diagnostic.js';
import { filterLayers, netState, type Phase } from '../frontend/net-state.js';
import { readNetParameter } from '../frontend/prototxt/read-net-parameter.js';
import { Net } from '../ir/net.js';
import type { Shape } from '../layers/layer-module.js';
import { checkLayerTypes } from '../passes/check-layer-types.js';
import { checkParams } from '../passes/check-params.js';
import { connectBlobs } from '../passes/connect-blobs.js';
import { inferShapes } from '../passes/infer-shapes.js';
import { metaOf, setMeta, type Msg } from '../schema/message.js';
import { upgradeNet } from '../upgrade/upgrade-net.js';
import type { Limits } from '../frontend/dsl/limits.js';
import { scriptNet } from '../frontend/dsl/script-nets.js';

export interface LoadOptions {
  /** TRAIN or TEST (default TEST, as Caffe's tools); replaces the file's own state.phase. */
  phase?: Phase | 'train' | 'test';
  /** Replaces the file's state.level (default 0). */
  level?: number;
  /** Appended to the file's state.stage. */
  stages?: string[];
  /** Input shapes by blob name: give or override the tops of Input, data and Python layers. */
  inputs?: Record<string, readonly number[]> | ReadonlyMap<string, readonly number[]>;
  /** Name used in diagnostics when `pathOrText` is text (default "<input>"); a name ending in .py means a script. */
  file?: string;
  /** Net scripts (.py): an expression that returns the net, e.g. `fcn("train")`. */
  call?: string;
  /** Net scripts (.py): which of the nets the script writes, e.g. "train.prototxt". */
  net?: string;
  /** Net scripts (.py): the sandbox's limits (steps, depth, string and list sizes). */
  limits?: Partial<Limits>;
}

/** How a net script is run: what readNet and loadNet pass on to the sandbox. */
export type ScriptSelection = Pick<LoadOptions, 'call' | 'net' | 'limits' | 'inputs'>;

export interface SourceText {
  text: string;
  file: string;
}

/** A path if a file by that name exists or the string cannot be prototxt text; otherwise the text. */
export function readSource(pathOrText: string, file?: string): SourceText {
  // No path is longer than PATH_MAX (4096): a longer string is text, however odd.
  const looksLikeText = pathOrText === '' || pathOrText.length > 4096 || /[\n{:]/.test(pathOrText);
  if (!looksLikeText || existsSync(pathOrText)) {
    if (!existsSync(pathOrText)) fail(`no such file: ${pathOrText}`);
    if (statSync(pathOrText).isDirectory()) fail(`${pathOrText} is a directory, not a prototxt file`);
    return { text: readTextFile(pathOrText), file: file ?? pathOrText };
  }
  return { text: pathOrText, file: file ?? '<input>' };
}

/** A file's text, decoded as UTF-8 (bad bytes become U+FFFD, which the parser reports as binary). */
function readTextFile(path: string): string {
  const bytes = readFileSync(path);
  // Most nets are pure ASCII, where Latin-1 decoding gives the same text several times faster.
  return isAscii(bytes) ? bytes.toString('latin1') : bytes.toString('utf8');
}

/** Whether a source is a net script (Python, run in the sandbox) rather than prototxt. */
export function isScript(file: string): boolean {
  return /\.py$/i.test(file);
}

/** Parses and upgrades, without building the graph (what `convert` prints). A .py script is run first. */
export function readNet(pathOrText: string, options: { file?: string; upgrade?: boolean } & ScriptSelection = {}): Msg {
  const { text, file } = readSource(pathOrText, options.file);
  const net = isScript(file) ? scriptNet(text, { file, call: options.call, net: options.net, limits: options.limits, inputs: shapeMap(options.inputs) }) : readNetParameter(text, file);
  return options.upgrade === false ? net : upgradeNet(net);
}

export function loadNet(pathOrText: string, options: LoadOptions = {}): Net {
  const upgraded = readNet(pathOrText, { file: options.file, call: options.call, net: options.net, limits: options.limits, inputs: options.inputs });
  return buildNet(upgraded, options);
}

function shapeMap(inputs: LoadOptions['inputs']): Map<string, readonly number[]> | undefined {
  if (!inputs) return undefined;
  return inputs instanceof Map ? new Map(inputs) : new Map(Object.entries(inputs));
}

/** Builds the IR from an upgraded NetParameter (the DSL frontend enters here too). */
export function buildNet(upgraded: Msg, options: LoadOptions = {}): Net {
  const state = netState(upgraded, { ...options, phase: normalisePhase(options.phase) });
  const layers = filterLayers((upgraded.layer as Msg[] | undefined) ?? [], state);
  // The IR's source is the net as it runs: same message, only the kept layers.
  const source: Msg = { ...upgraded, layer: layers };
  const meta = metaOf(upgraded);
  if (meta) setMeta(source, meta);
  const typeErrors = checkLayerTypes(layers);
  if (typeErrors.length) throw new DiagnosticError(typeErrors);
  const inputs = inputShapes(options.inputs);
  const { layers: graph, blobVersions } = connectBlobs(layers);
  inferShapes(graph, state.phase, inputs);
  checkParams(graph);
  return new Net(source, state, graph, blobVersions);
}

function normalisePhase(phase: LoadOptions['phase']): Phase | undefined {
  if (phase === undefined) return undefined;
  const upper = phase.toUpperCase();
  if (upper !== 'TRAIN' && upper !== 'TEST') fail(`phase must be "train" or "test", not "${phase}"`);
  return upper;
}

function inputShapes(inputs: LoadOptions['inputs']): Map<string, Shape> {
  const entries = inputs instanceof Map ? [...inputs.entries()] : Object.entries(inputs ?? {});
  for (const [name, dims] of entries) {
    if (!Array.isArray(dims) || dims.some((d) => !Number.isInteger(d) || d < 0 || d > 2 ** 31 - 1)) {
      fail(`--input ${name}: dimensions must be integers from 0 to 2147483647, got ${JSON.stringify(dims)}`);
    }
  }
  return new Map(entries.map(([name, dims]) => [name, [...dims]]));
}
