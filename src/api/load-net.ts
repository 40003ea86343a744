// The front door: prototxt (a path or the text itself) → upgraded, filtered, connected and shape-checked
// IR. The phases run in a fixed order, each one small and in its own file, like a compiler pipeline:
//   scan+parse (grammar/) → type (frontend/prototxt) → upgrade (upgrade/) → filter by state
//   → check layer types → connect blobs → infer shapes → check params.
import { isAscii } from 'node:buffer';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { fail } from '../diagnostics/diagnostic.js';
import { readNetParameter } from '../frontend/prototxt/read-net-parameter.js';
import type { Net } from '../ir/net.js';
import { buildNet, type BuildOptions } from '../passes/build-net.js';
import type { Msg } from '../schema/message.js';
import { setActiveDialect } from '../schema/caffe-schema.js';
import { upgradeNet } from '../upgrade/upgrade-net.js';
import type { Limits } from '../frontend/dsl/limits.js';
import { scriptNet } from '../frontend/dsl/script-nets.js';

export interface LoadOptions extends BuildOptions {
  /** Name used in diagnostics when `pathOrText` is text (default "<input>"); a name ending in .py means a script. */
  file?: string;
  /** Net scripts (.py): an expression that returns the net, e.g. `fcn("train")`. */
  call?: string;
  /** Net scripts (.py): which of the nets the script writes, e.g. "train.prototxt". */
  net?: string;
  /** Net scripts (.py): the sandbox's limits (steps, depth, string and list sizes). */
  limits?: Partial<Limits>;
  /** Which schema the prototxt speaks: 'bvlc', a fork's dialect (ssd, opencv, pspnet, segnet, enet), or 'auto' (default). */
  dialect?: string;
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
export function readNet(pathOrText: string, options: { file?: string; upgrade?: boolean; dialect?: string } & ScriptSelection = {}): Msg {
  const { text, file } = readSource(pathOrText, options.file);
  if (isScript(file)) setActiveDialect('bvlc');
  const net = isScript(file) ? scriptNet(text, { file, call: options.call, net: options.net, limits: options.limits, inputs: shapeMap(options.inputs) }) : readNetParameter(text, file, options.dialect);
  return options.upgrade === false ? net : upgradeNet(net);
}

export function loadNet(pathOrText: string, options: LoadOptions = {}): Net {
  const upgraded = readNet(pathOrText, { file: options.file, call: options.call, net: options.net, limits: options.limits, inputs: options.inputs, dialect: options.dialect });
  return buildNet(upgraded, options);
}

function shapeMap(inputs: LoadOptions['inputs']): Map<string, readonly number[]> | undefined {
  if (!inputs) return undefined;
  return inputs instanceof Map ? new Map(inputs) : new Map(Object.entries(inputs));
}
