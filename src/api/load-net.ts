// The front door: prototxt (a path or the text itself) → upgraded, filtered, connected and shape-checked
// IR. The phases run in a fixed order, each one small and in its own file, like a compiler pipeline:
//   scan+parse (grammar/) → type (frontend/prototxt) → upgrade (upgrade/) → filter by state
//   → check layer types → connect blobs → infer shapes → check params.
import { openFile, pathKind, readTextFile } from '#platform';
import { fail } from '../diagnostics/diagnostic.js';
import { readNetParameter } from '../frontend/prototxt/read-net-parameter.js';
import type { Net } from '../ir/net.js';
import { buildNet, type BuildOptions } from '../passes/build-net.js';
import type { Msg } from '../schema/message.js';
import { setActiveDialect } from '../schema/caffe-schema.js';
import { upgradeNet } from '../upgrade/upgrade-net.js';
import type { Limits } from '../frontend/dsl/limits.js';
import { scriptNet } from '../frontend/dsl/script-nets.js';
import { scriptDialect } from '../frontend/dsl/script-dialect.js';
import { DIALECT_NAMES } from '../schema/dialects.js';

export interface LoadOptions extends BuildOptions {
  /** Name used in diagnostics when `pathOrText` is text (default "<input>"); a name ending in .py means a script. */
  file?: string;
  /** Net scripts (.py): an expression that returns the net, e.g. `fcn("train")`. */
  call?: string;
  /** Net scripts (.py): which of the nets the script writes, e.g. "train.prototxt". */
  net?: string;
  /** Net scripts (.py): the sandbox's limits (steps, depth, string and list sizes). */
  limits?: Partial<Limits>;
  /** Which schema the prototxt speaks: 'bvlc', a fork's dialect (ssd, opencv, fasterrcnn, pspnet, segnet, enet, shufflenet, unet), or 'auto' (default). */
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
  const kind = pathKind(pathOrText);
  if (!looksLikeText || kind !== 'missing') {
    if (kind === 'missing') fail(`no such file: ${pathOrText}`);
    if (kind === 'directory') fail(`${pathOrText} is a directory, not a prototxt file`);
    return { text: readNetText(pathOrText), file: file ?? pathOrText };
  }
  return { text: pathOrText, file: file ?? '<input>' };
}

/** Node's longest string (0x1fffffe8 UTF-16 units); a file with more bytes may not fit in one. */
const MAX_TEXT_BYTES = 0x1fffffe8;
const HEAD_BYTES = 4096;

/** NUL or bytes that are not UTF-8 in the first bytes (a character cut at the end allowed): not text. */
function headIsBinary(head: Uint8Array): boolean {
  if (head.includes(0)) return true;
  const decoder = new TextDecoder('utf-8', { fatal: true });
  for (let cut = 0; cut < 4 && cut <= head.length; cut++) {
    try {
      decoder.decode(head.subarray(0, head.length - cut));
      return false;
    } catch {
      // A multi-byte character may have been cut at the end of the sample: try a byte shorter.
    }
  }
  return true;
}

/**
 * A file's text, decoded as UTF-8 (bad bytes later on become U+FFFD, which the parser reports). The first
 * bytes are looked at before the whole file is read: a .caffemodel given as the net is told apart at once,
 * however big (a 548 MB one would not even fit in a string).
 */
function readNetText(path: string): string {
  const head = new Uint8Array(HEAD_BYTES);
  const file = openFile(path);
  if (file.error !== undefined) return readTextFile(path);
  let size: number;
  let got: number;
  try {
    size = file.size;
    got = file.directory ? 0 : file.read(head, 0, HEAD_BYTES, 0);
  } finally {
    file.close();
  }
  if (headIsBinary(head.subarray(0, got))) {
    fail(
      'this file is not text (it contains NUL or non-UTF-8 bytes)',
      { file: path, line: 1, column: 1, offset: 0 },
      /\.py$/i.test(path)
        ? 'a net script is a Python source file'
        : 'a .caffemodel holds weights; pass the .prototxt that defines the net (weights are loaded with --weights)',
    );
  }
  if (size > MAX_TEXT_BYTES) {
    fail(
      `this file is too large to read as text (${size.toLocaleString('en-US')} bytes; at most ${MAX_TEXT_BYTES.toLocaleString('en-US')})`,
      { file: path, line: 1, column: 1, offset: 0 },
    );
  }
  return readTextFile(path);
}

/** Whether a source is a net script (Python, run in the sandbox) rather than prototxt. */
export function isScript(file: string): boolean {
  return /\.py$/i.test(file);
}

/** Parses and upgrades, without building the graph (what `convert` prints). A .py script is run first. */
export function readNet(pathOrText: string, options: { file?: string; upgrade?: boolean; dialect?: string } & ScriptSelection = {}): Msg {
  const { text, file } = readSource(pathOrText, options.file);
  const net = isScript(file) ? readScript(text, file, options) : readNetParameter(text, file, options.dialect);
  return options.upgrade === false ? net : upgradeNet(net);
}

/** Runs a net script under its dialect (--dialect, else the one its header declares, else BVLC's). */
function readScript(text: string, file: string, options: { dialect?: string } & ScriptSelection): Msg {
  const dialect = options.dialect !== undefined && options.dialect !== 'auto' ? options.dialect : scriptDialect(text, file);
  if (!(DIALECT_NAMES as readonly string[]).includes(dialect))
    fail(`unknown dialect "${dialect}"`, undefined, `the dialects: auto, ${DIALECT_NAMES.join(', ')}`);
  setActiveDialect(dialect);
  const net = scriptNet(text, { file, call: options.call, net: options.net, limits: options.limits, inputs: shapeMap(options.inputs) });
  // A net file the script wrote is read back in whatever dialect it needs; the script's own stays active.
  setActiveDialect(dialect);
  return net;
}

export function loadNet(pathOrText: string, options: LoadOptions = {}): Net {
  const upgraded = readNet(pathOrText, {
    file: options.file,
    call: options.call,
    net: options.net,
    limits: options.limits,
    inputs: options.inputs,
    dialect: options.dialect,
  });
  return buildNet(upgraded, options);
}

function shapeMap(inputs: LoadOptions['inputs']): Map<string, readonly number[]> | undefined {
  if (!inputs) return undefined;
  return inputs instanceof Map ? new Map(inputs) : new Map(Object.entries(inputs));
}
